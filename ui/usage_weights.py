"""The dialog where a marketer sets what one use of each kind scores in the usage reports."""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from library.usage import Weights

LABELS = {
    "packet_send": "Sent in a packet",
    "packet_export": "Exported in a packet",
    "packet_add": "Added to a packet",
    "open": "Opened",
    "preview": "Previewed",
}


class UsageWeightsDialog(QDialog):
    """One box per kind of use; Restore Defaults puts back 8, 5, 3, 2, 1."""

    def __init__(self, weights: Weights, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Usage Weights")
        self.boxes: dict[str, QDoubleSpinBox] = {}
        form = QFormLayout()
        for spec in fields(Weights):
            box = QDoubleSpinBox(decimals=1, minimum=0, maximum=1000, singleStep=1)
            box.setAccessibleName(LABELS[spec.name])
            box.setValue(getattr(weights, spec.name))
            self.boxes[spec.name] = box
            form.addRow(LABELS[spec.name], box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        defaults = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        defaults.clicked.connect(lambda: self.set_weights(Weights()))
        intro = QLabel(
            "What one use of an asset scores in “Most used” and the other reports. "
            "Saved in this library's settings (usage.weights).",
            wordWrap=True,
            objectName="muted",
        )
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def set_weights(self, weights: Weights) -> None:
        for name, box in self.boxes.items():
            box.setValue(getattr(weights, name))

    def weights(self) -> Weights:
        values = {name: box.value() for name, box in self.boxes.items()}
        return Weights(**{k: int(v) if float(v).is_integer() else v for k, v in values.items()})
