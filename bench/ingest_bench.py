"""Ingestion benchmark: adding ten-page PDFs; adding, then rescanning, small Markdown files.

Run ``python -m bench.ingest_bench [--pdfs 1000] [--rescan 10000] [--workers N]``.
Source files are generated once into ``bench/.data`` and reused; libraries are made anew.
The Markdown figures are ratios to bare processes measured in the same run (see
``bench/bare_ingest.py``), because a shared machine's speed changes from minute to minute.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from library.library import Library
    from library.progress import Progress

# The core is imported inside the functions, as main.py does: each extraction worker
# imports this module again ("spawn"), and an app's worker does not import the core.

DATA = Path(__file__).resolve().parent / ".data"
RESULTS = DATA / "results-ingest.json"
PDF_PAGES = 10
PDF_TARGET_PAGES_S = 500.0
RATIO_TARGET = 15.0
ROOT = Path(__file__).resolve().parent.parent


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
    from library import Library

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
    from bench.corpus import write_pdfs
    from search import SearchQuery

    folder = DATA / f"pdf-{count}x{PDF_PAGES}"
    files = _timed_generation("PDFs", lambda: write_pdfs(folder, count, pages=PDF_PAGES))
    bare_s, bare_cpu = _bare("pdf", folder)
    lib = _fresh_library("lib-pdf", workers)
    try:
        clock = PhaseClock()
        cpu0 = _cpu_seconds()
        t0 = time.perf_counter()
        report = lib.add_paths([folder], progress=clock)
        seconds = time.perf_counter() - t0
        cpu = _cpu_seconds() - cpu0  # the workers are reaped when add_paths returns
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
        "bare_pdfium_seconds": round(bare_s, 2),
        "bare_pdfium_pages_per_s": round(len(files) * PDF_PAGES / bare_s, 1),
        "ratio": round(seconds / bare_s, 2),
        "cpu_seconds": round(cpu, 2),
        "bare_pdfium_cpu_seconds": round(bare_cpu, 2),
        "cpu_ratio": round(cpu / bare_cpu, 2),
        "load": os.getloadavg()[0],
    }
    verdict = "meets" if result["pages_per_s"] >= PDF_TARGET_PAGES_S else "MISSES"
    print(f"\n== add {len(files):,} ten-page PDFs (load {os.getloadavg()[0]:.1f}) ==")
    print(
        f"{seconds:.1f} s: {result['files_per_s']:.1f} files/s, {result['pages_per_s']:.0f} pages/s "
        f"({verdict} the {PDF_TARGET_PAGES_S:.0f} pages/s goal)"
    )
    print(
        f"bare PDFium, one process per CPU: {bare_s:.1f} s, "
        f"{result['bare_pdfium_pages_per_s']:.0f} pages/s; ratio {result['ratio']:.2f}x"
    )
    print(
        f"CPU, the app's process and its workers: {cpu:.1f} s; bare PDFium {bare_cpu:.1f} s; "
        f"ratio {result['cpu_ratio']:.2f}x"
    )
    print(
        f"added {result['added']:,}, failed {result['failed']}, indexed {indexed:,}; {clock.describe()}"
    )
    return result


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have ended."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _run(argv: list[str]) -> tuple[float, float, str]:
    """Run a command; returns its wall seconds, its CPU seconds (with its children), and stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def _bare(kind: str, folder: Path) -> tuple[float, float]:
    wall, cpu, _ = _run([sys.executable, "-m", "bench.bare_ingest", kind, str(folder)])
    return wall, cpu


def _cli(library: Path, *args: str) -> tuple[float, float, str]:
    return _run([sys.executable, "main.py", "--library", str(library), *args])


def bench_rescan(count: int, workers: int | None, repeat: int) -> dict:
    """``pitchpack add`` of ``count`` small Markdown files, then ``pitchpack rescan`` of the
    unchanged library ``repeat`` times, each as a new process, beside the bare anchors.
    The CLI has no worker option: ``workers`` applies to the PDF part only."""
    from bench.corpus import write_text_files

    folder = DATA / f"md-{count}"
    files = _timed_generation("Markdown files", lambda: write_text_files(folder, count))
    library = DATA / "lib-md"
    shutil.rmtree(library, ignore_errors=True)
    _bare("add", folder)  # untimed: every timed run finds the files in the page cache
    bare_before = _bare("add", folder)
    add_wall, add_cpu, out = _cli(library, "add", str(folder))
    bare_after = _bare("add", folder)
    bare_add = statistics.mean([bare_before[0], bare_after[0]])
    summary = out.splitlines()[0] if out else ""
    rescans, stats = [], []
    for _ in range(repeat):
        stats.append(_bare("stat", folder)[0])
        wall, _, out = _cli(library, "rescan")
        rescans.append(wall)
        if not out.startswith(f"0 added, 0 updated, {len(files)} unchanged"):
            print(f"warning: rescan found changes: {out.splitlines()[0] if out else ''}")
    bare_stat = statistics.median(stats)
    rescan = statistics.median(rescans)
    result = {
        "files": len(files),
        "add_seconds": round(add_wall, 2),
        "add_cpu_seconds": round(add_cpu, 2),
        "add_summary": summary,
        "bare_add_seconds": [round(bare_before[0], 3), round(bare_after[0], 3)],
        "bare_add_cpu_seconds": [round(bare_before[1], 3), round(bare_after[1], 3)],
        "add_ratio": round(add_wall / bare_add, 1),
        "rescan_seconds": [round(s, 3) for s in rescans],
        "bare_stat_seconds": [round(s, 3) for s in stats],
        "rescan_ratio": round(rescan / bare_stat, 1),
        "load": os.getloadavg()[0],
    }
    print(f"\n== library of {len(files):,} small Markdown files ==")
    print(f"pitchpack add: {add_wall:.1f} s wall, {add_cpu:.1f} s CPU with its workers; {summary}")
    print(
        f"bare read + hash + FTS5 insert: {bare_before[0]:.2f} s before, {bare_after[0]:.2f} s after "
        f"(CPU {bare_before[1]:.2f}, {bare_after[1]:.2f} s)"
    )
    verdict = "meets" if result["add_ratio"] <= RATIO_TARGET else "MISSES"
    print(
        f"add ratio: {result['add_ratio']:.1f}x the bare pipeline ({verdict} <= {RATIO_TARGET:g}x)"
    )
    print(
        f"pitchpack rescan, unchanged: {', '.join(f'{s:.2f}' for s in rescans)} s; "
        f"bare stat process: {', '.join(f'{s:.2f}' for s in stats)} s"
    )
    verdict = "meets" if result["rescan_ratio"] <= RATIO_TARGET else "MISSES"
    print(
        f"rescan ratio: {result['rescan_ratio']:.1f}x a bare stat ({verdict} <= {RATIO_TARGET:g}x)"
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
    from library.extract.pool import ExtractionPool

    with ExtractionPool(workers=args.workers) as pool:
        workers = pool.workers
    print(f"extraction workers: {workers} ({os.cpu_count()} CPUs); uptime: {_uptime()}")
    results: dict = {"workers": workers, "cpus": os.cpu_count()}
    if args.pdfs:
        results["pdfs"] = bench_pdfs(args.pdfs, args.workers)
    if args.rescan:
        results["rescan"] = bench_rescan(args.rescan, args.workers, args.rescan_repeat)
    print(f"uptime at the end: {_uptime()}")
    RESULTS.write_text(json.dumps(results, indent=2))
    print(f"\nresults written to {RESULTS}")
    return 0


def _uptime() -> str:
    return "load average " + ", ".join(f"{n:.2f}" for n in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
