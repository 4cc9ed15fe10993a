"""Fixtures for the desktop app tests: a tiny renderable project and the real main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QMessageBox

from studio.camera import CameraMove, CameraMoveType, Direction
from studio.character import Character
from studio.frame_rate import FrameRate
from studio.location import Location
from studio.project import Project, Sequence, VideoFormat
from studio.project_file import save_project
from studio.shot import CharacterInShot, Shot, ShotSize
from ui.app import build_app
from ui.main_window import MainWindow
from ui.settings import SETTINGS_ENV


def tiny_project() -> Project:
    """Three shots of 8-12 frames at 320x180: renders with the draft backend in a few seconds."""
    hero = Character(id="hero", name="HERO", description="a tall figure in a yellow coat", color="#d9a520")
    street = Location(id="street", name="Street", interior=False, description="an empty street")
    shots = [
        Shot(id="a", number="1", duration=8, description="A street at dusk.", size=ShotSize.WS, location_id="street", seed=11),
        Shot(
            id="b",
            number="2",
            duration=10,
            description="HERO walks in.",
            size=ShotSize.MS,
            location_id="street",
            characters=[CharacterInShot("hero")],
            camera=CameraMove(CameraMoveType.PAN, Direction.RIGHT, 0.2),
            seed=12,
        ),
        Shot(id="c", number="3", duration=12, description="HERO stops.", size=ShotSize.CU, location_id="street", characters=[CharacterInShot("hero")], seed=13),
    ]
    return Project(
        title="Tiny",
        format=VideoFormat(320, 180, FrameRate(24)),
        characters=[hero],
        locations=[street],
        sequences=[Sequence(id="sc1", name="1 EXT. STREET - DUSK", shots=shots)],
    )


@pytest.fixture(autouse=True)
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test (and every app it starts in a child process) keeps its settings in tmp_path."""
    path = tmp_path / "settings" / "settings.ini"
    monkeypatch.setenv(SETTINGS_ENV, str(path))
    return path


@pytest.fixture
def tiny_folder(tmp_path: Path) -> Path:
    return save_project(tiny_project(), tmp_path / "Tiny.storyboard")


class Answers:
    """What the user answers to the window's questions, in order (default: Discard)."""

    def __init__(self) -> None:
        self.queue: list[QMessageBox.StandardButton] = []
        self.asked: list[str] = []

    def __call__(self, title: str, text: str, buttons, default) -> QMessageBox.StandardButton:
        self.asked.append(title)
        return self.queue.pop(0) if self.queue else QMessageBox.StandardButton.Discard


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def window(qtbot, answers: Answers) -> Iterator[MainWindow]:
    parts = build_app(None, autosave=3600, route_errors=False)
    win: MainWindow = parts.window
    win.ask = answers
    win.show()
    qtbot.waitExposed(win)
    yield win
    if shiboken6.isValid(win):
        win.render_queue.shutdown()
        win.controller.close_cleanly()
        win.close()
        win.deleteLater()  # windows left alive would slow every later test's restyles and repaints
    qtbot.wait(1)
