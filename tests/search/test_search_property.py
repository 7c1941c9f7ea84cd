"""Property: any query on any small library returns a consistent result and never raises."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import FACETS, SORTS, IndexRecord, SearchIndex, SearchQuery

WORDS = ("colocation", "cooling", "price", "prices", "cloud", "zebra", "über", "naïve", "東京")
STAGES = ("Awareness", "Decision", "Onboarding")
SYNTAX = (
    "AND", "OR", "NOT", "NEAR", "NEAR(", "-", "*", '"', "(", ")", "()", '""', "-\"", "^",
    ":", "title:", "body:", "summary:", "stage:", 'persona:"', "status:archived", "type:",
    "tag:x", "foo:bar", "-title:cloud", "colo*", "\\", "'", "{", "}", "+", "\t", "\n",
)  # fmt: skip

words = st.sampled_from(WORDS)
texts = st.lists(words, max_size=6).map(" ".join)
records = st.builds(
    IndexRecord,
    id=st.integers(1, 50),
    title=texts,
    summary=texts,
    pages=st.lists(texts, max_size=3),
    paged=st.booleans(),
    type=st.sampled_from(["white paper", "blog post", "other"]),
    status=st.sampled_from(["approved", "draft", "archived"]),
    stage=st.lists(st.sampled_from(STAGES), max_size=2, unique=True),
    tag=st.lists(words, max_size=2, unique=True),
    updated=st.sampled_from(["", "2026-01-01", "2025-06-30T10:00:00"]),
    expires=st.sampled_from([None, "2020-01-01", "2099-01-01"]),
    usage=st.integers(0, 5),
)
libraries = st.lists(records, max_size=4, unique_by=lambda r: r.id)
query_texts = st.one_of(
    st.lists(st.one_of(words, st.sampled_from(SYNTAX), st.text(max_size=4)), max_size=6).map(
        lambda parts: " ".join(parts)
    ),
    st.lists(st.one_of(words, st.sampled_from(SYNTAX)), max_size=6).map("".join),
    st.text(max_size=12),
)
queries = st.builds(
    SearchQuery,
    text=query_texts,
    filters=st.dictionaries(
        st.sampled_from(FACETS), st.lists(st.one_of(st.sampled_from(STAGES), words), max_size=2)
    ),
    sort=st.sampled_from(SORTS),
    limit=st.integers(0, 5),
    offset=st.integers(0, 4),
    include_hidden=st.booleans(),
    as_you_type=st.booleans(),
    today=st.just("2026-11-23"),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(library=libraries, deleted=st.sets(st.integers(1, 50), max_size=2), query=queries)
def test_any_query_on_any_small_library(library, deleted, query):
    with tempfile.TemporaryDirectory() as folder:
        index = SearchIndex(Path(folder) / "search.sqlite")
        try:
            index.upsert(library)
            index.delete(deleted)  # a library whose assets went away (failed, removed)
            kept = {r.id for r in library} - deleted
            result = index.search(query)
            again = index.search(query)  # the second run comes from the match cache
        finally:
            index.close()
    assert result.total >= len(result.hits)
    assert len(result.hits) <= query.limit
    assert result.total <= len(kept)
    hit_ids = [hit.id for hit in result.hits]
    assert set(hit_ids) <= kept and len(set(hit_ids)) == len(hit_ids)
    assert set(result.facets) == set(FACETS)
    assert all(0 < n <= len(kept) for counts in result.facets.values() for n in counts.values())
    assert (again.total, [h.id for h in again.hits]) == (result.total, hit_ids)
    for hit in result.hits:
        assert hit.page is None or hit.page >= 1


@given(query=queries)
@settings(max_examples=50, deadline=None)
def test_any_query_on_an_empty_index(tmp_path_factory, query):
    index = SearchIndex(tmp_path_factory.mktemp("empty") / "search.sqlite")
    try:
        result = index.search(query)
    finally:
        index.close()
    assert result.total == 0 and result.hits == []
