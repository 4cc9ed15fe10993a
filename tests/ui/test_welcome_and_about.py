"""The first-run welcome (creates and opens the demo, shown once) and Help ▸ About's diagnostics report."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pipeline.diagnostics import collect, format_report
from studio.project_file import PROJECT_FILE
from ui.about.diagnostics_dialog import COLLECTING, AboutDialog, qt_version
from ui.main_window import MainWindow
from ui.welcome.demo_folder import create_demo
from ui.welcome.welcome_dialog import WELCOME_SHOWN_KEY, show_welcome_on_first_run, welcome_was_shown


def test_the_welcome_creates_the_demo_where_the_user_chose_and_opens_it(window: MainWindow, qtbot, tmp_path: Path) -> None:
    dialog = show_welcome_on_first_run(window)
    assert dialog is not None and dialog.isVisible()
    dialog.folder_edit.setText(str(tmp_path / "Films"))
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    folder = tmp_path / "Films" / "Last Order.storyboard"
    assert (folder / PROJECT_FILE).is_file()
    assert window.controller.folder == folder
    assert window.controller.project.title == "Last Order"
    assert len(list(window.controller.project.shots())) == 11
    assert welcome_was_shown(window.settings)
    assert show_welcome_on_first_run(window) is None  # once is enough


def test_skipping_the_welcome_is_remembered_and_creates_nothing(window: MainWindow, qtbot, tmp_path: Path) -> None:
    dialog = show_welcome_on_first_run(window)
    assert dialog is not None
    dialog.folder_edit.setText(str(tmp_path / "Films"))
    qtbot.mouseClick(dialog.skip_button, Qt.MouseButton.LeftButton)
    assert not (tmp_path / "Films").exists()
    assert window.controller.folder is None
    assert str(window.settings.value(WELCOME_SHOWN_KEY)) == "true"
    assert show_welcome_on_first_run(window) is None


def test_a_folder_that_cannot_hold_the_demo_is_said_and_the_welcome_stays(window: MainWindow, tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    dialog = show_welcome_on_first_run(window)
    assert dialog is not None
    dialog.folder_edit.setText(str(blocker))
    assert not dialog.create_and_open_demo()
    assert "Choose another folder" in dialog.error_label.text()
    assert dialog.isVisible()
    dialog.reject()


def test_the_demo_is_never_written_over_an_existing_folder(tmp_path: Path) -> None:
    first = create_demo(tmp_path)
    assert first == tmp_path / "Last Order.storyboard"
    assert create_demo(tmp_path) == first  # the demo already there is kept, edits and all
    other = tmp_path / "elsewhere"
    (other / "Last Order.storyboard").mkdir(parents=True)
    (other / "Last Order.storyboard" / "notes.txt").write_text("mine")
    assert create_demo(other) == other / "Last Order 2.storyboard"
    assert (other / "Last Order.storyboard" / "notes.txt").read_text() == "mine"


def test_the_about_dialog_shows_the_report_and_copies_it(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = AboutDialog(collect_report=lambda: format_report(collect(qt_version=qt_version(), gpu_probe=lambda: ["no CUDA GPU (test)"])))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.report_view.toPlainText() == COLLECTING
    assert not dialog.copy_button.isEnabled()
    with qtbot.waitSignal(dialog.report_ready, timeout=30_000):
        dialog.start_collecting()
    text = dialog.report_view.toPlainText()
    assert text.startswith("Storyboard Studio diagnostics")
    assert "Qt: Qt " in text and "PySide6 " in text
    assert "  no CUDA GPU (test)" in text
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == text


def test_help_about_opens_the_diagnostics_dialog(window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.about.diagnostics_dialog as about

    monkeypatch.setattr(about, "collect", lambda qt_version=None: collect(qt_version=qt_version, gpu_probe=None))  # no torch import in the test
    window.actions_by_name["about"].trigger()
    dialog = window.about_dialog
    assert isinstance(dialog, AboutDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.copy_button.isEnabled(), timeout=30_000)
    assert "Model folders" in dialog.report_text
    dialog.close()
