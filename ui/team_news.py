"""What the latest team pull brought: a small window listing the new and updated assets."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from library import Library
from library.models import Asset
from library.team import PullNews

KIND_LABELS = {"new": "New", "updated": "Updated"}


def load_news(library: Library) -> tuple[PullNews, list[Asset]]:
    """Runs off the GUI thread: the latest pull's changes and their assets, new first."""
    from library.team import Team

    news = Team(library).news()
    return news, library.assets.get_many(news.new + news.updated)


class TeamNewsDialog(QDialog):
    """Lists what the latest pull brought; double-click (or Enter) opens an asset."""

    asset_activated = Signal(int)

    def __init__(self, news: PullNews, assets: list[Asset], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New from the Team")
        self.news = news
        when = f"  ·  pulled {news.pulled_at[:16].replace('T', ' ')} UTC" if news.pulled_at else ""
        self.heading = QLabel(news.summary() + when, objectName="muted")
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(["Change", "Title", "Type", "Stage"])
        self.tree.setAccessibleName("Assets new or updated in the latest pull")
        for asset in assets:
            stage = ", ".join(asset.terms.get("stage", []))
            item = QTreeWidgetItem(
                [
                    KIND_LABELS[news.kind_of(asset.id) or "new"],
                    asset.title,
                    asset.content_type,
                    stage,
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, asset.id)
            self.tree.addTopLevelItem(item)
        header = self.tree.header()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._activated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(640, 380)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.asset_activated.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))
