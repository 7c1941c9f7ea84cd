"""The Library's packet verbs: a prospect's packet made, edited, exported and sent.

A part of the ``Library`` facade, kept apart by noun: each verb takes the write lock for
what it writes, and adds, exports and sends are recorded as usage here, whoever asks for
them (window, command line, team sync).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from library.packets import (
    Attach,
    Packet,
    PacketManager,
    PdfExport,
    Prospect,
    RepSettings,
    SendReceipt,
    SizeReport,
    SmtpConfig,
)
from library.progress import ProgressHook
from library.usage import UsageManager


class PacketVerbs:
    """Mixed into ``Library``, which provides the lock and the managers."""

    _write_lock: threading.RLock
    db: Database
    packets: PacketManager
    usage: UsageManager

    def create_packet(
        self, prospect: Prospect, *, template: str | None = None, asset_ids: Iterable[int] = ()
    ) -> Packet:
        """A new draft for ``prospect``, its text from ``template`` (a template's file or
        display name) or else the best fit for stage and persona; ``asset_ids`` go in first
        and are recorded as added.

        :raises UnknownTerm: for a stage or persona the library does not define.
        :raises TemplateError: for an unknown template.
        :raises AssetNotFound: for an asset id the library does not have.
        """
        with self._write_lock:
            packet = self.packets._create(prospect, template=template, asset_ids=asset_ids)
        if packet.items:
            self.usage.record_packet_add(packet.id, packet.asset_ids)
        return packet

    def save_packet(self, packet: Packet) -> Packet:
        """Store a packet as edited (a new one when ``packet.id`` is None); returns it as
        stored. Safe on every keystroke: an unchanged packet writes nothing. Assets new to
        the packet are recorded as added.

        :raises PacketLocked: for a packet already sent.
        """
        with self._write_lock:
            before = set() if packet.id is None else set(self.packets.get(packet.id).asset_ids)
            stored = self.packets._save(packet)
        self._record_added(stored.id, [i for i in stored.asset_ids if i not in before])
        return stored

    def add_to_packet(
        self,
        packet_id: int,
        asset_ids: Iterable[int],
        *,
        position: int | None = None,
        note: str = "",
    ) -> Packet:
        """Add assets to a packet at ``position`` (0 is first; None, the end), in one
        transaction. Assets already in it stay where they are and are not counted again;
        the others are recorded as added. Returns the packet as stored.

        :raises PacketLocked: for a packet already sent.
        :raises AssetNotFound: for an asset id the library does not have.
        """
        ids = list(dict.fromkeys(asset_ids))
        with self._write_lock, self.db.atomic():
            present = set(self.packets.get(packet_id).asset_ids)
            added = [i for i in ids if i not in present]
            packet = self.packets._add_assets(packet_id, ids, note=note)
            if position is not None:
                for offset, asset_id in enumerate(added):
                    packet = self.packets._move_asset(packet_id, asset_id, position + offset)
        self._record_added(packet_id, added)
        return packet

    def remove_from_packet(self, packet_id: int, asset_ids: Iterable[int]) -> Packet:
        """Take assets out of a draft; raises PacketLocked for a sent packet."""
        with self._write_lock:
            return self.packets._remove_assets(packet_id, asset_ids)

    def move_in_packet(self, packet_id: int, asset_id: int, position: int) -> Packet:
        """Move an item to ``position`` (0 is first; past the end means last)."""
        with self._write_lock:
            return self.packets._move_asset(packet_id, asset_id, position)

    def set_packet_item_note(self, packet_id: int, asset_id: int, note: str) -> Packet:
        """Set the "why this matters to you" note of one item (merge fields allowed)."""
        with self._write_lock:
            return self.packets._set_item_note(packet_id, asset_id, note)

    def set_packet_note(self, packet_id: int, note: str, *, subject: str | None = None) -> Packet:
        """Set the personal note (and the subject, if given); merge fields are kept as written."""
        with self._write_lock:
            return self.packets._set_note(packet_id, note, subject=subject)

    def apply_packet_template(self, packet_id: int, name: str) -> Packet:
        """Replace the subject and note with a template's; raises TemplateError if unknown."""
        with self._write_lock:
            return self.packets._apply_template(packet_id, name)

    def duplicate_packet(self, packet_id: int, prospect: Prospect | None = None) -> Packet:
        """A new draft with the same assets, notes and text, for ``prospect`` (or the same one)."""
        with self._write_lock:
            return self.packets._duplicate(packet_id, prospect)

    def follow_up_packet(self, packet_id: int) -> Packet:
        """A new draft with the current versions of what was replaced since the packet was
        sent; raises PitchpackError when nothing sent has a newer version."""
        with self._write_lock:
            return self.packets._follow_up(packet_id)

    def delete_packet(self, packet_id: int) -> None:
        """Delete a draft; raises PacketLocked for a sent packet (the record of what went out)."""
        with self._write_lock:
            self.packets._delete(packet_id)

    def export_packet_pdf(
        self,
        packet_id: int,
        path: Path | str,
        *,
        progress: ProgressHook = None,
        today: date | None = None,
    ) -> PdfExport:
        """Write the packet as one PDF at ``path``, mark it exported (unless sent) and record
        the export of its assets.

        The PDF is built outside the write lock, so an import does not wait for it.

        :raises ExportError: naming the file, for an asset that cannot be included.
        :raises TemplateError: for an unknown or empty merge field.
        """
        result = self.packets._export_pdf(packet_id, path, progress=progress, today=today)
        self.usage.record_packet_export(packet_id, [item.asset_id for item in result.items])
        return result

    def export_packet_docx(
        self, packet_id: int, path: Path | str, *, today: date | None = None
    ) -> Path:
        """Write the cover note (note and contents with the item notes) as a DOCX; returns
        its path. Records nothing: the cover note carries no asset."""
        return self.packets._export_docx(packet_id, path, today=today)

    def save_packet_eml(
        self,
        packet_id: int,
        path: Path | str,
        *,
        attach: Attach = Attach.PACKET,
        pdf: PdfExport | None = None,
        progress: ProgressHook = None,
    ) -> SizeReport:
        """Write the ready message as an .eml draft for the mail app; returns the size of
        its attachments against the limit. The PDF is exported for it unless ``pdf``, a
        current export, is given."""
        return self.packets._save_eml(packet_id, path, attach=attach, pdf=pdf, progress=progress)

    def send_packet(
        self,
        packet_id: int,
        smtp: SmtpConfig | None = None,
        *,
        attach: Attach = Attach.PACKET,
        pdf: PdfExport | None = None,
        password: str | None = None,
        progress: ProgressHook = None,
    ) -> SendReceipt:
        """Send the packet over SMTP (``smtp``, else the server in the settings); once the
        server has accepted it, mark it sent with the version of each asset that went out
        and record the send.

        The message is built and sent outside the write lock; only marking it sent takes it.

        :param password: else from ``PITCHPACK_SMTP_PASSWORD`` or the system keyring.
        :raises SendError: with the server's reason; the packet stays as it was.
        """
        receipt = self.packets._send(
            packet_id, smtp, attach=attach, pdf=pdf, password=password, progress=progress
        )
        self.usage.record_packet_send(packet_id, self.packets.get(packet_id).asset_ids)
        return receipt

    def save_rep_settings(self, settings: RepSettings) -> None:
        """Store the rep's details and mail server; later usage events carry the new name.

        :raises SettingsError: when the settings file cannot be written.
        """
        self.packets.settings.save(settings)
        self.usage._set_rep(settings.rep_name)

    def _record_added(self, packet_id: int, asset_ids: list[int]) -> None:
        if asset_ids:
            self.usage.record_packet_add(packet_id, asset_ids)
