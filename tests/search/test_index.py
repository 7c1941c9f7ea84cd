"""The search index on its own: plain records in, plain results out."""

from __future__ import annotations

import pytest

from search import IndexCorrupt, IndexRecord, SearchIndex, SearchQuery

TODAY = "2026-11-23"


def record(id: int, title: str, pages: list[str], **kw) -> IndexRecord:
    kw.setdefault("updated", f"2026-0{id % 9 + 1}-01")
    return IndexRecord(id=id, title=title, pages=pages, path=f"/lib/{id}.pdf", **kw)


@pytest.fixture
def index(tmp_path):
    ix = SearchIndex(tmp_path / "index" / "search.sqlite")
    ix.upsert(
        [
            record(
                1,
                "Colocation pricing guide",
                [
                    "Power and space.",
                    "Cooling costs and prices.",
                    "Cross-connect fees.",
                    "Remote hands.",
                    "A zebra appears here.",
                ],
                paged=True,
                type="white paper",
                stage=["Decision"],
                persona=["CFO/Finance"],
                usage=2,
                tag=["pricing"],
            ),
            record(
                2,
                "Cloud migration playbook",
                ["Migrating workloads to private cloud safely."],
                type="blog post",
                stage=["Awareness"],
                persona=["CIO/IT leader"],
                usage=9,
            ),
            record(
                3,
                "Archived colocation brochure",
                ["Colocation in 2019."],
                status="archived",
                stage=["Awareness"],
            ),
            record(
                4,
                "Expired price list",
                ["Old prices for colocation."],
                expires="2025-01-31",
                stage=["Decision"],
            ),
            record(
                5,
                "Security data sheet",
                ["SOC 2 and ISO 27001 for every data center hall."],
                type="data sheet",
                stage=["Consideration", "Decision"],
                persona=["CIO/IT leader"],
                summary="Certifications at a glance",
            ),
        ],
        generation=7,
    )
    yield ix
    ix.close()


def run(ix: SearchIndex, text: str = "", **kw):
    kw.setdefault("today", TODAY)
    kw.setdefault("as_you_type", False)
    return ix.search(SearchQuery(text=text, **kw))


def ids(result) -> list[int]:
    return [h.id for h in result.hits]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("pricing", [1]),  # stemmed: matches "prices" on page 2 and the title
        ("PRICE", [1]),  # case-insensitive
        ("migrate", [2]),  # "migrating"
        ('"private cloud"', [2]),  # phrase
        ('"cloud private"', []),  # phrase order matters
        ("cloud OR zebra", [1, 2]),
        ("cloud AND zebra", []),
        ("colocation -zebra", []),  # NOT: the only visible colocation asset has a zebra
        ("colocation NOT zebra", []),
        ("title:security", [5]),
        ("title:cooling", []),  # column filter: cooling is in the body only
        ("stage:decision", [1, 5]),
        ("persona:cio certifications", [5]),
        ('type:"data sheet"', [5]),
    ],
)
def test_query_features(index, text, expected):
    assert sorted(ids(run(index, text))) == expected


def test_as_you_type_prefix_on_last_word(index):
    assert ids(run(index, "colo", as_you_type=True)) == [1]
    assert ids(run(index, "cloud migr", as_you_type=True)) == [2]
    finished = run(index, "cloud migr ", as_you_type=True)  # a finished word is not a prefix:
    assert finished.hits[0].fuzzy  # it only matches through the tolerant fallback
    assert ids(run(index, "secu", as_you_type=True)) == [5]


def test_typo_and_substring_tolerance_rank_below_exact(index):
    typo = run(index, "colocaton")
    assert ids(typo) == [1] and typo.hits[0].fuzzy
    assert typo.suggestion == "colocation"
    substring = run(index, "location")
    assert ids(substring) == [1]
    exact = run(index, "colocation")
    assert not exact.hits[0].fuzzy and exact.suggestion is None


def test_did_you_mean_only_when_nothing_matches(index):
    assert run(index, "migraton").suggestion == "migration"
    assert run(index, "migration").suggestion is None


