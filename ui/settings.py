"""The app's own settings (recent projects, window layout), kept apart from any project.

They live in an INI file in the platform's config folder (platformdirs), not the registry or a
plist, so one place holds them everywhere and tests can point the app at a file of their own.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

from studio.project_file import PROJECT_FILE, project_folder_for

SETTINGS_ENV = "STORYBOARD_SETTINGS_FILE"  # tests set it so no run touches the user's settings
RECENT_KEY = "recent/projects"
MAX_RECENT = 10


def settings_file() -> Path:
    override = os.environ.get(SETTINGS_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("Storyboard Studio", appauthor=False)) / "settings.ini"


def open_settings(path: Path | str | None = None) -> QSettings:
    return QSettings(str(path or settings_file()), QSettings.Format.IniFormat)


class RecentProjects:
    """Up to ten project folders, most recent first; folders that are gone drop out of the list."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def _stored(self) -> list[str]:
        try:
            value = json.loads(str(self.settings.value(RECENT_KEY, "[]")))
        except ValueError:
            return []
        return [str(p) for p in value] if isinstance(value, list) else []

    def _store(self, folders: list[str]) -> None:
        self.settings.setValue(RECENT_KEY, json.dumps(folders[:MAX_RECENT]))
        self.settings.sync()

    def paths(self) -> list[Path]:
        stored = self._stored()
        kept = [p for p in stored if (Path(p) / PROJECT_FILE).is_file()]
        if kept != stored:
            self._store(kept)
        return [Path(p) for p in kept]

    def add(self, path: Path | str) -> None:
        folder = str(project_folder_for(path).resolve())
        self._store([folder] + [p for p in self._stored() if p != folder])

    def clear(self) -> None:
        self._store([])
