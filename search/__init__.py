"""Pitchpack's full-text index: plain records in, plain results out.

The engine (SQLite FTS5) stays behind ``SearchIndex``; nothing outside this package
knows how the index stores or ranks anything.
"""

from search.database import IndexCorrupt
from search.index import SearchIndex
from search.types import FACETS, SORTS, IndexRecord, SearchHit, SearchQuery, SearchResult

__all__ = [
    "FACETS",
    "SORTS",
    "IndexCorrupt",
    "IndexRecord",
    "SearchHit",
    "SearchIndex",
    "SearchQuery",
    "SearchResult",
]
