"""The library view: every asset listed, bulk edits of three assets, and undo/redo."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QUndoStack

from ui.library_view import LibraryView
from ui.main_window import TAB_LIBRARY, MainWindow
from ui.models import asset_table as table
from ui.models import item_data


def open_library(qtbot, win: MainWindow) -> None:
    win.show_tab(TAB_LIBRARY)
    view = win.library_view
    qtbot.waitUntil(
        lambda: view.model.rowCount() > 0 and view.model.loaded() == view.model.rowCount(),
        timeout=10000,
    )


def select_three(qtbot, win: MainWindow) -> list[int]:
    view = win.library_view
    ids = [item_data(view.proxy.index(r, 0), table.AssetIdRole) for r in range(3)]
    view.select_ids(ids)
    qtbot.waitUntil(lambda: len(view.edit_panel.assets) == 3, timeout=5000)
    return ids


def statuses(win: MainWindow, ids: list[int]) -> list[str]:
    return [a.status for a in win.library.assets.get_many(ids)]


def test_lists_every_asset(qtbot, window):
    open_library(qtbot, window)
    view = window.library_view
    assert view.model.rowCount() == window.library.assets.count()
    assert view.count_label.text() == f"{view.model.rowCount()} assets"
    view.filter_box.setText("case study")
    assert 0 < view.proxy.rowCount() < view.model.rowCount()


def shown_ids(view) -> list[int]:
    proxy = view.proxy
    return [item_data(proxy.index(r, 0), table.AssetIdRole) for r in range(proxy.rowCount())]


def sort_and_wait(qtbot, view, column: int, order: Qt.SortOrder) -> list[int]:
    view.table.sortByColumn(column, order)  # what a click on the header does
    expected = view.library.assets.sorted_ids(
        table.SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder
    )
    qtbot.waitUntil(lambda: shown_ids(view) == expected, timeout=5000)
    return expected


def test_sorting_by_a_column(qtbot, window, monkeypatch):
    compared: list[int] = []
    monkeypatch.setattr(
        table.AssetSortProxyModel,
        "lessThan",
        lambda self, left, right: compared.append(1) or False,
        raising=False,
    )
    open_library(qtbot, window)
    view = window.library_view
    sort_and_wait(qtbot, view, table.COL_TITLE, Qt.SortOrder.AscendingOrder)
    titles = [item_data(view.proxy.index(r, table.COL_TITLE)) for r in range(view.proxy.rowCount())]
    assert titles == sorted(titles, key=str.casefold)
    for column in (table.COL_STAGES, table.COL_UPDATED, table.COL_STATUS):
        sort_and_wait(qtbot, view, column, Qt.SortOrder.DescendingOrder)
    header = view.table.horizontalHeader()
    assert header.isSortIndicatorShown()
    assert header.sortIndicatorSection() == table.COL_STATUS
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert compared == []  # the proxy never compared two rows


def test_selection_survives_a_sort(qtbot, window):
    open_library(qtbot, window)
    view = window.library_view
    ids = select_three(qtbot, window)
    current = item_data(view.table.currentIndex(), table.AssetIdRole)
    rows = [view.model.row_of(i) for i in ids]
    sort_and_wait(qtbot, view, table.COL_TITLE, Qt.SortOrder.DescendingOrder)
    assert [view.model.row_of(i) for i in ids] != rows  # they moved
    assert sorted(view.selected_ids()) == sorted(ids)
    assert item_data(view.table.currentIndex(), table.AssetIdRole) == current
    assert sorted(a.id for a in view.edit_panel.assets) == sorted(ids)


def test_a_restored_sort_orders_the_first_load(qtbot, window):
    open_library(qtbot, window)
    expected = sort_and_wait(
        qtbot, window.library_view, table.COL_TITLE, Qt.SortOrder.AscendingOrder
    )
    _splitter, header = window.library_view.save_state()
    view = LibraryView(window.library, window.runner, QUndoStack())
    qtbot.addWidget(view)
    view.restore_state(QByteArray(), header)
    view.reload()
    qtbot.waitUntil(lambda: view.model.ids() == expected, timeout=5000)
    assert view.table.horizontalHeader().sortIndicatorSection() == table.COL_TITLE


def test_bulk_status_edit_of_three_assets_then_undo_and_redo(qtbot, window):
    open_library(qtbot, window)
    ids = select_three(qtbot, window)
    before = statuses(window, ids)
    panel = window.library_view.edit_panel
    archived = panel.status_box.findData("archived")
    with qtbot.waitSignal(window.library_view.assets_edited, timeout=5000):
        panel.status_box.activated.emit(archived)
    assert statuses(window, ids) == ["archived"] * 3
    model = window.library_view.model
    qtbot.waitUntil(lambda: all(model.asset_row(model.row_of(i)).status == "archived" for i in ids))
    assert window.undo_stack.undoText().startswith("Set status of 3 assets")

    with qtbot.waitSignal(window.library_view.assets_edited, timeout=5000):
        window.undo_action.trigger()
    assert statuses(window, ids) == before
    with qtbot.waitSignal(window.library_view.assets_edited, timeout=5000):
        window.redo_action.trigger()
    assert statuses(window, ids) == ["archived"] * 3


def test_bulk_tagging_is_undone_with_ctrl_z(qtbot, window):
    open_library(qtbot, window)
    ids = select_three(qtbot, window)
    panel = window.library_view.edit_panel
    before = {a.id: a.personas for a in window.library.assets.get_many(ids)}
    action = next(
        a for a in panel.add_buttons["persona"].menu().actions() if a.text() == "Procurement"
    )
    with qtbot.waitSignal(window.library_view.assets_edited, timeout=5000):
        action.trigger()
    assert all("Procurement" in a.personas for a in window.library.assets.get_many(ids))
    # The search index follows the catalog, so reps find the new tag at once.
    qtbot.waitUntil(lambda: window.session.last_result is not None)
    with qtbot.waitSignal(window.library_view.assets_edited, timeout=5000):
        qtbot.keyClick(window.library_view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert {a.id: a.personas for a in window.library.assets.get_many(ids)} == before


def test_expiry_edit_marks_rows_expired(qtbot, window):
    open_library(qtbot, window)
    ids = select_three(qtbot, window)
    panel = window.library_view.edit_panel
    panel.expiry.setDate(panel.expiry.date().addYears(-3))
    with qtbot.waitSignal(window.library_view.assets_edited, timeout=5000):
        panel._set_expiry()
    model = window.library_view.model
    qtbot.waitUntil(lambda: model.asset_row(model.row_of(ids[0])).expired, timeout=5000)
    assert ("warning", "expired") in item_data(
        model.index(model.row_of(ids[0]), table.COL_STATUS), table.ChipsRole
    )


def test_accept_suggested_tags(qtbot, window):
    open_library(qtbot, window)
    library = window.library
    asset = next((a for a in library.assets.all() if a.suggested), None)
    assert asset is not None, "the sample library has keyword suggestions"
    view = window.library_view
    view.select_ids([asset.id])
    qtbot.waitUntil(lambda: [a.id for a in view.edit_panel.assets] == [asset.id], timeout=5000)
    assert view.edit_panel.suggest_box.isVisibleTo(view.edit_panel)
    with qtbot.waitSignal(view.assets_edited, timeout=5000):
        qtbot.mouseClick(view.edit_panel.accept_button, Qt.MouseButton.LeftButton)
    after = library.assets.get(asset.id)
    assert not after.suggested
    for facet, names in asset.suggested.items():
        assert set(names) <= set(after.terms.get(facet, []))
    with qtbot.waitSignal(view.assets_edited, timeout=5000):
        window.undo_stack.undo()
    assert library.assets.get(asset.id).suggested == asset.suggested
