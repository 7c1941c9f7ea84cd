"""Related results in the workspace: the quiet marker, More like this, embedding progress."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem
from window_driving import type_query

from library import Library
from search.types import SearchHit, SearchQuery, SearchResult
from ui.delegates import RELATED_MARK, ResultDelegate
from ui.embedding_status import EmbeddingStatus
from ui.main_window import MainWindow
from ui.models import item_data
from ui.models.results import MatchRole, ResultListModel
from ui.search_pane import PAGE_RESULTS


def _hit(asset_id: int, match: str) -> SearchHit:
    return SearchHit(
        asset_id,
        "Case study",
        "/x.pdf",
        "case study",
        "approved",
        [],
        [],
        2,
        "s",
        1.0,
        match=match,
    )


def test_model_and_card_mark_related_hits(qtbot):
    model = ResultListModel()
    model.set_result(SearchResult(SearchQuery(), 2, [_hit(1, "text"), _hit(2, "related")], {}))
    assert [item_data(model.index(r, 0), MatchRole) for r in range(2)] == ["text", "related"]
    assert "related" in item_data(model.index(1, 0), 0x0B)  # accessible text
    assert "related" not in item_data(model.index(0, 0), 0x0B)

    delegate = ResultDelegate()
    drawn = []
    for row in range(2):
        image = QImage(QSize(520, 110), QImage.Format.Format_ARGB32)
        image.fill(0xFFFFFFFF)
        painter = QPainter(image)
        option = QStyleOptionViewItem()
        option.rect = image.rect()
        delegate.paint(painter, option, model.index(row, 0))
        painter.end()
        drawn.append(image)
    assert drawn[0] != drawn[1]  # the related card carries its marker
    assert RELATED_MARK.strip()


def test_plain_words_show_related_results_and_more_like_this(qtbot, window):
    type_query(qtbot, window, "hospital worried about outages")
    pane = window.search_pane
    assert pane.stack.currentIndex() == PAGE_RESULTS
    hits = [pane.model.hit(r) for r in range(pane.model.rowCount())]
    assert hits and all(h.match == "related" for h in hits)
    assert "meridian-health-case-study" in [Path(h.path).stem for h in hits[:3]]

    meridian = next(r for r, h in enumerate(hits) if "meridian" in h.path)
    pane.select_row(meridian)
    with qtbot.waitSignal(window.session.search_finished, timeout=10000):
        pane.similar_action.trigger()
    assert pane.search_box.text() == ""
    similar = [pane.model.hit(r) for r in range(pane.model.rowCount())]
    assert similar and hits[meridian].id not in {h.id for h in similar}
    assert pane.status_label.text().startswith(f"{len(similar)} like “Case Study: Meridian")

    type_query(qtbot, window, "HIPAA")
    assert window.session.similar_to is None
    assert pane.model.hit(0).match == "text"


def test_more_like_this_from_the_library_table(qtbot, window):
    window.show_tab(1)
    view = window.library_view
    qtbot.waitUntil(lambda: view.proxy.rowCount() > 0, timeout=10000)
    view.table.selectRow(0)
    asset_id = view.selected_ids()[0]
    with qtbot.waitSignal(window.session.search_finished, timeout=10000):
        view.similar_action.trigger()
    assert window.tabs.currentIndex() == 0
    assert window.session.similar_to[0] == asset_id
    assert asset_id not in {
        window.search_pane.model.hit(r).id for r in range(window.search_pane.model.rowCount())
    }


@pytest.fixture
def unembedded(tmp_path, sample_library_template):
    """A copy of the sample library whose vectors are all gone."""
    folder = tmp_path / "lib"
    shutil.copytree(sample_library_template, folder)
    lib = Library(folder)
    with lib.db.atomic():
        lib.db.execute("DELETE FROM embeddings")
    yield lib
    lib.close()


def test_embedding_runs_in_the_background_with_progress(qtbot, unembedded, settings, runner):
    lib = unembedded
    total = len(lib.assets.ids(state="ok"))
    win = MainWindow(lib, settings, runner=runner)
    qtbot.addWidget(win)
    win.show()
    texts = []
    win.embedding.label.setText = lambda text, _set=win.embedding.label.setText: (
        texts.append(text),
        _set(text),
    )
    win.start()
    qtbot.waitUntil(lambda: win.embedding.running, timeout=10000)
    qtbot.waitUntil(lambda: not win.embedding.running, timeout=60000)
    assert any(
        t.startswith("Related results: reading") and t.endswith(f"of {total}") for t in texts
    )
    assert win.embedding.label.text() == ""
    assert lib.embeddings.coverage() == (total, total)
    type_query(qtbot, win, "bank that needs faster trades")
    assert win.search_pane.model.rowCount() > 0
    win.close()


def test_embedding_status_alone(qtbot, sample_library, inline_runner):
    status = EmbeddingStatus(sample_library, inline_runner)
    assert sample_library.embeddings.embedder._model is None
    with qtbot.assertNotEmitted(status.vectors_added):
        status.start()  # the template is already embedded: nothing to do
    assert not status.running and status.label.text() == ""
    # but the model is loaded in the background soon after, not at the first question
    qtbot.waitUntil(lambda: sample_library.embeddings.embedder._model is not None, timeout=10000)


def test_count_line_says_related_results_are_coming_without_a_second_count(
    qtbot, unembedded, settings, runner
):
    lib = unembedded
    win = MainWindow(lib, settings, runner=runner)
    qtbot.addWidget(win)
    win.embedding.start = lambda: None  # nothing read yet: the vectors stay missing
    win.show()
    win.start()
    type_query(qtbot, win, "colocation pricing")
    text = win.search_pane.status_label.text()
    assert text.endswith(" results · related results still coming in")
    assert "of" not in text.split("·")[-1]  # the status bar alone counts the assets read
    win.close()
