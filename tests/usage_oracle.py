"""A usage history for tests, and every usage report recomputed from it with plain loops.

The oracle shares nothing with library/usage/reports.py but the definitions in its
docstrings: it walks the list of events and the assets, day by day, as a person would.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from datetime import date, timedelta

from library.models import Asset
from library.usage import UsageEvent
from library.usage.sample import GAP_QUERIES, generate_history, sample_assets

END = date(2026, 11, 20)
WEIGHTS = {"preview": 1, "open": 2, "packet_add": 3, "packet_export": 5, "packet_send": 8}
FIELD = {
    "preview": "previews",
    "open": "opens",
    "packet_add": "packet_adds",
    "packet_export": "exports",
    "packet_send": "sends",
}
REMOVED_ASSET = 987_654


def make_history(lib, *, days: int = 150, seed: int = 5) -> list[UsageEvent]:
    """Several reps, a few thousand events over five months, plus awkward cases."""
    events = list(
        generate_history(sample_assets(lib), end=END, days=days, sessions_per_day=0.8, seed=seed)
    )
    first = date.fromisoformat(events[0].time[:10])
    expired = next(a.id for a in lib.assets.all() if a.expires and a.expires < END.isoformat())
    # Expired content a rep keeps sending; an asset that was used and then removed from the
    # library; a search run only with filters; one with accents and punctuation that
    # normalises onto a gap query; browsing (no words, no filters).
    events += [
        UsageEvent(
            "packet_send",
            f"{END - timedelta(days=3)}T15:00:00.000+00:00",
            rep="Zoe Quinn",
            asset_ids=[expired, min(lib.assets.ids())],
            packet_id=2,
        ),
        UsageEvent(
            "packet_send",
            f"{first}T09:00:00.000+00:00",
            rep="Zoe Quinn",
            asset_ids=[REMOVED_ASSET],
            packet_id=1,
        ),
        UsageEvent(
            "search",
            f"{END}T10:00:00.000+00:00",
            rep="Zoe Quinn",
            query="",
            filters={"stage": ["Decision"], "persona": ["Procurement"]},
            result_count=0,
        ),
        UsageEvent(
            "search",
            f"{END}T10:05:00.000+00:00",
            rep="Zoe Quinn",
            query="  SOVEREIGN   clóud!! ",
            result_count=0,
        ),
        UsageEvent(
            "search", f"{END}T10:06:00.000+00:00", rep="Zoe Quinn", query="", result_count=9
        ),
    ]
    return events


def day(event: UsageEvent) -> date:
    return date.fromisoformat(event.time[:10])


def in_period(event: UsageEvent, since: date | None, until: date | None) -> bool:
    return (since is None or day(event) >= since) and (until is None or day(event) <= until)


def uses(events, since=None, until=None):
    """(event, asset id) for each use of an asset in the period."""
    for e in events:
        if e.kind != "search" and in_period(e, since, until):
            for asset_id in sorted(set(e.asset_ids)):
                yield e, asset_id


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def top_assets(events, assets: dict[int, Asset], since=None, until=None, weights=WEIGHTS):
    rows: dict[int, dict] = {}
    for e, asset_id in uses(events, since, until):
        asset = assets.get(asset_id)
        row = rows.setdefault(
            asset_id,
            {
                "asset_id": asset_id,
                "title": asset.title if asset else f"Removed asset {asset_id}",
                "type": asset.content_type if asset else None,
                "score": 0,
                **{name: 0 for name in FIELD.values()},
                "last_used": None,
            },
        )
        row["score"] += weights[e.kind]
        row[FIELD[e.kind]] += 1
        row["last_used"] = max(row["last_used"] or "", day(e).isoformat())
    return sorted(rows.values(), key=lambda r: (-r["score"], r["asset_id"]))


def trend(events, since=None, until=None, weights=WEIGHTS):
    chosen = [e for e in events if in_period(e, since, until)]
    if not chosen:
        return []
    start = monday(since or min(day(e) for e in chosen))
    end = monday(until or max(day(e) for e in chosen))
    weeks = {}
    week = start
    while week <= end:
        weeks[week] = {
            "week": week.isoformat(),
            "searches": 0,
            **dict.fromkeys(FIELD.values(), 0),
            "score": 0,
        }
        week += timedelta(days=7)
    for e in chosen:
        row = weeks[monday(day(e))]
        row["searches" if e.kind == "search" else FIELD[e.kind]] += 1
    for e, _asset_id in uses(events, since, until):
        weeks[monday(day(e))]["score"] += weights[e.kind]
    return list(weeks.values())


def by_term(events, assets: dict[int, Asset], facet: str, since=None, until=None, weights=WEIGHTS):
    per_asset: dict[int, list] = {}
    for e, asset_id in uses(events, since, until):
        row = per_asset.setdefault(asset_id, [0, 0])
        row[0] += weights[e.kind]
        row[1] += 1
    totals: dict = {}
    for asset_id, (score, count) in per_asset.items():
        asset = assets.get(asset_id)
        if facet == "type":
            names = [asset.content_type] if asset else []
        else:
            names = list(asset.terms.get(facet, [])) if asset else []
        for name in names or [None]:
            row = totals.setdefault(name, {"name": name, "score": 0, "uses": 0, "assets": 0})
            row["score"] += score
            row["uses"] += count
            row["assets"] += 1
    return sorted(totals.values(), key=lambda r: (-r["score"], r["name"] is None, r["name"] or ""))


def by_rep(events, since=None, until=None, weights=WEIGHTS):
    reps: dict[str, dict] = {}
    for e in events:
        if not in_period(e, since, until):
            continue
        row = reps.setdefault(
            e.rep,
            {
                "rep": e.rep,
                "searches": 0,
                "zero_result_searches": 0,
                **dict.fromkeys(FIELD.values(), 0),
                "assets": set(),
                "score": 0,
                "last_active": "",
            },
        )
        if e.kind == "search":
            row["searches"] += 1
            row["zero_result_searches"] += e.result_count == 0
        else:
            row[FIELD[e.kind]] += 1
        row["last_active"] = max(row["last_active"], day(e).isoformat())
    for e, asset_id in uses(events, since, until):
        reps[e.rep]["score"] += weights[e.kind]
        reps[e.rep]["assets"].add(asset_id)
    for row in reps.values():
        row["assets"] = len(row["assets"])
    return sorted(reps.values(), key=lambda r: (-r["score"], -r["searches"], r["rep"]))


def unused(events, assets: dict[int, Asset], as_of: date, days: int = 90):
    last: dict[int, date] = {}
    for e, asset_id in uses(events, None, as_of):
        last[asset_id] = max(last.get(asset_id, date.min), day(e))
    rows = []
    for asset in assets.values():
        current = asset.expires is None or date.fromisoformat(asset.expires) >= as_of
        if asset.status != "approved" or asset.file_state != "ok" or not current:
            continue
        used = last.get(asset.id)
        if used is not None and (as_of - used).days < days:
            continue
        rows.append(
            {
                "asset_id": asset.id,
                "title": asset.title,
                "type": asset.content_type,
                "owner": asset.owner,
                "added": asset.created[:10],
                "last_used": used.isoformat() if used else None,
                "days_unused": (as_of - used).days if used else None,
            }
        )
    return sorted(
        rows,
        key=lambda r: (
            r["last_used"] is not None,
            r["last_used"] or "",
            r["title"].casefold(),
            r["asset_id"],
        ),
    )


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


def content_gaps(events, since=None, until=None):
    opened = {e.search_id for e in events if e.search_id}
    groups: dict[tuple, dict] = {}
    for e in events:
        if e.kind != "search" or not in_period(e, since, until):
            continue
        stage = ", ".join(sorted(set(e.filters.get("stage", [])), key=str.casefold))
        persona = ", ".join(sorted(set(e.filters.get("persona", [])), key=str.casefold))
        key = (fold(e.query), stage, persona)
        if not any(key) or (e.result_count != 0 and e.id in opened):
            continue
        row = groups.setdefault(
            key,
            {
                "query": key[0],
                "stage": stage,
                "persona": persona,
                "searches": 0,
                "zero_results": 0,
                "not_opened": 0,
                "reps": set(),
                "first_searched": "9999",
                "last_searched": "",
                "weeks": defaultdict(int),
            },
        )
        row["searches"] += 1
        if e.result_count == 0:
            row["zero_results"] += 1
        else:
            row["not_opened"] += 1
        row["reps"].add(e.rep)
        row["first_searched"] = min(row["first_searched"], day(e).isoformat())
        row["last_searched"] = max(row["last_searched"], day(e).isoformat())
        row["weeks"][monday(day(e)).isoformat()] += 1
    for row in groups.values():
        row["reps"] = sorted(row["reps"], key=str.casefold)
        row["weeks"] = [{"week": w, "searches": n} for w, n in sorted(row["weeks"].items())]
    return sorted(
        groups.values(),
        key=lambda r: (-r["searches"], -r["zero_results"], r["query"], r["stage"], r["persona"]),
    )


def stale(events, assets: dict[int, Asset], as_of: date, since=None, until=None, days=30):
    rows = {}
    for e, asset_id in uses(events, since, until):
        asset = assets.get(asset_id)
        if e.kind not in ("packet_send", "packet_export") or not asset or not asset.expires:
            continue
        expires = date.fromisoformat(asset.expires)
        if (expires - as_of).days > days or (expires - day(e)).days > days:
            continue
        row = rows.setdefault(
            asset_id,
            {
                "asset_id": asset_id,
                "title": asset.title,
                "type": asset.content_type,
                "owner": asset.owner,
                "expires": asset.expires,
                "days_left": (expires - as_of).days,
                "sends": 0,
                "exports": 0,
                "last_sent": "",
            },
        )
        row["sends" if e.kind == "packet_send" else "exports"] += 1
        row["last_sent"] = max(row["last_sent"], day(e).isoformat())
    return sorted(
        rows.values(),
        key=lambda r: (
            r["days_left"],
            -r["sends"],
            -r["exports"],
            r["title"].casefold(),
            r["asset_id"],
        ),
    )


def usage_counts(events, weights=WEIGHTS) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for e, asset_id in uses(events):
        counts[asset_id] += weights[e.kind]
    return counts


__all__ = ["END", "GAP_QUERIES", "REMOVED_ASSET", "make_history"]
