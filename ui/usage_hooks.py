"""Recording what the rep does in the workspace: settled searches, previews, opened files.

Search-as-you-type runs a query at every pause, so a search is recorded only once it has
stood for ``SETTLE_MS`` (or a result of it is looked at); a result counts as previewed once
it has stayed selected for ``DWELL_MS``, so arrowing through the list records nothing.
Recording only queues the event (``UsageManager.record``): no I/O on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from library.usage import UsageManager
from search.types import SearchHit, SearchResult
from ui.preview_pane import PreviewPane
from ui.search_pane import SearchPane
from ui.search_session import SearchSession

SETTLE_MS = 1500
DWELL_MS = 700


def _search_key(result: SearchResult) -> tuple:
    filters = tuple(sorted((f, tuple(sorted(v))) for f, v in result.query.filters.items() if v))
    return (" ".join(result.query.text.split()), filters)


class UsageHooks(QObject):
    def __init__(
        self,
        usage: UsageManager,
        session: SearchSession,
        search_pane: SearchPane,
        preview: PreviewPane,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.usage = usage
        self._pending: SearchResult | None = None
        self._recorded_key: tuple | None = None
        self._search_id: str | None = None
        self._previewed: set[int] = set()
        self._hit: SearchHit | None = None
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self.commit_search)
        self._dwell = QTimer(self, singleShot=True, interval=DWELL_MS)
        self._dwell.timeout.connect(self._dwelt)
        session.search_finished.connect(self._search_finished)
        search_pane.hit_selected.connect(self._hit_selected)
        preview.original_opened.connect(self._opened)

    # -- searches ----------------------------------------------------------------------------

    def _search_finished(self, result: SearchResult) -> None:
        key = _search_key(result)
        if key == self._recorded_key:
            self._pending = None  # the same search again (after an edit, say)
            self._settle.stop()
            return
        if not key[0] and not key[1]:
            self._pending = None  # browsing the whole library is not a search
            self._recorded_key, self._search_id, self._previewed = key, None, set()
            self._settle.stop()
            return
        self._pending = result
        self._settle.start()

    def commit_search(self) -> str | None:
        """Record the search waiting to settle, now; returns the id of the current search."""
        self._settle.stop()
        result, self._pending = self._pending, None
        if result is not None:
            self._recorded_key = _search_key(result)
            self._previewed = set()
            self._search_id = self.usage.record_search(
                result.query.text.strip(), result.query.filters, result.total
            )
        return self._search_id

    # -- previews and opens ------------------------------------------------------------------

    def _hit_selected(self, hit: SearchHit | None) -> None:
        self._hit = hit
        if hit is None:
            self._dwell.stop()
        else:
            self._dwell.start()

    def _dwelt(self) -> None:
        hit = self._hit
        if hit is None:
            return
        search_id = self.commit_search()  # looking at a result makes its search final
        if hit.id not in self._previewed:
            self._previewed.add(hit.id)
            self.usage.record_preview(hit.id, search_id=search_id)

    def _opened(self, asset_id: int) -> None:
        if self._hit is not None and self._hit.id == asset_id:
            if self._dwell.isActive():
                self._dwell.stop()
                self._dwelt()  # opening it means it was looked at
            search_id = self._search_id
        else:
            search_id = None
        self.usage.record_open(asset_id, search_id=search_id)

    def flush(self) -> None:
        """Record what is still waiting (the window is closing)."""
        if self._dwell.isActive():
            self._dwell.stop()
            self._dwelt()
        self.commit_search()
