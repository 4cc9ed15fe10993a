"""Shared helpers for the script-import tests: the fixture scripts and fresh imports of them."""

from __future__ import annotations

from pathlib import Path

from studio.frame_rate import FrameRate
from studio.project import Project, VideoFormat
from studio.script import new_project_from_script

DATA = Path(__file__).parent / "data"


def imported(path: Path | str, fps: int = 24) -> Project:
    project, _ = new_project_from_script(path, VideoFormat(1280, 720, FrameRate(fps)))
    return project


def write_script(folder: Path, text: str, name: str = "script.fountain") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def shots_of(project: Project, sequence_index: int) -> list:
    return project.sequences[sequence_index].shots
