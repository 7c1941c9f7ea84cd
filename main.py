"""Pitchpack's entry point: opens the desktop app, or runs a sub-command for scripting.

The library folder comes from ``--library DIR``, else ``PITCHPACK_LIBRARY``, else the
platform's user data folder; it is resolved here once and passed to the core.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from dataclasses import asdict
from pathlib import Path

from library import Library, PitchpackError
from library.models import Facet
from library.progress import Progress
from search import SORTS, SearchQuery

ENV_LIBRARY = "PITCHPACK_LIBRARY"
FILTER_OPTIONS = ("stage", "persona", "type", "industry", "product", "tag", "status")


def default_library_folder() -> Path:
    from platformdirs import user_data_path

    return user_data_path("Pitchpack", appauthor=False)


def resolve_library_folder(option: str | None) -> Path:
    return Path(option or os.environ.get(ENV_LIBRARY) or default_library_folder()).expanduser()


# -- progress on a terminal ---------------------------------------------------------------


class ProgressBar:
    """A progress hook drawing a tqdm bar on stderr when it is a terminal, silent otherwise."""

    def __init__(self) -> None:
        self._bar = None
        self._phase = None
        self._enabled = sys.stderr.isatty()

    def __call__(self, p: Progress) -> None:
        if not self._enabled:
            return
        from tqdm import tqdm

        if p.phase != self._phase:
            self.close()
            self._phase = p.phase
            self._bar = tqdm(
                total=p.total,
                desc=p.phase.capitalize(),
                unit="file",
                leave=False,
                file=sys.stderr,
                dynamic_ncols=True,
            )
        self._bar.total = p.total
        self._bar.n = p.done
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


# -- sub-commands -------------------------------------------------------------------------


def print_import_report(report) -> None:
    print(report.summary())
    for failure in report.failed:
        print(f"  failed: {failure.path} ({failure.reason}): {failure.message}")
    for skipped in report.skipped:
        print(f"  skipped: {skipped.path}: {skipped.message}")
    for dup in report.duplicates:
        print(
            f"  {dup.kind} duplicate: {dup.path} (same {'bytes' if dup.kind == 'exact' else 'text'} "
            f"as asset {dup.asset_id})"
        )
    for path in report.truncated:
        print(
            f"  truncated: {path}: the text is longer than the limit, so only its start "
            "was kept (raise the limit with --max-chars)"
        )


def cmd_add(lib: Library, args) -> int:
    bar = ProgressBar()
    try:
        report = lib.add_paths(args.paths, progress=bar)
    finally:
        bar.close()
    print_import_report(report)
    return 0


def cmd_rescan(lib: Library, args) -> int:
    bar = ProgressBar()
    try:
        report = lib.rescan(progress=bar)
    finally:
        bar.close()
    print_import_report(report)
    if args.watch:
        from library.watch import watch

        print(f"Watching for changes every {args.watch:g} s; press Ctrl+C to stop.")
        watch(lib, args.watch, threading.Event(), print_import_report)
    return 0


def cmd_list(lib: Library, args) -> int:
    assets = lib.assets.all(failed_only=args.failed)
    if args.json:
        print(json.dumps([_asset_json(a) for a in assets], indent=2))
        return 0
    for a in assets:
        state = a.status if a.file_state == "ok" else f"{a.file_state}: {a.error or ''}"
        if a.truncated:
            state += " (text cut at the limit)"
        print(f"{a.id:>5}  {a.title[:60]:<60}  {a.content_type:<12}  {state}")
    print(f"{len(assets)} assets")
    return 0


def cmd_search(lib: Library, args) -> int:
    lib.ensure_index()
    filters = {f: getattr(args, f) for f in FILTER_OPTIONS if getattr(args, f)}
    query = SearchQuery(
        text=args.query,
        filters=filters,
        sort=args.sort,
        limit=args.limit,
        include_hidden=args.all,
        as_you_type=False,
    )
    result = lib.search(query)
    lib.usage.record_search(args.query, filters, result.total)
    if args.json:
        print(
            json.dumps(
                {
                    "query": args.query,
                    "total": result.total,
                    "suggestion": result.suggestion,
                    "hits": [
                        {
                            "id": h.id,
                            "title": h.title,
                            "path": str(Path(h.path).absolute()),
                            "type": h.type,
                            "stages": h.stages,
                            "personas": h.personas,
                            "page": h.page,
                            "snippet": h.snippet,
                            "score": h.score,
                        }
                        for h in result.hits
                    ],
                    "facets": result.facets,
                },
                indent=2,
            )
        )
        return 0
    if result.suggestion:
        print(f"Did you mean: {result.suggestion}")
    for h in result.hits:
        where = f" (p. {h.page})" if h.page else ""
        print(f"{h.id:>5}  {h.title}{where}  [{h.type}]")
        print(f"       {_plain_snippet(h.snippet)}")
    print(f"{result.total} results")
    return 0


def cmd_show(lib: Library, args) -> int:
    asset = lib.assets.get(args.id)
    data = _asset_json(asset)
    data["versions"] = lib.assets.versions(asset.id)
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    for key, value in data.items():
        if value not in (None, "", [], {}):
            print(f"{key:>16}: {value}")
    return 0


def cmd_tag(lib: Library, args) -> int:
    mode = "add" if args.add else "remove" if args.remove else "replace"
    given = {
        f: getattr(args, f)
        for f in ("stage", "persona", "industry", "product", "tag")
        if getattr(args, f) is not None
    }
    if not given:
        raise PitchpackError(
            "Name at least one of --stage, --persona, --industry, --product, --tag."
        )
    for facet, names in given.items():
        lib.tag_assets(args.ids, facet, names, mode=mode, create=args.create)
    for asset in lib.assets.get_many(args.ids):
        terms = "; ".join(f"{f}: {', '.join(v)}" for f, v in asset.terms.items())
        print(f"{asset.id}: {terms or 'no tags'}")
    return 0


def cmd_reindex(lib: Library, args) -> int:
    bar = ProgressBar()
    try:
        count = lib.reindex(progress=bar)
    finally:
        bar.close()
    print(f"Indexed {count} assets.")
    return 0


def cmd_backup(lib: Library, args) -> int:
    from library.backup import backup

    done = backup(lib, args.file)
    extra = f" and {len(done.files)} library files" if done.files else ""
    print(f"Backed up {done.assets} assets{extra} to {done.path} ({done.size:,} bytes).")
    return 0


def cmd_restore(folder: Path, args) -> int:
    from library.backup import restore

    restore(args.file, folder)
    bar = ProgressBar()
    try:
        with Library(folder) as lib:  # brings an older backup's catalog up to date, too
            lib.reindex(progress=bar)
            count = lib.assets.count()
    finally:
        bar.close()
    print(f"Restored {count} assets into {folder}; the search index was rebuilt.")
    return 0


def cmd_import_csv(lib: Library, args) -> int:
    report = lib.csv.import_file(args.file, progress=ProgressBar())
    if report.added:
        print_import_report(report.added)
    print(report.summary())
    for path in report.not_found:
        print(f"  not found: {path}")
    for error in report.errors:
        print(f"  {error}")
    return 0


def cmd_sample(lib: Library, args) -> int:
    from library.sample import load_sample_library

    print_import_report(load_sample_library(lib, progress=ProgressBar()))
    return 0


def cmd_screenshots(lib: Library, args) -> int:
    """Render on a throwaway copy of the sample library: the import shot adds files to it."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from library.sample import load_sample_library
    from ui.screenshots import render_screenshots

    with tempfile.TemporaryDirectory() as scratch, Library(scratch) as sample:
        load_sample_library(sample)
        for path in render_screenshots(sample, Path(args.outdir).absolute()):
            print(path)
    return 0


