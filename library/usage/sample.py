"""A made-up but plausible usage history, for the sample library's dashboard and benchmarks.

Reps work on weekdays in sessions: a search (some for content the library lacks), then
perhaps previews and opens of results, and now and then a packet added to, exported and
sent. A few assets are popular, many are used now and then, and some never. The same seed
gives the same history.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING

from library.usage.events import EventKind, UsageEvent, timestamp

if TYPE_CHECKING:
    from library.library import Library

REPS = ("Avery Chen", "Bruno Diaz", "Chloe Martin", "Dev Patel", "Erin Walsh", "Femi Adeyemi")
# Searches the sample library has nothing (or nothing useful) for, in the spellings reps use.
GAP_QUERIES = (
    ("sovereign cloud", "Sovereign cloud", "sovereign  cloud?"),
    ("GPU colocation pricing", "gpu colocation pricing", "GPU colo pricing"),
    ("carbon report 2025", "Carbon report 2025"),
    ("SOC 2 type II report", "soc 2 type ii report"),
    ("mainframe migration",),
    ("remote hands price list", "Remote hands price list"),
    ("AI inference at the edge",),
    ("German data residency",),
)
TOPIC_QUERIES = (
    "colocation pricing",
    "tco",
    "hybrid cloud",
    "latency",
    "interconnect",
    "disaster recovery",
    "hipaa",
    "edge compute",
    "liquid cooling",
    "case study",
    "onboarding",
    "objection handling",
    "sla",
    "migration",
    "financial services",
    "backup",
)


@dataclass(frozen=True)
class SampleAsset:
    id: int
    stages: tuple[str, ...] = ()
    personas: tuple[str, ...] = ()


def generate_history(
    assets: Sequence[SampleAsset],
    *,
    end: date,
    days: int = 180,
    reps: Sequence[str] = REPS,
    sessions_per_day: float = 3.0,
    seed: int = 7,
    unused_share: float = 0.15,
) -> Iterator[UsageEvent]:
    """Events from ``days`` before ``end`` up to ``end``, oldest first (times in UTC).

    ``sessions_per_day`` is per rep per weekday; a session averages about 3 events.
    ``unused_share`` of the assets are never touched.
    """
    rng = random.Random(seed)
    ids = [a.id for a in assets]
    rng.shuffle(ids)
    used = ids[: max(1, round(len(ids) * (1 - unused_share)))] if ids else []
    # Zipf-like popularity: the first few assets get most of the use.
    cumulative = list(accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(used))))
    stages = sorted({s for a in assets for s in a.stages})
    personas = sorted({p for a in assets for p in a.personas})
    packet_id = 1000
    namespace = uuid.UUID(int=seed)
    serial = 0

    def event(kind: str, moment: datetime, rep: str, **fields) -> UsageEvent:
        nonlocal serial
        serial += 1
        return UsageEvent(
            kind, timestamp(moment), str(uuid.uuid5(namespace, str(serial))), rep, **fields
        )

    def pick() -> int:
        return rng.choices(used, cum_weights=cumulative)[0]

    start = end - timedelta(days=days - 1)
    for offset in range(days):
        day = start + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
        sessions = []
        for rep in reps:
            for _ in range(_poisson(rng, sessions_per_day)):
                sessions.append((rng.uniform(8 * 3600, 18 * 3600), rep))
        for seconds, rep in sorted(sessions):
            moment = midnight + timedelta(seconds=seconds)
            step = timedelta(seconds=rng.uniform(5, 90))
            filters: dict[str, list[str]] = {}
            if stages and rng.random() < 0.25:
                filters["stage"] = [rng.choice(stages)]
            if personas and rng.random() < 0.2:
                filters["persona"] = [rng.choice(personas)]
            # Gap queries find nothing, or little that is worth opening.
            gap = rng.random() < 0.12
            if gap:
                query = rng.choice(rng.choice(GAP_QUERIES))
                count = 0 if rng.random() < 0.7 else rng.randint(1, 4)
            else:
                query = rng.choice(TOPIC_QUERIES)
                count = rng.randint(0, 3) if filters and rng.random() < 0.1 else rng.randint(2, 30)
            search = event(
                EventKind.SEARCH, moment, rep, query=query, filters=filters, result_count=count
            )
            yield search
            if not used or count == 0 or rng.random() < (0.85 if gap else 0.1):
                continue
            previewed = []
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                moment += step
                asset_id = pick()
                previewed.append(asset_id)
                yield event(
                    EventKind.PREVIEW, moment, rep, asset_ids=[asset_id], search_id=search.id
                )
            if rng.random() < 0.3:
                moment += step
                yield event(
                    EventKind.OPEN, moment, rep, asset_ids=[previewed[0]], search_id=search.id
                )
            if rng.random() < 0.18:
                packet_id += 1
                items = list(dict.fromkeys(previewed + [pick() for _ in range(rng.randint(1, 4))]))
                moment += step
                yield event(EventKind.PACKET_ADD, moment, rep, asset_ids=items, packet_id=packet_id)
                if rng.random() < 0.7:
                    moment += step
                    yield event(
                        EventKind.PACKET_EXPORT, moment, rep, asset_ids=items, packet_id=packet_id
                    )
                    if rng.random() < 0.8:
                        moment += step
                        yield event(
                            EventKind.PACKET_SEND, moment, rep, asset_ids=items, packet_id=packet_id
                        )


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method; means here are small.
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def sample_assets(library: Library) -> list[SampleAsset]:
    """The library's readable assets with their stages and personas, for ``generate_history``."""
    return [
        SampleAsset(a.id, tuple(a.stages), tuple(a.personas))
        for a in library.assets.all()
        if a.file_state == "ok"
    ]
