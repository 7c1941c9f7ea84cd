"""The rep's workspace: type, see results and facet counts change, filter, navigate by keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_driving import type_query

from library import Library
from search.types import SearchQuery
from ui.main_window import MainWindow
from ui.models import facets as facet_roles
from ui.models import item_data
from ui.models.roles import SnippetRole
from ui.search_pane import PAGE_EMPTY_LIBRARY, PAGE_NO_RESULTS, PAGE_RESULTS
from ui.search_session import SearchSession


def facet_counts(win: MainWindow, facet: str) -> dict[str, int]:
    model = win.sidebar.facet_model
    parent = model.index(model.facets().index(facet), 0)
    counts = {}
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if item_data(index, facet_roles.KindRole) == "value":
            counts[item_data(index, facet_roles.ValueRole)] = item_data(
                index, facet_roles.CountRole
            )
    return counts


def test_opens_with_the_search_box_focused(qtbot, window):
    qtbot.waitUntil(lambda: window.search_pane.search_box.hasFocus())
    window.search_pane.list_view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search_pane.search_box.hasFocus()


def test_typing_updates_results_and_facet_counts(qtbot, window):
    all_total = window.search_pane.model.total
    all_personas = facet_counts(window, "persona")
    type_query(qtbot, window, "pricing")
    pane = window.search_pane
    assert 0 < pane.model.total < all_total
    assert facet_counts(window, "persona") != all_personas
    assert "results" in pane.status_label.text()
    first = pane.model.index(0, 0)
    assert "<b>" in item_data(first, SnippetRole)  # the matched word is marked


def test_a_burst_of_typing_sends_one_query(qtbot, sample_library, inline_runner):
    calls = []
    original = sample_library.search
    sample_library.search = lambda query: calls.append(query.text) or original(query)
    session = SearchSession(sample_library, inline_runner)
    for text in ("c", "co", "col", "colo"):
        session.set_text(text)
    with qtbot.waitSignal(session.search_finished, timeout=2000):
        pass
    assert calls == ["colo"]


def test_stale_results_are_dropped(qtbot, sample_library, manual_runner):
    session = SearchSession(sample_library, manual_runner)
    delivered = []
    session.search_finished.connect(delivered.append)
    session.set_text("pricing")
    session.run_now()
    session.set_text("healthcare")
    session.run_now()
    manual_runner.reads.run(1)  # the newer query finishes first...
    manual_runner.reads.run(0)  # ...then the older one, which must be ignored
    assert [r.query.text for r in delivered] == ["healthcare"]


def test_clicking_a_facet_filters_and_a_second_click_clears(qtbot, window):
    tree = window.sidebar.tree
    model = window.sidebar.facet_model
    stage = model.index(model.facets().index("stage"), 0)
    value = model.index(1, 0, stage)
    name, count = item_data(value, facet_roles.ValueRole), item_data(value, facet_roles.CountRole)
    before = window.session.last_result

    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(value).center()
    )
    qtbot.waitUntil(lambda: window.session.last_result is not before)
    assert window.session.filters == {"stage": [name]}
    assert window.search_pane.model.total == count
    assert window.search_pane.chip_bar.isVisible()
    stage = model.index(model.facets().index("stage"), 0)
    row = next(
        r
        for r in range(model.rowCount(stage))
        if item_data(model.index(r, 0, stage), facet_roles.ValueRole) == name
    )
    assert item_data(model.index(row, 0, stage), facet_roles.ActiveRole)

    before = window.session.last_result
    value = model.index(row, 0, stage)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(value).center()
    )
    qtbot.waitUntil(lambda: window.session.last_result is not before)
    assert window.session.filters == {}
    assert not window.search_pane.chip_bar.isVisible()


def test_filter_chip_removes_its_filter(qtbot, window):
    window.session.toggle_filter("persona", "CFO/Finance")
    qtbot.waitUntil(lambda: window.search_pane.chip_layout.count() == 2)  # chip + "Clear all"
    chip = window.search_pane.chip_layout.itemAt(0).widget()
    with qtbot.waitSignal(window.session.search_finished):
        qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert window.session.filters == {}


def test_sort_changes_the_order(qtbot, window):
    type_query(qtbot, window, "pricing")
    relevance = [
        window.search_pane.model.hit(r).id for r in range(window.search_pane.model.rowCount())
    ]
    with qtbot.waitSignal(window.session.search_finished):
        window.search_pane.set_sort("newest")
    assert window.session.sort == "newest"
    newest = [
        window.search_pane.model.hit(r).id for r in range(window.search_pane.model.rowCount())
    ]
    assert sorted(newest) == sorted(relevance)
    assert newest != relevance


def test_keyboard_moves_between_box_results_and_preview(qtbot, window):
    pane = window.search_pane
    type_query(qtbot, window, "pricing")
    pane.search_box.setFocus()
    qtbot.keyClick(pane.search_box, Qt.Key.Key_Down)
    assert pane.list_view.hasFocus()
    assert pane.list_view.currentIndex().row() == 0
    qtbot.keyClick(pane.list_view, Qt.Key.Key_Down)
    assert pane.list_view.currentIndex().row() == 1
    qtbot.keyClick(pane.list_view, Qt.Key.Key_Escape)
    assert pane.search_box.hasFocus()
    qtbot.keyClick(pane.search_box, Qt.Key.Key_Down)
    with qtbot.waitSignal(pane.preview_requested):
        qtbot.keyClick(pane.list_view, Qt.Key.Key_Return)


def test_no_results_offers_the_suggestion_and_filters_to_remove(qtbot, window):
    window.session.toggle_filter("persona", "Procurement")
    qtbot.waitUntil(lambda: window.session.filters == {"persona": ["Procurement"]})
    type_query(qtbot, window, "colocatoin zebra")
    pane = window.search_pane
    assert pane.stack.currentIndex() == PAGE_NO_RESULTS
    text = pane.no_results.body.text()
    assert "colocation zebra" in text and "Procurement" in text
    with qtbot.waitSignal(window.session.search_finished):
        pane._link_activated("remove:persona:Procurement")
    assert window.session.filters == {}
    pane._link_activated("suggest:colocation")
    qtbot.waitUntil(lambda: window.session.last_result.query.text == "colocation")
    assert pane.search_box.text() == "colocation"
    assert pane.stack.currentIndex() == PAGE_RESULTS


@pytest.fixture
def empty_window(qtbot, tmp_path, settings, runner):
    """The window on a new, empty library, started and showing its empty-library page."""
    lib = Library(tmp_path / "empty")
    win = MainWindow(lib, settings, runner=runner)
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.search_pane.stack.currentIndex() == PAGE_EMPTY_LIBRARY)
    yield win
    runner.wait(5000)
    lib.close()


def test_empty_library_offers_sample_and_import(empty_window):
    assert empty_window.search_pane.sample_button.isVisible()
    assert empty_window.search_pane.import_button.isVisible()


def test_an_import_under_way_is_said_where_no_results_would_be(qtbot, tmp_path, empty_window):
    win = empty_window
    assert win.search_pane.status_label.text() == "No results"
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "cooling.md").write_text("# Liquid cooling\n\nDirect-to-chip cooling for racks.\n")
    with qtbot.waitSignal(win.library_changed, timeout=60000):
        dialog = win.import_paths([folder])
        assert win.search_pane.status_label.text() == "Importing…"
    qtbot.waitUntil(lambda: win.search_pane.status_label.text() == "1 result", timeout=10000)
    dialog.close()


def test_saved_search_is_stored_and_reruns(qtbot, window, settings):
    window.session.toggle_filter("industry", "Healthcare")
    type_query(qtbot, window, "compliance")
    saved = window.sidebar.save_current("Healthcare compliance")
    assert [s.name for s in settings.saved_searches()] == ["Healthcare compliance"]
    assert saved.filters == {"industry": ["Healthcare"]}
    window.session.clear_filters()
    type_query(qtbot, window, "pricing")
    view = window.sidebar.saved_view
    index = window.sidebar.saved_model.index(0, 0)
    with qtbot.waitSignal(window.session.search_finished):
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
        )
    assert window.session.last_result.query == SearchQuery(
        "compliance", {"industry": ["Healthcare"]}, limit=window.session.query().limit
    )
    assert window.search_pane.search_box.text() == "compliance"


@pytest.mark.parametrize("sort", ["relevance", "newest", "used"])
def test_last_query_and_sort_are_remembered(qtbot, window, settings, sort):
    type_query(qtbot, window, "edge")
    window.search_pane.set_sort(sort)
    window.save_state()
    from ui import settings as keys

    assert settings.value(keys.LAST_QUERY) == "edge"
    assert settings.value(keys.SORT) == sort
    assert not settings.value(keys.WINDOW_GEOMETRY).isEmpty()
