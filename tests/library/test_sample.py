"""Tests of the sample library: its sources, their coverage, and the files rendered from them."""

from __future__ import annotations

import csv
import time
from collections import Counter
from datetime import date
from pathlib import Path

import docx
import pptx
import pypdfium2 as pdfium
import pytest

from library.models import ContentType
from library.sample import (
    CSV_COLUMNS,
    SampleSource,
    build_sample_library,
    load_sources,
    markdown_to_text,
    parse_slides,
    split_front_matter,
)

STAGES = {"Awareness", "Consideration", "Decision", "Onboarding", "Expansion"}
PERSONAS = {
    "Executive/CEO",
    "CFO/Finance",
    "CIO/IT leader",
    "Operations",
    "Procurement",
    "End user",
}
MINIMUM_FORMATS = {"pdf": 12, "docx": 8, "pptx": 8, "html": 6, "md": 4, "txt": 2}
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def sources() -> list[SampleSource]:
    return load_sources()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, list[Path], float]:
    dest = tmp_path_factory.mktemp("sample")
    start = time.perf_counter()
    paths = build_sample_library(dest)
    return dest, paths, time.perf_counter() - start


def test_there_are_enough_substantive_sources(sources: list[SampleSource]) -> None:
    assert len(sources) >= 42
    for source in sources:
        assert 300 <= len(source.body.split()) <= 1500, source.slug
        assert source.title and source.owner and source.summary, source.slug


def test_sources_cover_every_type_stage_and_persona(sources: list[SampleSource]) -> None:
    assert {s.type for s in sources} == {member.value for member in ContentType}
    assert {stage for s in sources for stage in s.stages} == STAGES
    assert {persona for s in sources for persona in s.personas} == PERSONAS


def test_sources_spread_over_formats_and_statuses(sources: list[SampleSource]) -> None:
    formats = Counter(s.format for s in sources)
    for name, minimum in MINIMUM_FORMATS.items():
        assert formats[name] >= minimum, name
    statuses = Counter(s.status for s in sources)
    assert statuses["draft"] >= 2 and statuses["archived"] >= 2
    assert set(statuses) == {"approved", "draft", "archived"}


def test_two_sources_expired_and_two_expire_within_weeks(sources: list[SampleSource]) -> None:
    expiries = [date.fromisoformat(s.expires) for s in sources if s.expires]
    assert len([d for d in expiries if d.year == 2025]) == 2
    assert len([d for d in expiries if 0 < (d - TODAY).days <= 42]) == 2


def test_white_papers_span_five_to_eight_pages(sources: list[SampleSource]) -> None:
    papers = [s for s in sources if s.type == "white paper"]
    assert papers
    for paper in papers:
        assert 5 <= len(paper.pages) <= 8, paper.slug


def test_colocation_is_the_common_thread(sources: list[SampleSource]) -> None:
    mentioning = [s for s in sources if "colocation" in (s.title + s.body).lower()]
    assert len(mentioning) >= len(sources) * 3 // 4


def test_decks_have_slides_with_bullets_and_notes(sources: list[SampleSource]) -> None:
    for deck in (s for s in sources if s.format == "pptx"):
        slides = parse_slides(deck.body)
        assert len(slides) >= 5, deck.slug
        assert all(slide.bullets for slide in slides), deck.slug
        assert sum(bool(slide.notes) for slide in slides) >= len(slides) - 2, deck.slug


def test_build_writes_every_source(built, sources: list[SampleSource]) -> None:
    dest, paths, _seconds = built  # how long it takes: bench/sample_bench.py
    assert [path.name for path in paths] == [s.filename for s in sources]
    assert {path.name for path in dest.iterdir()} == {s.filename for s in sources} | {
        "metadata.csv"
    }


