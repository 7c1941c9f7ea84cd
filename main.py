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
        print(f"  truncated: {path}: text longer than the limit was cut")


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
    print_import_report(load_sample_library(lib, progress=ProgressBar()))
    return 0


def cmd_screenshots(lib: Library, args) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.screenshots import render_screenshots

    if not lib.assets.count():
        load_sample_library(lib)
    for path in render_screenshots(lib, Path(args.outdir)):
        print(path)
    return 0


def load_sample_library(lib: Library, progress=None):
    """Render the sample library into the library folder and add it with its metadata."""
    from library.sample import build_sample_library

    dest = lib.folder / "sample"
    build_sample_library(dest)
    report = lib.add_paths([dest], progress=progress)
    lib.csv.import_file(dest / "metadata.csv", add_missing=False)
    return report


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

    p = command("add", cmd_add, "Add files and folders (recursively) to the library.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p = command("rescan", cmd_rescan, "Look again at watched folders and known files.")
    p.add_argument(
        "--watch",
        type=float,
        metavar="SECONDS",
        help="keep polling every SECONDS (works on network shares)",
    )
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
    command("reindex", cmd_reindex, "Rebuild the search index from the catalog.")
    p = command("import-csv", cmd_import_csv, "Apply a metadata spreadsheet (CSV) to the library.")
    p.add_argument("file", type=Path)
    command("sample", cmd_sample, "Load the sample library into the library.")
    p = command("screenshots", cmd_screenshots, "Render each main screen to a PNG file.")
    p.add_argument("outdir")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    debug = getattr(args, "debug", False)
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    folder = resolve_library_folder(getattr(args, "library", None))
    try:
        if args.command is None:
            return run_gui(folder, sample=args.sample)
        with Library(folder) as lib:
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
    from ui.app import run

    if sample and not os.environ.get(ENV_LIBRARY) and "--library" not in sys.argv:
        folder = default_library_folder().parent / "Pitchpack Sample"
    lib = Library(folder)
    if sample and not lib.assets.count():
        load_sample_library(lib)
    return run(lib)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into a reader that stopped early, such as head
        sys.stderr.close()
        sys.exit(0)
