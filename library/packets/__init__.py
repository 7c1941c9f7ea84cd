"""Packets: what a rep sends a prospect, a personal note plus the assets that fit them.

``Library.packets`` (a ``PacketManager``) is the entry point; the types are re-exported here.
"""

from library.packets.document import PdfExport
from library.packets.errors import (
    ExportError,
    PacketLocked,
    PacketNotFound,
    SendError,
    SettingsError,
    TemplateError,
)
from library.packets.mail import Attach, SizeReport, SmtpConfig
from library.packets.manager import PacketManager
from library.packets.model import (
    OutdatedItem,
    OutdatedReason,
    Packet,
    PacketItem,
    PacketStatus,
    PacketSummary,
    Prospect,
    RenderedNote,
    SendReceipt,
    SentVersion,
    Suggestion,
)
from library.packets.settings import RepSettings
from library.packets.templates import FIELDS, NoteTemplate

__all__ = [
    "FIELDS",
    "Attach",
    "ExportError",
    "NoteTemplate",
    "OutdatedItem",
    "OutdatedReason",
    "Packet",
    "PacketItem",
    "PacketLocked",
    "PacketManager",
    "PacketNotFound",
    "PacketStatus",
    "PacketSummary",
    "PdfExport",
    "Prospect",
    "RenderedNote",
    "RepSettings",
    "SendError",
    "SendReceipt",
    "SentVersion",
    "SettingsError",
    "SizeReport",
    "SmtpConfig",
    "Suggestion",
    "TemplateError",
]
