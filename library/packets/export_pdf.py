"""The PDF packet: cover, personal note, linked contents, then every asset, with bookmarks.

reportlab typesets the packet's own pages and converts DOCX, PPTX, HTML, Markdown and
text assets; source PDFs are merged page for page with pypdf. The typeset document keeps
a blank stand-in page for every merged page, so its page numbers are the packet's.
"""

from __future__ import annotations

import hashlib
import io
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.errors import PdfReadError, PyPdfError
from reportlab import platypus

from library.atomic import atomic_path
from library.models import Asset
from library.packets.content import READ_ERRORS, Content, read_content
from library.packets.cover import CoverData, cover_painter
from library.packets.document import DocumentItem, ExportedItem, PacketDocument, PdfExport
from library.packets.errors import ExportError
from library.packets.typeset import (
    BOTTOM,
    MARGIN,
    PORTRAIT,
    SLIDE,
    TOP,
    Anchor,
    ContentsEntry,
    DeferredCanvas,
    Layout,
    SlidePictures,
    block_flowables,
    fonts,
    kicker,
    page_templates,
    paragraphs,
    styles,
    text,
    type_label,
)
from library.progress import ProgressHook, report

log = logging.getLogger(__name__)


@dataclass
class _Source:
    item: DocumentItem
    key: str
    digest: str
    pdf: PdfReader | None = None
    content: Content | None = None

    @property
    def label(self) -> str:
        return _label(self.item.asset)


def _label(asset: Asset) -> str:
    return f"“{asset.title}” ({Path(asset.path).name})"


def _load(item: DocumentItem, index: int) -> _Source:
    """Read one asset's file and check it can go into the packet."""
    asset = item.asset
    label = _label(asset)
    try:
        data = Path(asset.path).read_bytes()
    except OSError as exc:
        raise ExportError(
            f"{label} cannot be read ({exc.strerror or exc}). Check that the file is still "
            "there, or remove it from the packet."
        ) from exc
    digest = hashlib.sha256(data).hexdigest()
    if asset.content_hash and digest != asset.content_hash:
        raise ExportError(
            f"{label} has changed since the library last read it. Rescan the library so the "
            "packet records the version it sends, then export again."
        )
    source = _Source(item, f"asset-{index}", digest)
    if Path(asset.path).suffix.lower() != ".pdf":
        try:
            source.content = read_content(asset.path, data)
        except READ_ERRORS as exc:
            raise ExportError(
                f"{label} is damaged and cannot be included. Fix or replace the file, "
                "or remove it from the packet."
            ) from exc
        return source
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ExportError(
                f"{label} is encrypted, so its pages cannot be merged into the packet. "
                "Ask its owner for an unprotected copy, or remove it from the packet."
            )
        if not len(reader.pages):
            raise PdfReadError("no pages")
    except (PdfReadError, PyPdfError, ValueError, KeyError) as exc:
        raise ExportError(
            f"{label} is damaged and cannot be merged into the packet. Fix or replace "
            "the file, or remove it from the packet."
        ) from exc
    source.pdf = reader
    return source


def _front_matter(doc: PacketDocument, sources: list[_Source], layout: Layout) -> list:
    rep = doc.rep.rep_name or doc.rep.rep_company
    story: list = [Anchor(layout, "cover"), platypus.Spacer(1, 1)]
    story += [platypus.NextPageTemplate("page"), platypus.PageBreak(), Anchor(layout, "note")]
    story += [kicker(f"A personal note from {rep}" if rep else "A personal note")]
    story += [platypus.Paragraph(f"{doc.day.day} {doc.day:%B %Y}", styles()["date"])]
    story += paragraphs(doc.note, "note") or [platypus.Spacer(1, 1)]
    story += [platypus.PageBreak(), Anchor(layout, "contents"), kicker("In this packet")]
    story += [platypus.Paragraph("Contents", styles()["h1"])]
    count, who = len(sources), doc.prospect.first_name or doc.prospect.company
    intro = f"{count} item{'s' if count != 1 else ''} selected for {text(who)}."
    story += [
        platypus.Paragraph(f"{intro} Select a title to go straight to it.", styles()["muted"])
    ]
    for number, source in enumerate(sources, start=1):
        asset = source.item.asset
        meta = type_label(asset.content_type)
        story.append(ContentsEntry(layout, source.key, number, asset.title, meta, source.item.note))
    return story


