"""The rep's own details (for merge fields and the cover) and the mail server for sending.

They live in the library's ``settings.json`` through the core; the SMTP password goes to
the system keyring through the core and is never written to a file.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QDoubleValidator, QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from library import Library
from library.packets import RepSettings
from library.packets import mail as packet_mail
from ui.errors import show_error
from ui.tasks import TaskRunner

SECURITY_LABELS = {"starttls": "STARTTLS", "ssl": "SSL/TLS", "none": "None (local servers only)"}
REP_FIELDS = {
    "rep_name": "Name",
    "rep_title": "Job title",
    "rep_email": "Email",
    "rep_phone": "Phone",
    "rep_company": "Company",
}


def load_mail_settings(library: Library) -> tuple[RepSettings, bool]:
    """Runs off the GUI thread: the settings, and whether a password is already kept."""
    rep = library.packets.settings.load()
    saved = bool(rep.smtp_user) and packet_mail.smtp_password(rep.smtp_user) is not None
    return rep, saved


def save_mail_settings(library: Library, rep: RepSettings, password: str) -> RepSettings:
    """Runs off the GUI thread: settings to the file, the password to the keyring."""
    if password and rep.smtp_user:
        packet_mail.store_password(rep.smtp_user, password)
    library.save_rep_settings(rep)
    return rep


class MailSettingsDialog(QDialog):
    """Loads and saves off the GUI thread; ``settings_saved`` once the core stored them."""

    settings_saved = Signal(object)  # RepSettings

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.library, self.runner = library, runner
        self.loaded: RepSettings | None = None
        self.setWindowTitle("Your Details and Mail Server")
        self.setMinimumWidth(520)
        self._build()
        self.setEnabled(False)
        runner.run(lambda: load_mail_settings(library), on_success=self._loaded)

    def _build(self) -> None:
        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(12)
        form.addRow(QLabel("YOUR DETAILS", objectName="sectionTitle"))
        form.addRow(
            QLabel(
                "Used for {rep_name}, {signature} and the other rep fields, and on the cover.",
                objectName="muted",
                wordWrap=True,
            )
        )
        self.edits: dict[str, QLineEdit] = {}
        for name, label in REP_FIELDS.items():
            self.edits[name] = QLineEdit()
            form.addRow(label, self.edits[name])
        self.signature = QPlainTextEdit()
        self.signature.setPlaceholderText("Empty: built from your name, title, company and email")
        self.signature.setFixedHeight(72)
        form.addRow("Signature", self.signature)

        self.host = QLineEdit()
        self.host.setPlaceholderText("smtp.example.com")
        self.port = QLineEdit()
        self.port.setValidator(QIntValidator(1, 65535, self.port))
        self.port.setFixedWidth(72)
        self.port.setAccessibleName("Port")
        self.security = QComboBox()
        for key, label in SECURITY_LABELS.items():
            self.security.addItem(label, key)
        self.security.currentIndexChanged.connect(self._security_changed)
        server_row = QHBoxLayout()
        server_row.setSpacing(8)
        server_row.addWidget(self.host, 1)
        server_row.addWidget(QLabel("Port"))
        server_row.addWidget(self.port)
        self.user = QLineEdit()
        self.user.setPlaceholderText("Leave empty if the server needs no login")
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Mail server password")
        self.limit = QLineEdit()
        self.limit.setValidator(QDoubleValidator(0.5, 500, 1, self.limit))
        self.limit.setFixedWidth(72)
        self.limit.setToolTip("Above this, the email dialog offers to send links instead")
        limit_row = QHBoxLayout()
        limit_row.setSpacing(8)
        limit_row.addWidget(self.limit)
        limit_row.addWidget(QLabel("MB"))
        limit_row.addStretch()
        form.addItem(QSpacerItem(0, 8))
        form.addRow(QLabel("MAIL SERVER", objectName="sectionTitle"))
        form.addRow("Server", server_row)
        form.addRow("Security", self.security)
        form.addRow("User name", self.user)
        form.addRow("Password", self.password)
        form.addRow("Attachment limit", limit_row)
        form.addRow(
            QLabel(
                "The password is kept in the system keyring, never in the library's files.",
                objectName="muted",
                wordWrap=True,
            )
        )

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setProperty("primary", True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _loaded(self, loaded: tuple[RepSettings, bool]) -> None:
        rep, has_password = loaded
        self.loaded = rep
        for name, edit in self.edits.items():
            edit.setText(getattr(rep, name))
        self.signature.setPlainText(rep.signature)
        self.host.setText(rep.smtp_host)
        self.security.blockSignals(True)
        self.security.setCurrentIndex(max(0, self.security.findData(rep.smtp_security)))
        self.security.blockSignals(False)
        self.port.setText(str(rep.smtp_port))
        self.user.setText(rep.smtp_user)
        self.password.setPlaceholderText(
            "Saved in the system keyring (type to replace)" if has_password else ""
        )
        self.limit.setText(f"{rep.attachment_limit_mb:g}")
        self.setEnabled(True)

    def _security_changed(self) -> None:
        # Follow the usual port for the new mode unless the rep chose an unusual one.
        if self._number(self.port, 0) in packet_mail.DEFAULT_PORTS.values():
            self.port.setText(str(packet_mail.DEFAULT_PORTS[self.security.currentData()]))

    @staticmethod
    def _number(edit: QLineEdit, default: float) -> float:
        try:
            return float(edit.text().replace(",", "."))
        except ValueError:
            return default

    def settings(self) -> RepSettings:
        values = {name: edit.text().strip() for name, edit in self.edits.items()}
        return replace(
            self.loaded or RepSettings(),
            **values,
            signature=self.signature.toPlainText().strip(),
            smtp_host=self.host.text().strip(),
            smtp_port=int(self._number(self.port, 587)),
            smtp_security=self.security.currentData(),
            smtp_user=self.user.text().strip(),
            attachment_limit_mb=self._number(self.limit, 10.0),
        )

    def save(self) -> None:
        rep, password, library = self.settings(), self.password.text(), self.library
        self.setEnabled(False)
        self.runner.run(
            lambda: save_mail_settings(library, rep, password),
            write=True,
            on_success=self._saved,
            on_failure=self._failed,
        )

    def _saved(self, rep: RepSettings) -> None:
        self.settings_saved.emit(rep)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.setEnabled(True)
        show_error(self, exc)
