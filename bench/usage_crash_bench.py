"""What ``kill -9`` costs a process recording usage: of the events it recorded, how many are
stored after reopening, and how many came back from the journal rather than its own commits.

Run ``python -m bench.usage_crash_bench [--seconds 0.4 1.7 3.1]`` (POSIX). The test
(tests/library/test_usage_crash.py) checks the contract, nothing lost that was recorded a
second before the kill; these are the figures around it, which depend on the machine's
load: most events stored (target ≥ 90 %), and after more than a flush interval, most
stored by the recorder itself rather than replayed.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from library import Library

ROOT = Path(__file__).resolve().parent.parent
RECORDER = """
import sys, time
from library import Library

lib = Library(sys.argv[1], rep="crash bench")
n = 0
while True:
    n += 1
    print(lib.usage.record_preview(n % 7 + 1), flush=True)
    time.sleep(0.004)
"""


def kill_after(folder: Path, seconds: float) -> tuple[int, int, int]:
    """(recorded, stored, replayed) for one recorder killed after ``seconds``."""
    Library(folder).close()
    child = subprocess.Popen(
        [sys.executable, "-c", RECORDER, str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    recorded = [child.stdout.readline().strip()]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        recorded.append(child.stdout.readline().strip())
    child.send_signal(signal.SIGKILL)
    recorded += [line.strip() for line in child.stdout if line.strip()]
    child.wait()
    with Library(folder) as lib:
        return len(recorded), lib.usage.count(), lib.usage.replayed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, nargs="+", default=[0.4, 1.7, 3.1])
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.2f}")
    print(f"{'seconds':>8}  {'recorded':>8}  {'stored':>7}  {'share':>6}  {'replayed':>8}")
    for seconds in args.seconds:
        with tempfile.TemporaryDirectory() as scratch:
            recorded, stored, replayed = kill_after(Path(scratch) / "library", seconds)
        share = stored / recorded if recorded else 0.0
        print(f"{seconds:>8.1f}  {recorded:>8}  {stored:>7}  {share:>6.1%}  {replayed:>8}")


if __name__ == "__main__":
    main()
