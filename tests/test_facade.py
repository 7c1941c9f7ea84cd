"""The core owns every change: the window and the command line write only through ``Library``.

Read from the source, so a change made behind the facade's back (a manager's write method
called from ui/ or cli/, an index update or usage event left to the caller) fails here.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from library import Library
from library.assets import AssetManager
from library.csv_import import CsvImporter
from library.packets import PacketManager
from library.taxonomy import TaxonomyManager
from library.usage import UsageManager

ROOT = Path(__file__).resolve().parent.parent
CALLERS = sorted(
    [*ROOT.glob("ui/**/*.py"), *ROOT.glob("cli/**/*.py"), *ROOT.glob("tools/**/*.py")]
) + [ROOT / "main.py"]

# Each manager's writes, as the core names them now, and the facade verb that runs each.
WRITES: dict[type, dict[str, str]] = {
    AssetManager: {
        "update": "update_assets",
        "set_terms": "tag_assets",
        "resolve_suggestions": "resolve_suggestions",
        "restore": "restore_assets",
    },
    TaxonomyManager: {
        "add": "add_term",
        "rename": "rename_term",
        "delete": "delete_term",
        "set_keywords": "set_term_keywords",
        "reorder": "reorder_terms",
    },
    PacketManager: {
        "create": "create_packet",
        "save": "save_packet",
        "add_assets": "add_to_packet",
        "remove_assets": "remove_from_packet",
        "move_asset": "move_in_packet",
        "set_item_note": "set_packet_item_note",
        "set_note": "set_packet_note",
        "apply_template": "apply_packet_template",
        "duplicate": "duplicate_packet",
        "follow_up": "follow_up_packet",
        "delete": "delete_packet",
        "export_pdf": "export_packet_pdf",
        "export_docx": "export_packet_docx",
        "save_eml": "save_packet_eml",
        "send": "send_packet",
    },
    UsageManager: {
        "import_file": "import_usage",
        "add_events": "add_usage_events",
        "set_rep": "save_rep_settings",
    },
    CsvImporter: {"import_file": "import_csv"},
}
MANAGERS = ("assets", "taxonomy", "packets", "usage", "csv", "ingest", "index", "db")
# Recording a packet event is the facade's part of a packet change, never the caller's.
CORE_ONLY = {"record_packet_add", "record_packet_export", "record_packet_send", "sync"}


def _private_names_of_the_core() -> set[str]:
    """Every ``_name`` a class in library/ defines or sets on itself."""
    names: set[str] = set()
    for path in (ROOT / "library").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def _is_self(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in ("self", "cls")


def _manager_aliases(tree: ast.Module) -> set[str]:
    """Local names bound to a manager: ``packets = self.library.packets`` and the like."""
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = (
                zip(target.elts, node.value.elts, strict=False)
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                else [(target, node.value)]
            )
            for name, value in pairs:
                if (
                    isinstance(name, ast.Name)
                    and isinstance(value, ast.Attribute)
                    and value.attr in MANAGERS
                ):
                    aliases.add(name.id)
    return aliases


def _reaches_manager(node: ast.expr, aliases: set[str]) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in MANAGERS and not _is_self(node.value)
    return isinstance(node, ast.Name) and node.id in aliases


def violations(path: Path, private: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = _manager_aliases(tree)
    public_writes = {name for writes in WRITES.values() for name in writes}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or _is_self(node.value):
            continue
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
        where = f"{shown}:{node.lineno} {ast.unparse(node)}"
        if node.attr in private:
            found.append(f"{where}: reaches into the core")
        elif node.attr in CORE_ONLY and not isinstance(node.value, ast.Call):
            on_library = (
                isinstance(node.value, ast.Name) and node.value.id in ("lib", "library")
            ) or (isinstance(node.value, ast.Attribute) and node.value.attr == "library")
            if _reaches_manager(node.value, aliases) or (node.attr == "sync" and on_library):
                found.append(f"{where}: the facade's job")
        elif node.attr in public_writes and _reaches_manager(node.value, aliases):
            found.append(f"{where}: a manager write")
    return found


def test_ui_and_cli_change_the_library_only_through_its_verbs():
    private = _private_names_of_the_core()
    assert {"_write_lock", "_send", "_restore", "_rename"} <= private  # the scan works
    found = [v for path in CALLERS for v in violations(path, private)]
    assert found == []


def test_the_check_catches_each_kind_of_bypass(tmp_path):
    planted = tmp_path / "bypass.py"
    planted.write_text(
        "def bypass(library, lib):\n"
        "    library.sync(lib.assets._restore([]))\n"
        "    with lib._write_lock:\n"
        "        pass\n"
        "    packets = library.packets\n"
        "    packets.send(1)\n"
        "    library.usage.record_packet_send(1, [])\n"
        "    lib.taxonomy.rename('tag', 'a', 'b')\n",
        encoding="utf-8",
    )
    found = violations(planted, _private_names_of_the_core())
    assert Counter(v.rsplit(": ", 1)[1] for v in found) == {
        "reaches into the core": 2,
        "the facade's job": 2,
        "a manager write": 2,
    }


@pytest.mark.parametrize("manager", list(WRITES), ids=lambda cls: cls.__name__)
def test_managers_expose_no_write_method(manager):
    for name, verb in WRITES[manager].items():
        assert not hasattr(manager, name), f"{manager.__name__}.{name} is public"
        assert callable(getattr(manager, f"_{name}")), f"{manager.__name__}._{name} is gone"
        assert callable(getattr(Library, verb)), f"Library.{verb} is missing"
        assert getattr(Library, verb).__doc__, f"Library.{verb} has no contract"
