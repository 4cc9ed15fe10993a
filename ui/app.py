"""Desktop app bootstrap: builds the services and the main window, then runs the event loop.

Nothing Qt exists before `build_app` runs (no import-time singletons). Errors users can cause
reach the status bar as messages, never as traceback dialogs.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass

log = logging.getLogger(__name__)
AUTOSAVE_ENV = "STORYBOARD_AUTOSAVE_SECONDS"  # the autosave interval; tests make it short
DEFAULT_AUTOSAVE_SECONDS = 60.0


@dataclass
class AppParts:
    app: object  # QApplication
    controller: object  # DocumentController
    window: object  # MainWindow


def autosave_seconds() -> float:
    try:
        return max(0.05, float(os.environ.get(AUTOSAVE_ENV, DEFAULT_AUTOSAVE_SECONDS)))
    except ValueError:
        return DEFAULT_AUTOSAVE_SECONDS


def build_app(path: str | None = None, autosave: float | None = None, route_errors: bool = True, settings_file: str | os.PathLike | None = None) -> AppParts:
    """`settings_file`: the INI file for recent projects and the window layout (default: the
    platform's config folder, or $STORYBOARD_SETTINGS_FILE)."""
    from PySide6.QtWidgets import QApplication

    from ui.document_controller import DocumentController
    from ui.main_window import MainWindow
    from ui.settings import open_settings
    from ui.theme import apply_dark_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Storyboard Studio")
    app.setOrganizationName("Storyboard Studio")
    from ui.about.app_icon import app_icon

    app.setWindowIcon(app_icon())
    app.setDesktopFileName("storyboard-studio")  # ties the windows to packaging/desktop/storyboard-studio.desktop
    apply_dark_theme(app)
    controller = DocumentController()
    window = MainWindow(controller, autosave if autosave is not None else autosave_seconds(), open_settings(settings_file))
    if route_errors:
        _route_errors_to_status_bar(window)
    if path:
        window.open_path(path)
    return AppParts(app, controller, window)


def _route_errors_to_status_bar(window) -> None:
    from studio.errors import StudioError

    previous = sys.excepthook

    def hook(kind, value, trace) -> None:
        if isinstance(value, StudioError):
            window.show_message(str(value), 0)
            return
        log.error("unexpected error", exc_info=(kind, value, trace))
        window.show_message(f"Internal error: {value}. Your work is safe; the log has details.", 0)
        if previous is not sys.__excepthook__:
            previous(kind, value, trace)

    sys.excepthook = hook


def run_app(path: str | None = None) -> int:
    parts = build_app(path)
    parts.window.show()
    from ui.startup_probe import install_startup_probe

    if not install_startup_probe(parts.app, parts.window) and not path:
        from ui.welcome.welcome_dialog import show_welcome_on_first_run

        show_welcome_on_first_run(parts.window)
    return parts.app.exec()
