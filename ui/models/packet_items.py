"""The assets of the packet being edited, in order, with their notes; reordered by drag."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from library.packets import PacketItem
from ui.models.asset_drag import ASSET_IDS_MIME, asset_ids_from, asset_ids_mime
from ui.models.roles import AssetIdRole, NoteRole, NumberRole, OutdatedRole, TypeRole

ROWS_MIME = "application/x-pitchpack-packet-rows"

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


class PacketItemListModel(QAbstractListModel):
    """Items of one packet. Edits made here are announced, for the owner to store:

    ``item_moved(asset_id, position)`` after a drag or ``moveRows``;
    ``note_edited(asset_id, note)`` after an inline edit;
    ``assets_dropped(asset_ids, row)`` when assets from elsewhere are dropped (row -1: end).
    """

    item_moved = Signal(int, int)
    note_edited = Signal(int, str)
    assets_dropped = Signal(list, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[PacketItem] = []
        self._outdated: dict[int, str] = {}
        self.read_only = False

    # -- filling ---------------------------------------------------------------------------

    def set_items(self, items: Iterable[PacketItem]) -> None:
        self.beginResetModel()
        self._items = [replace(item) for item in items]
        self._outdated = {}
        self.endResetModel()

    def sync(self, items: Iterable[PacketItem]) -> None:
        """Bring the rows in line with ``items`` (as stored) with exact notifications."""
        wanted = [replace(item) for item in items]
        keep = {item.asset_id for item in wanted}
        for row in reversed(range(len(self._items))):
            if self._items[row].asset_id not in keep:
                self.beginRemoveRows(ROOT, row, row)
                del self._items[row]
                self.endRemoveRows()
        for position, item in enumerate(wanted):
            row = self.row_of(item.asset_id)
            if row < 0:
                self.beginInsertRows(ROOT, position, position)
                self._items.insert(position, item)
                self.endInsertRows()
                continue
            if row != position:
                self.beginMoveRows(ROOT, row, row, ROOT, position)
                self._items.insert(position, self._items.pop(row))
                self.endMoveRows()
            if self._items[position] != item:
                self._items[position] = item
                index = self.index(position)
                self.dataChanged.emit(index, index)
        if wanted:
            # Numbers shown on each row follow the order.
            self.dataChanged.emit(self.index(0), self.index(len(wanted) - 1), [NumberRole])

    def remove(self, asset_ids: Iterable[int]) -> None:
        for asset_id in set(asset_ids):
            row = self.row_of(asset_id)
            if row >= 0:
                self.beginRemoveRows(ROOT, row, row)
                del self._items[row]
                self.endRemoveRows()

    def set_outdated(self, messages: dict[int, str]) -> None:
        """Mark items that changed since the packet was sent (asset id to a sentence)."""
        self._outdated = dict(messages)
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1), [OutdatedRole])

    def items(self) -> list[PacketItem]:
        return [replace(item) for item in self._items]

    def asset_ids(self) -> list[int]:
        return [item.asset_id for item in self._items]

    def row_of(self, asset_id: int) -> int:
        for row, item in enumerate(self._items):
            if item.asset_id == asset_id:
                return row
        return -1

    # -- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        handler = {
            Qt.ItemDataRole.DisplayRole: lambda: item.title or f"Asset {item.asset_id}",
            Qt.ItemDataRole.EditRole: lambda: item.note,
            Qt.ItemDataRole.ToolTipRole: lambda: item.path,
            Qt.ItemDataRole.AccessibleTextRole: lambda: self._accessible(index.row(), item),
            AssetIdRole: lambda: item.asset_id,
            NoteRole: lambda: item.note,
            TypeRole: lambda: item.content_type,
            OutdatedRole: lambda: self._outdated.get(item.asset_id, ""),
            NumberRole: lambda: index.row() + 1,
        }.get(role)
        return handler() if handler else None

    def _accessible(self, row: int, item: PacketItem) -> str:
        note = f": {item.note}" if item.note else ""
        return f"{row + 1}. {item.title}{note}"

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.read_only or not index.isValid():
            return False
        item = self._items[index.row()]
        note = str(value or "").strip()
        if note == item.note:
            return False
        item.note = note
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.EditRole, NoteRole])
        self.note_edited.emit(item.asset_id, note)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            # Drops land between rows, never on one.
            return Qt.ItemFlag.ItemIsDropEnabled if not self.read_only else Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def moveRows(
        self, source_parent: Index, source_row: int, count: int, dest_parent: Index, dest: int
    ) -> bool:
        """Move one row before ``dest`` (numbered as before the move), as views ask."""
        if (
            self.read_only
            or count != 1
            or source_parent.isValid()
            or dest_parent.isValid()
            or not 0 <= source_row < len(self._items)
            or not 0 <= dest <= len(self._items)
            or dest in (source_row, source_row + 1)
        ):
            return False
        if not self.beginMoveRows(ROOT, source_row, source_row, ROOT, dest):
            return False
        item = self._items.pop(source_row)
        position = dest - 1 if dest > source_row else dest
        self._items.insert(position, item)
        self.endMoveRows()
        low, high = sorted((source_row, position))
        self.dataChanged.emit(self.index(low), self.index(high), [NumberRole])
        self.item_moved.emit(item.asset_id, position)
        return True

    # -- drag and drop ---------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ROWS_MIME, ASSET_IDS_MIME]

    def mimeData(self, indexes) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = asset_ids_mime(self._items[r].asset_id for r in rows)
        # Tagged with this model, so only its own view treats the rows as a move.
        payload = f"{id(self)}:" + ",".join(str(r) for r in rows)
        mime.setData(ROWS_MIME, QByteArray(payload.encode("ascii")))
        return mime

    def _own_rows(self, mime: QMimeData) -> list[int]:
        if not mime.hasFormat(ROWS_MIME):
            return []
        owner, _, rows = bytes(mime.data(ROWS_MIME).data()).decode("ascii").partition(":")
        if owner != str(id(self)):
            return []
        return [int(r) for r in rows.split(",") if r.isdigit()]

    def canDropMimeData(self, mime, action, row, column, parent) -> bool:
        if self.read_only or mime is None:
            return False
        return bool(self._own_rows(mime) or asset_ids_from(mime))

    def dropMimeData(self, mime, action, row, column, parent) -> bool:
        if not self.canDropMimeData(mime, action, row, column, parent):
            return False
        if parent.isValid():
            row = parent.row()
        rows = self._own_rows(mime)
        if rows:
            dest = len(self._items) if row < 0 else row
            return self.moveRows(ROOT, rows[0], 1, ROOT, dest)
        self.assets_dropped.emit(asset_ids_from(mime), row)
        return True