# -- packets ------------------------------------------------------------------------------


def cmd_packet_new(lib: Library, args) -> int:
    from library.packets import Prospect

    names = ("first_name", "last_name", "email", "company", "role", "persona", "stage")
    prospect = Prospect(**{name: getattr(args, name) for name in names})
    print(lib.packets.create(prospect, template=args.template).id)
    return 0


def cmd_packet_add(lib: Library, args) -> int:
    packet = lib.packets.add_assets(args.packet_id, args.asset_ids)
    print(f"Packet {packet.id} holds {len(packet.items)} assets.")
    return 0


def cmd_packet_note(lib: Library, args) -> int:
    from library.packets.templates import check

    if args.file is not None:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PitchpackError(f"Cannot read the note file {args.file}: {exc}") from exc
    else:
        text = args.text
    check(text)
    lib.packets.set_note(args.packet_id, text)
    print(f"Note of packet {args.packet_id} saved.")
    return 0


def _warn_size(report) -> None:
    if report.over_limit:
        print(f"pitchpack: warning: {report.message}", file=sys.stderr)


def cmd_packet_export(lib: Library, args) -> int:
    from library.packets.mail import format_size

    bar = ProgressBar()
    try:
        pdf = lib.packets.export_pdf(args.packet_id, args.pdf, progress=bar)
    finally:
        bar.close()
    print(f"{pdf.path}: {pdf.pages} pages, {format_size(pdf.size)}, {pdf.seconds:.1f} s")
    if args.docx:
        print(lib.packets.export_docx(args.packet_id, args.docx))
    _warn_size(lib.packets.size_report(args.packet_id, pdf=pdf))
    return 0


