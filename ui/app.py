"""Starting the desktop app: ``run(library)`` creates the application and the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from library import Library
from ui.icons import app_icon
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.theme import apply_theme

APP_NAME = "Pitchpack"


def create_application(argv: list[str] | None = None, *, dark: bool | None = None) -> QApplication:
    """The QApplication, named and themed (``dark`` None follows the system); reuses one."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("pitchpack")
    app.setWindowIcon(app_icon())
    apply_theme(app, dark=dark)
    return app


def run(
    library: Library,
    *,
    sample_dir: Path | None = None,
    argv: list[str] | None = None,
    load_sample: bool = False,
) -> int:
    """Show the main window on ``library`` and run until it closes; returns the exit code.

    ``load_sample`` loads the sample library into it at once, with the import dialog's
    progress, rather than before the window appears.
    """
    app = create_application(argv)
    window = MainWindow(library, Settings(), sample_dir=sample_dir)
    window.show()
    window.start()
    if load_sample:
        window.load_sample()
    return app.exec()
