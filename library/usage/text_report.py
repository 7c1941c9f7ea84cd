"""The usage reports as plain text, for ``pitchpack stats`` on a terminal."""

from __future__ import annotations

from library.usage.manager import UsageReport
from library.usage.model import Period


def _table(title: str, headers: list[str], rows: list[list], empty: str) -> list[str]:
    lines = ["", title, "-" * len(title)]
    if not rows:
        return [*lines, empty]
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    numeric = [all(isinstance(row[i], int | float) for row in rows) for i in range(len(headers))]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    return [*lines, line(headers), *(line(r) for r in cells)]


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 48 else text[:47] + "…"


def report_text(report: UsageReport, period: Period, *, unused_days: int) -> str:
    span = f"{period.since or 'the start'} to {period.until or 'today'}"
    out = [f"Usage from {span}"]
    out += _table(
        "Most used assets",
        ["id", "title", "score", "previews", "opens", "adds", "exports", "sends", "last used"],
        [
            [
                a.asset_id,
                a.title,
                a.score,
                a.previews,
                a.opens,
                a.packet_adds,
                a.exports,
                a.sends,
                a.last_used,
            ]
            for a in report.top_assets
        ],
        "No asset was used in this period.",
    )
    out += _table(
        "Week by week",
        ["week of", "searches", "previews", "opens", "adds", "exports", "sends", "score"],
        [
            [w.week, w.searches, w.previews, w.opens, w.packet_adds, w.exports, w.sends, w.score]
            for w in report.trend
        ],
        "No activity in this period.",
    )
    for title, rows, none in (
        ("By stage", report.by_stage, "(no stage)"),
        ("By persona", report.by_persona, "(no persona)"),
        ("By content type", report.by_type, "(removed assets)"),
    ):
        out += _table(
            title,
            ["name", "score", "uses", "assets"],
            [[t.name or none, t.score, t.uses, t.assets] for t in rows],
            "Nothing used.",
        )
    out += _table(
        "By rep",
        [
            "rep",
            "searches",
            "no results",
            "previews",
            "opens",
            "adds",
            "exports",
            "sends",
            "assets",
            "score",
            "last active",
        ],
        [
            [
                r.rep,
                r.searches,
                r.zero_result_searches,
                r.previews,
                r.opens,
                r.packet_adds,
                r.exports,
                r.sends,
                r.assets,
                r.score,
                r.last_active,
            ]
            for r in report.by_rep
        ],
        "No rep was active.",
    )
    out += _table(
        f"Unused for {unused_days} days (approved and current)",
        ["id", "title", "type", "owner", "last used", "days"],
        [
            [u.asset_id, u.title, u.type, u.owner or None, u.last_used or "never", u.days_unused]
            for u in report.unused
        ],
        "Every approved asset was used.",
    )
    out += _table(
        "Content gaps (no results, or nothing opened)",
        ["query", "stage", "persona", "searches", "no results", "not opened", "reps", "last"],
        [
            [
                g.query or None,
                g.stage or None,
                g.persona or None,
                g.searches,
                g.zero_results,
                g.not_opened,
                g.reps,
                g.last_searched,
            ]
            for g in report.content_gaps
        ],
        "Every search found something that was opened.",
    )
    out += _table(
        "Stale content still going out",
        ["id", "title", "expires", "days left", "sends", "exports", "last sent"],
        [
            [s.asset_id, s.title, s.expires, s.days_left, s.sends, s.exports, s.last_sent]
            for s in report.stale
        ],
        "Nothing expired or expiring was sent.",
    )
    return "\n".join(out)
