"""Where the first-run demo goes, and putting it there. No widgets: the dialog and tests share it."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from studio.demo import demo_project
from studio.project_file import PROJECT_FILE, PROJECT_SUFFIX, save_project

DEMO_NAME = "Last Order"  # the demo film's title, and its folder's name


def default_projects_folder() -> Path:
    """The user's documents folder (platformdirs: XDG on Linux, Documents on Windows and macOS), in a folder of the app's."""
    return Path(platformdirs.user_documents_dir()) / "Storyboard Studio"


def create_demo(parent: Path) -> Path:
    """Saves the demo film as parent/Last Order.storyboard and returns its folder. A demo already
    there is kept and returned as it is (the user's edits to it are theirs); a name taken by anything
    else gets a number, so nothing is ever overwritten."""
    parent = Path(parent).expanduser()
    parent.mkdir(parents=True, exist_ok=True)
    number = 1
    while True:
        name = DEMO_NAME if number == 1 else f"{DEMO_NAME} {number}"
        folder = parent / f"{name}{PROJECT_SUFFIX}"
        if (folder / PROJECT_FILE).is_file():
            return folder
        if not folder.exists():
            return save_project(demo_project(), folder)
        number += 1
