"""The packet panel: adding from search, reordering, the prospect and the live preview,
exporting and sending for real, the history; and its models on their own."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from people import REP
from pypdf import PdfReader
from PySide6.QtCore import QMimeData, QModelIndex, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from library.packets import (
    PacketItem,
    PacketStatus,
    PacketSummary,
    Prospect,
    Suggestion,
)
from library.packets import mail as mail_module
from ui.main_window import MainWindow
from ui.models.packet_history import ChipsRole, PacketHistoryTableModel
from ui.models.packet_items import NoteRole, NumberRole, PacketItemListModel
from ui.models.packet_suggestions import SuggestionListModel
from ui.packet_dialogs import DRAFT, SEND
from ui.packet_panel import PacketPanel
from ui.packet_session import PacketSession

JANE = {
    "first_name": "Jane",
    "last_name": "Doe",
    "email": "jane@acme.example",
    "company": "Acme Corp",
    "role": "Chief Financial Officer",
}
TIMEOUT = 20000


@pytest.fixture
def win(window, monkeypatch):
    """The main window with the rep's details set and no real mail app or keyring."""
    monkeypatch.delenv(mail_module.PASSWORD_ENV, raising=False)
    window.library.packets.settings.save(REP)
    window.packet_panel.delivery.open_url = lambda url: opened.append(url)
    opened: list = []
    window.opened_urls = opened
    return window


def panel_of(win: MainWindow) -> PacketPanel:
    return win.packet_panel


def settled(panel: PacketPanel) -> bool:
    return not panel.session.saving and not panel.delivery.delivering


def add_with_ctrl_enter(qtbot, win: MainWindow, count: int) -> list[int]:
    """Select results one by one and press Ctrl+Enter on each; returns their ids."""
    model, ids = win.search_pane.model, []
    rows = [r for r in range(model.rowCount()) if not model.hit(r).path.endswith(".txt")]
    for row in rows[:count]:
        win.search_pane.select_row(row)
        hit = model.hit(row)
        qtbot.waitUntil(lambda h=hit: win.preview.hit is not None and win.preview.hit.id == h.id)
        qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        ids.append(hit.id)
    panel = panel_of(win)
    qtbot.waitUntil(
        lambda: panel.session.model.asset_ids() == ids and settled(panel), timeout=TIMEOUT
    )
    return ids


def fill_prospect(qtbot, panel: PacketPanel, persona: str = "", stage: str = "") -> None:
    panel.prospect.set_unfolded(True)
    for name, value in JANE.items():
        edit = panel.form.edits[name]
        edit.clear()
        qtbot.keyClicks(edit, value)
    for name, value in (("persona", persona), ("stage", stage)):
        if value:
            combo = panel.form.combos[name]
            combo.setCurrentIndex(combo.findData(value))
            combo.activated.emit(combo.currentIndex())


def preview_text(panel: PacketPanel) -> str:
    return panel.note.browser.toPlainText()


def stored(win: MainWindow):
    return win.library.packets.get(panel_of(win).session.packet.id)


# -- adding, reordering, notes ------------------------------------------------------------


def test_ctrl_enter_adds_results_and_shows_the_panel(qtbot, win):
    panel = panel_of(win)
    assert panel.isHidden() and not panel.toggle_action.isChecked()
    ids = add_with_ctrl_enter(qtbot, win, 3)
    assert not panel.isHidden() and panel.toggle_action.isChecked()
    assert panel.width() >= 300, "the panel gets room beside the results"
    assert stored(win).asset_ids == ids
    assert panel.count_label.text() == "· 3"
    assert panel.saved_label.text() == "Saved"
    qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # once more
    qtbot.waitUntil(lambda: settled(panel))
    assert stored(win).asset_ids == ids, "an asset already in the packet is not added twice"


