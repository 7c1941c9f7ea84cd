"""The packet history: every packet with its status; open, duplicate, delete a draft, and
send the update when assets that went out were replaced since."""

from __future__ import annotations

import html

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from library import Library
from library.packets import OutdatedItem, PacketSummary, Prospect
from ui import theme
from ui.delegates import ChipDelegate
from ui.icons import icon
from ui.models import item_data
from ui.models.packet_history import (
    STATUS_LABELS,
    PacketHistoryTableModel,
    SortRole,
    SummaryRole,
    prospect_label,
)
from ui.packet_dialogs import ProspectDialog
from ui.tasks import TaskRunner


class PacketHistoryDialog(QDialog):
    """Packets, newest change first; the panel carries out open, duplicate and follow-up."""

    open_requested = Signal(int)
    duplicate_requested = Signal(int, object)  # packet id, Prospect
    follow_up_requested = Signal(int)
    packet_deleted = Signal(int)

    def __init__(
        self,
        library: Library,
        runner: TaskRunner,
        terms: tuple[list[str], list[str]] = ([], []),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library, self.runner = library, runner
        self.personas, self.stages = terms
        self.outdated: list[OutdatedItem] = []
        self.setWindowTitle("Packet History")
        self.resize(900, 560)
        self.model = PacketHistoryTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.proxy.setFilterKeyColumn(PacketHistoryTableModel.COL_STATUS)
        self._build()
        self.reload()

    def _build(self) -> None:
        self.filter_box = QComboBox()
        self.filter_box.addItem("All packets", "")
        for status, label in STATUS_LABELS.items():
            self.filter_box.addItem(label, status)
        self.filter_box.currentIndexChanged.connect(self._filter)
        self.count_label = QLabel(objectName="muted")
        top = QHBoxLayout()
        top.addWidget(QLabel("Packet history", objectName="heading"))
        top.addStretch()
        top.addWidget(self.count_label)
        top.addWidget(self.filter_box)

        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(PacketHistoryTableModel.COL_UPDATED, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(34)
        self.view.setItemDelegateForColumn(
            PacketHistoryTableModel.COL_STATUS,
            ChipDelegate(self.view, extra_width=90, extra_height=12),
        )
        header = self.view.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(
            PacketHistoryTableModel.COL_SUBJECT, QHeaderView.ResizeMode.Stretch
        )
        for column, width in ((0, 160), (1, 140), (3, 60), (4, 170), (5, 96)):
            self.view.setColumnWidth(column, width)
        self.view.setAccessibleName("Packets")
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.view.doubleClicked.connect(lambda _index: self.open_selected())

        self.details = QFrame(objectName="card")
        self.details_label = QLabel(wordWrap=True)
        self.details_label.setTextFormat(Qt.TextFormat.RichText)
        details = QVBoxLayout(self.details)
        details.setContentsMargins(14, 10, 14, 10)
        details.addWidget(self.details_label)

        self.delete_button = QPushButton(icon("trash"), "Delete")
        self.duplicate_button = QPushButton(icon("copy"), "Duplicate for…")
        self.update_button = QPushButton(icon("rescan"), "Send the update")
        self.open_button = QPushButton(icon("open", "white"), "Open")
        self.open_button.setProperty("primary", True)
        self.delete_button.clicked.connect(self.delete_selected)
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.update_button.clicked.connect(self.follow_up_selected)
        self.open_button.clicked.connect(self.open_selected)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch()
        for button in (self.duplicate_button, self.update_button, self.open_button, close):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        self._show_details(None)

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        packets = self.library.packets
        self.runner.run(packets.history, on_success=self._loaded)

    def _loaded(self, summaries: list[PacketSummary]) -> None:
        selected = self.selected()
        self.model.set_summaries(summaries)
        sent = sum(1 for s in summaries if s.sent)
        noun = "packet" if len(summaries) == 1 else "packets"
        self.count_label.setText(f"{len(summaries)} {noun} · {sent} sent")
        row = self.model.row_of(selected.id) if selected else -1
        if row >= 0:
            self.view.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        elif self.proxy.rowCount():
            self.view.selectRow(0)

    def _filter(self) -> None:
        status = self.filter_box.currentData()
        label = STATUS_LABELS.get(status, "")
        self.proxy.setFilterRegularExpression(f"^{label}$" if label else "")

    def selected(self) -> PacketSummary | None:
        rows = self.view.selectionModel().selectedRows()
        return item_data(rows[0], SummaryRole) if rows else None

    def _selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        summary = self.selected()
        self.outdated = []
        self._show_details(summary)
        if summary is not None and summary.sent:
            packets, packet_id = self.library.packets, summary.id
            self.runner.run(
                lambda: packets.outdated(packet_id),
                on_success=lambda found: self._outdated_loaded(packet_id, found),
            )

    def _outdated_loaded(self, packet_id: int, found: list[OutdatedItem]) -> None:
        summary = self.selected()
        if summary is not None and summary.id == packet_id:
            self.outdated = found
            self._show_details(summary)

    def _show_details(self, summary: PacketSummary | None) -> None:
        for button in (self.open_button, self.duplicate_button, self.delete_button):
            button.setEnabled(summary is not None)
        self.delete_button.setEnabled(summary is not None and not summary.sent)
        self.update_button.setEnabled(any(o.resendable for o in self.outdated))
        if summary is None:
            self.details_label.setText("<span>Select a packet to see what went out.</span>")
            return
        who = html.escape(prospect_label(summary))
        warning = theme.warning_color().name()
        company = html.escape(summary.prospect.company)
        lines = [f"<b>{who}</b>{' · ' + company if company else ''}"]
        if summary.sent:
            lines.append(
                f"Sent on {summary.sent[:10]} to {html.escape(summary.prospect.email)} "
                f"with {summary.item_count} assets."
            )
        else:
            status = STATUS_LABELS.get(summary.status, summary.status).lower()
            lines.append(f"{status.capitalize()}, changed {summary.updated[:10]}.")
        for item in self.outdated:
            lines.append(f"<span style='color:{warning}'>⚠ {html.escape(item.message)}</span>")
        if any(o.resendable for o in self.outdated):
            lines.append("“Send the update” starts a follow-up with the current versions.")
        self.details_label.setText("<br>".join(lines))

    # -- actions ---------------------------------------------------------------------------

    def open_selected(self) -> None:
        summary = self.selected()
        if summary is not None:
            self.open_requested.emit(summary.id)
            self.accept()

    def duplicate_selected(self) -> ProspectDialog | None:
        summary = self.selected()
        if summary is None:
            return None
        start = Prospect(persona=summary.prospect.persona, stage=summary.prospect.stage)
        dialog = ProspectDialog(self.personas, self.stages, start, self)

        def chosen() -> None:
            self.duplicate_requested.emit(summary.id, dialog.prospect())
            self.accept()

        dialog.accepted.connect(chosen)
        dialog.open()
        return dialog

    def follow_up_selected(self) -> None:
        summary = self.selected()
        if summary is not None and any(o.resendable for o in self.outdated):
            self.follow_up_requested.emit(summary.id)
            self.accept()

    def delete_selected(self) -> None:
        summary = self.selected()
        if summary is None or summary.sent:
            return
        answer = QMessageBox.question(
            self,
            "Delete Packet",
            f"Delete the draft for {prospect_label(summary)}? This cannot be undone.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        library, packet_id = self.library, summary.id
        self.runner.run(
            lambda: library.delete_packet(packet_id),
            write=True,
            on_success=lambda _none: self._deleted(packet_id),
        )

    def _deleted(self, packet_id: int) -> None:
        self.packet_deleted.emit(packet_id)
        self.reload()