def cmd_packet_email(lib: Library, args) -> int:
    _warn_size(lib.packets.save_eml(args.packet_id, args.eml))
    print(args.eml)
    return 0


def cmd_packet_send(lib: Library, args) -> int:
    from dataclasses import replace

    from library.packets import SmtpConfig
    from library.packets.mail import parse_server

    security = "ssl" if args.ssl else "starttls" if args.starttls else None
    config = lib.packets.smtp_config()
    if args.smtp:
        host, port = parse_server(args.smtp, security or "none")
        config = SmtpConfig(host, port, security or "none", args.user or "")
    elif config is not None:
        config = replace(
            config, security=security or config.security, user=args.user or config.user
        )
    bar = ProgressBar()
    try:
        receipt = lib.packets.send(args.packet_id, config, progress=bar)
    finally:
        bar.close()
    print(f"Sent packet {receipt.packet_id} to {receipt.recipient}.")
    return 0


def _prospect_json(prospect) -> dict:
    return asdict(prospect) | {"full_name": prospect.full_name}


def cmd_packet_list(lib: Library, args) -> int:
    packets = lib.packets.history()
    if args.json:
        rows = [asdict(p) | {"prospect": _prospect_json(p.prospect)} for p in packets]
        print(json.dumps(rows, indent=2))
        return 0
    for p in packets:
        who = f"{p.prospect.full_name}, {p.prospect.company}"
        flag = f"  ({p.outdated} outdated)" if p.outdated else ""
        print(f"{p.id:>5}  {p.status:<8}  {who[:36]:<36}  {p.subject[:50]}{flag}")
    print(f"{len(packets)} packets")
    return 0


def cmd_packet_show(lib: Library, args) -> int:
    packet = lib.packets.get(args.packet_id)
    data = asdict(packet) | {"prospect": _prospect_json(packet.prospect)}
    data["sent_versions"] = [asdict(v) for v in lib.packets.sent_versions(packet.id)]
    data["outdated"] = [asdict(o) for o in lib.packets.outdated(packet.id)]
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    who = f"{packet.prospect.full_name}, {packet.prospect.company}"
    print(f"Packet {packet.id} ({packet.status}) for {who}")
    print(f"Subject: {packet.subject}\n\n{packet.note.strip()}\n")
    for number, item in enumerate(packet.items, start=1):
        note = f": {item.note}" if item.note else ""
        print(f"{number:>3}. [{item.asset_id}] {item.title}{note}")
    for outdated in data["outdated"]:
        print(f"  update available: {outdated['message']}")
    return 0


# -- usage --------------------------------------------------------------------------------


def cmd_stats(lib: Library, args) -> int:
    from library.usage import Period, Weights
    from library.usage.text_report import report_text

    period = Period(args.since, args.until)
    weights = Weights.parse(args.weight or [])
    report = lib.usage.report(period, weights, unused_days=args.unused_days, top=args.top)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(report_text(report, period, unused_days=args.unused_days))
    return 0


