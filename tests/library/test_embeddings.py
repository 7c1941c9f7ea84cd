"""Semantic search on real files: the packaged model offline, stored vectors, hybrid ranking."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import numpy as np
import pytest

from library import Library
from library.docgen import write_pdf
from library.embedder import Embedder
from library.embeddings import EmbeddingManager
from search import SearchQuery

TODAY = "2026-06-01"


@pytest.fixture(scope="module")
def embedded_template(sample_library_template: Path, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("embedded") / "lib"
    shutil.copytree(sample_library_template, folder)
    with Library(folder) as lib:
        lib.ensure_index()
        assert lib.embeddings.pending() == []
    return folder


@pytest.fixture
def lib(tmp_path: Path, embedded_template: Path):
    folder = tmp_path / "lib"
    shutil.copytree(embedded_template, folder)
    with Library(folder, workers=1) as library:
        library.ensure_index()
        yield library


def _slug(lib: Library, hit) -> str:
    return Path(hit.path).stem


def _ask(lib: Library, text: str, mode: str = "hybrid", **kw):
    return lib.search(SearchQuery(text=text, mode=mode, as_you_type=False, today=TODAY, **kw))


def test_model_loads_and_embeds_with_the_network_blocked(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    embedder = Embedder()
    vectors = embedder.embed(["hospital worried about outages", "bank that trades fast"])
    assert vectors.shape == (2, embedder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.embed_query("12345 !!!") is None


def test_a_question_asked_again_is_not_embedded_again(monkeypatch):
    embedder = Embedder()
    first = embedder.embed_query("hospital worried about outages")
    calls = []
    monkeypatch.setattr(embedder, "embed", lambda texts: calls.append(texts))
    again = embedder.embed_query("hospital worried about outages")
    assert again is first and not calls
    # Searches share the vector: it cannot be changed in place.
    with pytest.raises(ValueError):
        again[0] = 1.0


def test_plain_words_question_finds_the_case_study(lib):
    assert _ask(lib, "hospital worried about outages", "text").total == 0
    result = _ask(lib, "hospital worried about outages")
    top3 = [_slug(lib, h) for h in result.hits[:3]]
    assert "meridian-health-case-study" in top3
    assert all(h.match == "related" for h in result.hits)
    assert result.embedded == result.embeddable == len(lib.assets.ids(state="ok"))
    meridian = next(h for h in result.hits if _slug(lib, h) == "meridian-health-case-study")
    assert meridian.page is not None  # a paged PDF opens at its best-matching page


def test_exact_names_keep_their_order_and_come_first(lib):
    for text in ("Granite Mutual", "HIPAA", "disaster recovery"):
        exact = _ask(lib, text, "text").hits
        hybrid = _ask(lib, text).hits
        assert [h.id for h in hybrid[: len(exact)]] == [h.id for h in exact]
        assert all(h.match == "text" for h in hybrid[: len(exact)])
    title = "Welcome Kit: Your First Week at Harborline"
    assert _ask(lib, title).hits[0].title == title


def test_phrases_filters_and_facet_counts(lib):
    phrase = _ask(lib, '"disaster recovery"')
    assert phrase.total == _ask(lib, '"disaster recovery"', "text").total
    assert all(h.match == "text" for h in phrase.hits)

    result = _ask(lib, "bank that needs faster trades", limit=100)
    assert result.total == len(result.hits) > 0
    assert sum(result.facets["type"].values()) == result.total  # counts count what is listed
    for stage, count in result.facets["stage"].items():
        filtered = _ask(lib, "bank that needs faster trades", filters={"stage": [stage]}, limit=100)
        assert filtered.total == count
        assert all(stage in h.stages for h in filtered.hits)
    field = _ask(lib, "bank that needs faster trades stage:Decision", limit=100)
    assert field.hits and all("Decision" in h.stages for h in field.hits)
    negated = _ask(lib, "bank that needs faster trades -granite", limit=100)
    assert "granite-mutual-case-study" not in {_slug(lib, h) for h in negated.hits}


def test_unchanged_assets_are_never_embedded_again(lib):
    assert lib.embeddings.pending() == []
    assert lib.embeddings.run() == 0
    asset_id = lib.assets.ids(state="ok")[0]
    lib.update_assets([asset_id], title="A retitled asset about hospital outages")
    assert lib.embeddings.pending() == [asset_id]
    assert lib.embeddings.run() == 1


def test_a_model_change_embeds_everything_again(lib):
    other = EmbeddingManager(
        lib.db, lib.assets, lock=lib._write_lock, embedder=Embedder("other-model")
    )
    assert len(other.pending()) == len(lib.assets.ids(state="ok"))
    # Until re-embedded, the other model has no vectors: search falls back to text.
    lib.embeddings = other
    result = _ask(lib, "hospital worried about outages")
    assert result.total == 0 and result.embedded == 0
    assert other.run(limit=5) == 5
    assert _ask(lib, "hospital worried about outages").embedded == 5


@pytest.mark.parametrize("damage", ["short", "nan", "no-pages"])
def test_a_damaged_vector_is_embedded_again_never_a_crash(lib, damage):
    meridian = next(
        a.id for a in lib.assets.all() if Path(a.path).stem == "meridian-health-case-study"
    )
    if damage == "short":
        lib.db.execute("UPDATE embeddings SET vectors = x'0102' WHERE asset_id = ?", (meridian,))
    elif damage == "nan":
        blob = np.full(256 * 3, np.nan, np.float32).tobytes()
        lib.db.execute(
            "UPDATE embeddings SET vectors = ?, pages = ? WHERE asset_id = ?",
            (blob, np.array([1, 2], np.int32).tobytes(), meridian),
        )
    else:
        lib.db.execute("UPDATE embeddings SET pages = x'01' WHERE asset_id = ?", (meridian,))
    lib.db.execute("UPDATE info SET value = value + 1 WHERE key = 'embedding_version'")
    lib.db.conn.commit()
    result = _ask(lib, "hospital worried about outages")
    if damage != "no-pages":  # there the asset's own vector, stored first, is still whole
        assert meridian not in {h.id for h in result.hits}
    assert meridian in lib.embeddings.pending()
    assert lib.embeddings.similar_query(meridian, 5) is not None  # embedded again on the spot
    assert meridian in lib.embeddings.table().ids
    result = _ask(lib, "hospital worried about outages")
    assert meridian in {h.id for h in result.hits[:3]}


def test_search_before_embedding_says_how_far_it_got(tmp_path, sample_library_template):
    folder = tmp_path / "lib"
    shutil.copytree(sample_library_template, folder)
    with Library(folder) as lib:
        lib.ensure_index()
        with lib.db.atomic():
            lib.db.execute("DELETE FROM embeddings")
        total = len(lib.assets.ids(state="ok"))
        assert _ask(lib, "hospital worried about outages").embedded == 0
        lib.embeddings.run(limit=10)
        result = _ask(lib, "hospital worried about outages")
        assert (result.embedded, result.embeddable) == (10, total)
        assert {h.match for h in result.hits} <= {"related"}
        assert len(result.hits) <= 10


def test_empty_and_non_english_text_get_no_vector_and_stay_findable(library, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    german = (
        "Die Rechenzentren der Stadt sind nicht sicher und die Kosten steigen mit jedem Jahr. "
        "Das Krankenhaus ist mit der Verfügbarkeit der Systeme nicht zufrieden und die "
        "Verwaltung will das ändern, damit die Patienten sicher sind. Zebrafink."
    )
    write_pdf(folder / "bericht.pdf", [german, german])
    (folder / "numbers.txt").write_text("4711 0815 ∑ ∆ 12 34 56 Qx\n" * 3)
    (folder / "english.md").write_text(
        "# Hospital uptime\n\nOur hospital network stays online through power failures and "
        "storms, with tested disaster recovery.\n"
    )
    library.add_paths([folder])
    library.ensure_index()
    library.embeddings.run()
    rows = dict(
        library.db.execute(
            "SELECT a.path, e.reason FROM embeddings e JOIN assets a ON a.id = e.asset_id"
        ).fetchall()
    )
    by_name = {Path(p).name: reason for p, reason in rows.items()}
    assert by_name["english.md"] is None
    assert by_name["bericht.pdf"] == "not English"
    assert by_name.get("numbers.txt", "empty") in ("empty", "not English")
    assert library.embeddings.pending() == []
    found = library.search(SearchQuery(text="Zebrafink", as_you_type=False))
    assert [Path(h.path).name for h in found.hits if h.match == "text"] == ["bericht.pdf"]


def test_more_like_this(lib):
    meridian = next(
        a.id for a in lib.assets.all() if Path(a.path).stem == "meridian-health-case-study"
    )
    result = lib.similar(meridian, limit=5)
    slugs = [_slug(lib, h) for h in result.hits]
    assert meridian not in {h.id for h in result.hits} and len(slugs) == 5
    assert "healthcare-compliance-white-paper" in slugs[:3]


def test_packet_suggestions_rank_by_closeness_to_the_packet_and_note(lib):
    by_slug = {Path(a.path).stem: a.id for a in lib.assets.all()}
    plain = lib.packets.suggest("Consideration", "CIO/IT leader", limit=40, today=None)
    assert len(plain) > 5
    in_packet = [by_slug["meridian-health-case-study"]]
    note = "Following up on your questions about protecting patient records at the hospitals."
    ranked = lib.embeddings.rank_suggestions(list(plain), in_packet, note)
    assert sorted(s.asset.id for s in ranked) == sorted(s.asset.id for s in plain)
    slugs = [Path(s.asset.path).stem for s in ranked]
    assert slugs.index("healthcare-compliance-white-paper") < 3
    assert "close to this packet" in ranked[0].reason
    # Tags still count most: no suggestion matching one tag is above one matching both.
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True)
