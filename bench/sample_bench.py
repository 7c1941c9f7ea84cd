"""How long rendering the sample library takes (every source to PDF, DOCX, PPTX, HTML, MD).

Run ``python -m bench.sample_bench [--repeat N]``; prints the time of each build and the
median, beside a bare anchor (writing the same number of small files) measured in the same
run, so a loaded machine shows as a slow anchor rather than a slow build. Target: < 10 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from library.sample import build_sample_library, load_sources


def _anchor(folder: Path, count: int) -> float:
    start = time.perf_counter()
    for n in range(count):
        (folder / f"anchor-{n}.txt").write_text("x" * 4096, encoding="utf-8")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    count = len(load_sources())
    builds, anchors = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as scratch:
            anchors.append(_anchor(Path(scratch), count))
            start = time.perf_counter()
            build_sample_library(Path(scratch) / "sample")
            builds.append(time.perf_counter() - start)
    print(f"{count} sources")
    print("build  s: " + "  ".join(f"{s:.2f}" for s in builds))
    print(f"median   {statistics.median(builds):.2f} s (target < 10 s)")
    print(f"anchor   {statistics.median(anchors) * 1000:.1f} ms for {count} small files")


if __name__ == "__main__":
    main()
