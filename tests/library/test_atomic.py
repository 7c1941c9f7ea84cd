"""Atomic writes: the real name holds the old content or the new, never part of either."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from library.atomic import atomic_path, atomic_write_bytes, atomic_write_text

ROOT = Path(__file__).resolve().parents[2]


def test_writes_replace_the_file_and_leave_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "settings.json"
    atomic_write_text(target, '{"rep_name": "Dana"}')
    atomic_write_bytes(target, b'{"rep_name": "Lee"}')
    assert target.read_bytes() == b'{"rep_name": "Lee"}'
    assert [p.name for p in target.parent.iterdir()] == ["settings.json"]


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "packet.pdf"
    target.write_bytes(b"old packet")
    with pytest.raises(RuntimeError), atomic_path(target) as temp:
        temp.write_bytes(b"half of a new")
        raise RuntimeError("the exporter failed")
    assert target.read_bytes() == b"old packet"
    assert [p.name for p in tmp_path.iterdir()] == ["packet.pdf"]


@pytest.mark.skipif(os.name != "posix", reason="kill -9")
def test_a_crash_mid_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_text("old,complete\n")
    crash = (
        "import os, signal, sys\n"
        "from library.atomic import atomic_path\n"
        "with atomic_path(sys.argv[1]) as temp, open(temp, 'w') as f:\n"
        "    f.write('new,' * 100_000); f.flush()\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", crash, str(target)], env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    assert run.returncode == -signal.SIGKILL
    assert target.read_text() == "old,complete\n"
    # What the crash left is a hidden temporary file, never a file under the real name.
    assert all(p.name.startswith(".export.csv.") for p in tmp_path.iterdir() if p != target)