def _asset_story(source: _Source, layout: Layout) -> list:
    key = source.key
    if source.pdf is not None:
        story: list = [platypus.NextPageTemplate("blank"), platypus.PageBreak()]
        story += [Anchor(layout, key), platypus.Spacer(1, 1)]
        story += [platypus.PageBreak(), platypus.Spacer(1, 1)] * (len(source.pdf.pages) - 1)
        return story
    assert source.content is not None
    if source.content.slides:
        width, height = SLIDE[0] - 2 * MARGIN, SLIDE[1] - TOP - BOTTOM
        story = []
        for number, blocks in enumerate(source.content.pages):
            story += [platypus.NextPageTemplate("slide"), platypus.PageBreak()]
            story += [Anchor(layout, key)] if number == 0 else []
            pictures = source.content.pictures.get(number)
            if pictures:
                aspect = source.content.slide_aspect
                story.append(SlidePictures(pictures, width, height - 2, aspect))
                continue
            flowables = block_flowables(blocks, width, slide=True) or [platypus.Spacer(1, 1)]
            # One slide, one page, as in the deck: a crowded slide shrinks to fit.
            story.append(platypus.KeepInFrame(width, height - 2, flowables, mode="shrink"))
        return story
    width = PORTRAIT[0] - 2 * MARGIN
    story = [platypus.NextPageTemplate("page"), platypus.PageBreak(), Anchor(layout, key)]
    story.append(kicker(type_label(source.item.asset.content_type)))
    for number, blocks in enumerate(source.content.pages):
        story += [platypus.PageBreak()] if number else []
        story += block_flowables(blocks, width) or [platypus.Spacer(1, 1)]
    return story


def _typeset_text(doc: PacketDocument, sources: list[_Source]) -> Iterator[str]:
    """Every piece of text the packet's own pages show (merged PDFs keep their fonts)."""
    prospect, rep = doc.prospect, doc.rep
    yield from (doc.title, doc.note, prospect.full_name, prospect.role, prospect.company)
    yield from (prospect.email, rep.rep_name, rep.rep_title, rep.rep_company, rep.rep_email)
    yield rep.rep_phone
    for source in sources:
        yield from (source.item.asset.title, source.item.note)
        for blocks in source.content.pages if source.content else []:
            for block in blocks:
                yield block.text
                yield from (cell for row in block.rows for cell in row)


def uncovered_warning(missing: list[str]) -> str:
    """The warning for characters that no font has, each shown with its code point."""
    shown = ", ".join(f"{char} (U+{ord(char):04X})" for char in missing[:20])
    more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
    return (
        f"No font available has {len(missing)} character{'s' if len(missing) != 1 else ''} "
        f"of this packet, so {'they show' if len(missing) != 1 else 'it shows'} as empty "
        f"boxes: {shown}{more}. Install a font that has them (for Chinese, Japanese or "
        "Korean: fonts-wqy-zenhei on Debian and Ubuntu) and export again."
    )


def _typeset(doc: PacketDocument, sources: list[_Source], layout: Layout) -> bytes:
    buffer = io.BytesIO()
    cover = CoverData(doc.title, doc.prospect, doc.rep, doc.day, doc.logo, len(sources))
    template = platypus.BaseDocTemplate(
        buffer, pagesize=PORTRAIT, title=doc.title, author=doc.rep.rep_name, invariant=1
    )
    template.addPageTemplates(page_templates(cover_painter(cover)))
    story = _front_matter(doc, sources, layout)
    for source in sources:
        story += _asset_story(source, layout)
    template.build(story, canvasmaker=partial(DeferredCanvas, layout=layout))
    return buffer.getvalue()


