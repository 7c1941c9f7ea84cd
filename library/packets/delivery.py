"""Getting a packet out: PDF and DOCX exports, the email message, .eml drafts, SMTP sending.

``Delivery`` is the output half of ``PacketManager``, which holds one and reaches it only
through its own methods (so what writes the catalog stays private to the core).
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Callable
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path

from library.assets import AssetManager
from library.errors import PitchpackError
from library.ingest import file_hash
from library.models import Asset, FileState, Status
from library.packets import mail
from library.packets.document import DocumentItem, PacketDocument, PdfExport
from library.packets.errors import ExportError, SendError
from library.packets.files import safe_filename
from library.packets.mail import Attach, SizeReport, SmtpConfig
from library.packets.model import Packet, RenderedNote, SendReceipt
from library.packets.settings import RepSettings, SettingsStore
from library.packets.store import PacketStore
from library.packets.templates import merge_values, render_text
from library.progress import ProgressHook
from library.settings import set_command

Render = Callable[..., RenderedNote]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _problem(asset: Asset, today: date) -> str | None:
    """Why an asset must not go to a prospect today, in words; None if it may."""
    name = f"“{asset.title}” ({Path(asset.path).name})"
    remove = "or remove it from the packet"
    if asset.file_state == FileState.FAILED:
        reason = asset.error or asset.failure_reason
        return f"{name} could not be read ({reason}). Fix the file and rescan, {remove}."
    if asset.file_state == FileState.MISSING:
        return f"{name} is missing: nothing is at {asset.path} any more. Restore it, {remove}."
    if asset.status == Status.ARCHIVED:
        return f"{name} has been archived and should no longer go to prospects; {remove}."
    if asset.expires and asset.expires < today.isoformat():
        renew = f"Ask {asset.owner} to renew it, " if asset.owner else "Renew it, "
        return f"{name} expired on {asset.expires}. {renew}{remove}."
    return None


class Delivery:
    """Exports and email for the packets of one library.

    :param store: where packets are read and marked exported or sent.
    :param render: fills in a packet's merge fields (``PacketManager.render``).
    :param lock: the library's write lock, held only while a status is written: building
        a PDF or talking to a mail server never holds up other changes.
    """

    def __init__(
        self,
        store: PacketStore,
        assets: AssetManager,
        settings: SettingsStore,
        folder: Path,
        *,
        render: Render,
        lock: threading.RLock,
    ) -> None:
        self._store, self.assets, self.settings, self.folder = store, assets, settings, folder
        self.render = render
        self._lock = lock

    def get(self, packet_id: int) -> Packet:
        return self._store.get(packet_id)

    def document(self, packet_id: int, *, today: date | None = None) -> PacketDocument:
        """The packet with its note and item notes filled in, ready for an exporter.

        :raises TemplateError: for unknown or empty merge fields.
        :raises ExportError: for an item that is archived, expired, missing or unreadable.
        """
        today = today or date.today()
        packet, rep = self.get(packet_id), self.settings.load()
        rendered = self.render(packet, rep=rep, today=today)
        found = {asset.id: asset for asset in self.assets.get_many(packet.asset_ids)}
        values = merge_values(packet.prospect, rep, asset_count=len(packet.items), today=today)
        items = []
        for item in packet.items:
            asset = found[item.asset_id]
            if problem := _problem(asset, today):
                raise ExportError(problem)
            note = render_text(item.note, values, what=f"note on “{asset.title}”")
            items.append(DocumentItem(asset, note))
        prospect = packet.prospect
        title = (
            rendered.subject.strip() or f"Information for {prospect.company or prospect.full_name}"
        )
        return PacketDocument(title, prospect, rep, rendered.body, items, today, self._logo(rep))

    def _logo(self, rep: RepSettings) -> Path | None:
        if not rep.logo.strip():
            return None
        path = Path(rep.logo).expanduser()
        return path if path.is_absolute() else self.folder / path

    def export_pdf(
        self,
        packet_id: int,
        path: Path | str,
        *,
        progress: ProgressHook = None,
        today: date | None = None,
    ) -> PdfExport:
        """Write the PDF packet to ``path`` and mark the packet exported (unless sent).

        :raises ExportError: naming the file, for an asset that cannot be included.
        """
        # Loaded on first use: reportlab, pypdf and the format readers take most of a
        # second to import, which every start of the app or the CLI would pay.
        from library.packets.export_pdf import export_pdf

        revision = self.get(packet_id).revision
        result = export_pdf(self.document(packet_id, today=today), path, progress=progress)
        result.packet_revision = revision
        with self._lock:
            self._store.mark_exported(packet_id)
        return result

    def export_docx(self, packet_id: int, path: Path | str, *, today: date | None = None) -> Path:
        """Write the cover note (note and contents with the item notes) as a DOCX."""
        from library.packets.export_docx import export_docx  # on first use, like export_pdf

        return export_docx(self.document(packet_id, today=today), path)

    def pdf_filename(self, packet_id: int) -> str:
        """A file name for the packet's PDF: its subject, made safe for every platform."""
        return safe_filename(self.document(packet_id).title, ".pdf")

    def size_report(
        self, packet_id: int, *, attach: Attach = Attach.PACKET, pdf: PdfExport | None = None
    ) -> SizeReport:
        """How large the attachments are against the settings' limit (default 10 MB).

        Without ``pdf``, the packet's size is estimated from its assets' files.
        """
        limit = self.settings.load().attachment_limit
        if attach == Attach.NONE:
            return SizeReport([], limit)
        if attach == Attach.PACKET and pdf is not None:
            return SizeReport([(pdf.path.name, pdf.path.stat().st_size)], limit)
        assets = self.assets.get_many(self.get(packet_id).asset_ids)
        return SizeReport([(Path(a.path).name, a.size) for a in assets], limit)

    def _prepare(
        self,
        packet_id: int,
        attach: Attach,
        pdf: PdfExport | None,
        work: Path,
        progress: ProgressHook,
        *,
        draft: bool,
    ) -> tuple[EmailMessage, list[tuple[int, str, str]], SizeReport]:
        """The message, the (asset id, title, content hash) of what it carries, its size."""
        packet, rep = self.get(packet_id), self.settings.load()
        doc = self.document(packet_id)
        prospect = packet.prospect
        if not _EMAIL.match(prospect.email):
            raise PitchpackError(
                f"The prospect's email address '{prospect.email}' does not look right; fix it "
                "before sending."
            )
        files: list[tuple[str, Path]] = []
        if attach == Attach.PACKET:
            if pdf is None:
                name = safe_filename(doc.title, ".pdf")
                pdf = self.export_pdf(packet_id, work / name, progress=progress)
            elif pdf.packet_revision != packet.revision or not pdf.path.exists():
                raise ExportError(
                    "The exported PDF no longer matches the packet (it was edited since, or "
                    "the file is gone); export it again before sending."
                )
            files = [(pdf.path.name, pdf.path)]
            versions = [(i.asset_id, i.title, i.content_hash) for i in pdf.items]
        else:
            versions = []
            for item in doc.items:
                asset = item.asset
                digest = (
                    file_hash(Path(asset.path)) if attach == Attach.FILES else asset.content_hash
                )
                if digest != asset.content_hash:
                    raise ExportError(
                        f"“{asset.title}” has changed since the library last read it. Rescan "
                        "the library, then try again."
                    )
                if attach == Attach.FILES:
                    files.append((Path(asset.path).name, Path(asset.path)))
                versions.append((asset.id, asset.title, digest))
        body = doc.note.rstrip() + "\n"
        if attach != Attach.PACKET:
            lines = ["", "Attached:" if attach == Attach.FILES else "In this packet:"]
            for number, item in enumerate(doc.items, start=1):
                lines.append(f"{number}. {item.asset.title}")
                lines += [f"   {item.note.strip()}"] if item.note.strip() else []
            body += "\n".join(lines) + "\n"
        message = mail.build_message(
            sender=formataddr((rep.rep_name, rep.rep_email)) if rep.rep_email else "",
            recipient=formataddr((prospect.full_name, prospect.email)),
            subject=doc.title,
            body=body,
            attachments=files,
            draft=draft,
        )
        report = SizeReport(
            [(name, path.stat().st_size) for name, path in files], rep.attachment_limit
        )
        return message, versions, report

    def save_eml(
        self,
        packet_id: int,
        path: Path | str,
        *,
        attach: Attach = Attach.PACKET,
        pdf: PdfExport | None = None,
        progress: ProgressHook = None,
    ) -> SizeReport:
        """Write the ready message as an .eml draft (to open in the mail client).

        The PDF packet is exported for it unless ``pdf``, a current export, is given.
        """
        with tempfile.TemporaryDirectory(prefix="pitchpack-") as work:
            message, _, report = self._prepare(
                packet_id, attach, pdf, Path(work), progress, draft=True
            )
            mail.save_eml(message, path)
        return report

    def smtp_config(self) -> SmtpConfig | None:
        """The mail server from the settings, or None if none is set."""
        rep = self.settings.load()
        if not rep.smtp_host:
            return None
        return SmtpConfig(rep.smtp_host, rep.smtp_port, rep.smtp_security, rep.smtp_user)

    def send(
        self,
        packet_id: int,
        smtp: SmtpConfig | None = None,
        *,
        attach: Attach = Attach.PACKET,
        pdf: PdfExport | None = None,
        password: str | None = None,
        progress: ProgressHook = None,
    ) -> SendReceipt:
        """Send the packet to the prospect over SMTP; mark it sent only once the server has
        accepted the message, recording the content hash of each asset that went out.

        :param smtp: the server; else the one in the settings.
        :param password: else from ``PITCHPACK_SMTP_PASSWORD`` or the system keyring.
        :raises SendError: with the server's reason; the packet stays as it was.
        """
        rep = self.settings.load()
        config = smtp or self.smtp_config()
        if config is None:
            raise SendError(
                f"No mail server is set up. Set it with: {set_command('smtp.host')} (and "
                f"{set_command('smtp.port')} if it is not 587), or give the server when sending."
            )
        if not rep.rep_email:
            raise SendError(
                "Your email address is not set, so the prospect could not reply. Set it "
                f"with: {set_command('rep.email')}"
            )
        with tempfile.TemporaryDirectory(prefix="pitchpack-") as work:
            message, versions, report = self._prepare(
                packet_id, attach, pdf, Path(work), progress, draft=False
            )
            mail.send_message(message, config, password=password, progress=progress)
        recipient = self.get(packet_id).prospect.email
        with self._lock:
            number = self._store.record_send(packet_id, versions, recipient)
        sent = self.get(packet_id).sent or ""
        return SendReceipt(packet_id, recipient, number, sent, report.total)