def test_best_page_and_snippet(index):
    hit = run(index, "zebra").hits[0]
    assert hit.page == 5
    assert "<b>zebra</b>" in hit.snippet
    assert run(index, "prices").hits[0].page == 2
    unpaged = run(index, "workloads").hits[0]
    assert unpaged.page is None and "<b>workloads</b>" in unpaged.snippet


def test_snippet_is_escaped(tmp_path):
    ix = SearchIndex(tmp_path / "ix.sqlite")
    ix.upsert([record(1, "Tags", ["Use <script>alert(1)</script> & more words here"])])
    snippet = run(ix, "alert").hits[0].snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet and "<b>alert</b>" in snippet


def test_snippet_leaves_out_plain_text_rules(tmp_path):
    ix = SearchIndex(tmp_path / "ix.sqlite")
    text = "Cooling\n=======\n\nLiquid cooling for racks.\n\n-----\n\nA x-ray == b."
    ix.upsert([record(1, "Notes", [text])])
    snippet = run(ix, "cooling").hits[0].snippet
    assert snippet == "<b>Cooling</b> Liquid <b>cooling</b> for racks. A x-ray == b."
    assert "x-<b>ray</b> == b" in run(ix, "ray").hits[0].snippet  # short runs stay


def test_hidden_assets(index):
    assert sorted(ids(run(index, "colocation"))) == [1]
    assert sorted(ids(run(index, "colocation", include_hidden=True))) == [1, 3, 4]
    assert sorted(ids(run(index, "colocation", today="2024-12-31"))) == [1, 4]  # not yet expired
    assert ids(run(index, "status:archived")) == [3]


def test_facet_counts_follow_query_and_other_filters(index):
    everything = run(index)
    assert everything.total == 3
    assert everything.facets["stage"] == {"Decision": 2, "Awareness": 1, "Consideration": 1}
    assert everything.facets["persona"] == {"CIO/IT leader": 2, "CFO/Finance": 1}
    filtered = run(index, filters={"stage": ["Decision"]})
    # A facet's own filter does not narrow its counts; it narrows the others.
    assert filtered.facets["stage"] == {"Decision": 2, "Awareness": 1, "Consideration": 1}
    assert filtered.facets["persona"] == {"CFO/Finance": 1, "CIO/IT leader": 1}
    assert filtered.total == 2
    queried = run(index, "cloud")
    assert queried.facets["stage"] == {"Awareness": 1}
    assert queried.facets["type"] == {"blog post": 1}


def test_filter_values_are_or_within_a_facet(index):
    result = run(index, filters={"stage": ["Awareness", "Consideration"]})
    assert sorted(ids(result)) == [2, 5]


def test_sorting(index):
    assert ids(run(index, sort="used"))[0] == 2
    newest = run(index, sort="newest")
    assert ids(newest) == [5, 2, 1]  # updated 2026-06, 2026-03, 2026-02
    best = run(index, "colocation OR cloud OR zebra")
    assert best.hits[0].score >= best.hits[-1].score


def test_paging(index):
    first = run(index, limit=2)
    second = run(index, limit=2, offset=2)
    assert first.total == second.total == 3
    assert len(first.hits) == 2 and len(second.hits) == 1
    assert not set(ids(first)) & set(ids(second))


def test_update_and_delete_keep_index_and_vocabulary_in_step(index):
    index.upsert([record(1, "Renamed guide", ["Nothing about animals."])], generation=8)
    assert run(index, "zebra").total == 0
    assert run(index, "renamed").total == 1
    assert run(index, "zebr", as_you_type=True).total == 0  # the word left the vocabulary
    index.delete([2], generation=9)
    assert run(index, "cloud").total == 0
    assert index.generation == 9
    assert index.check()


def test_weird_input_never_raises(index):
    everything = ids(run(index))
    for text in ['"', "(", ")", "AND", "OR OR", "NOT", "-", "*", "\x00"]:
        # No word to look for: the whole library, as when browsing.
        assert ids(run(index, text, as_you_type=True)) == everything, repr(text)
    for text in ["title:", "stage:", "a*b", "ü"]:
        result = run(index, text, as_you_type=True)
        assert (result.total, result.hits) == (0, []), repr(text)


