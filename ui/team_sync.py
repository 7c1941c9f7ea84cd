"""Team sync in the app: a status-bar item, a Publish action for marketers, and pulls and
pushes every few minutes, all off the GUI thread through ``TaskRunner``."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget

from library import Library
from library.team import PullNews
from ui.tasks import TaskRunner
from ui.team_news import TeamNewsDialog, load_news

log = logging.getLogger(__name__)

SYNC_INTERVAL_MS = 300_000


def _status(library: Library) -> dict | None:
    from library.team import NotConnected, Team

    try:
        return _with_news(Team(library))
    except NotConnected:
        return None


def _sync(library: Library) -> tuple[dict | None, PullNews | None]:
    """Pull, then push the outbox; a server that cannot be reached is left for next time.
    Returns the status and what this pull brought (None when it did not run)."""
    from library.team import ServerUnavailable, Team, team_status

    if team_status(library) is None:
        return None, None
    team = Team(library)
    brought = None
    try:
        brought = team.pull().news
        team.push()
    except ServerUnavailable as exc:
        log.info("Team sync postponed: %s", exc)
    return _with_news(team), brought


def _with_news(team) -> dict:
    status = team.status()
    news = team.news()
    status["news"] = len(news.new) + len(news.updated)
    return status


def status_text(status: dict | None) -> str:
    if status is None:
        return ""
    version = status["library_version"]
    text = f"Team v{version}" if version else "Team: not synced yet"
    if status.get("news"):
        # A link: clicking it lists what the latest pull brought.
        text += f' · <a href="news">{status["news"]} new or updated</a>'
    if status["outbox"]:
        text += f" · {status['outbox']} to send"
    if status["files_missing"]:
        text += f" · {status['files_missing']} files to fetch"
    return text


class TeamSync(QObject):
    """Keeps a connected library in step with its team; idle for a library on its own."""

    status_changed = Signal(object)  # the status dict, or None when not connected
    changed = Signal()  # a pull or publish changed the local catalog
    status_message = Signal(str)
    asset_activated = Signal(int)  # an asset chosen in the list of what a pull brought

    def __init__(
        self,
        library: Library,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        interval_ms: int = SYNC_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.status: dict | None = None
        self._busy = False
        self.label = QLabel()
        self.label.setObjectName("teamStatus")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.linkActivated.connect(lambda _link: self.show_news())
        self.label.hide()
        self.news_dialog: TeamNewsDialog | None = None
        self.publish_action = QAction("&Publish to Team", self)
        self.publish_action.setEnabled(False)
        self.publish_action.triggered.connect(self.publish)
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.sync)
        self.status_changed.connect(self._show)

    def start(self) -> None:
        library = self.library
        self.runner.run(lambda: _status(library), on_success=self.status_changed.emit)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def sync(self) -> None:
        if self._busy or self.status is None:
            return
        self._busy = True
        library = self.library
        task = self.runner.run(
            lambda: _sync(library), write=True, on_success=self._synced, on_failure=self._quiet
        )
        task.finished.connect(self._idle)

    def publish(self) -> None:
        if self._busy:
            return
        self._busy = True
        self.status_message.emit("Publishing to the team…")
        library = self.library

        def work():
            from library.team import Team

            team = Team(library)
            return team.publish(), _with_news(team)

        # A refused publish (another marketer first) shows its message through show_error.
        self.runner.run(work, write=True, on_success=self._published).finished.connect(self._idle)

    def _idle(self) -> None:
        self._busy = False

    def _synced(self, result: tuple[dict | None, PullNews | None]) -> None:
        status, brought = result
        if brought is not None and (brought.new or brought.updated):
            self.status_message.emit(brought.summary())
        self.status_changed.emit(status)
        self.changed.emit()

    def show_news(self) -> None:
        """List what the latest pull brought (loaded off the GUI thread)."""
        self.runner.run(lambda: load_news(self.library), on_success=self._open_news)

    def _open_news(self, result) -> None:
        news, assets = result
        parent = self.parent()
        dialog = TeamNewsDialog(news, assets, parent if isinstance(parent, QWidget) else None)
        dialog.asset_activated.connect(self.asset_activated)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.news_dialog = dialog
        dialog.open()

    def _published(self, result) -> None:
        report, status = result
        self.status_message.emit(report.summary())
        self.status_changed.emit(status)
        self.changed.emit()

    def _quiet(self, exc: BaseException) -> None:
        # A background sync never interrupts with a dialog; the next one tries again.
        log.warning("Team sync failed: %s", exc)
        self.status_message.emit(f"Team sync failed: {exc}")

    def _show(self, status: dict | None) -> None:
        self.status = status
        self.label.setText(status_text(status))
        self.label.setToolTip(
            ""
            if status is None
            else f"Role: {status['role']}\nLast pull: {status['last_pull'] or 'never'}\n"
            f"Last publish: {status['last_publish'] or 'never'}"
        )
        self.label.setVisible(status is not None)
        self.publish_action.setEnabled(status is not None and status["role"] == "marketer")
