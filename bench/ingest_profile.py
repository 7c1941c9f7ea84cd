"""Where the time of adding small Markdown files goes: cProfile of the app's process.

Run ``python -m bench.ingest_profile [--files 1000] [--sort tottime] [--top 30]``. It adds
``--files`` of the benchmark's Markdown files to a new library under cProfile and prints the
functions that took most time. cProfile sees only this process: time spent in extraction
workers shows as waiting. For a sampled view of every process, run the same under py-spy::

    py-spy record --subprocesses -o ingest.svg -- python -m bench.ingest_profile --no-cprofile
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import shutil
import sys
import time
from pathlib import Path

from bench.corpus import write_text_files
from library.library import Library

DATA = Path(__file__).resolve().parent / ".data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest_profile", description=__doc__)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--sort", default="tottime", help="a pstats sort key (tottime, cumulative)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-cprofile", action="store_true", help="run unprofiled (for py-spy)")
    args = parser.parse_args(argv)
    source = DATA / f"md-{args.files}"
    write_text_files(source, args.files)
    folder = DATA / "lib-profile"
    shutil.rmtree(folder, ignore_errors=True)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with Library(folder) as lib:
        profile = None if args.no_cprofile else cProfile.Profile()
        wall, cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        report = lib.add_paths([source])
        if profile:
            profile.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    print(
        f"{report.summary()}: {wall:.2f} s wall, {cpu:.2f} s CPU in this process, "
        f"{workers:.2f} s in extraction workers; load {os.getloadavg()[0]:.1f}"
    )
    if profile:
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
