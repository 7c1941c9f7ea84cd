"""HTML: the visible text and the <title>, read with the standard library's parser."""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from pathlib import Path

from library.extract.text import decode
from library.models import Extracted, Page

# Markup takes room: allow more bytes per kept character than for plain text.
BYTES_PER_CHAR = 8

_HIDDEN = frozenset({"script", "style", "template", "noscript", "head"})
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl",
        "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
        "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def extract(path: Path, max_chars: int) -> Extracted:
    """Read an HTML file as one page, skipping scripts, styles and the head."""
    with open(path, "rb") as file:
        data = file.read(max_chars * BYTES_PER_CHAR + 1)
    truncated = len(data) > max_chars * BYTES_PER_CHAR
    if truncated:
        data = data[: max_chars * BYTES_PER_CHAR]
    text, title = visible_text(_decode_html(data, complete=not truncated))
    return Extracted(pages=[Page(1, text)], title=title, paged=False, truncated=truncated)


def visible_text(markup: str) -> tuple[str, str | None]:
    """Return the text a browser would show for markup, and its <title> if any."""
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    return parser.text(), parser.title()


def _decode_html(data: bytes, *, complete: bool) -> str:
    """UTF-8 first, then the charset the page declares, then Latin-1."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, complete=complete)
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode("latin-1")


class _VisibleText(HTMLParser):
    """Collects text outside hidden elements; keeps counters, not a tree, so nesting
    depth costs nothing."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._chunks: list[str] = []
        self._title: list[str] = []
        self._hidden: dict[str, int] = dict.fromkeys(_HIDDEN, 0)
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._hidden:
            self._hidden[tag] += 1
        elif tag == "body":
            # Pages often leave <head> unclosed; the body starts visible text anyway.
            self._hidden["head"] = 0
        elif tag == "title":
            # Only the document's first <title>; an SVG's titles name pictures.
            self._in_title = not self._title
        elif tag in _BLOCKS:
            self._chunks.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._hidden:
            self._hidden[tag] = max(0, self._hidden[tag] - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in _BLOCKS:
            self._chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        elif not any(self._hidden.values()):
            self._chunks.append(data)

    def text(self) -> str:
        text = _SPACES.sub(" ", "".join(self._chunks).replace("\x00", ""))
        text = "\n".join(line.strip() for line in text.split("\n"))
        return _BLANK_LINES.sub("\n\n", text).strip()

    def title(self) -> str | None:
        return " ".join("".join(self._title).split()) or None
