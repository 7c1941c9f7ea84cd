"""Dialogs of the packet panel: a prospect for a duplicate, export/send progress, email."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from library import Library
from library.packets import Attach, Packet, Prospect, SizeReport
from library.progress import Progress
from ui import theme
from ui.mail_settings import MailSettingsDialog
from ui.prospect_form import ProspectForm
from ui.tasks import TaskRunner

DRAFT, SEND = "draft", "send"
ATTACH_LABELS = {
    Attach.PACKET: "The PDF packet",
    Attach.FILES: "Each asset's own file",
    Attach.NONE: "No attachments: list the assets, to send links",
}


PHASES = {
    "reading": "Reading the assets",
    "typesetting": "Typesetting the pages",
    "assembling": "Putting the packet together",
    "connecting": "Connecting to the mail server",
    "signing in": "Signing in",
    "sending": "Sending",
    "sent": "Sent",
}


def progress_text(progress: Progress) -> str:
    """A progress report of an export or a send, in words."""
    return PHASES.get(progress.phase, progress.phase.capitalize())


def section_title(text: str) -> QLabel:
    return QLabel(text.upper(), objectName="sectionTitle")


def warning_style(widget: QWidget) -> None:
    style = theme.chip_style("warning")  # the app palette: the widget's own follows its sheet
    widget.setStyleSheet(
        f"background: {style.background.name()}; color: {style.foreground.name()};"
        "border-radius: 8px; padding: 8px 10px;"
    )


class ProspectDialog(QDialog):
    """Asks who a duplicated packet is for."""

    def __init__(
        self,
        personas: list[str],
        stages: list[str],
        start: Prospect | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Duplicate for Another Prospect")
        self.setMinimumWidth(460)
        self.form = ProspectForm()
        self.form.set_terms(personas, stages)
        self.form.set_prospect(start or Prospect())
        intro = QLabel(
            "The copy keeps the assets, their notes and the note's merge fields, so the "
            "note fills in for the new prospect.",
            objectName="muted",
            wordWrap=True,
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Duplicate")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setProperty("primary", True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(QLabel("Who is it for?", objectName="heading"))
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addWidget(buttons)

    def prospect(self) -> Prospect:
        return self.form.prospect()


class DeliveryProgressDialog(QDialog):
    """Shows an export or a send as it goes; closes itself when the session says it ended."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(420)
        self.heading = QLabel(f"{title}…", objectName="heading")
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 0)
        self.detail = QLabel(objectName="muted", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        layout.setSpacing(10)
        for widget in (self.heading, self.bar, self.detail):
            layout.addWidget(widget)

    def show_progress(self, progress: Progress) -> None:
        self.heading.setText(progress_text(progress) + ("" if progress.phase == "sent" else "…"))
        if progress.total:
            self.bar.setRange(0, progress.total)
            self.bar.setValue(progress.done)
        else:
            self.bar.setRange(0, 0)
        self.detail.setText(progress.item or "")

    def reject(self) -> None:
        """Escape does not hide the work: it runs to the end and then closes this."""


class EmailDialog(QDialog):
    """How to email the packet: a draft for the mail app or straight over SMTP, and what to
    attach, with a warning (and the offer to send links) when attachments are too large."""

    settings_changed = Signal()

    def __init__(
        self, library: Library, runner: TaskRunner, packet: Packet, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.library, self.runner, self.packet = library, runner, packet
        self.smtp = None
        self.setWindowTitle("Email the Packet")
        self.setMinimumWidth(500)
        self._build()
        self._load_server()
        self._update_size()

    def _build(self) -> None:
        prospect = self.packet.prospect
        if prospect.email:
            self.to_label = QLabel(
                f"To: {prospect.full_name} <{prospect.email}>", objectName="muted"
            )
        else:
            self.to_label = QLabel("Add the prospect's email address to the packet first.")
            warning_style(self.to_label)

        self.draft_radio = QRadioButton("Save a draft and open it in my mail app")
        self.send_radio = QRadioButton("Send it now from my mail server")
        self.draft_radio.setChecked(True)
        self.how = QButtonGroup(self)
        self.how.addButton(self.draft_radio)
        self.how.addButton(self.send_radio)
        self.server_label = QLabel("Loading mail settings…", objectName="muted", wordWrap=True)
        self.settings_button = QPushButton("Mail settings…", objectName="linkButton")
        self.settings_button.clicked.connect(self.edit_settings)
        server = QHBoxLayout()
        server.setContentsMargins(24, 0, 0, 0)
        server.addWidget(self.server_label, 1)
        server.addWidget(self.settings_button)

        self.attach_group = QButtonGroup(self)
        self.attach_radios: dict[Attach, QRadioButton] = {}
        for attach, label in ATTACH_LABELS.items():
            radio = QRadioButton(label)
            self.attach_group.addButton(radio)
            self.attach_radios[attach] = radio
            radio.toggled.connect(lambda on: on and self._update_size())
        self.attach_radios[Attach.PACKET].setChecked(True)

        self.size_label = QLabel(objectName="muted", wordWrap=True)
        self.links_button = QPushButton("Send links instead")
        self.links_button.clicked.connect(lambda: self.attach_radios[Attach.NONE].setChecked(True))
        self.links_button.hide()
        self.warning = QWidget()
        warning = QHBoxLayout(self.warning)
        warning.setContentsMargins(0, 0, 0, 0)
        warning.addWidget(self.size_label, 1)
        warning.addWidget(self.links_button, 0, Qt.AlignmentFlag.AlignTop)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setProperty("primary", True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.how.buttonToggled.connect(lambda *_: self._update_ok())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(QLabel("Email the packet", objectName="heading"))
        layout.addWidget(self.to_label)
        layout.addSpacing(6)
        layout.addWidget(section_title("How"))
        layout.addWidget(self.draft_radio)
        layout.addWidget(self.send_radio)
        layout.addLayout(server)
        layout.addSpacing(6)
        layout.addWidget(section_title("Attach"))
        for radio in self.attach_radios.values():
            layout.addWidget(radio)
        layout.addSpacing(4)
        layout.addWidget(self.warning)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)
        self._update_ok()

    # -- what was chosen -------------------------------------------------------------------

    @property
    def method(self) -> str:
        return SEND if self.send_radio.isChecked() else DRAFT

    @property
    def attach(self) -> Attach:
        return next(a for a, radio in self.attach_radios.items() if radio.isChecked())

    def choose(self, method: str, attach: Attach = Attach.PACKET) -> None:
        (self.send_radio if method == SEND else self.draft_radio).setChecked(True)
        self.attach_radios[attach].setChecked(True)

    # -- filling ---------------------------------------------------------------------------

    def _load_server(self) -> None:
        packets = self.library.packets
        self.runner.run(
            lambda: (packets.smtp_config(), packets.settings.load()),
            on_success=self._server_loaded,
            on_failure=lambda exc: self.server_label.setText(str(exc)),
        )

    def _server_loaded(self, loaded) -> None:
        self.smtp, rep = loaded
        if self.smtp is None:
            self.server_label.setText("No mail server is set up yet.")
        else:
            sender = rep.rep_email or "no sender address yet"
            security = {"starttls": "STARTTLS", "ssl": "SSL", "none": "unencrypted"}.get(
                self.smtp.security, self.smtp.security
            )
            self.server_label.setText(f"{self.smtp.address} ({security}), from {sender}")
        self._update_ok()

    def _update_size(self) -> None:
        """How large the attachments would be (estimated from the assets' files)."""
        packets, packet_id, attach = self.library.packets, self.packet.id, self.attach
        if packet_id is not None:
            self.runner.run(
                lambda: packets.size_report(packet_id, attach=attach),
                on_success=self._size_ready,
                on_failure=None,
            )

    def _size_ready(self, report: SizeReport) -> None:
        if report.files:
            self.size_label.setText(report.message)
        else:
            self.size_label.setText("Nothing is attached: the message lists the assets.")
        over = report.over_limit
        self.links_button.setVisible(over)
        if over:
            warning_style(self.warning)
            self.size_label.setStyleSheet("background: transparent;")
        else:
            self.warning.setStyleSheet("")
        self.size_label.setObjectName("" if over else "muted")
        self.size_label.style().polish(self.size_label)

    def _update_ok(self) -> None:
        sending = self.method == SEND
        self.ok_button.setText("Send" if sending else "Save Draft")
        ready = bool(self.packet.prospect.email) and (not sending or self.smtp is not None)
        self.ok_button.setEnabled(ready)

    def edit_settings(self) -> MailSettingsDialog:
        dialog = MailSettingsDialog(self.library, self.runner, self)
        dialog.settings_saved.connect(self._load_server)
        dialog.settings_saved.connect(self.settings_changed)
        dialog.open()
        return dialog
