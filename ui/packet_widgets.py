"""Pieces of the packet panel: the item list that takes drops, suggestions, the note with
its preview, the status chip and the banner over a sent packet."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from library.packets import NoteTemplate, OutdatedItem, Packet, Prospect, RenderedNote
from ui import theme
from ui.icons import icon
from ui.models import item_data
from ui.models.packet_history import STATUS_CHIP_KINDS, STATUS_LABELS
from ui.models.packet_suggestions import SuggestionListModel
from ui.models.roles import AssetIdRole
from ui.packet_delegates import PacketItemDelegate, SuggestionDelegate
from ui.text_edits import NoteEdit

_FIELD = re.compile(r"\{\{?\s*([A-Za-z_]\w*)\s*\}?\}")
EMPTY_HINT = "Add assets with Add to packet (Ctrl+Enter) in the preview, or drag results here."
REP_FIELDS = {"rep_name", "rep_title", "rep_email", "rep_phone", "rep_company", "signature"}


def section_header(title: str, *widgets: QWidget | None) -> QHBoxLayout:
    """A section's title in small capitals, then ``widgets`` (None is a stretch)."""
    row = QHBoxLayout()
    row.setSpacing(6)
    row.addWidget(QLabel(title.upper(), objectName="sectionTitle"))
    for widget in widgets:
        if widget is None:
            row.addStretch()
        else:
            row.addWidget(widget)
    return row


def section(*rows: QWidget | QHBoxLayout) -> QWidget:
    """Rows (widgets or layouts) stacked into one widget, e.g. for a splitter."""
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 6, 0, 0)
    layout.setSpacing(6)
    for row in rows:
        (layout.addLayout if isinstance(row, QHBoxLayout) else layout.addWidget)(row)
    return widget


