"""The packet's cover note as a Word document, for reps who edit their notes in Word."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.shared import Pt, RGBColor

from library.atomic import atomic_path
from library.packets.document import PacketDocument
from library.packets.typeset import type_label
from library.packets.typography import MUTED, NAVY, TEAL


def _color(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#"))


def _lines(paragraph, text: str) -> None:
    """Add text to a paragraph, turning single line breaks into Word line breaks."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        if index < len(lines) - 1:
            run.add_break()


def export_docx(doc: PacketDocument, path: Path | str) -> Path:
    """Write the cover note (note, contents with the rep's notes) as a DOCX at ``path``."""
    document = docx.Document()
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(11)
    for level in (1, 2):
        styles[f"Heading {level}"].font.color.rgb = _color(NAVY)
    properties = document.core_properties
    properties.title = doc.title
    properties.author = doc.rep.rep_name or doc.rep.rep_company
    properties.subject = f"Prepared for {doc.prospect.full_name}"

    document.add_heading(doc.title, level=1)
    who = ", ".join(
        p for p in (doc.prospect.full_name, doc.prospect.role, doc.prospect.company) if p
    )
    meta = document.add_paragraph()
    run = meta.add_run(f"Prepared for {who} · {doc.day.day} {doc.day:%B %Y}")
    run.font.color.rgb, run.font.size = _color(MUTED), Pt(10)

    for chunk in doc.note.replace("\r\n", "\n").split("\n\n"):
        if chunk.strip():
            _lines(document.add_paragraph(), chunk.strip("\n"))

    document.add_heading("In this packet", level=2)
    for item in doc.items:
        entry = document.add_paragraph(style="List Number")
        entry.add_run(item.asset.title).bold = True
        label = entry.add_run(f"  {type_label(item.asset.content_type).upper()}")
        label.font.size, label.font.color.rgb = Pt(8.5), _color(TEAL)
        if item.note.strip():
            why = document.add_paragraph(style="List Continue")
            _lines(why, item.note.strip())
            for run in why.runs:
                run.italic = True

    with atomic_path(path) as temp:
        document.save(str(temp))
    return Path(path)
