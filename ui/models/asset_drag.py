"""Dragging assets between views: asset ids carried in our own MIME type."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QMimeData

ASSET_IDS_MIME = "application/x-pitchpack-asset-ids"


def asset_ids_mime(asset_ids: Iterable[int]) -> QMimeData:
    """Mime data naming the assets (and, as plain text, their ids for other apps)."""
    ids = [int(i) for i in asset_ids]
    text = ",".join(str(i) for i in ids)
    mime = QMimeData()
    mime.setData(ASSET_IDS_MIME, QByteArray(text.encode("ascii")))
    return mime


def asset_ids_from(mime: QMimeData | None) -> list[int]:
    """The asset ids a drag carries; empty for anything else."""
    if mime is None or not mime.hasFormat(ASSET_IDS_MIME):
        return []
    text = bytes(mime.data(ASSET_IDS_MIME).data()).decode("ascii", errors="ignore")
    return [int(part) for part in text.split(",") if part.strip().isdigit()]
