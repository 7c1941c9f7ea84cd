"""``Library.packets``: creating and editing packets, their history and suggestions.

Exporting and sending live in ``library.packets.delivery``, in a ``Delivery`` it holds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from library.assets import AssetManager
from library.db import now
from library.errors import AssetNotFound, PitchpackError
from library.models import FileState
from library.packets import tracking
from library.packets.delivery import Delivery
from library.packets.document import PacketDocument, PdfExport
from library.packets.errors import PacketLocked, TemplateError
from library.packets.mail import Attach, SizeReport, SmtpConfig
from library.packets.model import (
    OutdatedItem,
    Packet,
    PacketItem,
    PacketSummary,
    Prospect,
    RenderedNote,
    SendReceipt,
    SentVersion,
    Suggestion,
)
from library.packets.settings import RepSettings, SettingsStore
from library.packets.store import PacketStore
from library.packets.templates import (
    LIBRARY_TEMPLATES,
    SHIPPED_TEMPLATES,
    NoteTemplate,
    TemplateLibrary,
    merge_values,
    render_text,
)


def _content(packet: Packet) -> tuple:
    """What an edit can change; saving an unchanged packet writes nothing."""
    items = [(item.asset_id, item.note) for item in packet.items]
    return (packet.prospect, packet.subject, packet.note, packet.template, items)


class PacketManager:
    """Packets of one library. Edits are serialised by ``lock`` (the library's write lock).

    ``settings`` holds the rep's details and mail server; ``templates`` the note templates
    (shipped ones plus the library's ``templates/`` folder).
    """

    def __init__(
        self,
        db: Database,
        assets: AssetManager,
        folder: Path | str,
        *,
        lock: threading.RLock | None = None,
    ) -> None:
        self.db = db
        self.assets = assets
        self.folder = Path(folder)
        self._store = PacketStore(db)
        self._lock = lock or threading.RLock()
        self.settings = SettingsStore(self.folder)
        self.templates = TemplateLibrary([SHIPPED_TEMPLATES, self.folder / LIBRARY_TEMPLATES])
        self._delivery = Delivery(
            self._store, assets, self.settings, self.folder, render=self.render, lock=self._lock
        )

    # -- reading -------------------------------------------------------------------------

    def get(self, packet_id: int) -> Packet:
        """The packet with its items in order; raises PacketNotFound."""
        return self._store.get(packet_id)

    def history(self, *, status: str | None = None) -> list[PacketSummary]:
        """Every packet (or those with ``status``), most recently changed first."""
        summaries = self._store.summaries(today=date.today().isoformat(), status=status)
        rep = self.settings.load()
        for summary in summaries:
            values = merge_values(summary.prospect, rep, asset_count=summary.item_count)
            try:
                summary.subject = render_text(summary.subject, values, what="subject")
            except TemplateError:
                pass  # the history shows the subject as written until its fields are filled
        return summaries

    def sent_versions(self, packet_id: int, *, latest: bool = False) -> list[SentVersion]:
        """Which version of each asset went out with each send (or the latest send only)."""
        self._store.get(packet_id)
        return self._store.sent_versions(packet_id, latest=latest)

    def outdated(self, packet_id: int, *, today: date | None = None) -> list[OutdatedItem]:
        """Assets of the latest send that were since replaced, expired, archived or lost."""
        versions = self.sent_versions(packet_id, latest=True)
        return tracking.outdated(self.assets, versions, today=today)

    def suggest(
        self,
        stage: str,
        persona: str,
        *,
        exclude: Iterable[int] = (),
        limit: int = 12,
        today: date | None = None,
    ) -> list[Suggestion]:
        """Approved, unexpired assets for a stage and persona, best first, with reasons."""
        taxonomy = self.assets.taxonomy
        stage = taxonomy.resolve("stage", stage).name if stage.strip() else ""
        persona = taxonomy.resolve("persona", persona).name if persona.strip() else ""
        return tracking.suggest(
            self.db, self.assets, stage, persona, exclude=exclude, limit=limit, today=today
        )

    def suggest_for(self, packet_id: int, *, limit: int = 12) -> list[Suggestion]:
        """Suggestions for a packet's prospect, leaving out what it already holds."""
        packet = self.get(packet_id)
        prospect = packet.prospect
        return self.suggest(prospect.stage, prospect.persona, exclude=packet.asset_ids, limit=limit)

    def render(
        self, packet: Packet, *, rep: RepSettings | None = None, today: date | None = None
    ) -> RenderedNote:
        """The subject and note with merge fields filled in (for previews and exports).

        :raises TemplateError: naming each unknown or empty field, before anything is made.
        """
        values = merge_values(
            packet.prospect,
            rep or self.settings.load(),
            asset_count=len(packet.items),
            today=today,
        )
        subject = render_text(packet.subject, values, what="subject")
        return RenderedNote(subject, render_text(packet.note, values, what="note"))

    def document(self, packet_id: int, *, today: date | None = None) -> PacketDocument:
        """The packet with its note and item notes filled in, ready for an exporter.

        :raises TemplateError: for unknown or empty merge fields.
        :raises ExportError: for an item that is archived, expired, missing or unreadable.
        """
        return self._delivery.document(packet_id, today=today)

    def pdf_filename(self, packet_id: int) -> str:
        """A file name for the packet's PDF: its subject, made safe for every platform."""
        return self._delivery.pdf_filename(packet_id)

    def size_report(
        self, packet_id: int, *, attach: Attach = Attach.PACKET, pdf: PdfExport | None = None
    ) -> SizeReport:
        """How large the attachments are against the settings' limit (default 10 MB);
        without ``pdf``, estimated from the assets' files."""
        return self._delivery.size_report(packet_id, attach=attach, pdf=pdf)

    def smtp_config(self) -> SmtpConfig | None:
        """The mail server from the settings, or None if none is set."""
        return self._delivery.smtp_config()

    # -- creating and editing ------------------------------------------------------------

    def _create(
        self,
        prospect: Prospect,
        *,
        template: str | None = None,
        asset_ids: Iterable[int] = (),
    ) -> Packet:
        """A new draft for a prospect, its subject and note taken from ``template`` (a
        template's file or display name) or else from the best fit for stage and persona.

        :raises UnknownTerm: for a stage or persona the library does not define.
        :raises TemplateError: for an unknown template.
        """
        prospect = self._checked(prospect)
        chosen = (
            self.templates.get(template)
            if template
            else self.templates.best_for(prospect.stage, prospect.persona)
        )
        packet = Packet(None, prospect, items=self._new_items(asset_ids))
        if chosen is not None:
            packet.subject, packet.note, packet.template = chosen.subject, chosen.body, chosen.slug
        with self._lock:
            return self.get(self._store.insert(packet))

    def _save(self, packet: Packet) -> Packet:
        """Store the packet as edited (safe to call on every keystroke: an unchanged packet
        writes nothing). Returns it as stored. An exported packet goes back to draft.

        :raises PacketLocked: for a packet already sent.
        """
        unique: list[PacketItem] = []
        for item in packet.items:
            if item.asset_id not in {kept.asset_id for kept in unique}:
                unique.append(item)
        edited = replace(packet, prospect=self._checked(packet.prospect), items=unique)
        with self._lock:
            if packet.id is None:
                self._new_items(edited.asset_ids)
                return self.get(self._store.insert(edited))
            current = self._store.get(packet.id)
            self._require_editable(current)
            self._new_items(i for i in edited.asset_ids if i not in set(current.asset_ids))
            if _content(edited) == _content(current):
                return current
            self._store.update(edited)
            return self._store.get(packet.id)

    def _edit(self, packet_id: int, change: Callable[[Packet], None]) -> Packet:
        with self._lock:
            packet = self.get(packet_id)
            change(packet)
            return self._save(packet)

    def _add_assets(self, packet_id: int, asset_ids: Iterable[int], *, note: str = "") -> Packet:
        """Append assets (those already in the packet stay where they are)."""
        new = self._new_items(asset_ids, note)
        return self._edit(packet_id, lambda p: p.items.extend(new))

    def _remove_assets(self, packet_id: int, asset_ids: Iterable[int]) -> Packet:
        gone = set(asset_ids)
        return self._edit(
            packet_id, lambda p: setattr(p, "items", [i for i in p.items if i.asset_id not in gone])
        )

    def _move_asset(self, packet_id: int, asset_id: int, position: int) -> Packet:
        """Move an item to ``position`` (0 is first; past the end means last)."""

        def move(packet: Packet) -> None:
            item = self._item(packet, asset_id)
            packet.items.remove(item)
            packet.items.insert(max(0, position), item)

        return self._edit(packet_id, move)

    def _set_item_note(self, packet_id: int, asset_id: int, note: str) -> Packet:
        """Set the "why this matters to you" note of one item (merge fields allowed)."""
        return self._edit(packet_id, lambda p: setattr(self._item(p, asset_id), "note", note))

    def _set_note(self, packet_id: int, note: str, *, subject: str | None = None) -> Packet:
        def change(packet: Packet) -> None:
            packet.note = note
            if subject is not None:
                packet.subject = subject

        return self._edit(packet_id, change)

    def _apply_template(self, packet_id: int, name: str) -> Packet:
        """Replace the subject and note with a template's."""
        chosen = self.templates.get(name)

        def change(packet: Packet) -> None:
            packet.subject, packet.note, packet.template = chosen.subject, chosen.body, chosen.slug

        return self._edit(packet_id, change)

    def _duplicate(self, packet_id: int, prospect: Prospect | None = None) -> Packet:
        """A new draft with the same assets, notes and text, for ``prospect`` (or the same
        one). Merge fields are kept, so the note fills in for the new prospect."""
        source = self.get(packet_id)
        copy = Packet(
            None,
            self._checked(prospect or source.prospect),
            subject=source.subject,
            note=source.note,
            template=source.template,
            items=[PacketItem(item.asset_id, item.note) for item in source.items],
            duplicated_from=source.id,
        )
        with self._lock:
            return self.get(self._store.insert(copy))

    def _follow_up(self, packet_id: int) -> Packet:
        """A new draft for the same prospect with the current versions of the assets that
        were replaced since the packet was sent, and the follow-up template's note.

        :raises PitchpackError: when nothing sent has a newer version.
        """
        source = self.get(packet_id)
        replaced = {o.asset_id for o in self.outdated(packet_id) if o.resendable}
        if not replaced:
            raise PitchpackError(
                f"Nothing sent with packet {packet_id} has a newer version, so there is no "
                "update to send."
            )
        chosen: NoteTemplate | None = self.templates.best_for(
            source.prospect.stage, source.prospect.persona, use="follow-up"
        )
        copy = Packet(
            None,
            source.prospect,
            items=[PacketItem(i.asset_id, i.note) for i in source.items if i.asset_id in replaced],
            duplicated_from=source.id,
        )
        if chosen is not None:
            copy.subject, copy.note, copy.template = chosen.subject, chosen.body, chosen.slug
        with self._lock:
            return self.get(self._store.insert(copy))

    def _delete(self, packet_id: int) -> None:
        """Delete a packet that was not sent; sent packets are the record of what went out."""
        with self._lock:
            self._require_editable(self.get(packet_id))
            self._store.delete(packet_id)

    # -- getting it out (the contracts are Delivery's) -----------------------------------

    def _export_pdf(self, packet_id: int, path: Path | str, **options) -> PdfExport:
        return self._delivery.export_pdf(packet_id, path, **options)

    def _export_docx(self, packet_id: int, path: Path | str, **options) -> Path:
        return self._delivery.export_docx(packet_id, path, **options)

    def _save_eml(self, packet_id: int, path: Path | str, **options) -> SizeReport:
        return self._delivery.save_eml(packet_id, path, **options)

    def _send(self, packet_id: int, smtp: SmtpConfig | None = None, **options) -> SendReceipt:
        return self._delivery.send(packet_id, smtp, **options)

    # -- helpers ---------------------------------------------------------------------------

    def _checked(self, prospect: Prospect) -> Prospect:
        """The prospect with trimmed fields and stage and persona as the taxonomy names them."""
        values = {name: str(getattr(prospect, name) or "").strip() for name in Prospect.names()}
        for facet in ("stage", "persona"):
            if values[facet]:
                values[facet] = self.assets.taxonomy.resolve(facet, values[facet]).name
        return Prospect(**values)

    def _new_items(self, asset_ids: Iterable[int], note: str = "") -> list[PacketItem]:
        ids = list(dict.fromkeys(asset_ids))
        found = {asset.id: asset for asset in self.assets.get_many(ids)}
        for asset_id in ids:
            asset = found.get(asset_id)
            if asset is None:
                raise AssetNotFound(asset_id)
            if asset.file_state == FileState.FAILED:
                raise PitchpackError(
                    f"“{asset.title}” cannot go into a packet: its file could not be read "
                    f"({asset.error or asset.failure_reason}). Fix the file and rescan."
                )
        return [
            PacketItem(i, note, found[i].title, found[i].content_type, found[i].path) for i in ids
        ]

    @staticmethod
    def _item(packet: Packet, asset_id: int) -> PacketItem:
        for item in packet.items:
            if item.asset_id == asset_id:
                return item
        raise PitchpackError(f"Asset {asset_id} is not in packet {packet.id}.")

    @staticmethod
    def _require_editable(packet: Packet) -> None:
        if packet.is_sent:
            raise PacketLocked(
                f"Packet {packet.id} was sent on {(packet.sent or now())[:10]} and is kept as "
                "the record of what went out. Duplicate it to change it or send it again."
            )
