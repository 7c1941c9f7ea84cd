"""Which assets to suggest for a prospect, and which sent assets have changed since."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlite_utils import Database

from library.assets import AssetManager
from library.models import FileState, Status
from library.packets.model import OutdatedItem, OutdatedReason, SentVersion, Suggestion

_HAS_TERM = (
    "EXISTS (SELECT 1 FROM asset_terms x JOIN terms t ON t.id = x.term_id WHERE "
    "x.asset_id = a.id AND x.suggested = 0 AND t.facet = '{facet}' AND t.name = ? COLLATE NOCASE)"
)


def _times(count: int) -> str:
    if count <= 0:
        return "not used by reps yet"
    return "used once by reps" if count == 1 else f"used {count} times by reps"


def _reason(stage: str, persona: str, matches_stage: bool, matches_persona: bool, used: int) -> str:
    if matches_stage and matches_persona:
        fit = f"For the {stage} stage and for {persona}"
    elif matches_stage:
        fit = f"For the {stage} stage" + (f" (not tagged for {persona})" if persona else "")
    else:
        fit = f"For {persona}" + (f" (not tagged for the {stage} stage)" if stage else "")
    return f"{fit}; {_times(used)}."


def suggest(
    db: Database,
    assets: AssetManager,
    stage: str,
    persona: str,
    *,
    exclude: Iterable[int] = (),
    limit: int = 12,
    today: date | None = None,
) -> list[Suggestion]:
    """Approved, unexpired, readable assets tagged with the stage or the persona.

    Ranked by how much they match (both before one), then by how often reps used them,
    then newest first.
    """
    if not stage and not persona:
        return []
    today = today or date.today()
    excluded = list(exclude)
    marks = ",".join("?" * len(excluded))
    rows = db.execute(
        f"""
        SELECT id, s, p FROM (
            SELECT a.id, a.usage_count, a.updated, a.title,
                {_HAS_TERM.format(facet="stage")} AS s,
                {_HAS_TERM.format(facet="persona")} AS p
            FROM assets a
            WHERE a.status = ? AND a.file_state = ? AND (a.expires IS NULL OR a.expires >= ?)
                {f"AND a.id NOT IN ({marks})" if excluded else ""}
        ) WHERE s OR p
        ORDER BY s + p DESC, usage_count DESC, updated DESC, title COLLATE NOCASE
        LIMIT ?
        """,
        (stage, persona, Status.APPROVED, FileState.OK, today.isoformat(), *excluded, limit),
    ).fetchall()
    found = {asset.id: asset for asset in assets.get_many(r[0] for r in rows)}
    return [
        Suggestion(
            found[asset_id],
            bool(s),
            bool(p),
            _reason(stage, persona, bool(s), bool(p), found[asset_id].usage_count),
        )
        for asset_id, s, p in rows
    ]


def outdated(
    assets: AssetManager, versions: list[SentVersion], *, today: date | None = None
) -> list[OutdatedItem]:
    """Sent assets that were since replaced, expired, archived or lost, in packet order."""
    today = today or date.today()
    current = {asset.id: asset for asset in assets.get_many(v.asset_id for v in versions)}
    found = []
    for version in versions:
        asset = current.get(version.asset_id)
        sent_day = version.sent[:10]
        if asset is None or asset.file_state == FileState.MISSING:
            reasons, parts = [OutdatedReason.MISSING], ["is no longer in the library"]
        else:
            reasons, parts = [], []
            if asset.content_hash != version.content_hash:
                reasons.append(OutdatedReason.REPLACED)
                recorded = [
                    v["recorded"][:10]
                    for v in assets.versions(asset.id)
                    if v["content_hash"] == asset.content_hash
                ]
                when = f" (recorded {recorded[-1]})" if recorded else ""
                parts.append(f"has been replaced by a newer version{when}")
            if asset.expires and asset.expires < today.isoformat():
                reasons.append(OutdatedReason.EXPIRED)
                parts.append(f"has expired ({asset.expires})")
            if asset.status == Status.ARCHIVED:
                reasons.append(OutdatedReason.ARCHIVED)
                parts.append("has been archived")
        if not reasons:
            continue
        title = asset.title if asset is not None else version.title
        found.append(
            OutdatedItem(
                asset_id=version.asset_id,
                title=title,
                reasons=reasons,
                sent_hash=version.content_hash,
                current_hash=asset.content_hash if asset is not None else "",
                message=f"“{title}”, sent on {sent_day}, {' and '.join(parts)}.",
            )
        )
    return found
