"""Driving the main window in GUI tests: typing a query and waiting for its results."""

from __future__ import annotations

from ui.main_window import MainWindow


def type_query(qtbot, win: MainWindow, text: str) -> None:
    """Type ``text`` into the search box as a user would and wait for its results."""
    before = win.session.last_result
    win.search_pane.search_box.clear()
    qtbot.keyClicks(win.search_pane.search_box, text)
    qtbot.waitUntil(
        lambda: (
            win.session.last_result is not before and win.session.last_result.query.text == text
        ),
        timeout=5000,
    )
