"""Similarities kept between searches: reused for the same question, never stale."""

from __future__ import annotations

import numpy as np

from search import IndexRecord, SearchIndex, SearchQuery
from search.vectors import VectorTable

TODAY = "2026-11-23"


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, np.float32)
    return vector / np.linalg.norm(vector)


def _index(tmp_path) -> SearchIndex:
    index = SearchIndex(tmp_path / "search.sqlite")
    index.upsert(
        [
            IndexRecord(id=n, title=f"Asset {n}", pages=[f"Text of asset {n}."], path=f"/{n}.pdf")
            for n in (1, 2, 3)
        ]
    )
    return index


def _related(index: SearchIndex, vector: np.ndarray) -> list[int]:
    query = SearchQuery(text="meaning only", mode="semantic", vector=vector, today=TODAY)
    return [hit.id for hit in index.search(query).hits]


def test_same_question_new_vectors_ranks_by_the_new_ones(tmp_path):
    index = _index(tmp_path)
    question = _unit(1, 0, 0)
    ids = np.array([1, 2, 3], np.int64)
    index.set_vectors(VectorTable(ids, np.vstack([_unit(1, 0, 0), _unit(0, 1, 0), _unit(1, 1, 0)])))
    assert _related(index, question)[0] == 1
    # Same question object, other document vectors: the kept similarities must not be used.
    index.set_vectors(VectorTable(ids, np.vstack([_unit(0, 1, 0), _unit(1, 0, 0), _unit(1, 1, 0)])))
    assert _related(index, question)[0] == 2


def test_documents_without_vectors_after_reuse(tmp_path):
    index = _index(tmp_path)
    question = _unit(0, 0, 1)
    index.set_vectors(VectorTable(np.array([1, 2, 3], np.int64), np.eye(3, dtype=np.float32)))
    assert _related(index, question) == [3]
    # Asset 3 loses its vector: it is no longer listed for its meaning.
    index.set_vectors(VectorTable(np.array([1, 2], np.int64), np.eye(3, dtype=np.float32)[:2]))
    assert _related(index, question) == []
    index.close()


def test_rarer_words_score_the_same_in_one_match_or_per_document(tmp_path, monkeypatch):
    import search.hybrid

    index = SearchIndex(tmp_path / "search.sqlite")
    pages = {
        1: "Zebra crossings near the cooling towers, zebra again.",
        2: "Cooling systems for a data hall.",
        3: "A zebra in the meeting room.",
        4: "Quarterly pricing for colocation.",
        5: "Power and space for racks.",
    }
    index.upsert(
        [
            IndexRecord(id=n, title=f"Asset {n}", pages=[text], path=f"/{n}.pdf")
            for n, text in pages.items()
        ]
    )
    rng = np.random.default_rng(1)
    # Every asset close to the question, so all are listed and the words decide much.
    matrix = (1.0 + 0.3 * rng.standard_normal((5, 8))).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    index.set_vectors(VectorTable(np.arange(1, 6, dtype=np.int64), matrix))
    question = np.ones(8, np.float32) / np.sqrt(8)

    def ranked() -> list[tuple[int, float]]:
        query = SearchQuery(
            text="zebra cooling hall", mode="hybrid", vector=question.copy(), as_you_type=False
        )
        return [(hit.id, round(hit.score, 9)) for hit in index.search(query).hits]

    monkeypatch.setattr(search.hybrid, "ONE_QUERY_BELOW", 0)
    per_document = ranked()
    monkeypatch.setattr(search.hybrid, "ONE_QUERY_BELOW", 2_000)
    assert ranked() == per_document
    # The words count: assets holding two of them come before those holding none.
    order = [doc for doc, _ in per_document]
    assert order.index(1) < order.index(4) and order.index(2) < order.index(5)
    index.close()
