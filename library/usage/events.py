"""Usage events: what a rep did, when, with which assets; and their append-only table.

An event is stored once, by its UUID, however often it is recorded, replayed or imported.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from library.errors import PitchpackError

EPOCH = date(1970, 1, 1)
CHUNK = 500  # ids per "IN (...)" list, well under SQLite's variable limit


class EventKind(StrEnum):
    SEARCH = "search"
    PREVIEW = "preview"
    OPEN = "open"
    PACKET_ADD = "packet_add"
    PACKET_EXPORT = "packet_export"
    PACKET_SEND = "packet_send"


class UsageError(PitchpackError):
    """An event or an events file that cannot be read."""


@dataclass
class UsageEvent:
    """One thing a rep did. ``time`` is ISO 8601 in UTC; ``id`` a UUID, kept across exports.

    ``search_id`` links a preview or open to the search it came from; a search whose
    results were previewed or opened has ``opened`` set (derived when events are stored).
    """

    kind: str
    time: str = field(default_factory=lambda: timestamp())
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    rep: str = ""
    query: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    result_count: int | None = None
    opened: bool = False
    asset_ids: list[int] = field(default_factory=list)
    packet_id: int | None = None
    search_id: str | None = None

    @property
    def day(self) -> int:
        return day_number(self.time)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "time": self.time,
            "kind": self.kind,
            "rep": self.rep,
            "query": self.query,
            "filters": self.filters,
            "result_count": self.result_count,
            "opened": self.opened,
            "asset_ids": self.asset_ids,
            "packet_id": self.packet_id,
            "search_id": self.search_id,
        }

    @classmethod
    def from_dict(cls, data: dict) -> UsageEvent:
        """Check and normalise an event read from a file; raises UsageError when invalid."""
        try:
            kind = EventKind(str(data["kind"]).strip()).value
            event_id = str(uuid.UUID(str(data["id"]).strip()))
            filters = data.get("filters") or {}
            if isinstance(filters, str):
                filters = json.loads(filters) if filters.strip() else {}
            asset_ids = data.get("asset_ids") or []
            if isinstance(asset_ids, str):  # JSON, or numbers apart as a CSV cell has them
                text = asset_ids.strip()
                asset_ids = (
                    json.loads(text) if text.startswith("[") else text.replace(",", " ").split()
                )
            return cls(
                kind=kind,
                time=canonical_time(str(data["time"])),
                id=event_id,
                rep=str(data.get("rep") or ""),
                query=str(data.get("query") or ""),
                filters={str(f): [str(v) for v in vs] for f, vs in dict(filters).items() if vs},
                result_count=_optional_int(data.get("result_count")),
                opened=_flag(data.get("opened")),
                asset_ids=[int(a) for a in asset_ids],
                packet_id=_optional_int(data.get("packet_id")),
                search_id=str(data["search_id"]) if data.get("search_id") else None,
            )
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise UsageError(f"Not a usage event ({exc!r}): {str(data)[:200]}") from exc


def _optional_int(value) -> int | None:
    return None if value in (None, "") else int(value)


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


# -- time ----------------------------------------------------------------------------------


def timestamp(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def canonical_time(text: str) -> str:
    """The same instant written as ``timestamp`` writes it (naive times are taken as UTC)."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return timestamp(moment)


def day_number(time: str) -> int:
    """Days since 1970-01-01 of an ISO time in UTC (the first 10 characters, by construction)."""
    return (date.fromisoformat(time[:10]) - EPOCH).days


def day_of(value: date) -> int:
    return (value - EPOCH).days


def date_of(day: int) -> date:
    return EPOCH + timedelta(days=day)


def week_start(day: int) -> int:
    """The Monday on or before ``day`` (1970-01-01 was a Thursday)."""
    return day - (day + 3) % 7


