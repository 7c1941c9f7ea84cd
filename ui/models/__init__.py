"""Qt models of Pitchpack's data, and ``item_data`` for reading them from Python."""

from __future__ import annotations

from PySide6.QtCore import QAbstractProxyModel, QModelIndex, QPersistentModelIndex, Qt


def item_data(index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
    """What ``index.data(role)`` returns, read straight from our Python model.

    Proxies are mapped to their source first. Calling the Python model's ``data()``
    directly skips two QVariant conversions per read. Delegates and tests read models
    through this.
    """
    model = index.model()
    while isinstance(model, QAbstractProxyModel):
        index = model.mapToSource(index)
        model = model.sourceModel()
    if model is None or not index.isValid():
        return None
    return model.data(index, role)
