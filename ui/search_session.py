"""The rep's current search (words, filters, sort) and the queries it sends to the core.

Typing is debounced; every query carries a sequence number and only the newest one's
result is delivered, so a slow early query can never overwrite a later one.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QObject, QTimer, Signal

from library import Library
from search.types import SearchQuery, SearchResult
from ui.errors import error_message
from ui.tasks import TaskRunner

DEBOUNCE_MS = 120
PAGE_SIZE = 40


class SearchSession(QObject):
    search_started = Signal()
    search_finished = Signal(object)  # SearchResult of the newest query
    more_finished = Signal(object)  # a further page of the same query
    search_failed = Signal(str)
    filters_changed = Signal(dict)

    def __init__(self, library: Library, runner: TaskRunner, parent=None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.text = ""
        self.filters: dict[str, list[str]] = {}
        self.sort = "relevance"
        self.last_result: SearchResult | None = None
        self.similar_to: tuple[int, str] | None = None  # (asset id, title) for "more like this"
        self._sequence = 0
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run_now)

    # -- what the user changes -------------------------------------------------------------

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.similar_to = None
            self._debounce.start()

    def show_similar(self, asset_id: int) -> None:
        """List the assets most like this one in meaning, until the rep types again."""
        self.similar_to = (asset_id, "")
        self.run_now()

    def set_sort(self, sort: str) -> None:
        if sort != self.sort:
            self.sort = sort
            self.run_now()

    def toggle_filter(self, facet: str, value: str) -> None:
        """First click filters on a value, a second click on it clears it."""
        values = self.filters.setdefault(facet, [])
        if value in values:
            values.remove(value)
        else:
            values.append(value)
        self._filters_edited()

    def remove_filter(self, facet: str, value: str) -> None:
        if value in self.filters.get(facet, []):
            self.filters[facet].remove(value)
            self._filters_edited()

    def clear_filters(self) -> None:
        if self.filters:
            self.filters = {}
            self._filters_edited()

    def restore(self, text: str, filters: dict[str, list[str]]) -> None:
        """Put back a saved search and run it at once."""
        self.text = text
        self.filters = {f: list(v) for f, v in filters.items() if v}
        self.filters_changed.emit(copy.deepcopy(self.filters))
        self.run_now()

    def _filters_edited(self) -> None:
        self.filters = {f: v for f, v in self.filters.items() if v}
        self.filters_changed.emit(copy.deepcopy(self.filters))
        self.run_now()

    # -- running queries -------------------------------------------------------------------

    def query(self, offset: int = 0) -> SearchQuery:
        return SearchQuery(
            text=self.text,
            filters=copy.deepcopy(self.filters),
            sort=self.sort,
            limit=PAGE_SIZE,
            offset=offset,
        )

    def run_now(self) -> None:
        self._debounce.stop()
        self._sequence += 1
        sequence = self._sequence
        query = self.query()
        library = self.library
        self.search_started.emit()
        if self.similar_to is not None:
            asset_id = self.similar_to[0]
            self.runner.run(
                lambda: (library.assets.get(asset_id).title, library.similar(asset_id)),
                on_success=lambda found: self._deliver_similar(sequence, asset_id, *found),
                on_failure=lambda exc: self._fail(sequence, exc),
            )
            return
        self.runner.run(
            lambda: library.search(query),
            on_success=lambda result: self._deliver(sequence, result),
            on_failure=lambda exc: self._fail(sequence, exc),
        )

    def fetch_more(self, offset: int) -> None:
        sequence = self._sequence
        query = self.query(offset)
        library = self.library
        self.runner.run(
            lambda: library.search(query),
            on_success=lambda result: self._deliver_more(sequence, result),
            on_failure=lambda exc: self._fail(sequence, exc),
        )

    @property
    def pending(self) -> bool:
        return self._debounce.isActive()

    def _deliver(self, sequence: int, result: SearchResult) -> None:
        if sequence != self._sequence:
            return  # an older query finished after a newer one was sent
        self.last_result = result
        self.search_finished.emit(result)

    def _deliver_similar(self, sequence: int, asset_id: int, title: str, result) -> None:
        if self.similar_to is not None and self.similar_to[0] == asset_id:
            self.similar_to = (asset_id, title)
        result.total = len(result.hits)  # one page: nothing more to fetch
        self._deliver(sequence, result)

    def _deliver_more(self, sequence: int, result: SearchResult) -> None:
        if sequence == self._sequence:
            self.more_finished.emit(result)

    def _fail(self, sequence: int, exc: BaseException) -> None:
        if sequence == self._sequence:
            self.search_failed.emit(error_message(exc))
