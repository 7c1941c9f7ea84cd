"""Every QSettings key the app uses, with its default: UI state only, never library data."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Key:
    name: str
    default: object


WINDOW_GEOMETRY = Key("window/geometry", QByteArray())
WINDOW_STATE = Key("window/state", QByteArray())
WINDOW_TAB = Key("window/tab", 0)
WORKSPACE_SPLITTER = Key("splitters/workspace", QByteArray())
LIBRARY_SPLITTER = Key("splitters/library", QByteArray())
LIBRARY_HEADER = Key("library/header", QByteArray())
LAST_LIBRARY = Key("library/last_folder", "")
LAST_QUERY = Key("search/last_query", "")
SORT = Key("search/sort", "relevance")
SAVED_SEARCHES = Key("search/saved", "[]")
PACKET_PANEL_VISIBLE = Key("packet/panel_visible", 0)
PACKET_CURRENT = Key("packet/current", 0)  # the packet the panel showed last (its id)
PACKET_SPLITTER = Key("splitters/packet", QByteArray())
PACKET_PROSPECT_OPEN = Key("packet/prospect_open", 1)
PACKET_EXPORT_FOLDER = Key("packet/export_folder", "")


@dataclass
class SavedSearch:
    """A search a rep keeps in the sidebar: the words and the facet filters."""

    name: str
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)


class Settings:
    """Typed access to QSettings; pass a QSettings (an .ini in tests) or get the app's."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.qsettings = qsettings if qsettings is not None else QSettings()

    def value(self, key: Key):
        raw = self.qsettings.value(key.name, key.default)
        if isinstance(key.default, QByteArray):
            return raw if isinstance(raw, QByteArray) else key.default
        if isinstance(key.default, int):
            try:
                return int(raw)
            except (TypeError, ValueError):
                return key.default
        return raw if isinstance(raw, str) else key.default

    def set_value(self, key: Key, value) -> None:
        self.qsettings.setValue(key.name, value)

    def saved_searches(self) -> list[SavedSearch]:
        try:
            items = json.loads(self.value(SAVED_SEARCHES))
            return [
                SavedSearch(i["name"], i.get("text", ""), dict(i.get("filters", {}))) for i in items
            ]
        except (ValueError, KeyError, TypeError) as exc:
            # A hand-edited or damaged value should not stop the app from starting.
            log.warning("Ignoring unreadable saved searches: %s", exc)
            return []

    def set_saved_searches(self, searches: list[SavedSearch]) -> None:
        self.set_value(SAVED_SEARCHES, json.dumps([asdict(s) for s in searches]))

    def sync(self) -> None:
        self.qsettings.sync()


def last_library(qsettings: QSettings | None = None) -> Path | None:
    """The library folder the app had open last time, for ``main.py``'s folder resolution."""
    value = Settings(qsettings).value(LAST_LIBRARY)
    return Path(value) if value else None
