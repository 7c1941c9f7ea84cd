"""What the preview shows of an asset, prepared off the GUI thread as plain data.

``load_preview`` reads the asset and its page texts through the core, finds the pages
that mention the search words and, for formats shown as text, builds highlighted HTML.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from PySide6.QtGui import QImage

from library import Library
from library.models import Asset, Page, TextSource
from library.slide_images import slide_images

_MARK = re.compile(r"<b>(.*?)</b>", re.IGNORECASE)
_FIELD = re.compile(r"^\w+:")
# Unpaged text longer than this is shown one section at a time, so the preview costs the
# same for any file; shorter text is shown whole.
WHOLE_TEXT_CHARS = 60_000


@dataclass
class PreviewData:
    asset: Asset
    is_pdf: bool
    terms: list[str]
    hit_pages: list[int]  # page numbers (1-based) that mention a search word
    html: str = ""  # for text formats: the document with hits marked as <a name="hit-N">
    hit_count: int = 0
    page_count: int = 0
    pages_with_anchor: list[int] = field(default_factory=list)
    # Long unpaged text: shown a section at a time (`section_html`); ``hit_pages`` then
    # holds section numbers.
    sectioned: bool = False
    sections: list[Page] = field(default_factory=list)
    first_marks: dict[int, int] = field(default_factory=dict)  # section -> its first hit-N
    # A textless deck's slide pictures, decoded off the GUI thread (QImage may be).
    slide_images: list[QImage] = field(default_factory=list)


def search_terms(query_text: str, snippet: str = "") -> list[str]:
    """Words to highlight: the query's own words plus the forms the index matched."""
    words = []
    for token in re.findall(r'[^\s"]*"[^"]*"?|\S+', query_text):
        if token.startswith("-") or _FIELD.match(token) or token.upper() in ("AND", "OR", "NOT"):
            continue
        words += re.findall(r"[\w'-]+", token.strip('"*'))
    words += [html.unescape(m) for m in _MARK.findall(snippet)]
    seen: dict[str, None] = {}
    for word in words:
        key = word.casefold().strip("'-")
        if len(key) >= 2:
            seen.setdefault(key, None)
    return list(seen)


def term_pattern(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def word_root(word: str) -> str:
    """A crude stem, enough to find "priced" and "prices" for "pricing" on a page."""
    return word if len(word) <= 4 else word[: max(4, len(word) - 3)]


def matching_pages(
    pages: list[Page], terms: list[str], query_words: list[str] | None = None
) -> list[int]:
    """Pages that mention every query word (by root), else pages with any highlighted term."""
    roots = [re.compile(rf"\b{re.escape(word_root(w))}", re.IGNORECASE) for w in query_words or []]
    if roots:
        every = [p.number for p in pages if all(r.search(p.text) for r in roots)]
        if every:
            return every
    pattern = term_pattern(terms + [word_root(w) for w in query_words or []])
    if pattern is None:
        return []
    return [p.number for p in pages if pattern.search(p.text)]


def load_preview(
    library: Library, asset_id: int, query_text: str, snippet: str = ""
) -> PreviewData:
    asset = library.assets.get(asset_id)
    pages = library.assets.pages(asset_id)
    words = search_terms(query_text)
    terms = search_terms(query_text, snippet)
    data = PreviewData(
        asset=asset,
        is_pdf=asset.path.lower().endswith(".pdf"),
        terms=terms,
        hit_pages=matching_pages(pages, terms, words),
        page_count=len(pages),
    )
    if not TextSource(asset.text_source).has_text and asset.path.lower().endswith(".pptx"):
        data.slide_images = [QImage.fromData(png) for png in slide_images(asset.path)]
        return data
    if data.is_pdf:
        return data
    roots = [word_root(w) for w in words]
    data.terms = terms + roots
    if not asset.paged and sum(len(p.text) for p in pages) > WHOLE_TEXT_CHARS:
        data.sectioned, data.sections = True, pages
        return data
    data.html, data.hit_count = pages_html(
        pages,
        data.terms,
        paged=asset.paged,
        slides=asset.path.lower().endswith(".pptx"),
        first_marks=data.first_marks,
    )
    return data


def section_html(data: PreviewData, number: int) -> tuple[str, int]:
    """One section of a sectioned preview as HTML with matches marked; (html, marks)."""
    return pages_html([data.sections[number - 1]], data.terms, paged=False)


def pages_html(
    pages: list[Page],
    terms: list[str],
    *,
    paged: bool,
    slides: bool = False,
    first_marks: dict[int, int] | None = None,
) -> tuple[str, int]:
    """Page texts as HTML paragraphs with matches marked; returns (html, number of marks).

    Each page or section starts at an anchor ``page-N``; ``first_marks``, when given, is
    filled with the number of each page's first mark.
    """
    pattern = term_pattern(terms)
    count = 0
    parts = []

    def mark(match: re.Match) -> str:
        nonlocal count
        count += 1
        return f"<a name='hit-{count}'></a><span class='hit'>{match.group(0)}</span>"

    for page in pages:
        if paged and len(pages) > 1:
            label = "Slide" if slides else "Page"
            parts.append(
                f"<a name='page-{page.number}'></a><p class='page'>{label} {page.number}</p>"
            )
        elif len(pages) > 1:
            parts.append(f"<a name='page-{page.number}'></a>")
        before = count
        lines = [line.strip() for line in page.text.splitlines() if line.strip()]
        for group in _blocks(lines):
            texts = [html.escape(line) for line in group]
            if pattern is not None:
                texts = [_mark_escaped(text, pattern, mark) for text in texts]
            if len(group) == 1 and _short(group[0]):
                parts.append(f"<h3>{texts[0]}</h3>")
            else:
                parts.append(f"<p>{'<br>'.join(texts)}</p>")
        if first_marks is not None and count > before:
            first_marks[page.number] = before + 1
    return "\n".join(parts), count


def _short(line: str) -> bool:
    return len(line) < 70 and not line.endswith((".", ":", ";", ",", "?", "!"))


def _blocks(lines: list[str]) -> list[list[str]]:
    """Paragraphs one per line, but runs of short lines (table cells, lists) kept together."""
    blocks: list[list[str]] = []
    run: list[str] = []
    for line in [*lines, ""]:
        if line and _short(line):
            run.append(line)
            continue
        if len(run) >= 3:
            blocks.append(run)
        else:
            blocks += [[item] for item in run]
        run = []
        if line:
            blocks.append([line])
    return blocks


def _mark_escaped(text: str, pattern: re.Pattern, mark) -> str:
    # Only mark text outside HTML entities such as &amp;.
    pieces = re.split(r"(&\w+;|&#\d+;)", text)
    return "".join(p if i % 2 else pattern.sub(mark, p) for i, p in enumerate(pieces))
