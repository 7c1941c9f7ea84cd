"""Cutting unpaged text (TXT, Markdown, HTML, DOCX) into bounded sections.

A search builds a hit's snippet and best page from that page's text, so one page of two
million characters costs seconds where a page of a few thousand costs microseconds.
Sections play the part of pages for such text: the index ranks them, the preview shows
them. They are cut at a paragraph end where there is one, else at a sentence end, a
line end or a space, and only a word longer than a section is cut through.
"""

from __future__ import annotations

import re

from library.models import Extracted, Page

SECTION_CHARS = 4_000  # the most characters a section holds
_MIN_SHARE = 2  # a section is cut no earlier than at SECTION_CHARS / _MIN_SHARE
_BREAKS = (
    re.compile(r"\n[^\S\n]*\n\s*"),  # a blank line: the end of a paragraph
    re.compile(r"(?<=[.!?…。])[\"'”’)\]]*\s+"),  # the end of a sentence
    re.compile(r"\n\s*"),  # a line end
    re.compile(r"\s+"),  # any space
)


def cut_sections(text: str, size: int = SECTION_CHARS) -> list[str]:
    """Cut ``text`` into sections of at most ``size`` characters, in order.

    Whitespace at a cut is dropped and nothing else: joined with blank lines, the
    sections hold the text's words in the same order. Text that fits in one section
    (empty text included) comes back unchanged, as the one section it is.
    """
    if len(text) <= size:
        return [text]
    sections: list[str] = []
    start = 0
    while len(text) - start > size:
        cut, resume = _cut_point(text, start, start + size // _MIN_SHARE, start + size)
        section = text[start:cut].strip()
        if section:
            sections.append(section)
        start = resume
    if text[start:].strip() or not sections:
        sections.append(text[start:].strip())
    return sections


def _cut_point(text: str, start: int, low: int, high: int) -> tuple[int, int]:
    """Where to end the section starting at ``start`` (between ``low`` and ``high``), and
    where the next one begins."""
    window = text[low : high + 1]
    for pattern in _BREAKS:
        last = None
        for last in pattern.finditer(window):  # noqa: B007 - only the last one is wanted
            pass
        if last is not None:
            return low + last.start(), low + last.end()
    return high, high  # one word longer than a section


def sectioned(extracted: Extracted, size: int = SECTION_CHARS) -> Extracted:
    """Give unpaged text its sections as pages numbered from 1; paged formats (PDF pages,
    slides) are returned as they are."""
    if extracted.paged:
        return extracted
    extracted.pages = [
        Page(number, text) for number, text in enumerate(cut_sections(extracted.text, size), 1)
    ]
    return extracted