# -- derived keys --------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def normalise_query(text: str) -> str:
    """Case, accents, punctuation and spacing folded away: "Colo  Pricing?" → "colo pricing"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_WORD.findall(folded))


def filter_key(filters: dict[str, list[str]], facet: str) -> str:
    return ", ".join(sorted({v for v in filters.get(facet, []) if v}, key=str.casefold))


# -- the table -----------------------------------------------------------------------------

_INSERT = (
    "INSERT INTO events (seq, id, time, day, kind, rep, query, filters, result_count, opened, "
    "asset_ids, packet_id, search_id, query_key, stage_filter, persona_filter) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
COLUMNS = (
    "id, time, kind, rep, query, filters, result_count, opened, asset_ids, packet_id, search_id"
)


def _row(seq: int, e: UsageEvent) -> tuple:
    try:
        kind = EventKind(e.kind).value
    except ValueError:
        raise UsageError(f"'{e.kind}' is not a kind of usage event.") from None
    return (
        seq,
        e.id,
        e.time,
        e.day,
        kind,
        e.rep,
        e.query,
        json.dumps(e.filters, sort_keys=True),
        e.result_count,
        int(e.opened),
        json.dumps(e.asset_ids),
        e.packet_id,
        e.search_id,
        normalise_query(e.query) if e.kind == EventKind.SEARCH else "",
        filter_key(e.filters, "stage"),
        filter_key(e.filters, "persona"),
    )


def event_from_row(row: tuple) -> UsageEvent:
    id_, time, kind, rep, query, filters, count, opened, asset_ids, packet_id, search_id = row
    return UsageEvent(
        kind=kind,
        time=time,
        id=id_,
        rep=rep,
        query=query,
        filters=json.loads(filters),
        result_count=count,
        opened=bool(opened),
        asset_ids=json.loads(asset_ids),
        packet_id=packet_id,
        search_id=search_id,
    )


def insert_events(conn: sqlite3.Connection, events: Iterable[UsageEvent]) -> list[UsageEvent]:
    """Store the events not stored yet; call inside a write transaction. Returns the new ones.

    Also marks as ``opened`` the searches that a new preview or open came from, and new
    searches that already have one stored (an import may bring them in either order).
    """
    fresh: dict[str, UsageEvent] = {}
    for event in events:
        fresh.setdefault(event.id, event)
    ids = list(fresh)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        for (known,) in conn.execute(f"SELECT id FROM events WHERE id IN ({marks})", chunk):
            del fresh[known]
    new = list(fresh.values())
    if not new:
        return []
    # Numbered after the last stored, in the write transaction: ``seq`` only ever grows,
    # which is what lets the report columns read just the events stored since.
    first = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM events").fetchone()[0]
    conn.executemany(_INSERT, [_row(first + n, e) for n, e in enumerate(new)])
    conn.executemany(
        "INSERT INTO event_assets (seq, asset_id, day, kind, rep) VALUES (?,?,?,?,?)",
        [
            (first + n, asset_id, e.day, e.kind, e.rep)
            for n, e in enumerate(new)
            if e.kind != EventKind.SEARCH
            for asset_id in dict.fromkeys(e.asset_ids)
        ],
    )
    links = [(e.search_id,) for e in new if e.search_id and e.kind != EventKind.SEARCH]
    conn.executemany(
        "UPDATE events SET opened = 1 WHERE id = ? AND kind = 'search' AND opened = 0", links
    )
    searches = [(e.id,) for e in new if e.kind == EventKind.SEARCH and not e.opened]
    conn.executemany(
        "UPDATE events SET opened = 1 WHERE id = ? AND EXISTS "
        "(SELECT 1 FROM events c WHERE c.search_id = events.id)",
        searches,
    )
    return new


def iter_events(
    conn: sqlite3.Connection, *, since: int | None = None, until: int | None = None
) -> Iterator[UsageEvent]:
    """Stored events in the order they were stored, optionally within days since..until."""
    where, params = [], []
    if since is not None:
        where.append("day >= ?")
        params.append(since)
    if until is not None:
        where.append("day <= ?")
        params.append(until)
    sql = f"SELECT {COLUMNS} FROM events"
    if where:
        sql += " WHERE " + " AND ".join(where)
    for row in conn.execute(sql + " ORDER BY seq", params):
        yield event_from_row(row)


def count_events(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM events").fetchone()[0]
