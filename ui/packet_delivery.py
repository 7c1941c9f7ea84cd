"""The foot of the packet panel: Export PDF, Export DOCX and Email, with progress while they
run and a line saying what came out (with a link to open it)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from library import Library
from library.errors import PitchpackError
from library.packets import Attach, Packet, PdfExport, SendReceipt, SizeReport
from library.packets.files import safe_filename
from library.packets.mail import format_size
from library.progress import ProgressHook
from ui import settings as keys
from ui.errors import show_error
from ui.icons import icon
from ui.packet_dialogs import SEND, DeliveryProgressDialog, EmailDialog
from ui.packet_session import PacketSession
from ui.rep_name import with_rep_name
from ui.settings import Settings
from ui.tasks import TaskRunner

PROGRESS_DELAY_MS = 300  # quick exports finish before a progress dialog would flash up
DRAFTS_FOLDER = "Pitchpack drafts"

Work = Callable[[Library, int, ProgressHook], object]


class DeliveryBar(QWidget):
    """Runs exports and sends off the GUI thread once the packet's edits are stored; the
    packet's status is then taken from the store (sent only if the server accepted it)."""

    status_message = Signal(str)
    delivery_started = Signal(str)
    delivery_finished = Signal(bool)  # whether it worked
    pdf_exported = Signal(object)  # PdfExport
    docx_exported = Signal(object)  # Path
    email_saved = Signal(object, object)  # Path of the .eml draft, SizeReport
    packet_sent = Signal(object)  # SendReceipt

    def __init__(
        self,
        library: Library,
        runner: TaskRunner,
        settings: Settings,
        session: PacketSession,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library, self.runner, self.settings, self.session = library, runner, settings, session
        self.progress: DeliveryProgressDialog | None = None
        self.delivering = False
        self.warning: QMessageBox | None = None
        self.open_url = QDesktopServices.openUrl  # tests replace it
        self._build()
        self.pdf_exported.connect(self._pdf_exported)
        self.docx_exported.connect(
            lambda path: self.show_result(f"Cover note exported to {Path(path).name}", path)
        )
        self.email_saved.connect(self._email_saved)
        self.packet_sent.connect(self._packet_sent)

    def _build(self) -> None:
        self.result_label = QLabel(objectName="muted", wordWrap=True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.linkActivated.connect(lambda link: self.open_url(QUrl(link)))
        self.result_label.hide()
        self.pdf_button = QPushButton(icon("download"), "Export PDF")
        self.pdf_button.setToolTip("Export the packet as one PDF (Ctrl+E)")
        self.docx_button = QPushButton(icon("edit"), "DOCX")
        self.docx_button.setToolTip("Export the cover note as DOCX, to edit in Word")
        self.email_button = QPushButton(icon("mail", "white"), "Email…")
        self.email_button.setToolTip("Save a draft for your mail app, or send it (Ctrl+Shift+E)")
        self.email_button.setProperty("primary", True)
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.docx_button.clicked.connect(lambda: self.export_docx())
        self.email_button.clicked.connect(self.email)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.docx_button)
        buttons.addStretch()
        buttons.addWidget(self.email_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)

    @property
    def ready(self) -> bool:
        return self.session.model.rowCount() > 0 and not self.delivering

    def update_enabled(self) -> None:
        for button in (self.pdf_button, self.docx_button, self.email_button):
            button.setEnabled(self.ready)

    def clear_result(self) -> None:
        self.result_label.hide()

    # -- file names ------------------------------------------------------------------------

    def file_name(self, suffix: str) -> str:
        """The rendered subject (else the company) as a safe file name."""
        rendered, prospect = self.session.rendered, self.session.packet.prospect
        title = (rendered.subject if rendered else "") or prospect.company
        return safe_filename(title or "Packet", suffix)

    def _ask_path(self, caption: str, suffix: str, kinds: str) -> Path | None:
        folder = self.settings.value(keys.PACKET_EXPORT_FOLDER) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        chosen, _ = QFileDialog.getSaveFileName(
            self, caption, str(Path(folder) / self.file_name(suffix)), kinds
        )
        if not chosen:
            return None
        path = Path(chosen) if chosen.lower().endswith(suffix) else Path(chosen + suffix)
        self.settings.set_value(keys.PACKET_EXPORT_FOLDER, str(path.parent))
        return path

    # -- the actions -----------------------------------------------------------------------

    def export_pdf(self, path: Path | None = None) -> None:
        """Export to ``path``, or to a file the rep picks (once the rep has a name)."""
        if self.ready:
            export = partial(self._export_pdf, path)
            with_rep_name(
                self.window(), self.library, self.runner, export, self.session.render_preview
            )

    def _export_pdf(self, path: Path | None) -> None:
        if not self.ready:  # another delivery started while the name was asked for
            return
        path = path or self._ask_path("Export PDF Packet", ".pdf", "PDF files (*.pdf)")
        if not path:
            return

        def work(library: Library, packet_id: int, progress: ProgressHook) -> PdfExport:
            return library.export_packet_pdf(packet_id, path, progress=progress)

        self._deliver("Exporting the PDF packet", work, self.pdf_exported.emit)

    def export_docx(self, path: Path | None = None) -> None:
        if not self.ready:
            return
        path = path or self._ask_path("Export Cover Note", ".docx", "Word documents (*.docx)")
        if path:
            self._deliver(
                "Exporting the cover note",
                lambda library, packet_id, _progress: library.export_packet_docx(packet_id, path),
                self.docx_exported.emit,
            )

    def email(self) -> EmailDialog | None:
        if not self.ready:
            return None
        dialog = EmailDialog(self.library, self.runner, self.session.packet, self.window())
        dialog.settings_changed.connect(self.session.render_preview)
        dialog.accepted.connect(lambda: self.deliver_email(dialog.method, dialog.attach))
        dialog.open()
        return dialog

    def deliver_email(self, method: str, attach: Attach) -> None:
        """Send over SMTP, or save an .eml draft and open it in the mail app."""
        if method == SEND:
            self.send(attach)
            return
        temp = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.TempLocation)
        path = Path(temp) / DRAFTS_FOLDER / self.file_name(".eml")

        def work(library: Library, packet_id: int, progress: ProgressHook) -> SizeReport:
            path.parent.mkdir(parents=True, exist_ok=True)
            return library.save_packet_eml(packet_id, path, attach=attach, progress=progress)

        self._deliver(
            "Preparing the email", work, lambda report: self.email_saved.emit(path, report)
        )

    def send(self, attach: Attach = Attach.PACKET) -> None:
        """Send over the mail server in the settings (password from the keyring)."""
        if not self.ready:
            return

        def work(library: Library, packet_id: int, progress: ProgressHook) -> SendReceipt:
            return library.send_packet(packet_id, attach=attach, progress=progress)

        self._deliver("Sending the packet", work, self.packet_sent.emit)

    def _deliver(self, title: str, work: Work, succeeded: Callable[[object], None]) -> None:
        """Run ``work(library, packet_id, progress)`` off the GUI thread after the edits."""
        self.delivering = True
        self._started(title)
        self.delivery_started.emit(title)
        library = self.library

        def start(packet_id: int | None) -> None:
            if packet_id is None:
                failed(PitchpackError("The packet is empty: add assets to it first."))
                return
            self.runner.run(
                lambda progress, _cancel: (
                    work(library, packet_id, progress),
                    library.packets.get(packet_id),
                ),
                hooks=True,
                on_success=finished,
                on_failure=failed,
                on_progress=lambda p: self.progress and self.progress.show_progress(p),
            )

        def finished(outcome: tuple[object, Packet]) -> None:
            result, packet = outcome
            self._finish(True)
            self.session.take_stored(packet)
            succeeded(result)

        def failed(exc: BaseException) -> None:
            self._finish(False)
            show_error(self.window(), exc)

        self.session.when_stored(start, failed)

    # -- progress and results --------------------------------------------------------------

    def _started(self, title: str) -> None:
        self.update_enabled()
        dialog = self.progress = DeliveryProgressDialog(title, self.window())
        QTimer.singleShot(
            PROGRESS_DELAY_MS, dialog, lambda: self.progress is dialog and dialog.open()
        )

    def _finish(self, ok: bool) -> None:
        self.delivering = False
        if self.progress is not None:
            self.progress.done(0)
            self.progress.deleteLater()
            self.progress = None
        self.update_enabled()
        self.delivery_finished.emit(ok)

    def show_result(self, text: str, path: Path | None = None) -> None:
        link = f" · <a href='{QUrl.fromLocalFile(str(path)).toString()}'>Open</a>" if path else ""
        self.result_label.setText(text + link)
        self.result_label.show()
        self.status_message.emit(text)

    def _pdf_exported(self, result: PdfExport) -> None:
        self.show_result(
            f"Exported {result.path.name}: {result.pages} pages, {format_size(result.size)}",
            result.path,
        )
        if result.warnings:  # e.g. characters that no font has, shown as boxes
            self.warning = QMessageBox(
                QMessageBox.Icon.Warning, "Packet Exported", "\n\n".join(result.warnings),
                QMessageBox.StandardButton.Ok, self.window(),
            )  # fmt: skip
            self.warning.open()

    def _email_saved(self, path: Path, report: SizeReport) -> None:
        self.show_result(f"Draft saved and opened. {report.message}", path)
        self.open_url(QUrl.fromLocalFile(str(path)))

    def _packet_sent(self, receipt: SendReceipt) -> None:
        self.show_result(f"Sent to {receipt.recipient}. The packet is kept in the history.")