class PacketItemsView(QListView):
    """The packet's assets: drag to reorder, drop results in, edit notes in place."""

    remove_requested = Signal(list)  # asset ids
    open_requested = Signal(int)  # asset id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.delegate = PacketItemDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setObjectName("packetItems")
        self.setAccessibleName("Assets in the packet")
        self.setMouseTracking(True)
        self.setUniformItemSizes(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        self.setDropIndicatorShown(True)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.delegate.remove_requested.connect(
            lambda asset_id: self.remove_requested.emit([asset_id])
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

    def selected_ids(self) -> list[int]:
        return [item_data(i, AssetIdRole) for i in self.selectionModel().selectedRows()]

    def keyPressEvent(self, event) -> None:
        editable = bool(
            self.model() and self.model().flags(self.currentIndex()) & Qt.ItemFlag.ItemIsEditable
        )
        if (
            editable
            and event.matches(QKeySequence.StandardKey.Delete)
            or (editable and event.key() == Qt.Key.Key_Backspace)
        ):
            self.remove_requested.emit(self.selected_ids())
            return
        if (
            editable
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers()
            and self.state() != QAbstractItemView.State.EditingState  # Enter that ends an edit
        ):
            self.edit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _menu(self, pos) -> None:
        index = self.indexAt(pos)
        if not index.isValid():
            return
        asset_id = item_data(index, AssetIdRole)
        editable = bool(index.flags() & Qt.ItemFlag.ItemIsEditable)
        menu = QMenu(self)
        note = QAction("Edit Note", menu, enabled=editable)
        note.triggered.connect(lambda: self.edit(index))
        open_ = QAction("Open Original", menu)
        open_.triggered.connect(lambda: self.open_requested.emit(asset_id))
        remove = QAction("Remove from Packet", menu, enabled=editable)
        remove.triggered.connect(lambda: self.remove_requested.emit([asset_id]))
        for action in (note, open_):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(remove)
        menu.popup(self.viewport().mapToGlobal(pos))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.model() is not None and self.model().rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(theme.secondary_text(self.palette()))
            rect = self.viewport().rect().adjusted(24, 0, -24, 0)
            painter.drawText(
                QRect(rect),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                EMPTY_HINT,
            )


class StatusChip(QLabel):
    """Draft, Exported or Sent, coloured as the history shows them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_status(self, status: str) -> None:
        style = theme.chip_style(STATUS_CHIP_KINDS.get(status, "neutral"))
        self.setText(STATUS_LABELS.get(status, status))
        self.setStyleSheet(
            f"background: {style.background.name()}; color: {style.foreground.name()};"
            "border-radius: 10px; padding: 2px 10px; font-size: 11px; font-weight: 600;"
        )
        self.setAccessibleName(f"Status: {self.text()}")


class NoteSection(QWidget):
    """The note: a template picker, the rendered preview (or the core's error inline, over
    the text as written with its merge fields marked), and an Edit page for subject and note."""

    details_requested = Signal()
    PREVIEW, EDIT = range(2)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error_text = ""
        self.tabs = QButtonGroup(self)
        header = QHBoxLayout()
        header.setSpacing(2)
        header.addWidget(QLabel("NOTE", objectName="sectionTitle"))
        header.addSpacing(8)
        for page, text in ((self.PREVIEW, "Preview"), (self.EDIT, "Edit")):
            button = QToolButton(text=text, checkable=True, objectName="segment")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.tabs.addButton(button, page)
            header.addWidget(button)
        self.tabs.button(self.PREVIEW).setChecked(True)
        self.tabs.idClicked.connect(self.show_page)
        header.addStretch()
        self.template_box = QComboBox()
        self.template_box.setPlaceholderText("Template…")
        self.template_box.setToolTip("Start the subject and note from a template")
        self.template_box.setAccessibleName("Note template")
        header.addWidget(self.template_box)

        self.error = QLabel(objectName="previewError", wordWrap=True)
        self.error.setTextFormat(Qt.TextFormat.RichText)
        self.error.linkActivated.connect(lambda _link: self.details_requested.emit())
        self.error.hide()
        self.browser = QTextBrowser(objectName="notePreview")
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName("Note preview")
        self.browser.document().setDocumentMargin(10)
        self.subject_edit = QLineEdit(objectName="subjectEdit")
        self.subject_edit.setPlaceholderText("Subject")
        self.subject_edit.setAccessibleName("Subject")
        self.note_edit = NoteEdit(objectName="noteEditor")
        self.note_edit.setPlaceholderText("Write your note. Merge fields: {first_name}, {company}…")
        self.note_edit.setAccessibleName("Note")
        self.note_edit.setTabChangesFocus(True)
        editor = QWidget()
        editing = QVBoxLayout(editor)
        editing.setContentsMargins(0, 0, 0, 0)
        editing.setSpacing(6)
        editing.addWidget(self.subject_edit)
        editing.addWidget(self.note_edit, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.browser)
        self.stack.addWidget(editor)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.error)
        layout.addWidget(self.stack, 1)

    def set_templates(self, templates: list[NoteTemplate], current: str) -> None:
        """Note templates first, then follow-ups, each by name."""
        self.template_box.clear()
        for template in sorted(templates, key=lambda t: (t.use != "note", t.name.casefold())):
            label = template.name + (" (follow-up)" if template.use == "follow-up" else "")
            self.template_box.addItem(label, template.slug)
        self.template_box.setCurrentIndex(self.template_box.findData(current))

    def show_page(self, page: int) -> None:
        self.tabs.button(page).setChecked(True)
        self.stack.setCurrentIndex(page)
        if page == self.EDIT:
            self.note_edit.setFocus()

    def set_read_only(self, read_only: bool) -> None:
        self.subject_edit.setReadOnly(read_only)
        self.note_edit.setReadOnly(read_only)
        self.template_box.setEnabled(not read_only)
        self.tabs.button(self.EDIT).setEnabled(not read_only)
        if read_only:
            self.show_page(self.PREVIEW)

    def show_note(self, note: RenderedNote, prospect: Prospect) -> None:
        self.error_text = ""
        self.error.hide()
        self.browser.setHtml(self._page(note.subject, note.body, prospect, marked=False))

    def show_error(
        self, message: str, fields: list[str], subject: str, body: str, prospect: Prospect
    ) -> None:
        """The core's message above the note as written, its merge fields marked."""
        self.error_text = message
        style = theme.chip_style("warning")
        self.error.setStyleSheet(
            f"background: {style.background.name()}; color: {style.foreground.name()};"
            "border-radius: 8px; padding: 7px 10px;"
        )
        link = " <a href='details'>Set your details…</a>" if REP_FIELDS & set(fields) else ""
        self.error.setText(html.escape(message) + link)
        self.error.show()
        self.browser.setHtml(self._page(subject, body, prospect, marked=True))

    def _page(self, subject: str, body: str, prospect: Prospect, *, marked: bool) -> str:
        palette = QGuiApplication.palette()
        muted = theme.secondary_text(palette).name()
        style = theme.chip_style("warning" if marked else "stage", palette)
        to = html.escape(
            f"{prospect.full_name} <{prospect.email}>" if prospect.email else prospect.full_name
        )

        def mark(text: str) -> str:
            escaped = html.escape(text)
            if not marked:
                return escaped
            return _FIELD.sub(
                lambda m: (
                    f"<span style='background:{style.background.name()};"
                    f"color:{style.foreground.name()};'>{{{m.group(1)}}}</span>"
                ),
                escaped,
            )

        paragraphs = [p for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
        body_html = (
            "".join(
                f"<p style='margin:0 0 10px 0'>{mark(p).replace(chr(10), '<br>')}</p>"
                for p in paragraphs
            )
            or f"<p style='color:{muted}'>No note yet: choose a template or write one.</p>"
        )
        header = f"<div style='color:{muted}; font-size:small'>To: {to or '—'}</div>"
        title = f"<div style='font-weight:600; margin:4px 0 10px 0'>{mark(subject) or '—'}</div>"
        return f"{header}{title}{body_html}"


class SuggestionsBox(QWidget):
    """Assets suggested for the prospect's stage and persona; a click adds one."""

    add_requested = Signal(list)  # asset ids

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SuggestionListModel(self)
        self.label = QLabel(objectName="muted")
        self.view = QListView(objectName="suggestions")
        self.view.setModel(self.model)
        self.view.setItemDelegate(SuggestionDelegate(self.view))
        self.view.setMouseTracking(True)
        self.view.setUniformItemSizes(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setCursor(Qt.CursorShape.PointingHandCursor)
        self.view.setAccessibleName("Suggested assets")
        self.view.setFixedHeight(SuggestionDelegate.HEIGHT * 2 + 8)
        self.view.clicked.connect(
            lambda index: self.add_requested.emit([item_data(index, AssetIdRole)])
        )
        header = QHBoxLayout()
        header.setSpacing(6)
        header.addWidget(QLabel("SUGGESTED", objectName="sectionTitle"))
        header.addWidget(self.label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.view)
        self.hide()

    def show_suggestions(self, suggestions: list, prospect: Prospect) -> None:
        self.model.set_suggestions(suggestions)
        fit = " · ".join(part for part in (prospect.stage, prospect.persona) if part)
        self.label.setText(f"for {fit}" if fit else "")
        self.setVisible(bool(suggestions))

    def remove(self, asset_ids: list[int]) -> None:
        self.model.remove(asset_ids)
        self.setVisible(self.model.rowCount() > 0)


class SentBanner(QFrame):
    """Over a sent packet: when and to whom it went, what changed since, and what to do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="card")
        self.label = QLabel(wordWrap=True)
        self.duplicate_button = QPushButton(icon("copy"), "Duplicate for…")
        self.duplicate_button.setToolTip("A new draft with the same assets for another prospect")
        self.update_button = QPushButton(icon("rescan"), "Send the update")
        self.update_button.setToolTip("A new draft with the current versions of what changed")
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.duplicate_button)
        buttons.addWidget(self.update_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.label)
        layout.addLayout(buttons)

    def show_packet(self, packet: Packet, outdated: list[OutdatedItem]) -> None:
        self.setVisible(packet.is_sent)
        text = (
            f"Sent to {packet.prospect.email} on {(packet.sent or '')[:10]}. It is kept as "
            "the record of what went out; duplicate it to send it to someone else."
        )
        if outdated:
            noun = "asset has" if len(outdated) == 1 else "assets have"
            text += f" {len(outdated)} {noun} changed since."
        self.label.setText(text)
        self.update_button.setVisible(any(item.resendable for item in outdated))
