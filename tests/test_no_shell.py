"""A static check over the app's own code: files are opened through the OS with a file URL,
never through a shell, and no code is run from strings."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    [ROOT / "main.py"]
    + [p for package in ("ui", "library", "search") for p in (ROOT / package).rglob("*.py")]
)
SHELL_CALLS = {"system", "popen", "startfile", "startCommand", "getoutput", "getstatusoutput"}
SUBPROCESS_CALLS = {"run", "call", "check_call", "check_output", "Popen"}


def calls(path: Path) -> Iterator[tuple[ast.Call, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            yield node, name


def test_the_sources_are_all_looked_at() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in SOURCES}
    assert {"main.py", "ui/preview_pane.py", "library/ingest.py"} <= names


def test_nothing_runs_through_a_shell_or_from_a_string() -> None:
    found = []
    for path in SOURCES:
        for call, name in calls(path):
            where = f"{path.relative_to(ROOT)}:{call.lineno} {name}"
            if name in SHELL_CALLS or name in ("eval", "exec") and isinstance(call.func, ast.Name):
                found.append(where)
            elif name in SUBPROCESS_CALLS and isinstance(call.func, ast.Attribute):
                shell = any(
                    k.arg == "shell"
                    and not (isinstance(k.value, ast.Constant) and not k.value.value)
                    for k in call.keywords
                )
                command_is_text = bool(call.args) and isinstance(
                    call.args[0], ast.Constant | ast.JoinedStr | ast.BinOp
                )
                if shell or command_is_text:
                    found.append(where)
    assert found == []


def test_originals_open_through_the_os_as_file_urls() -> None:
    opened = []
    for path in SOURCES:
        for call, name in calls(path):
            if name == "openUrl":
                argument = call.args[0]
                assert isinstance(argument, ast.Call) and argument.func.attr == "fromLocalFile", (
                    f"{path.relative_to(ROOT)}:{call.lineno} opens something other than a file URL"
                )
                opened.append(path.name)
    assert "preview_pane.py" in opened
