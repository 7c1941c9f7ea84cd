"""Ingestion benchmark: adding ten-page PDFs, and rescanning an unchanged library.

Run ``python -m bench.ingest_bench [--pdfs 1000] [--rescan 10000] [--workers N]``.
Source files are generated once into ``bench/.data`` and reused; libraries are made anew.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

from bench.corpus import write_pdfs, write_text_files
from library.extract.pool import ExtractionPool
from library.library import Library
from library.progress import Progress
from search import SearchQuery

DATA = Path(__file__).resolve().parent / ".data"
RESULTS = DATA / "results-ingest.json"
PDF_PAGES = 10
PDF_TARGET_S = 60.0
RESCAN_TARGET_S = 3.0


class PhaseClock:
    """A progress hook noting when each phase ("scanning", "reading", ...) first and last reported."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.spans: dict[str, list[float]] = {}

    def __call__(self, progress: Progress) -> None:
        now = time.perf_counter() - self.start
        span = self.spans.setdefault(progress.phase, [now, now])
        span[1] = now

    def describe(self) -> str:
        return ", ".join(f"{phase} {a:.1f}–{b:.1f} s" for phase, (a, b) in self.spans.items())


def _fresh_library(name: str, workers: int | None) -> Library:
    folder = DATA / name
    shutil.rmtree(folder, ignore_errors=True)
    return Library(folder, workers=workers)


def _timed_generation(label: str, make) -> list[Path]:
    t0 = time.perf_counter()
    files = make()
    elapsed = time.perf_counter() - t0
    if elapsed > 1:
        print(f"generated {len(files):,} {label} in {elapsed:.1f} s (reused on later runs)")
    return files


def bench_pdfs(count: int, workers: int | None) -> dict:
    """Add ``count`` ten-page PDFs to an empty library through ``Library.add_paths``."""
    folder = DATA / f"pdf-{count}x{PDF_PAGES}"
    files = _timed_generation("PDFs", lambda: write_pdfs(folder, count, pages=PDF_PAGES))
    lib = _fresh_library("lib-pdf", workers)
    try:
        clock = PhaseClock()
        t0 = time.perf_counter()
        report = lib.add_paths([folder], progress=clock)
        seconds = time.perf_counter() - t0
        hits = lib.search(SearchQuery(text="colocation", as_you_type=False)).total
        indexed = lib.index.count()
    finally:
        lib.close()
    result = {
        "files": len(files),
        "pages": len(files) * PDF_PAGES,
        "seconds": round(seconds, 2),
        "files_per_s": round(len(files) / seconds, 1),
        "pages_per_s": round(len(files) * PDF_PAGES / seconds, 1),
        "added": len(report.added),
        "failed": len(report.failed),
        "indexed": indexed,
        "phases": clock.describe(),
        "sanity_hits": hits,
    }
    verdict = "meets" if seconds < PDF_TARGET_S else "MISSES"
    print(f"\n== add {len(files):,} ten-page PDFs ==")
    print(
        f"{seconds:.1f} s: {result['files_per_s']:.1f} files/s, {result['pages_per_s']:.0f} pages/s "
        f"({verdict} the {PDF_TARGET_S:.0f} s target)"
    )
    print(
        f"added {result['added']:,}, failed {result['failed']}, indexed {indexed:,}; {clock.describe()}"
    )
    return result


def bench_rescan(count: int, workers: int | None, repeat: int) -> dict:
    """Add ``count`` small Markdown files, then rescan the unchanged library ``repeat`` times."""
    folder = DATA / f"md-{count}"
    files = _timed_generation("Markdown files", lambda: write_text_files(folder, count))
    lib = _fresh_library("lib-md", workers)
    try:
        clock = PhaseClock()
        t0 = time.perf_counter()
        added = lib.add_paths([folder], progress=clock)
        add_s = time.perf_counter() - t0
        rescans = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            report = lib.rescan()
            rescans.append(time.perf_counter() - t0)
            if report.changed_ids or report.unchanged != len(files):
                print(f"warning: rescan found changes: {report.summary()}")
    finally:
        lib.close()
    best = min(rescans)
    result = {
        "files": len(files),
        "add_seconds": round(add_s, 2),
        "add_docs_per_s": round(len(files) / add_s, 1),
        "added": len(added.added),
        "failed": len(added.failed),
        "add_phases": clock.describe(),
        "rescan_seconds": [round(s, 3) for s in rescans],
        "rescan_best_s": round(best, 3),
    }
    verdict = "meets" if max(rescans) < RESCAN_TARGET_S else "MISSES"
    print(f"\n== library of {len(files):,} small files ==")
    print(
        f"first add: {add_s:.1f} s, {result['add_docs_per_s']:.0f} docs/s "
        f"(added {result['added']:,}, failed {result['failed']}); {clock.describe()}"
    )
    print(
        f"rescan, unchanged: {', '.join(f'{s:.2f}' for s in rescans)} s "
        f"({verdict} the {RESCAN_TARGET_S:.0f} s target)"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest_bench", description=__doc__)
    parser.add_argument("--pdfs", type=int, default=1_000, help="ten-page PDFs to add (0: skip)")
    parser.add_argument(
        "--rescan", type=int, default=10_000, help="small files to rescan (0: skip)"
    )
    parser.add_argument("--rescan-repeat", type=int, default=3)
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="extraction processes (default: the app's own default)",
    )
    args = parser.parse_args(argv)
    DATA.mkdir(parents=True, exist_ok=True)
    with ExtractionPool(workers=args.workers) as pool:
        workers = pool.workers
    print(f"extraction workers: {workers} ({os.cpu_count()} CPUs)")
    results: dict = {"workers": workers, "cpus": os.cpu_count()}
    if args.pdfs:
        results["pdfs"] = bench_pdfs(args.pdfs, args.workers)
    if args.rescan:
        results["rescan"] = bench_rescan(args.rescan, args.workers, args.rescan_repeat)
    RESULTS.write_text(json.dumps(results, indent=2))
    print(f"\nresults written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