def test_corrupt_index_is_detected(tmp_path):
    path = tmp_path / "search.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexCorrupt):
        SearchIndex(path)


def test_growth_is_bounded_by_optimize(tmp_path):
    ix = SearchIndex(tmp_path / "ix.sqlite")
    for round_ in range(30):
        ix.upsert(
            [record(i, f"Doc {i} round {round_}", [f"text {round_} " * 50]) for i in range(1, 21)]
        )
    ix.optimize()
    size = ix.path.stat().st_size
    for round_ in range(30, 60):
        ix.upsert(
            [record(i, f"Doc {i} round {round_}", [f"text {round_} " * 50]) for i in range(1, 21)]
        )
    ix.optimize()
    assert ix.path.stat().st_size < size * 1.5
    assert run(ix, "round").total == 20


def test_short_prefix_alone_matches_titles_and_tags(index):
    # "c" and "co" would match most of the text; alone they look at titles and tags only.
    # "Colocation" in a title, "Consideration" a stage; "costs" and "cooling" in text don't count
    assert sorted(ids(run(index, "co", as_you_type=True))) == [1, 5]
    assert ids(run(index, "cl", as_you_type=True)) == [
        2
    ]  # "Cloud" in the title, not "Cooling" text
    assert sorted(ids(run(index, "p", as_you_type=True))) == [
        1,
        2,
    ]  # pricing (title, tag), playbook


def test_short_prefix_after_words_narrows_nothing(index):
    typed = run(index, "cloud m", as_you_type=True)
    assert ids(typed) == ids(run(index, "cloud"))


def _library(ix: SearchIndex, rng, ids_: range) -> None:
    tags = ["pricing", "brand", "partner", "launch", "renewal"]
    ix.upsert(
        [
            record(
                i,
                f"Guide {i} {rng.choice(['cloud', 'colocation', 'security'])}",
                [f"Page about {rng.choice(['power', 'cooling', 'cloud'])} and prices {i}."],
                paged=bool(i % 2),
                type=rng.choice(["white paper", "data sheet", "blog post"]),
                status=rng.choice(["approved"] * 8 + ["archived", "draft"]),
                stage=rng.sample(["Awareness", "Consideration", "Decision"], rng.randint(1, 2)),
                persona=rng.sample(["CFO/Finance", "CIO/IT leader"], rng.randint(0, 2)),
                tag=rng.sample(tags, rng.randint(0, 3)),
                expires=rng.choice([None, None, "2025-06-30", "2027-01-31"]),
                usage=rng.randint(0, 20),
            )
            for i in ids_
        ]
    )


def _outcomes(ix: SearchIndex) -> list:
    queries = [
        {},
        {"text": "cloud"},
        {"text": "guide", "sort": "used"},
        {"text": "guide", "sort": "newest", "limit": 50},
        {"filters": {"stage": ["Decision"]}, "limit": 50},
        {"filters": {"tag": ["pricing", "new tag"], "persona": ["CFO/Finance"]}},
        {"text": "prices", "include_hidden": True, "limit": 50},
        {"text": "status:archived"},
        {"text": "retag", "as_you_type": True},  # a word that comes and goes with edits
        {"text": "gui", "as_you_type": True},
    ]
    found = []
    for kw in queries:
        result = run(ix, **kw)
        found.append((kw, result.total, result.facets, [(h.id, h.score) for h in result.hits]))
    return found


def test_snapshot_updated_from_changes_matches_a_fresh_one(tmp_path):
    """A snapshot brought up to date from the changed documents alone counts and filters
    exactly as one read whole from the index."""
    import random

    rng = random.Random(4)
    path = tmp_path / "ix" / "search.sqlite"
    ix = SearchIndex(path)
    _library(ix, rng, range(1, 81))
    _outcomes(ix)
    for round_ in range(6):
        changed = rng.sample(range(1, 81), 3)
        if round_ in (2, 4):  # a value and a word no document had before
            ix.upsert([record(changed[0], "Retagged", ["cloud"], tag=["new tag"], usage=3)])
        else:
            _library(ix, rng, changed)
        ix.delete([rng.randrange(1, 81)])
        _library(ix, rng, [100 + round_])  # a new document, at the end
        ix.set_usage({rng.randrange(1, 81): rng.randint(30, 40)})
        updated = _outcomes(ix)
        assert ix._searcher._snapshot.incremental
        fresh = SearchIndex(path)
        assert updated == _outcomes(fresh)
        assert not fresh._searcher._snapshot.incremental
        fresh.close()
    ix.clear()
    ix.upsert([record(1, "After a clear", ["cloud"], stage=["Awareness"])])
    assert run(ix, "cloud").facets["stage"] == {"Awareness": 1}
    assert not ix._searcher._snapshot.incremental  # a clear is never caught up with
    ix.close()


