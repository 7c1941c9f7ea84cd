"""The marketer's edit panel: bulk-edit status, expiry and tags of the selected assets."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from library import Library
from library.models import Asset, Facet, Status
from ui import edit_commands as commands
from ui.icons import icon
from ui.tasks import TaskRunner
from ui.widgets import ChipLabel, FlowLayout

EDITED_FACETS = (
    ("stage", "Stages"),
    ("persona", "Personas"),
    ("industry", "Industries"),
    ("product", "Products"),
    ("tag", "Tags"),
)


class EditPanel(QScrollArea):
    """Shows what the selected assets share and pushes undoable edits for all of them."""

    edit_requested = Signal(str, list, object)  # description, ids, change(library)

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.ids: list[int] = []
        self.assets: list[Asset] = []
        self.term_names: dict[str, list[str]] = {}
        self._sequence = 0
        self._load_timer = QTimer(self, singleShot=True, interval=60)
        self._load_timer.timeout.connect(self._load_selection)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(300)
        self._build()
        self.reload_terms()
        self.set_selection([])

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)
        self.heading = QLabel(objectName="heading", wordWrap=True)
        self.subheading = QLabel(objectName="muted", wordWrap=True)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)

        self.form = QWidget()
        grid = QGridLayout(self.form)
        grid.setContentsMargins(0, 6, 0, 0)
        grid.setVerticalSpacing(12)
        grid.setColumnStretch(1, 1)
        self.status_box = QComboBox()
        self.status_box.addItem("—", "")
        for status in Status:
            self.status_box.addItem(status.value.capitalize(), status.value)
        self.status_box.activated.connect(self._status_chosen)
        grid.addWidget(QLabel("STATUS", objectName="sectionTitle"), 0, 0)
        grid.addWidget(self.status_box, 0, 1)

        self.expiry = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.expiry.setDate(QDate.currentDate().addMonths(6))
        set_expiry = QPushButton("Set")
        set_expiry.clicked.connect(self._set_expiry)
        clear_expiry = QPushButton("Clear")
        clear_expiry.setToolTip("Remove the expiry date")
        clear_expiry.clicked.connect(self._clear_expiry)
        expiry_row = QHBoxLayout()
        expiry_row.addWidget(self.expiry, 1)
        expiry_row.addWidget(set_expiry)
        expiry_row.addWidget(clear_expiry)
        self.expiry_label = QLabel(objectName="muted")
        grid.addWidget(QLabel("EXPIRES", objectName="sectionTitle"), 1, 0)
        grid.addLayout(expiry_row, 1, 1)
        grid.addWidget(self.expiry_label, 2, 1)

        self.facet_chips: dict[str, FlowLayout] = {}
        self.add_buttons: dict[str, QToolButton] = {}
        self.remove_buttons: dict[str, QToolButton] = {}
        row = 3
        for facet, label in EDITED_FACETS:
            grid.addWidget(
                QLabel(label.upper(), objectName="sectionTitle"), row, 0, Qt.AlignmentFlag.AlignTop
            )
            holder = QWidget()
            chips = FlowLayout(holder, spacing=4)
            self.facet_chips[facet] = chips
            buttons = QHBoxLayout()
            buttons.setSpacing(4)
            for kind, store in (("Add", self.add_buttons), ("Remove", self.remove_buttons)):
                button = QToolButton(
                    text=kind, popupMode=QToolButton.ToolButtonPopupMode.InstantPopup
                )
                button.setIcon(icon("plus" if kind == "Add" else "minus"))
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
                button.setMenu(QMenu(button))
                button.setAccessibleName(f"{kind} {label.lower()}")
                store[facet] = button
                buttons.addWidget(button)
            buttons.addStretch()
            cell = QVBoxLayout()
            cell.setSpacing(4)
            cell.addWidget(holder)
            cell.addLayout(buttons)
            grid.addLayout(cell, row, 1)
            row += 1

        self.suggest_box = QFrame(objectName="card")
        suggest = QVBoxLayout(self.suggest_box)
        suggest.addWidget(QLabel("SUGGESTED TAGS", objectName="sectionTitle"))
        self.suggest_holder = QWidget()
        self.suggest_chips = FlowLayout(self.suggest_holder, spacing=4)
        suggest.addWidget(self.suggest_holder)
        buttons = QHBoxLayout()
        self.accept_button = QPushButton(icon("check"), "Accept all")
        self.reject_button = QPushButton(icon("close"), "Reject all")
        self.accept_button.clicked.connect(lambda: self._resolve(True))
        self.reject_button.clicked.connect(lambda: self._resolve(False))
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch()
        suggest.addLayout(buttons)

        layout.addWidget(self.form)
        layout.addWidget(self.suggest_box)
        layout.addStretch()
        self.setWidget(body)

    # -- selection -------------------------------------------------------------------------

    def reload_terms(self) -> None:
        taxonomy = self.library.taxonomy
        self.runner.run(
            lambda: {f: taxonomy.names(f) for f, _ in EDITED_FACETS}, on_success=self._terms_loaded
        )

    def _terms_loaded(self, names: dict[str, list[str]]) -> None:
        self.term_names = names
        self._fill_menus()

    def set_selection(self, ids: list[int]) -> None:
        self.ids = list(ids)
        self._sequence += 1
        if not ids:
            self.assets = []
            self.heading.setText("No selection")
            self.subheading.setText(
                "Select assets in the table to edit them. Shift- or "
                "Ctrl-click to edit several at once."
            )
            self.form.hide()
            self.suggest_box.hide()
            return
        self._load_timer.start()

    def refresh(self) -> None:
        if self.ids:
            self._sequence += 1
            self._load_timer.start()

    def _load_selection(self) -> None:
        sequence, ids, assets = self._sequence, list(self.ids), self.library.assets
        self.runner.run(
            lambda: assets.get_many(ids),
            on_success=lambda found: self._selection_loaded(sequence, found),
        )

    def _selection_loaded(self, sequence: int, assets: list[Asset]) -> None:
        if sequence != self._sequence:
            return
        self.assets = assets
        n = len(assets)
        if n == 1:
            self.heading.setText(assets[0].title)
            self.subheading.setText(f"{assets[0].content_type.capitalize()} · {assets[0].path}")
        else:
            self.heading.setText(f"{n} assets selected")
            self.subheading.setText("Changes apply to every selected asset. Ctrl+Z undoes them.")
        self.form.show()
        statuses = {a.status for a in assets}
        self.status_box.setCurrentIndex(
            self.status_box.findData(statuses.pop()) if len(statuses) == 1 else 0
        )
        expiries = {a.expires for a in assets}
        self.expiry_label.setText(
            ("No expiry" if expiries == {None} else f"Now {expiries.pop()}")
            if len(expiries) == 1
            else "Different dates"
        )
        for facet, chips in self.facet_chips.items():
            chips.clear()
            counts = Counter(name for a in assets for name in a.terms.get(facet, []))
            for name, count in counts.items():
                label = name if count == n else f"{name} ({count}/{n})"
                chips.addWidget(
                    ChipLabel(label, facet if facet in ("stage", "persona") else "neutral")
                )
        suggested = Counter(
            (f, name) for a in assets for f, names in a.suggested.items() for name in names
        )
        self.suggest_chips.clear()
        for (facet, name), count in suggested.items():
            text = name if n == 1 else f"{name} ({count})"
            chip = ChipLabel(text, "suggested")
            chip.setToolTip(f"Suggested {facet} from the text")
            self.suggest_chips.addWidget(chip)
        self.suggest_box.setVisible(bool(suggested))
        self._fill_menus()

    def _fill_menus(self) -> None:
        present = {
            f: {name for a in self.assets for name in a.terms.get(f, [])} for f, _ in EDITED_FACETS
        }
        for facet, _label in EDITED_FACETS:
            add_menu = self.add_buttons[facet].menu()
            add_menu.clear()
            for name in self.term_names.get(facet, []):
                add_menu.addAction(name, lambda n=name, f=facet: self._tag(f, [n], "add"))
            if facet in (Facet.TAG, Facet.PRODUCT):
                add_menu.addSeparator()
                add_menu.addAction(f"New {facet}…", lambda f=facet: self._new_term(f))
            remove_menu = self.remove_buttons[facet].menu()
            remove_menu.clear()
            for name in sorted(present.get(facet, set()), key=str.casefold):
                remove_menu.addAction(name, lambda n=name, f=facet: self._tag(f, [n], "remove"))
            self.remove_buttons[facet].setEnabled(bool(present.get(facet)))

    # -- edits -----------------------------------------------------------------------------

    def _count(self) -> str:
        return "1 asset" if len(self.ids) == 1 else f"{len(self.ids)} assets"

    def _status_chosen(self, index: int) -> None:
        status = self.status_box.itemData(index)
        if status and self.ids:
            self.edit_requested.emit(
                f"Set status of {self._count()} to {status}",
                self.ids,
                commands.set_fields(self.ids, status=status),
            )

    def _set_expiry(self) -> None:
        if self.ids:
            day = self.expiry.date().toString("yyyy-MM-dd")
            self.edit_requested.emit(
                f"Set expiry of {self._count()} to {day}",
                self.ids,
                commands.set_fields(self.ids, expires=day),
            )

    def _clear_expiry(self) -> None:
        if self.ids:
            self.edit_requested.emit(
                f"Clear expiry of {self._count()}",
                self.ids,
                commands.set_fields(self.ids, expires=None),
            )

    def _tag(self, facet: str, names: list[str], mode: str, *, create: bool = False) -> None:
        if self.ids and names:
            verb = "Add" if mode == "add" else "Remove"
            joined = ", ".join(names)
            self.edit_requested.emit(
                f"{verb} {facet} {joined} ({self._count()})",
                self.ids,
                commands.tag(self.ids, facet, names, mode, create=create),
            )

    def _new_term(self, facet: str) -> None:
        name, ok = QInputDialog.getText(
            self, f"New {facet.capitalize()}", f"{facet.capitalize()} name:"
        )
        if ok and name.strip():
            self._tag(facet, [name.strip()], "add", create=True)
            self.reload_terms()

    def _resolve(self, accept: bool) -> None:
        if self.ids:
            verb = "Accept" if accept else "Reject"
            self.edit_requested.emit(
                f"{verb} suggested tags ({self._count()})",
                self.ids,
                commands.resolve_suggestions(self.ids, accept=accept),
            )
