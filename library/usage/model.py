"""What the usage reports hold: weights, periods and one dataclass per kind of row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date

from library.errors import PitchpackError
from library.usage.events import EventKind, day_of

MIN_DAY, MAX_DAY = -(10**7), 10**7
COUNT_FIELDS = {
    EventKind.PREVIEW: "previews",
    EventKind.OPEN: "opens",
    EventKind.PACKET_ADD: "packet_adds",
    EventKind.PACKET_EXPORT: "exports",
    EventKind.PACKET_SEND: "sends",
}
_WEIGHT_NAMES = {
    "send": EventKind.PACKET_SEND,
    "sends": EventKind.PACKET_SEND,
    "export": EventKind.PACKET_EXPORT,
    "exports": EventKind.PACKET_EXPORT,
    "add": EventKind.PACKET_ADD,
    "adds": EventKind.PACKET_ADD,
    "open": EventKind.OPEN,
    "opens": EventKind.OPEN,
    "preview": EventKind.PREVIEW,
    "previews": EventKind.PREVIEW,
}


@dataclass(frozen=True)
class Weights:
    """What one use of an asset scores, by kind: sends > exports > packet adds > opens > previews."""

    packet_send: float = 8
    packet_export: float = 5
    packet_add: float = 3
    open: float = 2
    preview: float = 1

    def of(self, kind: str) -> float:
        return getattr(self, kind, 0)

    @classmethod
    def parse(cls, items: Iterable[str], base: Weights | None = None) -> Weights:
        """Weights from ``KIND=N`` items (kinds: send, export, add, open, preview)."""
        values = {f.name: getattr(base or cls(), f.name) for f in fields(cls)}
        for item in items:
            name, _, number = item.partition("=")
            kind = _WEIGHT_NAMES.get(name.strip().lower()) or (
                name.strip() if name.strip() in values else None
            )
            try:
                weight = float(number)
            except ValueError:
                weight = -1.0
            if kind is None or weight < 0:
                raise PitchpackError(
                    f"'{item}' is not a weight; write KIND=N with KIND one of send, export, "
                    "add, open, preview and N a number of 0 or more."
                )
            values[kind] = int(weight) if weight.is_integer() else weight
        return cls(**values)


@dataclass(frozen=True)
class Period:
    """Inclusive UTC dates; None leaves that end open."""

    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise PitchpackError(
                f"The period starts ({self.since}) after it ends ({self.until}); swap the dates."
            )

    @property
    def days(self) -> tuple[int, int]:
        return (
            day_of(self.since) if self.since else MIN_DAY,
            day_of(self.until) if self.until else MAX_DAY,
        )


@dataclass
class AssetUse:
    asset_id: int
    title: str
    type: str | None
    score: float = 0
    previews: int = 0
    opens: int = 0
    packet_adds: int = 0
    exports: int = 0
    sends: int = 0
    last_used: str | None = None


@dataclass
class WeekUse:
    week: str  # the Monday
    searches: int = 0
    previews: int = 0
    opens: int = 0
    packet_adds: int = 0
    exports: int = 0
    sends: int = 0
    score: float = 0


@dataclass
class TermUse:
    """Use of the assets with one stage, persona or type; ``name`` None: assets without one."""

    name: str | None
    score: float = 0
    uses: int = 0
    assets: int = 0


@dataclass
class RepActivity:
    rep: str
    searches: int = 0
    zero_result_searches: int = 0
    previews: int = 0
    opens: int = 0
    packet_adds: int = 0
    exports: int = 0
    sends: int = 0
    assets: int = 0
    score: float = 0
    last_active: str | None = None


@dataclass
class UnusedAsset:
    asset_id: int
    title: str
    type: str
    owner: str
    added: str
    last_used: str | None  # None: never used at all
    days_unused: int | None


@dataclass
class ContentGap:
    """Searches that found nothing, or nothing worth opening, for one query and filters."""

    query: str
    stage: str
    persona: str
    searches: int
    zero_results: int
    not_opened: int
    reps: list[str]
    first_searched: str
    last_searched: str
    weeks: list[dict] = field(default_factory=list)  # [{"week": Monday, "searches": n}]


@dataclass
class StaleAsset:
    """Expired or expiring soon, and sent or exported while so within the period."""

    asset_id: int
    title: str
    type: str
    owner: str
    expires: str
    days_left: int  # negative: expired that many days ago
    sends: int
    exports: int
    last_sent: str


@dataclass
class HeatMap:
    stages: list[str]
    personas: list[str]
    scores: list[list[float]]  # scores[stage][persona]
