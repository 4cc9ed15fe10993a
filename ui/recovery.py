"""Crash recovery: the open project written every so often next to project.json, atomically.

The recovery file exists only while a project has edits that were never saved: a save or a clean
close removes it, so finding one on open means the app died with unsaved work.
"""

from __future__ import annotations

import json
from pathlib import Path

from studio.atomic_file import write_bytes_atomically
from studio.errors import ProjectFileError
from studio.project import Project
from studio.project_file import PROJECT_FILE, parse_project_file, project_document

RECOVERY_FILE = f"{PROJECT_FILE}.recovery"


def recovery_path(folder: Path) -> Path:
    return Path(folder) / RECOVERY_FILE


def write_recovery(project: Project, folder: Path) -> Path:
    """Writes the project to the recovery file: temp file, fsync, rename (never half a file)."""
    target = recovery_path(folder)
    try:
        payload = json.dumps(project_document(project), ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")
    except ValueError:
        raise ProjectFileError(target, "autosave skipped: a number in the project is not finite") from None
    try:
        write_bytes_atomically(target, payload, durable=True)
    except OSError as exc:
        raise ProjectFileError(target, f"autosave failed ({exc.strerror or exc}); save the project by hand") from None
    return target


def has_recovery(folder: Path) -> bool:
    return recovery_path(folder).is_file()


def read_recovery(folder: Path) -> Project:
    """The project as autosaved; raises ProjectFileError if the recovery file is damaged."""
    return parse_project_file(recovery_path(folder))


def discard_recovery(folder: Path) -> None:
    recovery_path(folder).unlink(missing_ok=True)
