"""What an export is given and what it gives back: plain data, no format libraries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from library.models import Asset
from library.packets.model import Prospect
from library.packets.settings import RepSettings


@dataclass
class DocumentItem:
    asset: Asset
    note: str = ""


@dataclass
class PacketDocument:
    """Everything an export needs, already merged: no merge fields, no database."""

    title: str
    prospect: Prospect
    rep: RepSettings
    note: str
    items: list[DocumentItem]
    day: date = field(default_factory=date.today)
    logo: Path | None = None


@dataclass
class ExportedItem:
    """Where one asset landed in the packet, and the exact bytes (hash) that went in."""

    asset_id: int
    title: str
    first_page: int  # 1-based, as PDF viewers number pages
    page_count: int
    content_hash: str
    merged: bool  # True: the source PDF's own pages; False: typeset from the document


@dataclass
class PdfExport:
    path: Path
    pages: int
    front_pages: int  # cover, note and contents
    contents_pages: list[int]
    items: list[ExportedItem]
    size: int
    seconds: float
    packet_revision: int = 0  # the packet's revision when exported, to spot stale files
    #: What the reader should know, e.g. characters no font could draw (shown as boxes).
    warnings: list[str] = field(default_factory=list)
