"""The layering rules of pyproject.toml's import-linter contracts hold, and really bite."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    return subprocess.run(
        [exe],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(cwd), "PATH": str(Path(sys.executable).parent)},
    )


def test_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Core is Qt-free KEPT" in result.stdout


def test_contracts_catch_qt_in_the_core(tmp_path):
    copy = tmp_path / "tree"
    for name in ("library", "search", "ui"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    (copy / "library" / "planted.py").write_text("import PySide6\n")
    result = lint_imports(copy)
    assert result.returncode != 0
    assert "Core is Qt-free BROKEN" in result.stdout
