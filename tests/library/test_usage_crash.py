"""``kill -9`` of a process that is recording usage: after reopening the library, every event
recorded more than a second before the kill is in the catalog, once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from library import Library
from library.usage.journal import JOURNAL_DIR

pytestmark = pytest.mark.skipif(os.name != "posix", reason="kill -9 is POSIX")

ROOT = Path(__file__).resolve().parents[2]
# Records events as fast as a busy rep's session would, printing each id once record()
# has returned; stops only when killed.
RECORDER = """
import sys, time
from library import Library

lib = Library(sys.argv[1], rep="crash test")
n = 0
while True:
    n += 1
    if n % 3:
        event_id = lib.usage.record_preview(n % 7 + 1)
    else:
        event_id = lib.usage.record_search(f"query {n}", {"stage": ["Decision"]}, n % 4)
    print(event_id, flush=True)
    time.sleep(0.004)
"""


@pytest.mark.parametrize("seconds", [0.4, 1.7, 3.1])
def test_killed_recorder_keeps_all_but_the_last_second(tmp_path, seconds):
    folder = tmp_path / "library"
    Library(folder).close()  # migrate first, so the child starts recording at once
    child = subprocess.Popen(
        [sys.executable, "-c", RECORDER, str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    recorded: list[tuple[float, str]] = []
    try:
        first = child.stdout.readline().strip()
        recorded.append((time.monotonic(), first))
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            recorded.append((time.monotonic(), child.stdout.readline().strip()))
        child.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        recorded += [(killed, line.strip()) for line in child.stdout if line.strip()]
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL

    old_enough = {event_id for at, event_id in recorded if at < killed - 1.0}
    with Library(folder) as lib:
        stored = [e.id for e in lib.usage.events()]
        replayed = lib.usage.replayed
    assert len(stored) == len(set(stored))  # nothing stored twice
    assert old_enough <= set(stored), f"{len(old_enough - set(stored))} events lost"
    assert set(stored) <= {event_id for _at, event_id in recorded}
    # How much of the last second survives, and how much came from the journal, depends on
    # the machine's load: bench/usage_crash_bench.py measures it.
    assert replayed <= len(stored)
    assert not list((folder / JOURNAL_DIR).glob("*.jsonl"))
