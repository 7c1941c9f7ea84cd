"""Plain records going into the index and plain results coming out of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Facets shown with counts, in display order; "type" and "status" are single-valued.
FACETS: tuple[str, ...] = ("stage", "persona", "type", "industry", "product", "tag", "status")
SORTS: tuple[str, ...] = ("relevance", "newest", "used")


@dataclass
class IndexRecord:
    """One asset as the index sees it. ``pages`` holds page (or slide) texts, first page first."""

    id: int
    title: str
    path: str = ""
    summary: str = ""
    pages: list[str] = field(default_factory=list)
    paged: bool = False
    type: str = "other"
    status: str = "approved"
    stage: list[str] = field(default_factory=list)
    persona: list[str] = field(default_factory=list)
    industry: list[str] = field(default_factory=list)
    product: list[str] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)
    updated: str = ""  # ISO date or datetime
    expires: str | None = None  # ISO date
    usage: int = 0

    def facet_values(self, facet: str) -> list[str]:
        value = getattr(self, facet)
        return [value] if isinstance(value, str) else list(value)


@dataclass
class SearchQuery:
    """A search as a user states it.

    ``filters`` maps a facet name to the values to keep: values of one facet are OR-ed,
    facets are AND-ed. ``as_you_type`` treats the last word as a prefix while the user
    is still typing it. Archived and expired assets are left out unless ``include_hidden``.
    """

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    limit: int = 20
    offset: int = 0
    include_hidden: bool = False
    as_you_type: bool = True
    today: str | None = None  # ISO date; defaults to the current date
    mode: str = "hybrid"  # "text", "semantic" or "hybrid" (see search/vectors.py)
    # The question as a unit numpy vector, set by the library when semantic ranking may join.
    vector: Any = field(default=None, compare=False, repr=False)


@dataclass
class SearchHit:
    """One asset that matched, as the index holds it (no catalog read is needed to show it).

    ``id`` is the asset's catalog id; ``score`` orders the hits (higher first) for the
    query's sort, comparable only within one result set.
    """

    id: int
    title: str
    path: str
    type: str
    status: str
    stages: list[str]
    personas: list[str]
    page: int | None  # best matching page or slide, None for unpaged formats or no text query
    snippet: str  # HTML-escaped text with <b>…</b> around matched words
    score: float
    expires: str | None = None
    fuzzy: bool = False  # matched only through typo or substring tolerance
    # Best matching section of unpaged text (TXT, Markdown, HTML, DOCX), which is indexed
    # in sections of a few thousand characters; None for paged formats, for text of one
    # section, or with no text query.
    section: int | None = None
    match: str = "text"  # "related": listed for its meaning, without the question's words


@dataclass
class SearchResult:
    """One page of hits for ``query`` and the facet counts of the whole match.

    ``total`` counts every match, not only the ``hits`` of this page (``query.limit`` from
    ``query.offset``). ``facets`` maps each facet to ``{value: count}`` over all matches,
    with the query's own filter on that facet left out so other values stay choosable.
    """

    query: SearchQuery
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]
    suggestion: str | None = None  # "did you mean", set when the exact query found nothing
    embedded: int | None = None  # assets with a vector when semantic ranking joined, ...
    embeddable: int | None = None  # ... out of this many