@pytest.mark.parametrize(
    "text",
    [
        "price",
        "colocation OR cloud OR zebra",
        "pricing power",
        '"private cloud" OR power',
        "secu",
    ],
)
def test_scores_put_together_from_remembered_words_equal_fresh_ones(index, tmp_path, text):
    """A query's scores are the sum of its words', each remembered once scored: typing its
    words first changes nothing, and its matches are FTS5's."""
    from search.matcher import WEIGHTS

    fresh = SearchIndex(index.path)
    expected = run(fresh, text, as_you_type=True, include_hidden=True)
    fresh.close()
    for word in text.replace('"', " ").split():  # remembered first, as when typing
        if word not in ("OR", "AND"):
            run(index, word, as_you_type=True, include_hidden=True)
    result = run(index, text, as_you_type=True, include_hidden=True)
    assert index._searcher._phrases._entries  # the scores did come from remembered words
    assert [(h.id, h.score) for h in result.hits] == [(h.id, h.score) for h in expected.hits]
    assert result.total == len(fts5_bm25(index, text, "docs_fts", WEIGHTS)) > 0


def test_one_word_ranks_as_fts5s_bm25_with_a_positive_idf(tmp_path):
    """The weight of a word is Lucene's inverse document frequency instead of FTS5's: the
    same order for one form of a word in fewer than half the documents."""
    from search.matcher import WEIGHTS

    ix = SearchIndex(tmp_path / "search.sqlite")
    ix.upsert(
        [
            record(n, f"Doc {n}", ["Cabinets and racks. " + "Migration plan. " * (n % 4)])
            for n in range(1, 13)
        ]
        + [record(20, "Migration", ["Steps."]), record(21, "Other", ["Racks."])]
    )
    result = run(ix, "migration", limit=50)
    fts5 = fts5_bm25(ix, "migration", "docs_fts", WEIGHTS)
    in_order = [round(fts5[h.id], 9) for h in result.hits]
    assert set(ids(result)) == set(fts5) and in_order == sorted(in_order, reverse=True)
    ix.close()


def test_a_words_forms_share_its_weight(tmp_path):
    """A rare form of a word ("cool") does not outweigh the word itself in a title."""
    ix = SearchIndex(tmp_path / "search.sqlite")
    ix.upsert(
        [
            record(1, "Liquid cooling for racks", ["Planning for dense racks."]),
            record(2, "Data sheet", ["Keeps the room cool."]),
            *(record(n, f"Sheet {n}", [f"Cooling plan {n}."]) for n in range(3, 9)),
            *(record(n, f"Other {n}", ["Power."]) for n in range(9, 20)),
        ]
    )
    assert ids(run(ix, "cooling"))[0] == 1
    ix.close()


@pytest.mark.parametrize("text", ["title:colocation", "title:pricing OR title:cloud", "co", "c"])
def test_a_word_limited_to_short_fields_is_matched_and_ranked_in_them_alone(index, text):
    """``title:``, ``summary:`` and one- or two-letter prefixes (titles and tags) use the
    fields-only table, bm25 included, and match what the whole-text table matches."""
    from search.matcher import FIELD_WEIGHTS, WEIGHTS

    result = run(index, text, as_you_type=True, include_hidden=True)
    fields = fts5_bm25(index, text, "fields_fts", FIELD_WEIGHTS)
    whole = fts5_bm25(index, text, "docs_fts", WEIGHTS)
    assert result.total == len(fields) > 0 and set(fields) == set(whole) == set(ids(result))
    if " " not in text and len(text) > 2:  # one phrase: the fields table's own order
        in_order = [round(fields[h.id], 9) for h in result.hits]
        assert in_order == sorted(in_order, reverse=True)


