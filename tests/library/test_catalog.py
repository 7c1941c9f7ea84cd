"""The catalog: schema, editing metadata and terms, taxonomy, CSV import, reports."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from library import Library, PitchpackError
from library.errors import AssetNotFound, CsvImportError, UnknownTerm
from search import SearchQuery


def test_schema_is_versioned_and_in_wal_mode(library):
    from library.schema import migrations

    applied = [m.name for m in migrations.applied(library.db)]
    assert applied[0] == "m001_catalog" and applied == sorted(applied)
    assert not migrations.pending(library.db)
    assert library.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_default_taxonomy(library):
    assert library.taxonomy.names("stage") == [
        "Awareness",
        "Consideration",
        "Decision",
        "Onboarding",
        "Expansion",
    ]
    assert "CFO/Finance" in library.taxonomy.names("persona")
    assert library.taxonomy.find("persona", "cfo").name == "CFO/Finance"


def test_edit_metadata_and_terms(library, mixed_folder):
    library.add_paths([mixed_folder])
    ids = library.assets.ids()[:3]
    library.update_assets(ids, status="archived", expires="2027-01-31")
    library.tag_assets(ids, "persona", ["CFO/Finance", "Procurement"])
    for asset in library.assets.get_many(ids):
        assert asset.status == "archived" and asset.expires == "2027-01-31"
        assert asset.personas == ["CFO/Finance", "Procurement"]
    library.tag_assets(ids[:1], "persona", ["Procurement"], mode="remove")
    assert library.assets.get(ids[0]).personas == ["CFO/Finance"]
    with pytest.raises(PitchpackError, match="not a status"):
        library.update_assets(ids, status="published")
    with pytest.raises(PitchpackError, match="YYYY-MM-DD"):
        library.update_assets(ids, expires="next week")
    with pytest.raises(UnknownTerm, match="Awareness"):
        library.tag_assets(ids, "stage", ["Evaluation"])
    with pytest.raises(AssetNotFound):
        library.update_assets([99999], title="x")


def test_snapshot_and_restore_undo_an_edit(library, mixed_folder):
    library.add_paths([mixed_folder])
    ids = library.assets.ids()[:3]
    before = library.assets.snapshot(ids)
    library.update_assets(ids, title="Changed")
    library.tag_assets(ids, "stage", ["Expansion"])
    library.restore_assets(before)
    assert [a.title for a in library.assets.get_many(ids)] == [a.title for a in before]
    assert library.search(SearchQuery(text="changed", as_you_type=False)).total == 0


def test_rename_and_merge_terms(library, mixed_folder):
    library.add_paths([mixed_folder])
    a, b = library.assets.ids()[:2]
    library.tag_assets([a], "tag", ["pricing"], create=True)
    library.tag_assets([b], "tag", ["prices"], create=True)
    library.rename_term("tag", "prices", "pricing")
    assert library.taxonomy.names("tag") == ["checklist", "pricing"]
    assert library.assets.get(b).terms["tag"] == ["pricing"]
    result = library.search(SearchQuery(filters={"tag": ["pricing"]}))
    assert sorted(h.id for h in result.hits) == sorted([a, b])


def test_reports(library, mixed_folder):
    library.add_paths([mixed_folder])
    missing = library.assets.missing_taxonomy()
    assert len(missing) == 5  # all but the Markdown file, which names a stage and a persona
    first = library.assets.ids()[0]
    library.update_assets([first], expires="2026-12-01")
    assert [a.id for a in library.assets.expiring(30, today=date(2026, 11, 23))] == [first]
    assert "Expansion" in [t.name for t in library.taxonomy.unused()]


def test_csv_import(library, mixed_folder):
    csv = mixed_folder / "metadata.csv"
    csv.write_text(
        "Path,Title,Type,Stage,Persona,Tags,Expires,Status\n"
        "pricing-white-paper.pdf,Pricing Guide 2027,white paper,Decision; Consideration,CFO/Finance,pricing|tco,2027-12-31,approved\n"
        "notes.txt,,other,Onboarding,,,,\n"
        "../outside.pdf,Escape,,,,,,\n"
        "nowhere.pdf,Missing,,,,,,\n"
        "sales-deck.pptx,Deck,,,,,someday,\n",
        encoding="utf-8",
    )
    report = library.import_csv(csv)
    assert len(report.updated) == 2
    assert (
        report.added is not None and len(report.added.added) == 3
    )  # files named by the CSV are added
    assert any("outside" in e for e in report.errors) and any("someday" in e for e in report.errors)
    assert report.not_found and report.not_found[0].endswith("nowhere.pdf")
    pdf = next(a for a in library.assets.all() if a.path.endswith(".pdf"))
    assert (pdf.title, pdf.expires, pdf.stages) == (
        "Pricing Guide 2027",
        "2027-12-31",
        ["Consideration", "Decision"],
    )
    assert pdf.terms["tag"] == ["pricing", "tco"]
    assert library.search(SearchQuery(text="pricing guide 2027", as_you_type=False)).total == 1


def test_csv_quotes_doubled_past_the_sniffed_sample_are_read_as_one_quote(library, mixed_folder):
    # The sniffer sees only the first rows; a quote doubled further down is still excel CSV.
    filler = "".join(f"missing-{n}.pdf,Filler {n},plain words only\n" for n in range(200))
    csv = mixed_folder / "metadata.csv"
    csv.write_text(
        "path,title,summary\n"
        + filler
        + 'notes.txt,Objections,"from ""the server room is free"" to ""the cloud""."\n',
        encoding="utf-8",
    )
    library.import_csv(csv)
    notes = next(a for a in library.assets.all() if a.path.endswith("notes.txt"))
    assert notes.summary == 'from "the server room is free" to "the cloud".'


def test_csv_without_path_column(library, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("title,stage\nX,Decision\n", encoding="utf-8")
    with pytest.raises(CsvImportError, match="path"):
        library.import_csv(bad)


def test_every_change_is_one_transaction(library, mixed_folder):
    library.add_paths([mixed_folder])
    ids = library.assets.ids()
    generation = library.generation
    with pytest.raises(UnknownTerm):
        library.tag_assets(ids, "stage", ["Decision", "No such stage"])
    assert library.generation == generation
    assert all(not a.stages for a in library.assets.get_many(ids) if not a.path.endswith(".md"))


def test_catalog_survives_reopen(tmp_path, mixed_folder):
    with Library(tmp_path / "lib") as lib:
        lib.add_paths([mixed_folder])
        count = lib.assets.count()
    with Library(tmp_path / "lib") as lib:
        assert lib.assets.count() == count and lib.index_in_step()
    assert (
        sqlite3.connect(tmp_path / "lib" / "catalog.sqlite")
        .execute("PRAGMA integrity_check")
        .fetchone()[0]
        == "ok"
    )
