"""What the app remembers between runs: recent projects and the window layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSettings

from studio.project_file import save_project
from tests.ui.conftest import tiny_project
from ui.app import build_app
from ui.main_window import MainWindow
from ui.settings import SETTINGS_ENV, RecentProjects, open_settings, settings_file


def _recent_entries(window: MainWindow) -> list[str]:
    window.fill_recent_menu()
    return [a.data() for a in window.recent_menu.actions() if a.data()]


def test_settings_live_in_the_platform_config_folder_unless_told_otherwise(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv(SETTINGS_ENV)
    monkeypatch.setattr("platformdirs.user_config_dir", lambda name, appauthor=None: str(tmp_path / "config" / name))
    assert settings_file() == tmp_path / "config" / "Storyboard Studio" / "settings.ini"
    settings = open_settings(tmp_path / "elsewhere.ini")
    assert settings.format() == QSettings.Format.IniFormat and settings.fileName() == str(tmp_path / "elsewhere.ini")


def test_open_recent_lists_opened_projects_most_recent_first_and_drops_missing_ones(
    window: MainWindow, tiny_folder: Path, tmp_path: Path, settings_file: Path
) -> None:
    other = save_project(tiny_project(), tmp_path / "Other.storyboard")
    gone = save_project(tiny_project(), tmp_path / "Gone.storyboard")
    assert _recent_entries(window) == []
    assert [a.text() for a in window.recent_menu.actions()] == ["No recent projects"]
    for folder in (gone, tiny_folder, other, tiny_folder):
        assert window.open_path(folder)
    assert _recent_entries(window) == [str(tiny_folder.resolve()), str(other.resolve()), str(gone.resolve())]
    assert window.recent_menu.actions()[0].text() == "&1 Tiny.storyboard"

    shutil.rmtree(gone)
    assert _recent_entries(window) == [str(tiny_folder.resolve()), str(other.resolve())]
    other_entry = next(a for a in window.recent_menu.actions() if a.data() == str(other.resolve()))
    other_entry.trigger()
    assert window.controller.folder == other.resolve() or window.controller.folder.resolve() == other.resolve()
    # persisted in the settings file, where the next run reads them
    assert RecentProjects(open_settings(settings_file)).paths() == [other.resolve(), tiny_folder.resolve()]


def test_open_recent_keeps_the_ten_latest(window: MainWindow, tmp_path: Path) -> None:
    folders = [save_project(tiny_project(), tmp_path / f"P{i}.storyboard") for i in range(12)]
    for folder in folders:
        window.recent.add(folder)
    assert window.recent.paths() == [f.resolve() for f in reversed(folders[2:])]
    window.recent.clear()
    assert _recent_entries(window) == []


def test_the_window_layout_comes_back_on_the_next_run(qtbot, window: MainWindow) -> None:
    window.resize(1150, 520)
    window.docks["history"].hide()
    window.docks["inspector"].setFloating(True)
    qtbot.wait(10)
    window.close()  # saves the layout
    assert window.settings.value("window/state") is not None

    second: MainWindow = build_app(None, autosave=3600, route_errors=False).window
    try:
        second.show()
        qtbot.waitExposed(second)
        # the height fits the offscreen screen (800x800); the width is clamped to it, as on a real
        # screen that shrank since the last run (Qt keeps restored windows on screen)
        assert second.height() == 520 and second.width() < 1600
        assert not second.docks["history"].isVisible()
        assert second.docks["inspector"].isFloating()
        assert second.docks["timeline"].isVisible()
        second.reset_layout()  # the built-in layout is still one menu item away
        assert second.docks["history"].isVisible() and not second.docks["inspector"].isFloating()
    finally:
        if shiboken6.isValid(second):
            second.close()
            second.deleteLater()