def _sections(layout: Layout) -> list[tuple[str, int, int]]:
    """(key, first page, page count) of each section, in page order."""
    ordered = sorted(layout.starts.items(), key=lambda kv: kv[1])
    ends = [start for _, start in ordered[1:]] + [layout.total + 1]
    return [(key, start, end - start) for (key, start), end in zip(ordered, ends, strict=True)]


def export_pdf(
    doc: PacketDocument, path: Path | str, *, progress: ProgressHook = None
) -> PdfExport:
    """Write the packet as one PDF at ``path`` (through a temporary file, then renamed).

    :raises ExportError: naming the file, when an asset's file is missing, changed since
        the library read it, encrypted or damaged; nothing is written then.
    """
    started = time.perf_counter()
    if not doc.items:
        raise ExportError("The packet has no assets yet; add at least one before exporting.")
    sources = []
    for index, item in enumerate(doc.items):
        report(progress, "reading", index, len(doc.items), item.asset.title)
        sources.append(_load(item, index))
    report(progress, "typesetting", 0, None)
    warnings = []
    if missing := fonts().missing(_typeset_text(doc, sources)):
        warnings.append(uncovered_warning(missing))
        log.warning("%s", warnings[-1])
    layout = Layout(plain={"cover"} | {s.key for s in sources if s.pdf is not None})
    who = ", ".join(p for p in (doc.prospect.full_name, doc.prospect.company) if p)
    layout.footers = {"note": f"Prepared for {who}", "contents": f"Prepared for {who}"}
    layout.footers |= {s.key: s.item.asset.title for s in sources}
    frame = PdfReader(io.BytesIO(_typeset(doc, sources, layout)))

    report(progress, "assembling", 0, None)
    by_key = {s.key: s for s in sources}
    rep = doc.rep.rep_name or doc.rep.rep_company
    titles = {"cover": "Cover", "note": f"A note from {rep}" if rep else "Personal note"}
    titles |= {"contents": "Contents"} | {s.key: s.item.asset.title for s in sources}
    writer = PdfWriter()
    exported, contents_pages = [], []
    for key, start, count in _sections(layout):
        source = by_key.get(key)
        if source is not None and source.pdf is not None:
            try:
                writer.append(source.pdf, outline_item=titles[key], import_outline=True)
            except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as exc:
                raise ExportError(
                    f"{source.label} is damaged and cannot be merged into the packet. Fix "
                    "or replace the file, or remove it from the packet."
                ) from exc
        else:
            pages = (start - 1, start - 1 + count)
            writer.append(frame, outline_item=titles[key], pages=pages, import_outline=False)
        if key == "contents":
            contents_pages = list(range(start, start + count))
        if source is not None:
            asset = source.item.asset
            merged = source.pdf is not None
            exported.append(
                ExportedItem(asset.id, asset.title, start, count, source.digest, merged)
            )
    for page, rect, key in layout.links:
        writer.add_annotation(page - 1, Link(rect=rect, target_page_index=layout.starts[key] - 1))
    writer.add_metadata(
        {
            "/Title": doc.title,
            "/Author": doc.rep.rep_name or doc.rep.rep_company,
            "/Subject": f"Prepared for {who}",
            "/Creator": "Pitchpack",
            "/Producer": "Pitchpack",
        }
    )
    writer.page_mode = "/UseOutlines"
    with atomic_path(path) as temp:
        with open(temp, "wb") as file:
            writer.write(file)
    path = Path(path)
    report(progress, "assembling", 1, 1)
    return PdfExport(
        path=path,
        pages=layout.total,
        front_pages=min(item.first_page for item in exported) - 1,
        contents_pages=contents_pages,
        items=exported,
        size=path.stat().st_size,
        seconds=time.perf_counter() - started,
        warnings=warnings,
    )
