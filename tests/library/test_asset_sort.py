"""``AssetManager.sorted_ids``: the library table's order, computed by the catalog."""

from __future__ import annotations

import pytest

from library import PitchpackError
from library.models import Asset, Facet, FileState


def first_position(asset: Asset, positions: dict[str, int], facet: Facet) -> tuple:
    found = [positions[name] for name in asset.terms.get(facet, [])]
    return (not found, min(found, default=0))


def expected_order(lib, column: str) -> list[int]:
    """The ascending order worked out in Python from the assets themselves."""
    stage = {t.name: t.position for t in lib.taxonomy.terms(Facet.STAGE)}
    persona = {t.name: t.position for t in lib.taxonomy.terms(Facet.PERSONA)}
    key = {
        "title": lambda a: a.title.casefold(),
        "type": lambda a: a.content_type,
        "status": lambda a: a.status,
        "file": lambda a: a.file_state,
        "stages": lambda a: first_position(a, stage, Facet.STAGE),
        "personas": lambda a: first_position(a, persona, Facet.PERSONA),
        "updated": lambda a: a.updated,
        "expires": lambda a: a.expires or "9999",
        "usage": lambda a: a.usage_count,
        "problem": lambda a: (
            a.error or ("File not found" if a.file_state == FileState.MISSING else "")
        ),
    }[column]
    return [a.id for a in sorted(lib.assets.all(), key=lambda a: (key(a), a.id))]


@pytest.fixture
def varied(sample_library):
    """The sample library with titles, dates, stages and problems that sort in odd ways."""
    lib = sample_library
    ids = lib.assets.ids()
    lib.update_assets([ids[0]], title="éclair pricing")
    lib.update_assets([ids[1]], title="Éclair Pricing")
    lib.update_assets([ids[2]], title="zebra")
    lib.update_assets(ids[3:6], expires="2027-01-31")
    lib.update_assets([ids[6]], expires="2025-06-30")
    lib.tag_assets([ids[7]], "stage", [])
    lib.tag_assets([ids[8]], "persona", [])
    lib.tag_assets([ids[9]], "stage", ["Decision", "Awareness"])
    lib.db.execute("UPDATE assets SET usage_count = 7 WHERE id = ?", (ids[10],))
    lib.db.execute("UPDATE assets SET error = 'The PDF is damaged.' WHERE id = ?", (ids[11],))
    lib.db.execute("UPDATE assets SET file_state = 'missing' WHERE id = ?", (ids[12],))
    lib.db.conn.commit()
    return lib


@pytest.mark.parametrize(
    "column",
    ["title", "type", "status", "file", "stages", "personas"]
    + ["updated", "expires", "usage", "problem"],
)
def test_sorted_ids_matches_the_tables_order(varied, column):
    ascending = expected_order(varied, column)
    assert varied.assets.sorted_ids(column) == ascending
    assert varied.assets.sorted_ids(column, descending=True) == ascending[::-1]


def test_title_order_folds_case_of_accented_letters_too(varied):
    titles = [a.title for a in varied.assets.get_many(varied.assets.sorted_ids("title"))]
    # SQLite's NOCASE folds ASCII only; these two must still sort side by side.
    assert abs(titles.index("éclair pricing") - titles.index("Éclair Pricing")) == 1
    assert titles.index("zebra") < titles.index("éclair pricing")  # code point order


def test_stages_follow_the_buyers_journey(varied):
    order = [t.name for t in varied.taxonomy.terms(Facet.STAGE)]
    firsts = [
        a.stages[0] if a.stages else None
        for a in varied.assets.get_many(varied.assets.sorted_ids("stages"))
    ]
    named = [order.index(s) for s in firsts if s is not None]
    assert named == sorted(named)
    assert firsts[-1] is None  # no stage: after all the others


def test_sorted_ids_of_some_assets(varied):
    ids = varied.assets.ids()
    some = ids[::3] + [999_999]
    assert varied.assets.sorted_ids("title", ids=some) == [
        i for i in varied.assets.sorted_ids("title") if i in set(ids[::3])
    ]
    assert varied.assets.sorted_ids("usage", ids=[]) == []


def test_sorting_by_an_unknown_column_says_which_exist(library):
    with pytest.raises(PitchpackError, match="title, type"):
        library.assets.sorted_ids("colour")
