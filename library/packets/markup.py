"""Pitchpack's small line-based markup: ``#`` headings, paragraphs, ``-`` and ``1.`` list
items, ``|`` tables, and inline ``**bold**`` and ``[label](url)``.

Packets read documents into these blocks to typeset them; the sample library and test
fixtures are written from it (``library.docgen``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_NUMBERED = re.compile(r"^\d+[.)]\s+(.*)$")
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_INLINE = re.compile(r"\*\*(.+?)\*\*|\[([^\]]+)\]\(([^)\s]+)\)")


@dataclass
class Block:
    """One unit of mini-markup: a heading, paragraph, list item or table."""

    kind: str  # h1, h2, h3, para, bullet, number, table
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


def _line_kind(line: str) -> tuple[str, str]:
    if heading := _HEADING.match(line):
        return f"h{len(heading.group(1))}", heading.group(2).strip()
    if line.startswith(("- ", "* ")):
        return "bullet", line[2:].strip()
    if numbered := _NUMBERED.match(line):
        return "number", numbered.group(1).strip()
    return "para", line


def parse_markup(text: str) -> list[Block]:
    """Split one page of mini-markup into headings, paragraphs, list items and tables."""
    blocks: list[Block] = []
    open_kind = None  # the kind of block the next line may continue: "para" or "table"
    for raw in text.splitlines():
        line = raw.strip()
        if open_kind == "table" and _SEPARATOR.match(line):
            continue
        if " | " in line or (len(line) > 1 and line[0] == line[-1] == "|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if open_kind == "table":
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
            open_kind = "table"
            continue
        kind, content = _line_kind(line)
        if line and kind == "para" and open_kind == "para":
            blocks[-1].text += " " + content
        elif line:
            blocks.append(Block(kind, content))
        open_kind = kind if line and kind == "para" else None
    for block in blocks:
        width = max(map(len, block.rows), default=0)
        block.rows = [row + [""] * (width - len(row)) for row in block.rows]
    return blocks


def runs(text: str) -> list[tuple[str, bool, str | None]]:
    """Cut text into (text, bold, link) runs for **bold** and [label](url)."""
    parts = _INLINE.split(text)  # text, then bold, label, url and text again, repeating
    found = [(parts[0], False, None)] if parts[0] else []
    for index in range(1, len(parts), 4):
        bold, label, url, after = parts[index : index + 4]
        found.append((bold, True, None) if bold is not None else (label, False, url))
        if after:
            found.append((after, False, None))
    return found


def plain_text(text: str) -> str:
    """Text of one markup line with its inline markers removed."""
    return "".join(run for run, _, _ in runs(text))
