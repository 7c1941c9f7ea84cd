"""Adding and rescanning real files: formats, incremental scans, moves, versions, duplicates."""

from __future__ import annotations

import os
import shutil

import pytest
from documents import add_bad_files

from library.docgen import write_pdf
from search import SearchQuery


def search(lib, text, **kw):
    kw.setdefault("as_you_type", False)
    return lib.search(SearchQuery(text=text, **kw))


def test_add_folder_of_every_format(library, mixed_folder):
    report = library.add_paths([mixed_folder])
    assert len(report.added) == 6 and not report.failed
    by_name = {os.path.basename(a.path): a for a in library.assets.all()}
    pdf = by_name["pricing-white-paper.pdf"]
    assert (pdf.title, pdf.owner, pdf.page_count, pdf.paged) == (
        "Seven Page Pricing Guide",
        "Dana Marketer",
        7,
        True,
    )
    assert pdf.content_type == "white paper"  # guessed from the file name
    assert (
        by_name["sales-deck.pptx"].page_count == 3
        and by_name["sales-deck.pptx"].content_type == "slide deck"
    )
    assert by_name["security-one-pager.docx"].owner == "Lee Writer"
    assert by_name["blog-edge.html"].title == "Edge computing explained"
    md = by_name["onboarding-guide.md"]
    assert md.title == "Onboarding guide"
    assert md.terms == {"persona": ["Operations"], "stage": ["Onboarding"], "tag": ["checklist"]}
    assert all(a.word_count > 0 and a.content_hash for a in by_name.values())
    assert library.index_in_step()


@pytest.mark.parametrize(
    "word, name, page",
    [
        ("quokka", "pricing-white-paper.pdf", 5),  # only on page 5 of a PDF
        ("narwhal", "sales-deck.pptx", 2),  # only in slide 2's speaker notes
        ("evidence", "security-one-pager.docx", None),  # in a DOCX table
        ("confidential", "security-one-pager.docx", None),  # in a DOCX header
        ("kiosks", "blog-edge.html", None),
        ("remote", "onboarding-guide.md", None),
        ("disaster", "notes.txt", None),
    ],
)
def test_words_are_found_with_their_page(library, mixed_folder, word, name, page):
    library.add_paths([mixed_folder])
    result = search(library, word)
    assert [os.path.basename(h.path) for h in result.hits] == [name]
    assert result.hits[0].page == page


def test_script_text_is_never_indexed(library, mixed_folder):
    library.add_paths([mixed_folder])
    page = [os.path.basename(h.path) for h in search(library, "kiosks").hits]
    assert page == ["blog-edge.html"]  # the page itself is indexed, with its visible text
    assert search(library, "secretscript").total == 0


def test_bad_files_are_recorded_and_the_batch_goes_on(library, mixed_folder):
    bad = add_bad_files(mixed_folder)
    report = library.add_paths([mixed_folder])
    assert len(report.added) == 6
    reasons = {os.path.basename(f.path): f.reason for f in report.failed}
    assert reasons == {"broken.pdf": "corrupt", "locked.pdf": "encrypted", "empty.docx": "empty"}
    failed = {os.path.basename(a.path): a for a in library.assets.all(failed_only=True)}
    assert set(failed) == set(reasons)
    assert "password" in failed["locked.pdf"].error.lower()
    assert search(library, "secret").total == 0
    assert bad["corrupt"].exists()


def test_unsupported_files_in_folders_are_reported_not_stored(library, mixed_folder):
    (mixed_folder / "logo.png").write_bytes(b"\x89PNG\r\n")
    report = library.add_paths([mixed_folder])
    assert [os.path.basename(s.path) for s in report.skipped] == ["logo.png"]
    explicit = library.add_paths([mixed_folder / "logo.png"])
    assert explicit.failed[0].reason == "unsupported"


def test_rescan_of_unchanged_folder_does_nothing(library, mixed_folder):
    library.add_paths([mixed_folder])
    generation = library.generation
    report = library.rescan()
    assert report.unchanged == 6 and not report.changed_ids
    assert library.generation == generation


def test_touched_but_identical_file_is_not_read_again(library, mixed_folder):
    library.add_paths([mixed_folder])
    path = mixed_folder / "notes.txt"
    os.utime(path, (1_000_000, 1_000_000))
    report = library.rescan()
    assert report.unchanged == 6 and not report.updated


def test_changed_file_becomes_a_new_version_keeping_identity_and_tags(library, mixed_folder):
    library.add_paths([mixed_folder])
    path = mixed_folder / "notes.txt"
    asset_id = next(a.id for a in library.assets.all() if a.path == str(path))
    library.tag_assets([asset_id], "stage", ["Decision"])
    path.write_text("Rewritten notes about an armadillo.\n", encoding="utf-8")
    report = library.rescan()
    assert report.updated == [asset_id]
    asset = library.assets.get(asset_id)
    assert asset.stages == ["Decision"]
    assert len(library.assets.versions(asset_id)) == 2
    assert [h.id for h in search(library, "armadillo").hits] == [asset_id]
    assert search(library, "disaster").total == 0


def test_moved_file_keeps_its_identity(library, mixed_folder):
    library.add_paths([mixed_folder])
    old = mixed_folder / "sales-deck.pptx"
    asset_id = next(a.id for a in library.assets.all() if a.path == str(old))
    (mixed_folder / "decks").mkdir()
    new = mixed_folder / "decks" / "renamed-deck.pptx"
    shutil.move(old, new)
    report = library.rescan()
    assert report.moved == [asset_id] and not report.missing and not report.added
    assert library.assets.get(asset_id).path == str(new)
    assert search(library, "narwhal").hits[0].path == str(new)


