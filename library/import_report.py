"""What an add or rescan did: the report the CLI prints and the import dialog shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from library.models import FailureReason

# Why a file met in a folder was passed over without being read (``Failure.reason``).
LINK_LEAVES_FOLDER = "link_outside"


@dataclass
class Failure:
    path: str
    reason: str
    message: str


@dataclass
class Duplicate:
    path: str
    asset_id: int
    kind: str  # "exact": the same bytes; "near": the same text in a different file


@dataclass
class ImportReport:
    """What an add or rescan did, for the CLI's summary and the import dialog."""

    added: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    unchanged: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)
    # Files met in folders and passed over: unsupported types, links leaving the folder.
    skipped: list[Failure] = field(default_factory=list)
    cancelled: bool = False

    @property
    def changed_ids(self) -> list[int]:
        return self.added + self.updated + self.moved + self.missing

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{self.unchanged} unchanged",
        ]
        links = [s for s in self.skipped if s.reason == LINK_LEAVES_FOLDER]
        unsupported = [s for s in self.skipped if s.reason == FailureReason.UNSUPPORTED]
        for label, items in (
            ("moved", self.moved),
            ("missing", self.missing),
            ("duplicates", self.duplicates),
            ("failed", self.failed),
            ("skipped as unsupported", unsupported),
            ("links out of the folder skipped", links),
            ("cut at the text limit", self.truncated),
        ):
            if items:
                parts.append(f"{len(items)} {label}")
        return ", ".join(parts) + (" (cancelled)" if self.cancelled else "")
