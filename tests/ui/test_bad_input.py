"""Things go wrong, nothing is lost: corrupt projects, missing media, non-images, crashes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import QMessageBox

from studio.commands import AddTake
from studio.project_file import load_project, save_project
from studio.take import Take
from tests.ui.conftest import Answers, tiny_project
from ui.main_window import MainWindow
from ui.recovery import has_recovery, read_recovery, recovery_path, write_recovery

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_opening_a_corrupt_project_says_why_and_keeps_the_app_running(window: MainWindow, tiny_folder: Path, tmp_path: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    broken = tmp_path / "Broken.storyboard"
    broken.mkdir()
    (broken / "project.json").write_text('{"schema": "StoryboardStudioProject", "version": 1, "project": {', encoding="utf-8")
    assert not window.open_path(broken)
    assert "damaged JSON" in window.last_message and str(broken) in window.last_message
    assert window.error_box.isVisible() and "damaged JSON" in window.error_box.text()
    assert c.folder == tiny_folder and c.project.title == "Tiny"  # the open project is untouched
    window.error_box.close()
    assert window.edits.add_shot() is not None  # and still editable


def test_a_project_with_missing_media_opens_with_a_list_of_what_is_missing(window: MainWindow, tmp_path: Path) -> None:
    project = tiny_project()
    shot = project.sequences[0].shots[0]
    take = Take(id="t1", number=1, input_hash="x", backend="draft", video="media/" + "a" * 64 + ".mp4", thumbnail="media/" + "b" * 64 + ".jpg")
    AddTake(shot.id, take).do(project)
    folder = save_project(project, tmp_path / "Missing.storyboard")
    assert window.open_path(folder)
    assert "2 media file(s) missing" in window.last_message
    assert "media/" + "b" * 64 + ".jpg" in window.last_message and "shot 1 take T1" in window.last_message
    window.timeline.view.viewport().grab()  # paints a plain card where the thumbnail is missing
    assert window.edits.add_shot() is not None


def _drop(widget, row: int, files: list[Path]) -> None:
    target = widget.visualItemRect(widget.item(row)).center()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(QPoint(target.x(), target.y()).toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)


def test_dropping_a_pdf_on_a_character_changes_nothing_and_an_image_adds_a_reference(window: MainWindow, tiny_folder: Path, tmp_path: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    library = window.characters
    fake = tmp_path / "headshot.pdf"
    fake.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    _drop(library.list, 0, [fake])
    assert "not an image" in window.last_message and "headshot.pdf" in window.last_message
    assert c.project.character("hero").reference_images == [] and c.undo_stack.count() == 0
    assert list((tiny_folder / "media").iterdir()) == []

    photo = tmp_path / "headshot.png"
    image = QImage(32, 32, QImage.Format.Format_RGB32)
    image.fill(QColor("#d9a520"))
    assert image.save(str(photo))
    _drop(library.list, 0, [photo])
    refs = c.project.character("hero").reference_images
    assert len(refs) == 1 and (tiny_folder / refs[0]).is_file()
    assert c.undo_stack.undoText() == "Add 1 reference image(s) to HERO"


def test_characters_and_locations_are_added_and_renamed_through_commands(window: MainWindow, tiny_folder: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    new_id = window.characters.add_character()
    assert c.project.character(new_id).name == "CHARACTER 2"
    window.characters.name.setText("VILLAIN")
    window.characters.name.editingFinished.emit()
    assert c.project.character(new_id).name == "VILLAIN"
    location_id = window.locations.add_location()
    assert c.project.location(location_id).name.startswith("New location")
    c.undo_stack.setIndex(0)
    assert [ch.id for ch in c.project.characters] == ["hero"] and len(c.project.locations) == 1


CHILD = """
import sys, time
from PySide6.QtWidgets import QApplication
from studio.commands import SetField
from ui.app import build_app
from ui.recovery import has_recovery
parts = build_app(sys.argv[1], autosave=0.2, route_errors=False)
parts.window.show()
parts.controller.execute(SetField("shot", "b", "description", "Edited, never saved."))
deadline = time.time() + 20
while not has_recovery(parts.controller.folder) and time.time() < deadline:
    QApplication.processEvents()
    time.sleep(0.02)
print("autosaved" if has_recovery(parts.controller.folder) else "no autosave", flush=True)
while True:
    QApplication.processEvents()
    time.sleep(0.05)
"""


def test_the_autosave_restores_unsaved_edits_after_the_app_is_killed(window: MainWindow, answers: Answers, tiny_folder: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tiny_folder)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO_ROOT, env=env
    )
    try:
        line = child.stdout.readline().strip()
        assert line == "autosaved"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert load_project(tiny_folder).shot("b").description == "HERO walks in."  # never saved
    assert has_recovery(tiny_folder)

    answers.queue.append(QMessageBox.StandardButton.Yes)
    assert window.open_path(tiny_folder)
    assert answers.asked == ["Recover unsaved edits?"]
    c = window.controller
    assert c.project.shot("b").description == "Edited, never saved."
    assert c.is_modified and window.isWindowModified()
    assert c.save()
    assert not has_recovery(tiny_folder)
    assert load_project(tiny_folder).shot("b").description == "Edited, never saved."


def test_declining_the_recovery_opens_the_last_save_and_removes_the_autosave(window: MainWindow, answers: Answers, tiny_folder: Path) -> None:
    edited = load_project(tiny_folder)
    edited.title = "Autosaved title"
    write_recovery(edited, tiny_folder)
    time.sleep(0.01)
    answers.queue.append(QMessageBox.StandardButton.Discard)
    assert window.open_path(tiny_folder)
    assert window.controller.project.title == "Tiny"
    assert not recovery_path(tiny_folder).exists()


def test_autosave_writes_only_when_there_are_unsaved_edits(window: MainWindow, tiny_folder: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    assert c.autosave() is None
    window.edits.add_shot()
    assert c.autosave() == recovery_path(tiny_folder)
    assert read_recovery(tiny_folder) == c.project != load_project(tiny_folder)
    assert c.save() and not has_recovery(tiny_folder)


def test_quitting_with_unsaved_edits_asks_and_cancel_keeps_the_window(window: MainWindow, answers: Answers, tiny_folder: Path) -> None:
    assert window.open_path(tiny_folder)
    window.edits.add_shot()
    answers.queue.append(QMessageBox.StandardButton.Cancel)
    assert not window.close()
    assert window.isVisible() and answers.asked[-1] == "Storyboard Studio"
    answers.queue.append(QMessageBox.StandardButton.Save)
    assert window.close()
    assert len(list(load_project(tiny_folder).shots())) == 4
