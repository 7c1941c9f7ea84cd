"""Plain data types of packets: the prospect, the ordered items, history rows and suggestions."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum

from library.models import Asset


class PacketStatus(StrEnum):
    DRAFT = "draft"
    EXPORTED = "exported"
    SENT = "sent"


class OutdatedReason(StrEnum):
    """Why an asset that went out with a packet is no longer what the prospect should have."""

    REPLACED = "replaced"
    EXPIRED = "expired"
    ARCHIVED = "archived"
    MISSING = "missing"


@dataclass
class Prospect:
    """The person a packet is for; ``persona`` and ``stage`` are taxonomy term names."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    company: str = ""
    role: str = ""
    persona: str = ""
    stage: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


@dataclass
class PacketItem:
    """One asset in a packet with the rep's "why this matters to you" note.

    ``title``, ``content_type`` and ``path`` are read from the catalog for display; saving
    a packet stores only ``asset_id``, the order and ``note``.
    """

    asset_id: int
    note: str = ""
    title: str = ""
    content_type: str = ""
    path: str = ""


@dataclass
class Packet:
    """What a rep sends a prospect. ``subject`` and ``note`` keep their merge fields
    (``{first_name}``); ``PacketManager.render`` fills them in."""

    id: int | None
    prospect: Prospect = field(default_factory=Prospect)
    subject: str = ""
    note: str = ""
    items: list[PacketItem] = field(default_factory=list)
    status: str = PacketStatus.DRAFT.value
    template: str = ""
    revision: int = 0  # counts saved edits, so an export can tell it is out of date
    created: str = ""
    updated: str = ""
    exported: str | None = None
    sent: str | None = None
    duplicated_from: int | None = None

    @property
    def asset_ids(self) -> list[int]:
        return [item.asset_id for item in self.items]

    @property
    def is_sent(self) -> bool:
        return self.status == PacketStatus.SENT


@dataclass
class PacketSummary:
    """One row of the packet history; ``outdated`` counts items changed since sending.

    ``subject`` has its merge fields filled in when they can be (else it is as written).
    """

    id: int
    prospect: Prospect
    subject: str
    status: str
    item_count: int
    created: str
    updated: str
    sent: str | None
    outdated: int = 0


@dataclass
class SentVersion:
    """Exactly which version of an asset went to which prospect, and when."""

    packet_id: int
    send_number: int
    position: int
    asset_id: int
    title: str
    content_hash: str
    recipient: str
    sent: str


@dataclass
class OutdatedItem:
    """An asset sent with a packet that was later replaced, expired, archived or lost."""

    asset_id: int
    title: str
    reasons: list[OutdatedReason]
    sent_hash: str
    current_hash: str
    message: str  # one sentence for the history list

    @property
    def resendable(self) -> bool:
        """A newer approved version exists that could go to the prospect instead."""
        return self.reasons == [OutdatedReason.REPLACED]


@dataclass
class Suggestion:
    """An asset that fits a prospect's stage and persona, with the reason in words."""

    asset: Asset
    matches_stage: bool
    matches_persona: bool
    reason: str

    @property
    def score(self) -> int:
        return int(self.matches_stage) + int(self.matches_persona)


@dataclass
class RenderedNote:
    """A packet's subject and note with every merge field filled in."""

    subject: str
    body: str


@dataclass
class SendReceipt:
    """What the mail server accepted: to whom, when, and which send of the packet it was."""

    packet_id: int
    recipient: str
    send_number: int
    sent: str
    attachment_bytes: int
