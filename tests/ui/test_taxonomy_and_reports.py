"""The taxonomy editor (order, add, rename, merge, delete, keywords) and the hygiene report."""

from __future__ import annotations

from ui.models import item_data
from ui.models.terms import COL_KEYWORDS
from ui.reports import ReportsDialog, build_report
from ui.taxonomy_editor import TaxonomyEditor


def open_editor(qtbot, library, runner) -> TaxonomyEditor:
    editor = TaxonomyEditor(library, runner)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.model.rowCount() > 0, timeout=5000)
    return editor


def wait_for_change(qtbot, editor: TaxonomyEditor, action, shown) -> None:
    """Run ``action`` and wait until the reloaded list satisfies ``shown(names)``."""
    with qtbot.waitSignal(editor.taxonomy_changed, timeout=5000):
        action()
    qtbot.waitUntil(lambda: shown(editor.model.names()), timeout=5000)


def test_stages_are_listed_in_journey_order(qtbot, sample_library, runner):
    editor = open_editor(qtbot, sample_library, runner)
    assert editor.model.names()[:3] == ["Awareness", "Consideration", "Decision"]


def test_reorder_add_rename_delete(qtbot, sample_library, runner):
    editor = open_editor(qtbot, sample_library, runner)
    editor.view.selectRow(1)
    wait_for_change(
        qtbot,
        editor,
        lambda: editor.move_selected(-1),
        lambda names: names[:2] == ["Consideration", "Awareness"],
    )
    assert editor.selected_name() == "Consideration"

    wait_for_change(qtbot, editor, lambda: editor.add_term("Renewal"), lambda n: "Renewal" in n)
    wait_for_change(
        qtbot,
        editor,
        lambda: editor.rename_term("Renewal", "Retention"),
        lambda n: "Retention" in n and "Renewal" not in n,
    )
    wait_for_change(
        qtbot, editor, lambda: editor.delete_term("Retention"), lambda n: "Retention" not in n
    )
    assert sample_library.taxonomy.names("stage")[:2] == ["Consideration", "Awareness"]


def test_rename_onto_an_existing_term_merges(qtbot, sample_library, runner):
    editor = open_editor(qtbot, sample_library, runner)
    editor.tabs.setCurrentIndex(1)  # personas
    qtbot.waitUntil(lambda: "Procurement" in editor.model.names())
    tagged = [a.id for a in sample_library.assets.all() if "Procurement" in a.personas]
    assert tagged
    wait_for_change(
        qtbot,
        editor,
        lambda: editor.rename_term("Procurement", "CFO/Finance"),
        lambda n: "Procurement" not in n,
    )
    assert all("CFO/Finance" in a.personas for a in sample_library.assets.get_many(tagged))


def test_keywords_are_saved(qtbot, sample_library, runner):
    editor = open_editor(qtbot, sample_library, runner)
    index = editor.model.index(0, COL_KEYWORDS)
    wait_for_change(
        qtbot, editor, lambda: editor.model.setData(index, "trends, primer"), lambda n: True
    )
    assert sample_library.taxonomy.terms("stage")[0].keywords == ["trends", "primer"]


def test_hygiene_report_lists_what_needs_fixing(qtbot, sample_library, runner):
    target = sample_library.assets.ids()[0]
    sample_library.tag_assets([target], "persona", [], mode="replace")
    sample_library.add_term("tag", "never-used")
    report = build_report(sample_library)
    assert target in [a.id for a in report.missing]
    dialog = ReportsDialog(sample_library, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.missing_model.rowCount() > 0, timeout=5000)
    assert "(" in dialog.tabs.tabText(0)
    terms = {
        item_data(dialog.unused_model.index(r, 1)) for r in range(dialog.unused_model.rowCount())
    }
    assert "never-used" in terms
    with qtbot.waitSignal(dialog.asset_activated) as blocker:
        dialog._activated(dialog.missing_model.index(0, 0))
    assert blocker.args[0] in [a.id for a in report.missing]
