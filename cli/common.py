"""What every command group shares: the progress bar, the import report, argument types."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING

from library.progress import Progress
from library.settings import set_command

if TYPE_CHECKING:
    from library.ingest import ImportReport
    from library.models import Asset


class ProgressBar:
    """A progress hook drawing a tqdm bar on stderr when it is a terminal, silent otherwise.

    Each phase (scanning, reading, indexing) has its own bar, with files per second and
    the time left in that phase.
    """

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
                unit=" files",
                leave=False,
                file=sys.stderr,
                dynamic_ncols=True,
                mininterval=0.2,
            )
        self._bar.total = p.total
        # update() rather than setting n: tqdm's rate and time left come from updates.
        self._bar.update(p.done - self._bar.n)
        if p.done == p.total:
            self._bar.refresh()  # a phase that ends within tqdm's interval still shows done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def print_import_report(report: ImportReport) -> None:
    print(report.summary())
    if report.ocr_hint:
        print(report.ocr_hint)
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
            f"was kept (raise the limit with --max-chars, or for good with: "
            f"{set_command('text.max_chars')})"
        )
    for unmatched in report.unmatched:
        print(f"  front matter: {unmatched.path}: {unmatched.message}")
    for path in report.no_text:
        print(f"  no text: {path}: kept, and found by its title, file name, summary and terms")


def add_command(
    sub: argparse._SubParsersAction,
    common: argparse.ArgumentParser,
    name: str,
    func: Callable,
    help_text: str,
) -> argparse.ArgumentParser:
    """Add sub-command ``name`` running ``func(lib, args)``; returns its parser for options."""
    p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
    p.set_defaults(func=func)
    return p


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
    return int(text)


def max_chars_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--max-chars",
        type=positive,
        metavar="N",
        help="keep at most N characters of text per file (default 2,000,000)",
    )


def date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as YYYY-MM-DD"
        ) from None


def asset_json(a: Asset) -> dict:
    data = asdict(a)
    data.pop("mtime", None)
    data["stages"], data["personas"] = a.stages, a.personas
    return data