def test_metadata_csv_matches_the_files(built, sources: list[SampleSource]) -> None:
    dest, _, _ = built
    with open(dest / "metadata.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    assert [row["path"] for row in rows] == [s.filename for s in sources]
    assert all((dest / row["path"]).is_file() for row in rows)
    by_path = {row["path"]: row for row in rows}
    for source in sources:
        row = by_path[source.filename]
        assert row["title"] == source.title
        assert row["type"] == source.type
        assert row["stages"].split("; ") == source.stages
        assert row["personas"].split("; ") == source.personas
        assert row["expires"] == (source.expires or "")


def test_every_file_opens_in_its_library(built, sources: list[SampleSource]) -> None:
    dest, _, _ = built
    for source in sources:
        path = dest / source.filename
        if source.format == "pdf":
            document = pdfium.PdfDocument(path)
            assert len(document) == len(source.pages), source.slug
            assert document.get_metadata_dict()["Title"] == source.title
            document.close()
        elif source.format == "docx":
            document = docx.Document(path)
            assert document.core_properties.title == source.title
            assert document.core_properties.author == source.owner
        elif source.format == "pptx":
            deck = pptx.Presentation(path)
            assert len(deck.slides) == len(parse_slides(source.body)), source.slug
        elif source.format == "html":
            assert "<title>" in path.read_text(encoding="utf-8")
        elif source.format == "md":
            meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
            assert meta["title"] == source.title
        else:
            text = path.read_text(encoding="utf-8")
            assert not text.startswith("---") and "**" not in text and "<!--" not in text


def test_a_word_lands_on_its_pdf_page(built, sources: list[SampleSource]) -> None:
    dest, _, _ = built
    paper = next(s for s in sources if s.slug == "colocation-tco-white-paper")
    document = pdfium.PdfDocument(dest / paper.filename)
    assert "Public cloud wins" in document[4].get_textpage().get_text_range()
    document.close()


def test_build_is_deterministic(built, tmp_path: Path) -> None:
    dest, paths, _ = built
    again = build_sample_library(tmp_path / "again")
    for first, second in zip(paths, again, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    assert (dest / "metadata.csv").read_bytes() == (tmp_path / "again/metadata.csv").read_bytes()


@pytest.mark.parametrize(
    ("text", "meta", "body"),
    [
        ("# Plain\n", {}, "# Plain\n"),
        ("---\n\nA rule, not front matter\n", {}, "---\n\nA rule, not front matter\n"),
        ("---\n---\nBody\n", {}, "Body\n"),
        ("---\ntitle: T\n...\nBody\n", {"title": "T"}, "Body\n"),
        ("\ufeff---\ntitle: T\n---\nBody\n", {"title": "T"}, "Body\n"),
        ("---\r\ntitle: T\r\n---\r\nBody\r\n", {"title": "T"}, "Body\r\n"),
        (
            "---\nexpires: 2027-06-30\nstages: [Awareness, Decision]\n---\n",
            {"expires": "2027-06-30", "stages": ["Awareness", "Decision"]},
            "",
        ),
    ],
    ids=["none", "hr", "empty", "dots", "bom", "crlf", "typed"],
)
def test_split_front_matter(text: str, meta: dict, body: str) -> None:
    assert split_front_matter(text) == (meta, body)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ntitle: T\nsummary: a: b\n---\nBody", "line 3"),
        ("---\ntitle: [unclosed\n---\n", "not valid YAML"),
        ("---\n- a list\n---\n", "key: value"),
    ],
    ids=["colon", "unclosed", "list"],
)
def test_split_front_matter_rejects_malformed_yaml(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        split_front_matter(text)


def test_load_sources_names_the_bad_file(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text("---\ntitle: G\ntype: other\nformat: md\n---\nx\n")
    (tmp_path / "bad.md").write_text("---\ntitle: B\ntype: other\nformat: odt\n---\nx\n")

    with pytest.raises(ValueError, match="bad.md"):
        load_sources(tmp_path)


def test_load_sources_reads_lists_and_defaults(tmp_path: Path) -> None:
    (tmp_path / "one.md").write_text(
        "---\ntitle: One\ntype: blog post\nformat: html\nstages: Awareness\n"
        "tags: [colo, tco]\n---\nBody\n<!-- page -->\nMore\n"
    )

    (source,) = load_sources(tmp_path)

    assert source.slug == "one" and source.status == "approved" and source.expires is None
    assert source.stages == ["Awareness"] and source.tags == ["colo", "tco"]
    assert source.pages == ["Body", "More"]


def test_parse_slides_and_markdown_to_text() -> None:
    body = (
        "## First\n- one\n- two\n\nNotes: Say this\nand that.\n\n"
        "## Second\nplain line\n\n# Heading\n\n| A | B |\n|---|---|\n| **1** | 2 |\n"
    )

    first, second = parse_slides(body)
    assert (first.title, first.bullets, first.notes) == (
        "First",
        ["one", "two"],
        "Say this and that.",
    )
    assert second.bullets[0] == "plain line"
    text = markdown_to_text(body)
    assert "Heading\n=======" in text and "1  2" in text
    assert "#" not in text and "**" not in text and "|" not in text


def test_load_sample_library_applies_its_sheet_without_warnings(tmp_path):
    from library import Library
    from library.sample import load_sample_library

    with Library(tmp_path / "lib", workers=1) as lib:
        report = load_sample_library(lib)
        assert len(report.added) >= 42 and not report.failed and not report.skipped
        assert all(a.stages for a in lib.assets.all())  # the metadata sheet was applied
