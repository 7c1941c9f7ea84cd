"""UI fixtures: offscreen Qt, throwaway settings, task runners and a main window on the sample."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QRunnable, QSettings  # noqa: E402

from ui.settings import Settings  # noqa: E402
from ui.tasks import TaskRunner  # noqa: E402


class InlinePool:
    """Runs each job at once on the calling thread, so results arrive before run() returns."""

    def __init__(self) -> None:
        self.started = 0

    def start(self, runnable: QRunnable) -> None:
        self.started += 1
        runnable.run()


class ManualPool:
    """Keeps jobs until the test runs them, in any order it likes."""

    def __init__(self) -> None:
        self.jobs: list[QRunnable] = []

    def start(self, runnable: QRunnable) -> None:
        self.jobs.append(runnable)

    def run(self, index: int) -> None:
        self.jobs.pop(index).run()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def runner(qtbot):
    task_runner = TaskRunner()
    yield task_runner
    assert task_runner.shutdown()


@pytest.fixture
def inline_runner(qtbot) -> TaskRunner:
    """A runner whose pools run every job inline; ``runner.reads.started`` counts them."""
    return TaskRunner(reads=InlinePool(), writes=InlinePool())


@pytest.fixture
def manual_runner(qtbot) -> TaskRunner:
    """A runner whose read jobs wait in ``runner.reads.jobs`` until the test runs them."""
    return TaskRunner(reads=ManualPool(), writes=InlinePool())


@pytest.fixture
def window(qtbot, sample_library, settings, runner):
    """The main window on a copy of the sample library, with its first results shown."""
    from ui.main_window import MainWindow

    win = MainWindow(sample_library, settings, runner=runner)
    qtbot.addWidget(win)
    win.resize(1400, 880)
    win.show()
    qtbot.waitExposed(win)
    win.start()
    qtbot.waitUntil(lambda: win.search_pane.model.rowCount() > 0, timeout=10000)
    yield win
    win.close()  # stops the runner before the library closes