def cmd_events_export(lib: Library, args) -> int:
    from library.usage import Period

    count = lib.usage.export(args.file, Period(args.since, args.until))
    print(f"Exported {count} events to {args.file}.")
    return 0


def cmd_events_import(lib: Library, args) -> int:
    print(lib.usage.import_file(args.file).summary())
    return 0


def _date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as YYYY-MM-DD"
        ) from None


def _asset_json(a) -> dict:
    data = asdict(a)
    data.pop("mtime", None)
    data["stages"], data["personas"] = a.stages, a.personas
    return data


def _plain_snippet(snippet: str) -> str:
    import html

    bold, reset = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("", "")
    return html.unescape(snippet.replace("<b>", bold).replace("</b>", reset))


# -- parsing ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--library",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=f"library folder (default: ${ENV_LIBRARY}, else the user data folder)",
    )
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show tracebacks and debug logging",
    )
    parser = argparse.ArgumentParser(
        prog="pitchpack",
        parents=[common],
        description="Pitchpack: marketing's content in every sales rep's hands. "
        "Without a sub-command, opens the desktop app.",
    )
    parser.add_argument(
        "--sample",
        action="store_true",
        help="open the app on a library with the sample content loaded",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name, func, help_text):
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    def positive(text: str) -> int:
        if not text.isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
        return int(text)

    def max_chars_option(p):
        p.add_argument(
            "--max-chars",
            type=positive,
            metavar="N",
            help="keep at most N characters of text per file (default 2,000,000)",
        )

    p = command("add", cmd_add, "Add files and folders (recursively) to the library.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="use -- before names starting with -")
    max_chars_option(p)
    p = command("rescan", cmd_rescan, "Look again at watched folders and known files.")
    p.add_argument(
        "--watch",
        type=float,
        metavar="SECONDS",
        help="keep polling every SECONDS (works on network shares)",
    )
    max_chars_option(p)
    p = command("list", cmd_list, "List the assets in the library.")
    p.add_argument("--failed", action="store_true", help="only files that could not be read")
    p.add_argument("--json", action="store_true")
    p = command("search", cmd_search, "Search the library.")
    p.add_argument("query")
    for option in FILTER_OPTIONS:
        p.add_argument(f"--{option}", action="append", metavar=option.upper())
    p.add_argument("--sort", choices=SORTS, default="relevance")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--all", action="store_true", help="include archived and expired assets")
    p.add_argument("--json", action="store_true")
    p = command("show", cmd_show, "Show one asset's metadata and versions.")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    p = command("tag", cmd_tag, "Set stages, personas and other terms of assets.")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    for facet in Facet:
        p.add_argument(f"--{facet.value}", nargs="*", metavar="NAME")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--add", action="store_true", help="add to the existing terms")
    group.add_argument("--remove", action="store_true", help="remove these terms")
    p.add_argument("--create", action="store_true", help="create terms the library lacks")
    p = command("reindex", cmd_reindex, "Rebuild the search index from the catalog.")
    p.set_defaults(check_index=False)
    p = command("backup", cmd_backup, "Write the library (catalog, settings, templates) to a zip.")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(check_index=False)
    p = command("restore", cmd_restore, "Restore a backup into an empty library folder.")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(without_library=True)
    p = command("import-csv", cmd_import_csv, "Apply a metadata spreadsheet (CSV) to the library.")
    p.add_argument("file", type=Path)
    command("sample", cmd_sample, "Load the sample library into the library.")
    p = command("screenshots", cmd_screenshots, "Render each main screen to a PNG file.")
    p.add_argument("outdir")
    add_packet_commands(sub, common)
    add_usage_commands(sub, common)
    return parser


def add_packet_commands(sub, common: argparse.ArgumentParser) -> None:
    help_text = "Make packets for prospects, export them and send them."
    packet = sub.add_parser("packet", parents=[common], help=help_text, description=help_text)
    actions = packet.add_subparsers(dest="packet_command", metavar="ACTION", required=True)

    def action(name, func, help_text, *, packet_id=True):
        p = actions.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(func=func)
        if packet_id:
            p.add_argument("packet_id", type=int, metavar="PACKET_ID")
        return p

    p = action(
        "new", cmd_packet_new, "Start a packet for a prospect; prints its id.", packet_id=False
    )
    for name in ("first-name", "last-name", "email", "company", "role", "persona", "stage"):
        p.add_argument(f"--{name}", required=True)
    p.add_argument("--template", metavar="NAME", help="note template (default: best fit)")
    p = action("add", cmd_packet_add, "Add assets to a packet, in order.")
    p.add_argument("asset_ids", type=int, nargs="+", metavar="ASSET_ID")
    p = action("note", cmd_packet_note, "Set a packet's personal note (merge fields allowed).")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--text", metavar="TEXT")
    group.add_argument("--file", metavar="FILE")
    p = action("export", cmd_packet_export, "Export a packet as PDF, and its note as DOCX.")
    p.add_argument("--pdf", required=True, metavar="FILE")
    p.add_argument("--docx", metavar="FILE")
    p = action("email", cmd_packet_email, "Write the packet's email, PDF attached, as a draft.")
    p.add_argument("--eml", required=True, metavar="FILE")
    p = action("send", cmd_packet_send, "Send a packet by email over SMTP.")
    p.add_argument("--smtp", metavar="HOST:PORT", help="mail server (default: from settings)")
    p.add_argument(
        "--user",
        metavar="U",
        help="SMTP user; the password comes from the keyring or $PITCHPACK_SMTP_PASSWORD",
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument("--starttls", action="store_true")
    group.add_argument("--ssl", action="store_true")
    p = action(
        "list", cmd_packet_list, "List packets, most recently changed first.", packet_id=False
    )
    p.add_argument("--json", action="store_true")
    p = action("show", cmd_packet_show, "Show a packet, what was sent and what changed since.")
    p.add_argument("--json", action="store_true")


def add_usage_commands(sub, common: argparse.ArgumentParser) -> None:
    def period_options(p) -> None:
        p.add_argument("--since", type=_date, metavar="DATE", help="first day (YYYY-MM-DD)")
        p.add_argument("--until", type=_date, metavar="DATE", help="last day (YYYY-MM-DD)")

    help_text = "Usage reports: most used, unused, content gaps, stale content."
    p = sub.add_parser("stats", parents=[common], help=help_text, description=help_text)
    p.set_defaults(func=cmd_stats, check_index=False)
    period_options(p)
    p.add_argument(
        "--weight",
        action="append",
        metavar="KIND=N",
        help="score of one use (send=8 export=5 add=3 open=2 preview=1 by default)",
    )
    p.add_argument("--unused-days", type=int, default=90, metavar="N")
    p.add_argument("--top", type=int, default=20, metavar="N", help="most used assets to list")
    p.add_argument("--json", action="store_true")

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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        # A file name from another system may not be valid text: print it escaped.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    debug = getattr(args, "debug", False)
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    folder = resolve_library_folder(getattr(args, "library", None))
    try:
        if args.command is None:
            if (
                args.sample
                and not getattr(args, "library", None)
                and not os.environ.get(ENV_LIBRARY)
            ):
                folder = default_library_folder().parent / "Pitchpack Sample"
            return run_gui(folder, sample=args.sample)
        if getattr(args, "without_library", False):
            return args.func(folder, args)
        options = {"max_chars": args.max_chars} if getattr(args, "max_chars", None) else {}
        with Library(folder, **options) as lib:
            if getattr(args, "check_index", True):
                # A crash may have left the index behind the catalog: catch it up first.
                lib.ensure_index()
            return args.func(lib, args)
    except PitchpackError as exc:
        if debug:
            raise
        print(f"pitchpack: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("pitchpack: interrupted", file=sys.stderr)
        return 130


def run_gui(folder: Path, *, sample: bool) -> int:
    """Open the window; with ``sample`` on an empty library, it loads the sample with progress."""
    from ui.app import run

    lib = Library(folder)
    try:
        return run(lib, load_sample=sample and not lib.assets.count())
    finally:
        lib.close()  # stores the usage events still queued


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into a reader that stopped early, such as head
        sys.stderr.close()
        sys.exit(0)
