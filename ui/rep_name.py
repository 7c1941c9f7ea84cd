"""Asks for the rep's name the first time a packet goes out without one, then carries on."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from library import Library
from ui.tasks import TaskRunner


class RepNameDialog(QDialog):
    """One line for the rep's name; OK stays off until something is typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your Name")
        self.name_edit = QLineEdit(placeholderText="e.g. Ana Lima")
        self.name_edit.setAccessibleName("Your name")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save and Continue")
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(
            lambda text: self.ok_button.setEnabled(bool(text.strip()))
        )
        text = QLabel(
            "Packets carry your name on the cover and in the note's signature. It is saved "
            "in this library's settings; change it later in the mail settings.",
            wordWrap=True,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("What name should your packets carry?", objectName="heading"))
        layout.addWidget(text)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def name(self) -> str:
        return self.name_edit.text().strip()


def with_rep_name(
    parent: QWidget,
    library: Library,
    runner: TaskRunner,
    then: Callable[[], None],
    saved: Callable[[], None] | None = None,
) -> None:
    """Call ``then`` once the library has a rep name: at once if it has one (read off the
    GUI thread), else after the rep types one in a dialog and it is saved (``saved`` is
    called first then, e.g. to render the note again); not on Cancel."""

    def ask(name: object) -> None:
        if str(name).strip():
            then()
            return
        dialog = RepNameDialog(parent)
        dialog.accepted.connect(lambda: save(dialog.name()))
        dialog.open()

    def save(name: str) -> None:
        runner.run(
            lambda: library.change_settings({"rep.name": name}),
            write=True,
            on_success=lambda _stored: (saved and saved(), then()),
        )

    runner.run(lambda: library.settings.get("rep.name"), on_success=ask)
