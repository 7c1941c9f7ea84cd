"""Pitchpack's entry point: opens the desktop app, or runs a sub-command for scripting.

The library folder comes from ``--library DIR``, else ``PITCHPACK_LIBRARY``, else the
platform's user data folder; it is resolved here once and passed to the core.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from library import PitchpackError

ENV_LIBRARY = "PITCHPACK_LIBRARY"


def command_groups() -> tuple:
    # Imported here, not at the top: every extraction worker imports this module again
    # (multiprocessing's "spawn"), and should not pay for the commands and the core.
    from cli import library, packet, search, settings, similar, team, usage

    return (library, search, packet, usage, settings, similar, team)


def default_library_folder() -> Path:
    from platformdirs import user_data_path

    return user_data_path("Pitchpack", appauthor=False)


def resolve_library_folder(option: str | None) -> Path:
    return Path(option or os.environ.get(ENV_LIBRARY) or default_library_folder()).expanduser()


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

    for group in command_groups():
        group.add_commands(sub, common)
    return parser


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
        from library import Library

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
    from library import Library
    from ui.app import run
    from ui.errors import excepthook

    sys.excepthook = excepthook  # a bug in a slot is logged and shown, not lost in a terminal
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