def test_reorder_by_moving_rows_and_dropping(qtbot, win):
    panel = panel_of(win)
    ids = add_with_ctrl_enter(qtbot, win, 3)
    model = panel.session.model

    # A drag inside the list ends in moveRows (what QListView does on an internal move).
    assert model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 3)
    assert model.asset_ids() == [ids[1], ids[2], ids[0]]
    assert [model.index(r).data(NumberRole) for r in range(3)] == [1, 2, 3]
    qtbot.waitUntil(lambda: settled(panel))
    assert stored(win).asset_ids == [ids[1], ids[2], ids[0]]

    # The same move dropped as mime data (the fallback path of the views).
    mime = model.mimeData([model.index(2)])
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    qtbot.waitUntil(lambda: settled(panel))
    assert stored(win).asset_ids == ids

    # A result dragged from the search list lands where it is dropped.
    results = win.search_pane.model
    extra = next(
        r
        for r in range(results.rowCount())
        if results.hit(r).id not in ids and not results.hit(r).path.endswith(".txt")
    )
    dragged = results.mimeData([results.index(extra, 0)])
    assert model.canDropMimeData(dragged, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    assert model.dropMimeData(dragged, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    new_id = results.hit(extra).id
    qtbot.waitUntil(lambda: model.rowCount() == 4 and settled(panel), timeout=TIMEOUT)
    assert stored(win).asset_ids == [ids[0], new_id, ids[1], ids[2]]
    assert model.asset_ids() == stored(win).asset_ids


def drop_on(view, mime, row: int, action=Qt.DropAction.CopyAction) -> bool:
    """Deliver a drag's enter, move and drop events just above ``row`` of a list view."""
    rect = view.visualRect(view.model().index(row, 0))
    pos = QPointF(rect.center().x(), rect.top() + 2)
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos.toPoint(), action, mime, buttons, keys)
    QApplication.sendEvent(view.viewport(), enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(
        view.viewport(), QDragMoveEvent(pos.toPoint(), action, mime, buttons, keys)
    )
    drop = QDropEvent(pos, action, mime, buttons, keys)
    QApplication.sendEvent(view.viewport(), drop)
    return drop.isAccepted()


def test_results_dragged_onto_the_panel(qtbot, win):
    panel = panel_of(win)
    ids = add_with_ctrl_enter(qtbot, win, 2)
    results = win.search_pane.model
    row = next(
        r
        for r in range(results.rowCount())
        if results.hit(r).id not in ids and not results.hit(r).path.endswith(".txt")
    )
    assert results.flags(results.index(row, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert win.search_pane.list_view.dragEnabled()
    mime = results.mimeData([results.index(row, 0)])
    assert drop_on(panel.items_view, mime, 1)
    new_id = results.hit(row).id
    qtbot.waitUntil(lambda: panel.session.model.rowCount() == 3 and settled(panel), timeout=TIMEOUT)
    assert stored(win).asset_ids == [ids[0], new_id, ids[1]]

    # Text from elsewhere is refused.
    text = QMimeData()
    text.setText("not an asset")
    assert not drop_on(panel.items_view, text, 0)


def test_item_notes_remove_and_autosave(qtbot, win):
    panel = panel_of(win)
    ids = add_with_ctrl_enter(qtbot, win, 3)
    model = panel.session.model
    view = panel.items_view
    view.setCurrentIndex(model.index(1))
    qtbot.keyClick(view, Qt.Key.Key_Return)  # Enter (or F2, or a double-click) edits the note
    editor = view.findChild(type(panel.subject_edit), "itemNoteEditor")
    assert editor is not None, "the note is edited in place"
    qtbot.keyClicks(editor, "The numbers {company} asked for.")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.index(1).data(NoteRole) == "The numbers {company} asked for.")
    assert view.state() != view.State.EditingState
    qtbot.waitUntil(lambda: settled(panel))
    assert [i.note for i in stored(win).items] == ["", "The numbers {company} asked for.", ""]

    view.setCurrentIndex(model.index(0))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: settled(panel))
    assert stored(win).asset_ids == ids[1:]

    panel.note.show_page(panel.note.EDIT)
    panel.subject_edit.selectAll()
    qtbot.keyClicks(panel.subject_edit, "For {company}")
    assert panel.saved_label.text() == "Saving…"
    qtbot.waitUntil(lambda: settled(panel) and stored(win).subject == "For {company}")


# -- prospect and preview -----------------------------------------------------------------


def test_prospect_fields_update_the_preview_and_template(qtbot, win):
    panel = panel_of(win)
    add_with_ctrl_enter(qtbot, win, 1)
    qtbot.waitUntil(lambda: panel.session.packet.template == "general")
    # The general template needs the prospect's name: the core says so, inline.
    qtbot.waitUntil(lambda: panel.note.error.isVisible(), timeout=TIMEOUT)
    assert "have no value yet" in panel.note.error_text
    assert "fill in the prospect's" in panel.note.error_text

    fill_prospect(qtbot, panel, persona="CFO/Finance", stage="Decision")
    qtbot.waitUntil(
        lambda: "Acme Corp: the numbers behind the move" in preview_text(panel), timeout=TIMEOUT
    )
    text = preview_text(panel)
    assert "Hi Jane," in text and "To: Jane Doe <jane@acme.example>" in text
    assert "{" not in text and "Priya Raman" in text
    assert not panel.note.error.isVisible()
    assert panel.template_box.currentData() == "decision-finance"
    qtbot.waitUntil(lambda: settled(panel))
    packet = stored(win)
    assert packet.prospect == Prospect(**JANE, persona="CFO/Finance", stage="Decision")
    assert packet.template == "decision-finance", "an untouched note follows the stage"

    panel.prospect.set_unfolded(False)
    assert "Jane Doe" in panel.prospect.summary.full_text()

    # Suggestions for the stage and persona; one click adds one.
    qtbot.waitUntil(lambda: panel.suggestions.model.rowCount() > 0, timeout=TIMEOUT)
    suggested = panel.suggestions.model.suggestion(0)
    assert "Decision" in suggested.reason or "CFO/Finance" in suggested.reason
    rect = panel.suggestions.view.visualRect(panel.suggestions.model.index(0))
    qtbot.mouseClick(
        panel.suggestions.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    qtbot.waitUntil(lambda: suggested.asset.id in panel.session.model.asset_ids())


def test_unknown_merge_field_shows_the_core_error_inline(qtbot, win):
    panel = panel_of(win)
    add_with_ctrl_enter(qtbot, win, 1)
    fill_prospect(qtbot, panel)
    qtbot.waitUntil(lambda: "Hi Jane," in preview_text(panel), timeout=TIMEOUT)
    panel.note.show_page(panel.note.EDIT)
    panel.note_edit.moveCursor(panel.note_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(panel.note_edit, "P.S. {favourite_colour}")
    qtbot.waitUntil(lambda: panel.note.error.isVisible(), timeout=TIMEOUT)
    assert "unknown merge field {favourite_colour}" in panel.note.error_text
    assert "Known fields: {first_name}" in panel.note.error_text
    assert "{favourite_colour}" in preview_text(panel), "the text as written stays visible"
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert not [b for b in boxes if b.isVisible()], "no dialog for a typing error"


# -- exporting and sending ----------------------------------------------------------------


def test_export_pdf_through_the_panel(qtbot, win, tmp_path):
    panel = panel_of(win)
    add_with_ctrl_enter(qtbot, win, 3)
    fill_prospect(qtbot, panel)
    path = tmp_path / "packet.pdf"
    with qtbot.waitSignal(panel.delivery.pdf_exported, timeout=60000) as blocker:
        panel.export_pdf(path)
    result = blocker.args[0]
    assert result.path == path and len(PdfReader(path).pages) == result.pages > 0
    assert panel.status_chip.text() == "Exported"
    assert stored(win).status == PacketStatus.EXPORTED
    assert "packet.pdf" in panel.delivery.result_label.text()

    with qtbot.waitSignal(panel.delivery.docx_exported, timeout=60000):
        panel.export_docx(tmp_path / "note.docx")
    assert (tmp_path / "note.docx").stat().st_size > 0


class Inbox:
    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 that keeps what it accepts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


def test_email_draft_and_send_over_smtp(qtbot, win, smtp_server):
    panel, lib = panel_of(win), win.library
    ids = add_with_ctrl_enter(qtbot, win, 3)
    fill_prospect(qtbot, panel)
    server = {"smtp_host": "127.0.0.1", "smtp_port": smtp_server.port, "smtp_security": "none"}
    lib.packets.settings.save(replace(REP, **server))

    dialog = panel.email()
    qtbot.waitUntil(lambda: dialog.smtp is not None, timeout=TIMEOUT)
    assert f"127.0.0.1:{smtp_server.port}" in dialog.server_label.text()
    qtbot.waitUntil(lambda: "within the" in dialog.size_label.text(), timeout=TIMEOUT)
    dialog.choose(DRAFT)
    with qtbot.waitSignal(panel.delivery.email_saved, timeout=60000) as blocker:
        dialog.accept()
    draft = blocker.args[0]
    assert draft.suffix == ".eml" and b"X-Unsent: 1" in draft.read_bytes()
    assert win.opened_urls[-1].toLocalFile() == str(draft)
    assert stored(win).status != PacketStatus.SENT

    dialog = panel.email()
    qtbot.waitUntil(lambda: dialog.smtp is not None, timeout=TIMEOUT)
    dialog.choose(SEND)
    assert dialog.ok_button.text() == "Send"
    with qtbot.waitSignal(panel.delivery.packet_sent, timeout=60000) as blocker:
        dialog.accept()
    assert blocker.args[0].recipient == "jane@acme.example"
    (envelope,) = smtp_server.envelopes
    assert envelope.rcpt_tos == ["jane@acme.example"]
    assert stored(win).status == PacketStatus.SENT
    assert panel.status_chip.text() == "Sent"
    assert panel.banner.isVisible() and panel.form.edits["first_name"].isReadOnly()
    assert not (
        panel.session.model.flags(panel.session.model.index(0)) & Qt.ItemFlag.ItemIsEditable
    )
    assert [v.asset_id for v in lib.packets.sent_versions(stored(win).id)] == ids

    # An asset replaced since: the sent packet says so and offers to send the update.
    sent_id = panel.session.packet.id
    changed = next(a for a in lib.assets.get_many(ids) if a.path.endswith((".html", ".md")))
    path = Path(changed.path)
    path.write_text(path.read_text(encoding="utf-8") + "\n<p>Updated for 2026.</p>\n")
    lib.rescan()
    panel.session.open(sent_id)
    qtbot.waitUntil(lambda: panel.banner.update_button.isVisible(), timeout=TIMEOUT)
    assert "1 asset has changed since" in panel.banner.label.text()
    qtbot.mouseClick(panel.banner.update_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.session.packet.id not in (None, sent_id), timeout=TIMEOUT)
    update = stored(win)
    assert update.asset_ids == [changed.id] and update.duplicated_from == sent_id
    assert update.status == PacketStatus.DRAFT and not panel.banner.isVisible()


def test_history_duplicates_for_another_prospect(qtbot, win):
    panel, lib = panel_of(win), win.library
    ids = add_with_ctrl_enter(qtbot, win, 2)
    fill_prospect(qtbot, panel, persona="CFO/Finance", stage="Decision")
    qtbot.waitUntil(lambda: settled(panel) and stored(win).prospect.first_name == "Jane")
    first = panel.session.packet.id

    history = panel.show_history()
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=TIMEOUT)
    assert history.model.index(0, PacketHistoryTableModel.COL_PROSPECT).data() == "Jane Doe"
    assert history.model.index(0, PacketHistoryTableModel.COL_STATUS).data(ChipsRole) == [
        ("neutral", "Draft")
    ]
    dialog = history.duplicate_selected()
    form = dialog.form
    assert form.prospect().stage == "Decision" and not form.prospect().first_name
    for name, value in (("first_name", "Sam"), ("email", "sam@globex.example")):
        qtbot.keyClicks(form.edits[name], value)
    qtbot.keyClicks(form.edits["company"], "Globex")
    dialog.accept()
    qtbot.waitUntil(
        lambda: panel.session.packet.id not in (None, first) and settled(panel), timeout=TIMEOUT
    )
    copy = stored(win)
    assert copy.asset_ids == ids and copy.duplicated_from == first
    assert copy.prospect.first_name == "Sam" and panel.form.edits["company"].text() == "Globex"
    qtbot.waitUntil(lambda: "Hi Sam," in preview_text(panel), timeout=TIMEOUT)
    assert [s.id for s in lib.packets.history()][:2] == [copy.id, first]


def test_panel_state_is_kept_between_sessions(qtbot, win, settings):
    panel = panel_of(win)
    add_with_ctrl_enter(qtbot, win, 2)
    packet_id = panel.session.packet.id
    panel.subject_edit.setText("x")  # typed but not yet stored: saving the state stores it
    panel.subject_edit.textEdited.emit("Unsaved subject")
    win.save_state()
    qtbot.waitUntil(lambda: settled(panel))
    assert stored(win).subject == "Unsaved subject"
    again = MainWindow(win.library, settings, runner=win.runner)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.packet_panel.session.packet.id == packet_id, timeout=TIMEOUT)
    assert not again.packet_panel.isHidden()
    assert again.packet_panel.session.model.rowCount() == 2


# -- the session on an inline pool, and the models ----------------------------------------


def test_session_edits_run_in_order_on_an_inline_pool(sample_library, inline_runner):
    session = PacketSession(sample_library, inline_runner)
    ids = [a.id for a in sample_library.assets.all() if a.path.endswith(".pdf")][:3]
    session.add_assets(ids)
    assert session.model.asset_ids() == ids and session.packet.id is not None
    session.model.moveRows(QModelIndex(), 2, 1, QModelIndex(), 0)
    session.set_prospect(Prospect(first_name="Jane", company="Acme"))
    session.flush()
    packet = sample_library.packets.get(session.packet.id)
    assert packet.asset_ids == [ids[2], ids[0], ids[1]]
    assert packet.prospect.first_name == "Jane" and not session.saving
    session.remove_assets([ids[0]])
    assert sample_library.packets.get(session.packet.id).asset_ids == [ids[2], ids[1]]


def items(*ids: int) -> list[PacketItem]:
    return [
        PacketItem(i, note=f"note {i}", title=f"Asset {i}", content_type="white paper") for i in ids
    ]


def test_packet_item_model(qtmodeltester):
    model = PacketItemListModel()
    model.set_items(items(1, 2, 3, 4))
    qtmodeltester.check(model)
    moves = []
    model.item_moved.connect(lambda asset_id, position: moves.append((asset_id, position)))
    assert model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 4)  # first to last
    assert model.moveRows(QModelIndex(), 3, 1, QModelIndex(), 1)  # last to second
    assert not model.moveRows(QModelIndex(), 1, 1, QModelIndex(), 2), "a move onto itself"
    assert moves == [(1, 3), (1, 1)] and model.asset_ids() == [2, 1, 3, 4]

    notes = []
    model.note_edited.connect(lambda asset_id, note: notes.append((asset_id, note)))
    assert model.setData(model.index(0), "  why it matters  ")
    assert notes == [(2, "why it matters")] and model.index(0).data(Qt.ItemDataRole.EditRole)

    model.sync(items(4, 2, 5))
    assert model.asset_ids() == [4, 2, 5]
    qtmodeltester.check(model)
    model.read_only = True
    assert not model.flags(model.index(0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert not model.setData(model.index(0), "no")


def test_suggestion_and_history_models(qtmodeltester, sample_library):
    assets = sample_library.assets.all()[:3]
    suggestions = SuggestionListModel()
    suggestions.set_suggestions(
        [Suggestion(a, True, False, "For the Decision stage; used once by reps.") for a in assets]
    )
    qtmodeltester.check(suggestions)
    suggestions.remove([assets[1].id])
    assert suggestions.rowCount() == 2

    history = PacketHistoryTableModel()
    history.set_summaries(
        [
            PacketSummary(
                1,
                Prospect("Jane", "Doe"),
                "Hi",
                "sent",
                3,
                "2026-03-01",
                "2026-03-01",
                "2026-03-02",
                1,
            ),
            PacketSummary(
                2,
                Prospect(email="x@y.example"),
                "Draft",
                "draft",
                0,
                "2026-03-03",
                "2026-03-03",
                None,
            ),
        ]
    )
    qtmodeltester.check(history)
    assert history.index(0, history.COL_STATUS).data(ChipsRole) == [
        ("persona", "Sent"),
        ("warning", "1 outdated"),
    ]
    assert history.index(1, history.COL_PROSPECT).data() == "x@y.example"
    assert history.index(0, history.COL_UPDATED).data() == "2026-03-02"


def test_mail_settings_keep_the_password_in_the_keyring(qtbot, win, monkeypatch):
    import keyring

    kept = {}
    monkeypatch.setattr(keyring, "get_password", lambda service, user: kept.get((service, user)))
    monkeypatch.setattr(
        keyring, "set_password", lambda service, user, pw: kept.__setitem__((service, user), pw)
    )
    panel = panel_of(win)
    dialog = panel.edit_mail_settings()
    qtbot.waitUntil(dialog.isEnabled, timeout=TIMEOUT)
    assert dialog.edits["rep_name"].text() == "Priya Raman"
    dialog.host.setText("smtp.harborline.example")
    dialog.security.setCurrentIndex(dialog.security.findData("ssl"))
    assert dialog.port.text() == "465", "the port follows the security mode"
    dialog.user.setText("priya")
    dialog.password.setText("s3cret-pass")
    with qtbot.waitSignal(dialog.settings_saved, timeout=TIMEOUT):
        dialog.save()
    rep = win.library.packets.settings.load()
    assert (rep.smtp_host, rep.smtp_port, rep.smtp_security, rep.smtp_user) == (
        "smtp.harborline.example",
        465,
        "ssl",
        "priya",
    )
    assert kept == {(mail_module.KEYRING_SERVICE, "priya"): "s3cret-pass"}
    assert "s3cret-pass" not in (win.library.folder / "settings.json").read_text()

    again = panel.edit_mail_settings()
    qtbot.waitUntil(again.isEnabled, timeout=TIMEOUT)
    assert again.password.text() == "" and "keyring" in again.password.placeholderText()
    again.reject()


def test_a_narrow_panel_ends_the_assets_hint_in_an_ellipsis(qtbot, win):
    panel = panel_of(win)
    if not panel.isVisible():
        panel.toggle_action.trigger()
    panel.setFixedWidth(300)
    qtbot.waitUntil(lambda: panel.isVisible() and panel.width() == 300, timeout=TIMEOUT)
    hint = panel.assets_hint
    qtbot.waitUntil(lambda: hint.text().endswith("…"), timeout=TIMEOUT)
    assert hint.fontMetrics().horizontalAdvance(hint.text()) <= hint.contentsRect().width()
    assert hint.toolTip() == "Drag to reorder · double-click to add a note"
    panel.setFixedWidth(900)
    qtbot.waitUntil(lambda: hint.text() == hint.toolTip(), timeout=TIMEOUT)
    # The hint takes the room to spare: the count stays beside the title, not pushed apart.
    assert panel.count_label.width() <= panel.count_label.sizeHint().width()