def test_vanished_file_is_marked_missing_and_hidden(library, mixed_folder):
    library.add_paths([mixed_folder])
    (mixed_folder / "notes.txt").unlink()
    report = library.rescan()
    assert len(report.missing) == 1
    assert library.assets.get(report.missing[0]).file_state == "missing"
    assert search(library, "disaster").total == 0


def test_duplicates_exact_and_near(library, mixed_folder):
    library.add_paths([mixed_folder])
    shutil.copy(mixed_folder / "notes.txt", mixed_folder / "notes-copy.txt")
    pages = ["Identical words in both exports of the brochure."]
    write_pdf(mixed_folder / "brochure-a.pdf", pages, title="Brochure", author="First export")
    write_pdf(mixed_folder / "brochure-b.pdf", pages, title="Brochure", author="Second export")
    report = library.rescan()
    kinds = {(os.path.basename(d.path), d.kind) for d in report.duplicates}
    assert ("notes-copy.txt", "exact") in kinds
    assert {"brochure-a.pdf", "brochure-b.pdf"} & {p for p, k in kinds if k == "near"}
    assert not any(a.path.endswith("notes-copy.txt") for a in library.assets.all())


def test_replace_file_keeps_identity(library, mixed_folder, tmp_path):
    library.add_paths([mixed_folder])
    asset = next(a for a in library.assets.all() if a.path.endswith("notes.txt"))
    library.tag_assets([asset.id], "persona", ["CFO/Finance"])
    new = tmp_path / "notes-v2.txt"
    new.write_text("Second edition mentions the ocelot.\n", encoding="utf-8")
    library.ingest.replace_file(asset.id, new)
    replaced = library.assets.get(asset.id)
    assert replaced.path == str(new) and replaced.personas == ["CFO/Finance"]
    assert [h.id for h in search(library, "ocelot").hits] == [asset.id]
    assert [v["path"] for v in library.assets.versions(asset.id)] == [asset.path, str(new)]


def test_suggested_terms_are_kept_apart(library, mixed_folder):
    library.add_paths([mixed_folder])
    pdf = next(a for a in library.assets.all() if a.path.endswith(".pdf"))
    # "finance" is a keyword of CFO/Finance; the PDF was not tagged with it.
    assert "CFO/Finance" in pdf.suggested.get("persona", [])
    assert "persona" not in pdf.terms
    library.resolve_suggestions([pdf.id], accept=True, facet="persona")
    library.sync([pdf.id])
    assert "CFO/Finance" in library.assets.get(pdf.id).personas


def test_cancel_keeps_what_was_committed(library, tmp_path):
    import threading

    folder = tmp_path / "many"
    for n in range(12):
        (folder / f"{n:02}.txt").parent.mkdir(exist_ok=True)
        (folder / f"{n:02}.txt").write_text(f"document number {n} " * 20, encoding="utf-8")
    cancel = threading.Event()
    cancel.set()
    report = library.add_paths([folder], cancel=cancel)
    assert report.cancelled and library.assets.count() == 0
    report = library.add_paths([folder])
    assert len(report.added) == 12


def test_missing_index_is_rebuilt(library, mixed_folder):
    library.add_paths([mixed_folder])
    library.close()
    index_dir = library.folder / "index"
    shutil.rmtree(index_dir)
    from library import Library

    with Library(library.folder) as reopened:
        assert not reopened.index_in_step()
        assert reopened.ensure_index()
        assert search(reopened, "quokka").hits[0].page == 5


def test_corrupt_index_is_rebuilt(library, mixed_folder):
    library.add_paths([mixed_folder])
    library.close()
    (library.folder / "index" / "search.sqlite").write_bytes(b"garbage" * 1000)
    for extra in ("-wal", "-shm"):
        (library.folder / "index" / f"search.sqlite{extra}").unlink(missing_ok=True)
    from library import Library

    with Library(library.folder) as reopened:
        reopened.ensure_index()
        assert search(reopened, "narwhal").total == 1


def test_index_behind_the_catalog_is_caught_up(library, mixed_folder):
    library.add_paths([mixed_folder])
    asset = library.assets.all()[0]
    library.assets._update([asset.id], title="A title the index never saw")  # no sync: a crash
    assert not library.index_in_step()
    library.ensure_index()
    assert search(library, "never saw").total == 1


def test_watch_polls_and_reports_changes(library, mixed_folder):
    import threading

    from library.watch import watch

    library.add_paths([mixed_folder])
    reports = []
    stop = threading.Event()

    def on_report(report):
        reports.append(report)
        stop.set()

    (mixed_folder / "new-note.txt").write_text("A note about the pangolin.\n", encoding="utf-8")
    thread = threading.Thread(target=watch, args=(library, 0.05, stop, on_report))
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert len(reports) == 1 and len(reports[0].added) == 1
    assert search(library, "pangolin").total == 1


def test_change_whose_index_update_was_lost_is_replayed(library, mixed_folder):
    # Another instance committed an edit and was killed before updating the index, and a
    # later change here brought the index's generation up to date: the edit is still owed.
    library.add_paths([mixed_folder])
    lost, other = library.assets.ids()[:2]
    library.assets._update([lost], title="An edit the index never heard of")  # no sync
    library.update_assets([other], title="A later edit, synced")
    assert library.index_in_step()
    assert search(library, "never heard").total == 0
    library.ensure_index()
    assert [h.id for h in search(library, "never heard").hits] == [lost]
    assert library._pending() == []
