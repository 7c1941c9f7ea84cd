"""Delegates paint from caches: snippets laid out once, chips drawn once, no per-paint fonts."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QListView, QStyleOptionViewItem, QTreeView

from search.types import SearchHit, SearchQuery, SearchResult
from ui import delegates, theme
from ui.models.facets import FacetTreeModel
from ui.models.results import ResultListModel


def make_hit(n: int) -> SearchHit:
    return SearchHit(
        id=n,
        title=f"Asset {n}",
        path=f"/content/asset-{n}.pdf",
        type="white paper",
        status="approved",
        stages=["Decision"],
        personas=["CFO/Finance"],
        page=3,
        snippet=f"…the <b>pricing</b> model of asset {n}…",
        score=1.0,
    )


def paint(delegate, view, row: int, width: int = 600, height: int = 112) -> QPixmap:
    """Paint one item as its view would: with the view's font and palette."""
    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.GlobalColor.white)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, width, height)
    option.font = view.font()
    option.palette = view.palette()
    model = view.model()
    painter = QPainter(pixmap)
    delegate.paint(painter, option, model.index(row, 0))
    painter.end()
    return pixmap


def counting(monkeypatch, owner, name: str, *, static: bool = False) -> list[int]:
    calls: list[int] = []
    real = getattr(owner, name)

    def wrapper(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, staticmethod(wrapper) if static else wrapper)
    return calls


def test_lru_cache_forgets_the_least_recently_used():
    cache = delegates.LruCache(2)
    assert cache.get("a", lambda: 1) == 1
    cache.get("b", lambda: 2)
    assert cache.get("a", lambda: 0) == 1  # a hit: "b" is now the oldest
    cache.get("c", lambda: 3)
    assert len(cache) == 2
    assert cache.get("b", lambda: 20) == 20


def test_a_result_card_lays_out_its_snippet_once(qtbot, monkeypatch):
    model = ResultListModel()
    hits = [make_hit(1), make_hit(2)]
    model.set_result(SearchResult(query=SearchQuery("pricing"), total=2, hits=hits, facets={}))
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = delegates.ResultDelegate(view)
    built = counting(monkeypatch, delegates.ResultDelegate, "_snippet_document", static=True)
    first = paint(delegate, view, 0)
    assert paint(delegate, view, 0).toImage() == first.toImage()
    assert len(built) == 1
    paint(delegate, view, 1)  # another hit
    paint(delegate, view, 0, width=420)  # narrower: laid out again
    assert len(built) == 3


def test_chips_are_drawn_once_then_reused(qtbot, monkeypatch):
    chips = [("stage", "Awareness"), ("persona", "IT"), ("warning", "expired")]
    pixmap = QPixmap(400, 40)
    painter = QPainter(pixmap)
    palette, font = QPalette(), QFont()
    end = delegates.paint_chips(painter, QRect(0, 0, 400, 40), chips, palette, font)
    styled = counting(monkeypatch, theme, "chip_style")
    assert delegates.paint_chips(painter, QRect(0, 0, 400, 40), chips, palette, font) == end
    assert styled == []
    widths = [delegates.chip_width(label, font) for _, label in chips]
    assert end == sum(widths) + len(chips) * delegates.CHIP_GAP
    # Too narrow for all three: the first, then "+2".
    narrow = widths[0] + delegates.chip_width("+2", font) + 12
    end = delegates.paint_chips(painter, QRect(0, 0, narrow, 40), chips, palette, font)
    assert end == widths[0] + delegates.chip_width("+2", font) + 2 * delegates.CHIP_GAP
    painter.end()


def test_facet_rows_reuse_their_fonts_and_colours(qtbot, monkeypatch):
    model = FacetTreeModel()
    model.set_counts({"stage": {"Awareness": 3, "Decision": 0}}, {"stage": ["Awareness"]})
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegate(delegates.FacetDelegate(view))
    view.expandAll()
    view.resize(280, 300)
    view.show()
    image = view.viewport().grab()
    mixed = counting(monkeypatch, theme, "mix")
    assert view.viewport().grab().toImage() == image.toImage()
    assert mixed == []
    assert view.itemDelegate().sizeHint(QStyleOptionViewItem(), model.index(0, 0)) == QSize(0, 38)


def ink_bands(image, left: int, right: int) -> list[tuple[int, int]]:
    """(first, last) rows of each run of rows with a non-white pixel between left and right."""
    bands: list[tuple[int, int]] = []
    start = None
    for y in range(image.height()):
        inked = any(image.pixelColor(x, y).lightness() < 200 for x in range(left, right))
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            bands.append((start, y - 1))
            start = None
    if start is not None:
        bands.append((start, image.height() - 1))
    return bands


def test_a_long_snippet_is_cut_after_a_whole_line_not_through_one(qtbot):
    model = ResultListModel()
    # Every line holds "high ground": ascenders and descenders, so whole lines ink alike.
    hit = replace(make_hit(1), snippet="…high ground " * 40, page=None)
    model.set_result(SearchResult(query=SearchQuery("x"), total=1, hits=[hit], facets={}))
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)
    image = paint(delegates.ResultDelegate(view), view, 0, width=300).toImage()
    bands = ink_bands(image, 30, 250)
    *_, line, last = bands  # the snippet's last two lines: "high ground" in each
    assert last[1] - last[0] == line[1] - line[0]


def test_whole_lines_height_ends_on_a_line(qtbot):
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setPlainText("word " * 200)
    doc.setTextWidth(200)
    layout = doc.begin().layout()
    doc.documentLayout()
    bottoms = [
        layout.position().y() + layout.lineAt(n).y() + layout.lineAt(n).height()
        for n in range(layout.lineCount())
    ]
    assert delegates.whole_lines_height(doc, bottoms[2] + 1) == bottoms[2]
    assert delegates.whole_lines_height(doc, bottoms[0] - 1) == 0
