"""The hits of the current search, one row each, drawn as cards by ``ResultDelegate``."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from search.types import SearchHit, SearchResult
from ui.models.asset_drag import ASSET_IDS_MIME, asset_ids_mime
from ui.models.roles import (
    AssetIdRole,
    ChipsRole,
    HitRole,
    MatchRole,
    PageRole,
    SnippetRole,
    TypeRole,
)

_TAG = re.compile(r"<[^>]+>")

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument


def plain_snippet(snippet: str) -> str:
    return html.unescape(_TAG.sub("", snippet))


def page_label(page: int | None, section: int | None = None) -> str:
    """Where a hit matched: a page or slide, or a section of unpaged text (not a page of it)."""
    return f"p. {page}" if page else f"section {section}" if section else ""


class ResultListModel(QAbstractListModel):
    """Holds one result set; more pages are appended when the view scrolls to the end.

    ``more_requested(offset)`` asks the owner to fetch the next page and ``append`` it.
    """

    more_requested = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._total = 0
        self._waiting_for_more = False

    # -- filling ---------------------------------------------------------------------------

    def set_result(self, result: SearchResult) -> None:
        self.beginResetModel()
        self._hits = list(result.hits)
        self._total = result.total
        self._waiting_for_more = False
        self.endResetModel()

    def append(self, result: SearchResult) -> None:
        self._waiting_for_more = False
        known = {h.id for h in self._hits}
        new = [h for h in result.hits if h.id not in known]
        self._total = result.total
        if not new:
            self._total = len(self._hits)  # nothing more to come: stop asking
            return
        first = len(self._hits)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._hits.extend(new)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._hits, self._total = [], 0
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def row_of(self, asset_id: int) -> int:
        for row, hit in enumerate(self._hits):
            if hit.id == asset_id:
                return row
        return -1

    # -- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def canFetchMore(self, parent: Index = ROOT) -> bool:
        return not parent.isValid() and not self._waiting_for_more and len(self._hits) < self._total

    def fetchMore(self, parent: Index = ROOT) -> None:
        if self.canFetchMore(parent):
            self._waiting_for_more = True
            self.more_requested.emit(len(self._hits))

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else flags

    def mimeTypes(self) -> list[str]:
        return [ASSET_IDS_MIME]

    def mimeData(self, indexes) -> QMimeData:
        """Dragged results carry their asset ids, e.g. into the packet panel."""
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return asset_ids_mime(self._hits[r].id for r in rows if r < len(self._hits))

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        handler = {
            Qt.ItemDataRole.DisplayRole: self._display,
            Qt.ItemDataRole.ToolTipRole: self._tooltip,
            Qt.ItemDataRole.AccessibleTextRole: self._accessible,
            HitRole: lambda h: h,
            AssetIdRole: lambda h: h.id,
            SnippetRole: lambda h: h.snippet,
            PageRole: lambda h: h.page,
            ChipsRole: self._chips,
            TypeRole: lambda h: h.type,
            MatchRole: lambda h: h.match,
        }.get(role)
        return handler(hit) if handler else None

    @staticmethod
    def _display(hit: SearchHit) -> str:
        return hit.title

    @staticmethod
    def _tooltip(hit: SearchHit) -> str:
        if hit.match == "related":
            return f"{hit.path}\nRelated: close in meaning, without all the words you typed"
        return hit.path

    @staticmethod
    def _accessible(hit: SearchHit) -> str:
        where = f", {page_label(hit.page, hit.section)}" if hit.page or hit.section else ""
        related = ", related" if hit.match == "related" else ""
        return f"{hit.title}, {hit.type}{where}{related}: {plain_snippet(hit.snippet)}"

    @staticmethod
    def _chips(hit: SearchHit) -> list[tuple[str, str]]:
        return [("stage", s) for s in hit.stages] + [("persona", p) for p in hit.personas]
