"""A project with missing media: the status bar offers Relink…, which finds the files in a folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import Qt

from studio.commands import AddTake
from studio.project_file import missing_media, save_project
from studio.take import Take
from tests.ui.conftest import tiny_project
from ui.main_window import MainWindow


def _ref(data: bytes, suffix: str) -> str:
    return f"media/{hashlib.sha256(data).hexdigest()}{suffix}"


def test_relink_finds_missing_media_by_content_and_keeps_the_project_editable(qtbot, window: MainWindow, tmp_path: Path) -> None:
    c = window.controller
    video, thumb = _ref(b"take video", ".mp4"), _ref(b"take thumbnail", ".jpg")
    project = tiny_project()
    AddTake("a", Take(id="t1", number=1, input_hash="x", backend="draft", video=video, thumbnail=thumb)).do(project)
    folder = save_project(project, tmp_path / "Missing.storyboard")
    assert window.open_path(folder)
    assert "2 media file(s) missing" in window.last_message
    assert window.relink_button.isVisible() and window.relink_button.text() == "Relink…"

    backup = tmp_path / "old drive" / "renders"
    backup.mkdir(parents=True)
    (backup / "shot 1 take 1.mp4").write_bytes(b"take video")  # renamed, same content
    asked: list[str] = []
    window.choose_folder = lambda title: asked.append(title) or str(tmp_path / "old drive")
    qtbot.mouseClick(window.relink_button, Qt.MouseButton.LeftButton)
    assert asked  # the folder was asked for
    assert window.last_message == f"Relinked 1 of 2 missing media file(s); still missing: {thumb}"
    assert (folder / video).read_bytes() == b"take video"
    assert not c.is_modified and c.project.shot("a").takes[0].video == video  # the document is unchanged
    assert window.relink_button.isVisible()  # one file is still missing
    assert window.edits.add_shot() is not None  # and the project is still editable

    (backup / "poster.jpg").write_bytes(b"take thumbnail")
    window.actions_by_name["relink"].trigger()  # File > Relink Missing Media…
    assert window.last_message == "Relinked 1 of 1 missing media file(s)"
    assert missing_media(c.project, folder) == []
    assert not window.relink_button.isVisible()


def test_cancelling_the_folder_question_changes_nothing(window: MainWindow, tmp_path: Path) -> None:
    project = tiny_project()
    AddTake("a", Take(id="t1", number=1, input_hash="x", backend="draft", video=_ref(b"v", ".mp4"))).do(project)
    folder = save_project(project, tmp_path / "Missing.storyboard")
    assert window.open_path(folder)
    before = window.last_message
    window.choose_folder = lambda title: ""
    assert not window.relink_dialog()
    assert window.last_message == before and window.relink_button.isVisible()


def test_a_project_without_missing_media_offers_no_relink(window: MainWindow, tiny_folder: Path) -> None:
    assert window.open_path(tiny_folder)
    assert not window.relink_button.isVisible()


def test_a_same_named_file_with_other_content_is_relinked_as_one_undoable_edit(window: MainWindow, tmp_path: Path) -> None:
    c = window.controller
    panel = _ref(b"old panel", ".png")
    project = tiny_project()
    project.sequences[0].shots[0].panel = panel
    folder = save_project(project, tmp_path / "Missing.storyboard")
    assert window.open_path(folder)
    found = tmp_path / "found"
    found.mkdir()
    (found / panel.removeprefix("media/")).write_bytes(b"retouched panel")
    assert window.relink_dialog(found)
    assert window.last_message.startswith("Relinked 1 of 1 missing media file(s) (1 by file name")
    new = _ref(b"retouched panel", ".png")
    assert c.project.shot("a").panel == new and c.is_modified and not window.relink_button.isVisible()
    c.undo_stack.undo()
    assert c.project.shot("a").panel == panel and not c.is_modified
