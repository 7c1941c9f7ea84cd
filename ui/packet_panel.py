"""The packet panel beside search: the prospect, the assets in order with their notes,
suggestions, the note with its live preview, and export and email."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
)

from library import Library
from library.errors import PitchpackError
from library.packets import NoteTemplate, Packet, Prospect, RenderedNote, TemplateError
from ui import settings as keys
from ui.errors import error_message, show_error
from ui.icons import icon
from ui.mail_settings import MailSettingsDialog
from ui.packet_delivery import DeliveryBar
from ui.packet_dialogs import EmailDialog, ProspectDialog
from ui.packet_history import PacketHistoryDialog
from ui.packet_session import PacketSession
from ui.packet_widgets import (
    NoteSection,
    PacketItemsView,
    SentBanner,
    StatusChip,
    SuggestionsBox,
    section,
    section_header,
)
from ui.prospect_form import ElidedLabel, ProspectSection
from ui.settings import Settings
from ui.tasks import TaskRunner

PANEL_WIDTH = 430
MIN_PANE_WIDTH = 330  # what the pane next to the panel keeps when it opens
MIN_KEPT_WIDTH = 440  # and the ones further left


class PacketPanel(QFrame):
    """The packet being put together for a prospect. ``add_assets`` takes results (Ctrl+Enter,
    the preview's button, drops); ``menu_actions`` and ``toggle_action`` go in the menus."""

    status_message = Signal(str)

    def __init__(
        self, library: Library, runner: TaskRunner, settings: Settings, parent=None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("packetPanel")
        self.library, self.runner, self.settings = library, runner, settings
        self.session = PacketSession(library, runner, self)
        self.personas: list[str] = []
        self.stages: list[str] = []
        self._build_actions()
        self._build()
        self._connect()
        self._show_packet(self.session.packet)

    # -- building --------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut: str | None, icon_name: str) -> QAction:
        action = QAction(icon(icon_name), text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.toggle_action = QAction(icon("packet"), "&Packet", self, checkable=True)
        self.toggle_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.toggle_action.setToolTip("Show or hide the packet panel (Ctrl+Shift+P)")
        self.toggle_action.toggled.connect(self._toggled)
        self.new_action = self._action("&New Packet", self.new_packet, "Ctrl+N", "plus")
        self.export_pdf_action = self._action("Export &PDF…", self.export_pdf, "Ctrl+E", "download")
        self.export_docx_action = self._action("Export &DOCX…", self.export_docx, None, "edit")
        self.email_action = self._action("&Email Packet…", self.email, "Ctrl+Shift+E", "mail")
        self.history_action = self._action(
            "Packet &History…", self.show_history, "Ctrl+H", "history"
        )
        self.settings_action = self._action(
            "Your Details and &Mail Server…", self.edit_mail_settings, None, "user"
        )

    def menu_actions(self) -> list[QAction | None]:
        """The Packet menu, top to bottom; None is a separator."""
        return [
            self.new_action,
            None,
            self.export_pdf_action,
            self.export_docx_action,
            self.email_action,
            None,
            self.history_action,
            self.settings_action,
        ]

    def toggle_button(self) -> QToolButton:
        """A "Packet" button for the tab bar's corner that shows and hides the panel."""
        button = QToolButton(objectName="packetToggle")
        button.setDefaultAction(self.toggle_action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setText("Packet")
        return button

    def _tool(self, name: str, tip: str, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon(name))
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.clicked.connect(action.trigger)
        return button

    def _build(self) -> None:
        self.status_chip = StatusChip()
        self.saved_label = QLabel(objectName="muted")
        header = QHBoxLayout()
        header.setSpacing(6)
        header.addWidget(QLabel("Packet", objectName="heading"))
        header.addWidget(self.status_chip)
        header.addStretch()
        header.addWidget(self.saved_label)
        header.addWidget(self._tool("plus", "New packet (Ctrl+N)", self.new_action))
        header.addWidget(self._tool("history", "Packet history (Ctrl+H)", self.history_action))
        header.addWidget(self._tool("user", "Your details and mail server", self.settings_action))

        self.banner = SentBanner()

        self.prospect = ProspectSection()
        self.form = self.prospect.form
        self.items_view = PacketItemsView()
        self.items_view.setModel(self.session.model)
        self.count_label = QLabel(objectName="muted")
        self.suggestions = SuggestionsBox()
        # A narrow panel ends the hint in "…" rather than cutting it at the edge.
        self.assets_hint = ElidedLabel(objectName="muted")
        self.assets_hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.assets_hint.set_full_text("Drag to reorder · double-click to add a note")
        assets_header = section_header("Assets", self.count_label, self.assets_hint)
        assets_header.setStretchFactor(self.assets_hint, 1)  # the title and count stay together
        assets = section(
            assets_header,
            self.items_view,
            self.suggestions,
        )
        assets.layout().setStretchFactor(self.items_view, 1)

        self.note = NoteSection()
        self.template_box = self.note.template_box
        self.subject_edit, self.note_edit = self.note.subject_edit, self.note.note_edit

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(8)
        for part, stretch in ((assets, 3), (self.note, 2)):
            self.splitter.addWidget(part)
            self.splitter.setStretchFactor(self.splitter.indexOf(part), stretch)
        self.splitter.setSizes([420, 300])
        self.delivery = DeliveryBar(self.library, self.runner, self.settings, self.session)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 14, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.prospect)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.delivery)
        self.setMinimumWidth(340)

    def _connect(self) -> None:
        session, model = self.session, self.session.model
        self.form.prospect_edited.connect(session.set_prospect)
        self.subject_edit.textEdited.connect(session.set_subject)
        self.note_edit.textChanged.connect(self._note_typed)
        self.template_box.activated.connect(self._template_chosen)
        self.items_view.remove_requested.connect(session.remove_assets)
        self.items_view.open_requested.connect(self._open_asset)
        self.suggestions.add_requested.connect(self.add_assets)
        self.banner.duplicate_button.clicked.connect(self.duplicate_current)
        self.banner.update_button.clicked.connect(lambda: session.follow_up(session.packet.id))
        self.note.details_requested.connect(self.edit_mail_settings)
        self.delivery.status_message.connect(self.status_message)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._update_counts)
        session.packet_loaded.connect(self._show_packet)
        session.packet_stored.connect(self._show_status)
        session.text_replaced.connect(self._fill_text)
        session.saving_changed.connect(self._show_saving)
        session.preview_ready.connect(
            lambda note: self.note.show_note(note, session.packet.prospect)
        )
        session.preview_failed.connect(self._preview_failed)
        session.suggestions_ready.connect(
            lambda found: self.suggestions.show_suggestions(found, session.packet.prospect)
        )
        session.templates_ready.connect(
            lambda found: self.note.set_templates(found, session.packet.template)
        )
        session.outdated_ready.connect(lambda _found: self._show_status(session.packet))
        session.assets_added.connect(self._assets_added)
        session.error_raised.connect(lambda exc: show_error(self, exc))
        self.delivery.delivery_started.connect(self._update_counts)
        self.delivery.delivery_finished.connect(self._update_counts)

    # -- state -----------------------------------------------------------------------------

    def restore_state(self) -> None:
        """Put back the splitter and the last packet, and load templates and terms."""
        s = self.settings
        if not s.value(keys.PACKET_SPLITTER).isEmpty():
            self.splitter.restoreState(s.value(keys.PACKET_SPLITTER))
        self.prospect.set_unfolded(bool(s.value(keys.PACKET_PROSPECT_OPEN)))
        self.setVisible(bool(s.value(keys.PACKET_PANEL_VISIBLE)))
        self.session.load_templates()
        self.refresh_terms()
        if s.value(keys.PACKET_CURRENT):
            self.session.open(s.value(keys.PACKET_CURRENT), quiet=True)

    def save_state(self) -> None:
        """Store edits still waiting for the autosave delay, and the panel's UI state."""
        self.session.flush()
        s = self.settings
        s.set_value(keys.PACKET_PANEL_VISIBLE, int(not self.isHidden()))
        s.set_value(keys.PACKET_CURRENT, self.session.packet.id or 0)
        s.set_value(keys.PACKET_SPLITTER, self.splitter.saveState())
        s.set_value(keys.PACKET_PROSPECT_OPEN, int(self.prospect.unfolded))

    def setVisible(self, visible: bool) -> None:
        super().setVisible(visible)
        self.toggle_action.setChecked(not self.isHidden())

    def _toggled(self, on: bool) -> None:
        if on:
            self.reveal()
        else:
            self.setVisible(False)

    def reveal(self) -> None:
        """Show the panel; when it has no room, take it from the panes to its left, nearest
        first (the preview gives up most; the results list keeps a readable width)."""
        self.setVisible(True)
        splitter = self.parentWidget()
        if not isinstance(splitter, QSplitter):
            return
        sizes, mine = splitter.sizes(), splitter.indexOf(self)
        need = PANEL_WIDTH - sizes[mine]
        for other in reversed(range(mine)):
            keep = MIN_PANE_WIDTH if other == mine - 1 else MIN_KEPT_WIDTH
            take = max(0, min(need, sizes[other] - keep))
            sizes[other] -= take
            sizes[mine] += take
            need -= take
        splitter.setSizes(sizes)

    def refresh_terms(self) -> None:
        taxonomy = self.library.taxonomy
        self.runner.run(
            lambda: (taxonomy.names("persona"), taxonomy.names("stage")),
            on_success=self._terms_loaded,
        )

    def _terms_loaded(self, terms: tuple[list[str], list[str]]) -> None:
        self.personas, self.stages = terms
        self.form.set_terms(*terms)

    # -- showing the packet ----------------------------------------------------------------

    def _show_packet(self, packet: Packet) -> None:
        self.form.set_prospect(packet.prospect)
        self.prospect.show_summary(packet.prospect)
        self._fill_text(packet)
        if not packet.subject and not packet.note:
            self.note.show_note(RenderedNote("", ""), packet.prospect)
        self.suggestions.show_suggestions([], packet.prospect)
        self.delivery.clear_result()
        if not packet.prospect.full_name:
            self.prospect.set_unfolded(True)
        self._show_status(packet)

    def _fill_text(self, packet: Packet) -> None:
        if self.subject_edit.text() != packet.subject:
            self.subject_edit.setText(packet.subject)
            self.subject_edit.setCursorPosition(0)
        if self.note_edit.toPlainText() != packet.note:
            self.note_edit.blockSignals(True)
            self.note_edit.setPlainText(packet.note)
            self.note_edit.blockSignals(False)
        self.template_box.setCurrentIndex(self.template_box.findData(packet.template))

    def _show_status(self, packet: Packet) -> None:
        sent = packet.is_sent
        self.status_chip.set_status(packet.status)
        self.form.set_read_only(sent)
        self.note.set_read_only(sent)
        self.banner.show_packet(packet, self.session.outdated)
        self._update_counts()
        self._show_saving(self.session.saving)

    def _show_saving(self, saving: bool) -> None:
        if saving:
            text = "Saving…"
        elif self.session.packet.id is None:
            text = "New"
        else:
            text = "Saved"
        self.saved_label.setText(text)

    def _update_counts(self, *_args) -> None:
        count = self.session.model.rowCount()
        self.count_label.setText(f"· {count}" if count else "")
        self.delivery.update_enabled()
        for action in (self.export_pdf_action, self.export_docx_action, self.email_action):
            action.setEnabled(self.delivery.ready)

    # -- editing ---------------------------------------------------------------------------

    def add_assets(self, asset_ids: list[int]) -> None:
        """Add assets to the packet shown, e.g. from Ctrl+Enter; to a new one if it was sent."""
        if self.session.is_sent:
            self.session.new()
            self.status_message.emit("Started a new packet: the one shown was already sent")
        self.session.add_assets(list(asset_ids))

    def new_packet(self) -> None:
        self.session.new()
        self.reveal()
        self.prospect.set_unfolded(True)
        self.form.focus_first_empty()

    def _note_typed(self) -> None:
        self.session.set_note(self.note_edit.toPlainText())

    def _template_chosen(self, index: int) -> None:
        template = self.session.template(self.template_box.itemData(index))
        unchanged = template is not None and template.slug == self.session.packet.template
        if template is None or unchanged and self.session.note_is_template():
            return
        if not self.session.note_is_template() and not self._confirm_replace(template):
            self.template_box.setCurrentIndex(
                self.template_box.findData(self.session.packet.template)
            )
            return
        self.session.apply_template(template)

    def _confirm_replace(self, template: NoteTemplate) -> bool:
        answer = QMessageBox.question(
            self,
            "Replace the Note",
            f"Replace your subject and note with the template “{template.name}”?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def _assets_added(self, asset_ids: list[int]) -> None:
        self.suggestions.remove(asset_ids)
        noun = "asset" if len(asset_ids) == 1 else "assets"
        self.status_message.emit(f"Added {len(asset_ids)} {noun} to the packet")

    def _open_asset(self, asset_id: int) -> None:
        model = self.session.model
        row = model.row_of(asset_id)
        if row >= 0:
            self.delivery.open_url(QUrl.fromLocalFile(model.items()[row].path))

    def _preview_failed(self, exc: BaseException) -> None:
        packet = self.session.packet
        message = str(exc) if isinstance(exc, PitchpackError) else error_message(exc)
        fields = exc.fields if isinstance(exc, TemplateError) else []
        self.note.show_error(message, fields, packet.subject, packet.note, packet.prospect)

    # -- export and email ------------------------------------------------------------------

    def export_pdf(self, path: Path | None = None) -> None:
        self.delivery.export_pdf(path)

    def export_docx(self, path: Path | None = None) -> None:
        self.delivery.export_docx(path)

    def email(self) -> EmailDialog | None:
        return self.delivery.email()

    # -- history ---------------------------------------------------------------------------

    def show_history(self) -> PacketHistoryDialog:
        self.session.flush()
        dialog = PacketHistoryDialog(self.library, self.runner, (self.personas, self.stages), self)
        dialog.open_requested.connect(self._open_packet)
        dialog.duplicate_requested.connect(self._duplicate)
        dialog.follow_up_requested.connect(self._follow_up)
        dialog.packet_deleted.connect(
            lambda packet_id: packet_id == self.session.packet.id and self.session.new()
        )
        dialog.open()
        return dialog

    def _open_packet(self, packet_id: int) -> None:
        self.reveal()
        self.session.open(packet_id)

    def _duplicate(self, packet_id: int, prospect) -> None:
        self.reveal()
        self.session.duplicate(packet_id, prospect)
        self.status_message.emit("Duplicated: the copy is a new draft")

    def _follow_up(self, packet_id: int) -> None:
        self.reveal()
        self.session.follow_up(packet_id)
        self.status_message.emit("A follow-up with the current versions is ready to send")

    def duplicate_current(self) -> ProspectDialog | None:
        packet = self.session.packet
        if packet.id is None:
            return None
        start = Prospect(persona=packet.prospect.persona, stage=packet.prospect.stage)
        dialog = ProspectDialog(self.personas, self.stages, start, self)
        dialog.accepted.connect(lambda: self._duplicate(packet.id, dialog.prospect()))
        dialog.open()
        return dialog

    def edit_mail_settings(self) -> MailSettingsDialog:
        dialog = MailSettingsDialog(self.library, self.runner, self)
        dialog.settings_saved.connect(lambda _rep: self.session.render_preview())
        dialog.open()
        return dialog
