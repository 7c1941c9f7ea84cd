"""Usage commands: reports (stats) and moving reps' events between libraries."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cli.common import date_arg
from library import Library


def cmd_stats(lib: Library, args: argparse.Namespace) -> int:
    from library.usage import Period, Weights
    from library.usage.text_report import report_text

    if args.team:
        from library.team import Team

        Team(lib).pool_events()  # the team's pooled events, each added once
    period = Period(args.since, args.until)
    weights = Weights.parse(args.weight or [], base=lib.usage.weights)
    report = lib.usage.report(period, weights, unused_days=args.unused_days, top=args.top)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(report_text(report, period, unused_days=args.unused_days))
    return 0


def cmd_events_export(lib: Library, args: argparse.Namespace) -> int:
    from library.usage import Period

    count = lib.usage.export(args.file, Period(args.since, args.until))
    print(f"Exported {count} events to {args.file}.")
    return 0


def cmd_events_import(lib: Library, args: argparse.Namespace) -> int:
    print(lib.import_usage(args.file).summary())
    return 0


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    def period_options(p) -> None:
        p.add_argument("--since", type=date_arg, metavar="DATE", help="first day (YYYY-MM-DD)")
        p.add_argument("--until", type=date_arg, metavar="DATE", help="last day (YYYY-MM-DD)")

    help_text = "Usage reports: most used, unused, content gaps, stale content."
    p = sub.add_parser("stats", parents=[common], help=help_text, description=help_text)
    p.set_defaults(func=cmd_stats, check_index=False)
    period_options(p)
    p.add_argument(
        "--weight",
        action="append",
        metavar="KIND=N",
        help="score of one use (default: the usage.weights setting, "
        "send=8 export=5 add=3 open=2 preview=1 unless changed)",
    )
    p.add_argument("--unused-days", type=int, default=90, metavar="N")
    p.add_argument("--top", type=int, default=20, metavar="N", help="most used assets to list")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--team", action="store_true", help="on the whole team's pooled usage (marketers)"
    )

    help_text = "Move reps' usage events between libraries (CSV or JSON lines)."
    events = sub.add_parser("events", parents=[common], help=help_text, description=help_text)
    actions = events.add_subparsers(dest="events_command", metavar="ACTION", required=True)
    help_text = "Write the events to FILE (.csv or .jsonl)."
    p = actions.add_parser("export", parents=[common], help=help_text, description=help_text)
    p.set_defaults(func=cmd_events_export, check_index=False)
    p.add_argument("file", type=Path, metavar="FILE")
    period_options(p)
    help_text = "Add the events of FILE (.csv or .jsonl); events already here are skipped."
    p = actions.add_parser("import", parents=[common], help=help_text, description=help_text)
    p.set_defaults(func=cmd_events_import, check_index=False)
    p.add_argument("file", type=Path, metavar="FILE")
