"""The prospect's fields: name, email, company, role, and persona and stage from the taxonomy;
and the panel's section that folds them into a summary line."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from library.packets import Prospect

TEXT_FIELDS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "company": "Company",
    "role": "Role (e.g. Head of Finance)",
}
TERM_FIELDS = {"persona": "Persona…", "stage": "Buyer stage…"}
# Where each field sits in the two-column grid: (row, column, column span).
PLACES = {
    "first_name": (0, 0, 1),
    "last_name": (0, 1, 1),
    "email": (1, 0, 1),
    "company": (1, 1, 1),
    "role": (2, 0, 2),
    "persona": (3, 0, 1),
    "stage": (3, 1, 1),
}


class ProspectForm(QWidget):
    """Edits a ``Prospect``; ``prospect_edited`` fires on every change the person makes."""

    prospect_edited = Signal(object)  # Prospect

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits: dict[str, QLineEdit] = {}
        self.combos: dict[str, QComboBox] = {}
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(8)
        layout.setVerticalSpacing(8)
        for name, label in TEXT_FIELDS.items():
            edit = QLineEdit(objectName=f"prospect_{name}")
            edit.setPlaceholderText(label)
            edit.setToolTip(label)
            edit.setAccessibleName(f"Prospect {label.split(' (')[0].lower()}")
            edit.textEdited.connect(self._edited)
            self.edits[name] = edit
            layout.addWidget(edit, *PLACES[name][:2], 1, PLACES[name][2])
        for name, label in TERM_FIELDS.items():
            combo = QComboBox(objectName=f"prospect_{name}")
            combo.setPlaceholderText(label)
            label = label.rstrip("…")
            combo.setToolTip(f"{label}: picks the note template and the suggested assets")
            combo.setAccessibleName(f"Prospect {label.lower()}")
            combo.setMinimumContentsLength(8)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.activated.connect(self._edited)
            self.combos[name] = combo
            layout.addWidget(combo, *PLACES[name][:2], 1, PLACES[name][2])
        self.edits["email"].setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)

    def set_terms(self, personas: list[str], stages: list[str]) -> None:
        """Fill the persona and stage lists (from the taxonomy), keeping what is chosen."""
        for name, names in (("persona", personas), ("stage", stages)):
            combo = self.combos[name]
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("—", "")  # none chosen
            for term in names:
                combo.addItem(term, term)
            self._choose(combo, current)
            combo.blockSignals(False)

    def set_prospect(self, prospect: Prospect) -> None:
        for name, edit in self.edits.items():
            if edit.text() != getattr(prospect, name):
                edit.setText(getattr(prospect, name))
                edit.setCursorPosition(0)
        for name, combo in self.combos.items():
            combo.blockSignals(True)
            self._choose(combo, getattr(prospect, name))
            combo.blockSignals(False)

    @staticmethod
    def _choose(combo: QComboBox, value: str) -> None:
        if not value:
            combo.setCurrentIndex(-1)  # shows the placeholder
            return
        index = combo.findData(value)
        if index < 0:
            # A term the taxonomy no longer has: keep showing it rather than losing it.
            combo.addItem(value, value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    def prospect(self) -> Prospect:
        values = {name: edit.text().strip() for name, edit in self.edits.items()}
        for name, combo in self.combos.items():
            values[name] = combo.currentData() or ""
        return Prospect(**values)

    def set_read_only(self, read_only: bool) -> None:
        for edit in self.edits.values():
            edit.setReadOnly(read_only)
        for combo in self.combos.values():
            combo.setEnabled(not read_only)

    def focus_first_empty(self) -> None:
        for edit in self.edits.values():
            if not edit.text():
                edit.setFocus()
                return

    def _edited(self, *_args) -> None:
        self.prospect_edited.emit(self.prospect())


class ElidedLabel(QLabel):
    """One line of text that ends in "…" when it is wider than the label."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(0, self.contentsRect().width())
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))


class ProspectSection(QWidget):
    """The form under a "Prospect" heading; folded, it shows a one-line summary instead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = ProspectForm()
        self.summary = ElidedLabel(objectName="muted")
        self.toggle = QPushButton("Edit", objectName="linkButton")
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName("Show the prospect's fields")
        self.toggle.toggled.connect(self._unfold)
        header = QHBoxLayout()
        header.setSpacing(6)
        header.addWidget(QLabel("PROSPECT", objectName="sectionTitle"))
        header.addWidget(self.summary, 1)
        header.addStretch()  # keeps the toggle on the right while the summary is hidden
        header.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.form)
        self.form.prospect_edited.connect(self.show_summary)
        self._unfold(False)

    @property
    def unfolded(self) -> bool:
        return self.toggle.isChecked()

    def set_unfolded(self, unfolded: bool) -> None:
        self.toggle.setChecked(unfolded)
        self._unfold(unfolded)

    def _unfold(self, unfolded: bool) -> None:
        self.form.setVisible(unfolded)
        self.summary.setVisible(not unfolded)
        self.toggle.setText("Done" if unfolded else "Edit")

    def show_summary(self, prospect: Prospect) -> None:
        who = prospect.full_name or prospect.email
        where = (
            f"{prospect.role}, {prospect.company}"
            if prospect.role and prospect.company
            else prospect.company or prospect.role
        )
        parts = [part for part in (who, where, prospect.persona, prospect.stage) if part]
        self.summary.set_full_text(" · ".join(parts) if parts else "not filled in yet")
