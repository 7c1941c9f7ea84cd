"""Text held in DrawingML objects of DOCX and PPTX files: charts (titles, axis titles,
series and category names) and SmartArt diagrams, which live in parts of their own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from lxml import etree

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
CX_NS = "http://schemas.microsoft.com/office/drawing/2014/chartex"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"

GRAPHIC_DATA = f"{{{A_NS}}}graphicData"
FALLBACK = f"{{{MC_NS}}}Fallback"
_A_T = f"{{{A_NS}}}t"
_C_SER, _C_TX, _C_CAT, _C_V = (f"{{{C_NS}}}{tag}" for tag in ("ser", "tx", "cat", "v"))
_CX_STRDIM, _CX_PT = f"{{{CX_NS}}}strDim", f"{{{CX_NS}}}pt"
# Relationship attributes that point at a chart part (r:id) or a diagram's data (r:dm);
# a diagram's layout, style and colour parts (r:lo, r:qs, r:cs) hold no content.
_TEXT_RELS = (f"{{{R_NS}}}id", f"{{{R_NS}}}dm")
_OBJECT_URIS = frozenset(
    {
        C_NS,
        CX_NS,
        "http://schemas.openxmlformats.org/drawingml/2006/diagram",
    }
)
# Entities and network access stay off: the XML comes from the file being imported.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


class _Part(Protocol):
    """A python-docx or python-pptx package part: both map relationship ids the same way."""

    rels: object


def graphic_text(graphic_data: etree._Element, part: _Part) -> list[str]:
    """The text of a chart or SmartArt object, read from the part it refers to.

    :param graphic_data: an ``a:graphicData`` element of a slide or document.
    :param part: the package part holding that element, to resolve its relationships.
    :returns: lines of text in reading order; empty for other objects (pictures, tables,
        which carry their text inline) and for parts that are missing or not XML.
    """
    if graphic_data.get("uri") not in _OBJECT_URIS:
        return []
    lines: list[str] = []
    for element in graphic_data.iter():
        for attribute in _TEXT_RELS:
            rel_id = element.get(attribute)
            if rel_id:
                lines += part_text(_related_blob(part, rel_id))
    return lines


def part_text(blob: bytes | None) -> list[str]:
    """Lines of a chart or diagram part: every run of rich text (titles, axis titles,
    SmartArt nodes), then series and category names; numbers are left out."""
    if not blob:
        return []
    try:
        root = etree.fromstring(blob, _PARSER)
    except etree.LxmlError:
        return []
    lines = [t.text for t in root.iter(_A_T) if t.text and t.text.strip()]
    seen = set(lines)
    for value in _names(root):
        value = value.strip()
        # Every series repeats the categories; one mention is enough for search.
        if value and value not in seen:
            seen.add(value)
            lines.append(value)
    return lines


def _names(root: etree._Element) -> Iterator[str]:
    for series in root.iter(_C_SER):
        for tag in (_C_TX, _C_CAT):
            holder = series.find(tag)
            if holder is not None:
                yield from (v.text or "" for v in holder.iter(_C_V))
    for dimension in root.iter(_CX_STRDIM):
        yield from (pt.text or "" for pt in dimension.iter(_CX_PT))


def _related_blob(part: _Part, rel_id: str) -> bytes | None:
    try:
        rel = part.rels[rel_id]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    if getattr(rel, "is_external", False):
        return None
    target = getattr(rel, "target_part", None)
    return getattr(target, "blob", None)
