"""Unpaged text is cut into bounded sections, which the index and the preview use as pages."""

from __future__ import annotations

import random
import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from library import Library
from library.extract import extract_file
from library.extract.sections import SECTION_CHARS, cut_sections
from search import SearchQuery

WORDS = (
    "colocation cooling power rack cloud migration hybrid latency security compliance "
    "pricing contract customer the a of and to for with data center interconnect"
).split()
DEEP_WORD = "quetzalcoatl"


def prose(chars: int, seed: int = 7) -> str:
    """Paragraphs of sentences, about ``chars`` characters."""
    rng = random.Random(seed)
    paragraphs, size = [], 0
    while size < chars:
        sentences = [
            " ".join(rng.choices(WORDS, k=rng.randint(6, 18))).capitalize() + "."
            for _ in range(rng.randint(1, 6))
        ]
        paragraphs.append(" ".join(sentences))
        size += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)


def words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize(
    "text",
    [
        prose(50_000),  # paragraphs
        prose(50_000).replace("\n\n", " "),  # one paragraph: cut at sentence ends
        prose(50_000).replace("\n\n", " ").replace(".", ""),  # no sentences: at spaces
        "x" * 9_001,  # one word longer than a section
        "",
        "Short text.",
    ],
    ids=["paragraphs", "sentences", "spaces", "long-word", "empty", "short"],
)
def test_sections_are_bounded_and_keep_every_word(text):
    sections = cut_sections(text)
    assert sections and all(len(s) <= SECTION_CHARS for s in sections)
    if "x" * 10 not in text:
        assert words("\n\n".join(sections)) == words(text)
    assert all(len(s) >= SECTION_CHARS // 2 for s in sections[:-1])


def test_sections_end_at_paragraphs_then_sentences():
    by_paragraph = cut_sections(prose(50_000))
    assert all(s.endswith(".") for s in by_paragraph)
    text = prose(50_000).replace("\n\n", " ")
    assert all(s.endswith(".") for s in cut_sections(text))


def write_big_text(folder, chars: int = 2_200_000):
    """A text past the 2,000,000-character limit, with a rare word at 1.7 million."""
    text = prose(chars)
    deep = 1_700_000
    cut = text.index(" ", deep)
    path = folder / "big.txt"
    path.write_text(f"{text[:cut]} {DEEP_WORD}{text[cut:]}", encoding="utf-8")
    return path


def test_a_two_million_character_text_gets_many_bounded_pages(tmp_path):
    extracted = extract_file(write_big_text(tmp_path))
    assert not extracted.paged and extracted.truncated  # kept: the first 2,000,000 characters
    assert len(extracted.pages) >= 2_000_000 // SECTION_CHARS
    assert all(len(p.text) <= SECTION_CHARS for p in extracted.pages)
    assert [p.number for p in extracted.pages] == list(range(1, len(extracted.pages) + 1))


def test_a_word_deep_in_a_big_text_finds_its_section(library, tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    write_big_text(folder)
    (folder / "small.md").write_text("# Small\n\nA note on colocation pricing.\n")
    library.add_paths([folder])
    big = next(a for a in library.assets.all() if a.path.endswith("big.txt"))
    pages = library.assets.pages(big.id)
    expected = [p.number for p in pages if DEEP_WORD in p.text]
    assert len(expected) == 1 and expected[0] > len(pages) * 0.8

    result = library.search(SearchQuery(text=DEEP_WORD, as_you_type=False))
    assert [h.id for h in result.hits] == [big.id]
    hit = result.hits[0]
    assert hit.section == expected[0] and hit.page is None
    assert f"<b>{DEEP_WORD}</b>" in hit.snippet
    common = library.search(SearchQuery(text="colocation", as_you_type=False))
    by_id = {h.id: h for h in common.hits}
    assert by_id[big.id].section is not None and "<b>colocation</b>" in by_id[big.id].snippet
    small = next(h for h in common.hits if h.path.endswith("small.md"))
    assert small.section is None and small.page is None  # one section: nothing to point at


def test_an_existing_catalog_is_cut_into_sections_when_opened(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "long.md").write_text("# Long\n\n" + prose(60_000) + f"\n\n{DEEP_WORD} ends it.\n")
    lib_dir = tmp_path / "library"
    with Library(lib_dir, workers=1) as lib:
        lib.add_paths([folder])
        (asset_id,) = lib.assets.ids()
        text = "\n\n".join(p.text for p in lib.assets.pages(asset_id))
    # The catalog as an earlier version left it: the whole text as one page.
    with sqlite3.connect(lib_dir / "catalog.sqlite") as db:
        db.execute("DELETE FROM pages WHERE asset_id = ?", (asset_id,))
        db.execute("INSERT INTO pages VALUES (?, 1, ?)", (asset_id, text))
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_unpaged_sections'")
    with Library(lib_dir, workers=1) as lib:
        pages = lib.assets.pages(asset_id)
        assert len(pages) > 10 and all(len(p.text) <= SECTION_CHARS for p in pages)
        assert words("\n\n".join(p.text for p in pages)) == words(text)
        assert not lib.ensure_index()  # the index takes the queued asset, no full rebuild
        hit = lib.search(SearchQuery(text=DEEP_WORD, as_you_type=False)).hits[0]
        assert hit.section == len(pages) and DEEP_WORD in re.sub("<[^>]+>", "", hit.snippet)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="ab é東.!? \n\t…", max_size=2_000),
    size=st.integers(1, 300),
)
def test_any_text_is_cut_into_bounded_sections(text, size):
    sections = cut_sections(text, size)
    assert sections and all(len(s) <= size for s in sections)
    if max(map(len, text.split()), default=0) <= size // 2:  # no word needs cutting through
        assert words("\n\n".join(sections)) == words(text)
    else:
        assert "".join("".join(sections).split()) == "".join(text.split())
