"""Commands that build and look after the library: add, rescan, list, show, tag, reindex, ..."""

from __future__ import annotations

import argparse
import json
import os
import threading
from pathlib import Path

from cli.common import (
    ProgressBar,
    add_command,
    asset_json,
    max_chars_option,
    print_import_report,
)
from library import Library, PitchpackError
from library.models import Facet, TextSource


def cmd_add(lib: Library, args: argparse.Namespace) -> int:
    bar = ProgressBar()
    try:
        report = lib.add_paths(args.paths, progress=bar)
    finally:
        bar.close()
    print_import_report(report)
    return 0


def cmd_rescan(lib: Library, args: argparse.Namespace) -> int:
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


def cmd_list(lib: Library, args: argparse.Namespace) -> int:
    assets = lib.assets.all(failed_only=args.failed)
    if args.json:
        print(json.dumps([asset_json(a) for a in assets], indent=2))
        return 0
    for a in assets:
        state = a.status if a.file_state == "ok" else f"{a.file_state}: {a.error or ''}"
        if a.truncated:
            state += " (text cut at the limit)"
        if a.file_state == "ok" and a.text_source != "file":
            state += f" ({TextSource(a.text_source).label})"
        print(f"{a.id:>5}  {a.title[:60]:<60}  {a.content_type:<12}  {state}")
    print(f"{len(assets)} assets")
    return 0


def cmd_show(lib: Library, args: argparse.Namespace) -> int:
    asset = lib.assets.get(args.id)
    data = asset_json(asset)
    data["versions"] = lib.assets.versions(asset.id)
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    for key, value in data.items():
        if value not in (None, "", [], {}):
            print(f"{key:>16}: {value}")
    return 0


def cmd_tag(lib: Library, args: argparse.Namespace) -> int:
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


def cmd_reindex(lib: Library, args: argparse.Namespace) -> int:
    bar = ProgressBar()
    try:
        count = lib.reindex(progress=bar)
    finally:
        bar.close()
    print(f"Indexed {count} assets.")
    return 0


def cmd_backup(lib: Library, args: argparse.Namespace) -> int:
    from library.backup import backup

    done = backup(lib, args.file)
    extra = f" and {len(done.files)} library files" if done.files else ""
    print(f"Backed up {done.assets} assets{extra} to {done.path} ({done.size:,} bytes).")
    return 0


def cmd_restore(folder: Path, args: argparse.Namespace) -> int:
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


def cmd_import_csv(lib: Library, args: argparse.Namespace) -> int:
    report = lib.import_csv(args.file, progress=ProgressBar())
    if report.added:
        print_import_report(report.added)
    print(report.summary())
    for path in report.not_found:
        print(f"  not found: {path}")
    for error in report.errors:
        print(f"  {error}")
    return 0


def cmd_sample(lib: Library, args: argparse.Namespace) -> int:
    from library.sample import load_sample_library

    print_import_report(load_sample_library(lib, progress=ProgressBar()))
    return 0


def cmd_screenshots(_folder: Path, args: argparse.Namespace) -> int:
    """Render on a throwaway copy of the sample library: the import shot adds files to it.

    The user's own library is never opened, so an old or damaged one cannot stop it.
    """
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from library.sample import load_sample_library
    from tools.screenshots import render_screenshots

    with tempfile.TemporaryDirectory() as scratch, Library(scratch) as sample:
        load_sample_library(sample)
        for path in render_screenshots(sample, Path(args.outdir).absolute()):
            print(path)
    return 0


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = add_command(
        sub, common, "add", cmd_add, "Add files and folders (recursively) to the library."
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="use -- before names starting with -")
    max_chars_option(p)
    p = add_command(
        sub, common, "rescan", cmd_rescan, "Look again at watched folders and known files."
    )
    p.add_argument(
        "--watch",
        type=float,
        metavar="SECONDS",
        help="keep polling every SECONDS (works on network shares)",
    )
    max_chars_option(p)
    p = add_command(sub, common, "list", cmd_list, "List the assets in the library.")
    p.add_argument("--failed", action="store_true", help="only files that could not be read")
    p.add_argument("--json", action="store_true")
    p = add_command(sub, common, "show", cmd_show, "Show one asset's metadata and versions.")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    p = add_command(sub, common, "tag", cmd_tag, "Set stages, personas and other terms of assets.")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    for facet in Facet:
        p.add_argument(f"--{facet.value}", nargs="*", metavar="NAME")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--add", action="store_true", help="add to the existing terms")
    group.add_argument("--remove", action="store_true", help="remove these terms")
    p.add_argument("--create", action="store_true", help="create terms the library lacks")
    p = add_command(
        sub, common, "reindex", cmd_reindex, "Rebuild the search index from the catalog."
    )
    p.set_defaults(check_index=False)
    p = add_command(
        sub,
        common,
        "backup",
        cmd_backup,
        "Write the library (catalog, settings, templates) to a zip.",
    )
    p.add_argument("file", metavar="FILE")
    p.set_defaults(check_index=False)
    p = add_command(
        sub, common, "restore", cmd_restore, "Restore a backup into an empty library folder."
    )
    p.add_argument("file", metavar="FILE")
    p.set_defaults(without_library=True)
    p = add_command(
        sub,
        common,
        "import-csv",
        cmd_import_csv,
        "Apply a metadata spreadsheet (CSV) to the library.",
    )
    p.add_argument("file", type=Path)
    add_command(sub, common, "sample", cmd_sample, "Load the sample library into the library.")
    p = add_command(
        sub, common, "screenshots", cmd_screenshots, "Render each main screen to a PNG file."
    )
    p.add_argument("outdir")
    p.set_defaults(without_library=True)
