"""The characters library's Import…: a character from another project arrives with its likeness
as one undoable edit, and the status bar says what its consent covers."""

from __future__ import annotations

import hashlib
from pathlib import Path

from studio.character import Character
from studio.consent import ConsentScope, new_consent
from studio.media_store import MediaStore
from studio.project import Project
from studio.project_file import save_project
from ui.main_window import MainWindow


def other_project(tmp_path: Path) -> Path:
    project = Project(title="Home", characters=[Character(id="maya", name="MAYA")])
    folder = save_project(project, tmp_path / "Home.storyboard")
    maya = project.character("maya")
    maya.reference_images = [MediaStore(folder).add_bytes(b"maya's face", ".png")]
    maya.likeness_consent = new_consent("Maya Lind", ConsentScope.PROJECT, "amber river", hashlib.sha256(b"clip").hexdigest(), project_id=project.id)
    return save_project(project, folder)


def test_importing_a_character_is_one_undoable_edit_and_says_what_the_consent_covers(window: MainWindow, tiny_folder: Path, tmp_path: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    before = [ch.name for ch in c.project.characters]

    new_id = window.characters.import_from_project(other_project(tmp_path / "other"), "maya")

    assert new_id is not None and c.project.character(new_id).name == "MAYA"
    assert c.media.exists(c.project.character(new_id).reference_images[0])
    assert window.characters.list.currentItem().text().startswith("MAYA")
    assert "Imported MAYA from 'Home'" in window.last_message and "covers only 'Home'" in window.last_message
    c.undo_stack.undo()
    assert [ch.name for ch in c.project.characters] == before


def test_a_folder_that_is_not_a_project_changes_nothing(window: MainWindow, tiny_folder: Path, tmp_path: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    depth = c.undo_stack.count()
    assert window.characters.import_from_project(tmp_path, "maya") is None
    assert window.last_message.startswith("Nothing imported:") and c.undo_stack.count() == depth