def test_words_joined_by_or_keep_their_own_weights(tmp_path):
    """Only a word's own forms share a weight: in "zebra OR migration" the rare word still
    outweighs the common one."""
    ix = SearchIndex(tmp_path / "search.sqlite")
    ix.upsert(
        [
            record(1, "Notes one", ["A zebra in the racks."], updated="2025-01-01"),
            record(2, "Notes two", ["A migration of racks."], updated="2026-06-01"),
            *(record(n, f"Plan {n}", [f"Migration plan {n}."]) for n in range(3, 9)),
            *(record(n, f"Other {n}", ["Power."]) for n in range(9, 20)),
        ]
    )
    assert ids(run(ix, "zebra OR migration"))[0] == 1
    ix.close()


def test_a_word_in_half_the_documents_still_weighs(tmp_path):
    """FTS5 gives a phrase in half the documents or more an inverse document frequency of
    1e-6: its title weighed nothing. Such phrases get Lucene's, which stays positive."""
    ix = SearchIndex(tmp_path / "search.sqlite")
    ix.upsert(
        [
            record(
                1, "Liquid cooling for racks", ["Planning for dense racks."], updated="2025-01-01"
            ),
            *(
                record(n, f"Data sheet {n}", ["Power and cooling. " * n], updated=f"2026-0{n}-01")
                for n in range(2, 6)
            ),
            record(6, "Remote hands", ["Technicians on site."]),
        ]
    )
    result = run(ix, "cooling")
    assert result.total == 5
    assert ids(result)[0] == 1  # the title, against a body that says it five times
    assert all(h.score > 0.01 for h in result.hits)
    ix.close()


def fts5_bm25(index: SearchIndex, text: str, table: str, weights: str) -> dict[int, float]:
    """FTS5's own bm25 (higher-is-better) of a typed text's whole expression, by id."""
    import sqlite3

    from search.query import Compiler, parse

    vocabulary = index._searcher._current_snapshot().vocabulary
    expression = Compiler(vocabulary).compile(parse(text, as_you_type=True).positive)
    db = sqlite3.connect(index.path)
    try:
        sql = f"SELECT rowid, -bm25({table}, {weights}) FROM {table} WHERE {table} MATCH ?"
        return dict(db.execute(sql, (expression,)).fetchall())
    finally:
        db.close()


def test_a_word_in_many_documents_ranks_those_holding_it_in_title_or_tags_first(
    tmp_path, monkeypatch
):
    """Above ``RANK_ROWS`` documents a word is scored in title, summary and tags only; the
    documents holding it only in their body follow, newest first."""
    from search import matcher

    monkeypatch.setattr(matcher, "RANK_ROWS", 3)
    ix = SearchIndex(tmp_path / "search.sqlite")
    body_only = [  # more "migration" in older documents
        record(n, f"Plan {n}", ["Racks. " + "Migration " * n], updated=f"2026-0{6 - n}-01")
        for n in range(1, 6)
    ]
    others = [record(n, f"Other {n}", ["Power and cooling."]) for n in range(10, 20)]
    ix.upsert(
        [
            *body_only,
            *others,
            record(6, "Migration playbook", ["Steps."], updated="2025-01-01"),
            record(7, "Checklist", ["Steps."], tag=["migration"], updated="2025-02-01"),
        ]
    )
    result = run(ix, "migration")
    assert result.total == 7
    assert ids(result) == [6, 7, 1, 2, 3, 4, 5]  # the body-only ones newest first
    assert all(h.score > 0 for h in result.hits[:2])
    assert all(h.score == 0 for h in result.hits[2:])
    monkeypatch.setattr(matcher, "RANK_ROWS", 100)  # scored everywhere: body counts count
    ix.upsert([record(8, "Other", ["Nothing."])])  # a new index state: scores computed anew
    assert ids(run(ix, "migration")) == [6, 7, 5, 4, 3, 2, 1]
    ix.close()
