"""Markdown: YAML front matter as metadata, and the body as plain text without markup."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from library.extract.html import visible_text
from library.extract.text import BYTES_PER_CHAR, read_text
from library.frontmatter import split_front_matter
from library.models import Extracted, Page

_PAGE_MARKER = re.compile(r"^[ \t]*<!--\s*page\s*-->[ \t]*$", re.M | re.I)
_HIDDEN_INLINE = re.compile(r"<\s*(/?)\s*(?:script|style|template|noscript)\b", re.I)
# Built once per process: building the parser's rule chains cost a third of reading a
# 3 KB file. ``parse`` keeps its state per call, so one parser serves every file.
_PARSER = MarkdownIt("commonmark").enable("table")


def extract(path: Path, max_chars: int) -> Extracted:
    """Read a Markdown file as one page; front matter goes to ``Extracted.metadata``.

    The title is the front matter's ``title``, else the first level-one heading.
    """
    raw, truncated = read_text(path, max_chars * BYTES_PER_CHAR)
    try:
        metadata, body = split_front_matter(raw)
    except ValueError:
        metadata, body = {}, raw  # unreadable front matter stays in the text: nothing is lost
    text, heading = _plain_text(_PAGE_MARKER.sub("", body))
    return Extracted(
        pages=[Page(1, text)],
        title=_string(metadata.get("title")) or heading,
        author=_string(metadata.get("author")),
        language=_string(metadata.get("language")),
        paged=False,
        metadata=metadata,
        truncated=truncated,
    )


def _plain_text(body: str) -> tuple[str, str | None]:
    """Return the body's text without markup, and the first level-one heading."""
    blocks: list[str] = []
    heading: str | None = None
    in_h1 = False
    for token in _PARSER.parse(body):
        if token.type == "heading_open":
            in_h1 = token.tag == "h1"
        elif token.type == "inline":
            line = _inline_text(token.children or [])
            if in_h1 and heading is None:
                heading = line.strip() or None
            blocks.append(line)
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content)
        elif token.type == "html_block":
            blocks.append(visible_text(token.content)[0])
        elif token.type == "heading_close":
            in_h1 = False
    text = "\n".join(block.strip("\n") for block in blocks if block.strip())
    return text, heading


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    hidden = 0  # inside inline <script> or <style>: their text is code, never content
    for child in children:
        if child.type == "html_inline":
            if tag := _HIDDEN_INLINE.match(child.content):
                hidden = max(0, hidden + (-1 if tag.group(1) else 1))
        elif hidden:
            continue
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "image":
            parts.append(child.content)  # the alt text
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    return "".join(parts)


def _string(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
