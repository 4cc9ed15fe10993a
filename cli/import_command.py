"""`studio import`: bring a screenplay or shot list into a project; importing again updates it."""

from __future__ import annotations

import argparse

from studio.commands import History
from studio.project_file import load_project, project_folder_for, save_project
from studio.script import import_script


def run_import(args: argparse.Namespace) -> int:
    folder = project_folder_for(args.path)
    project = load_project(folder)
    command, report = import_script(project, args.file)  # reads and plans everything before any change
    for line in report.lines():
        print(line)
    if not report.changed:
        print(f"{folder}: already matches {args.file}; nothing to change")
        return 0
    History(project).execute(command)
    save_project(project, folder)
    print(f"updated {folder}")
    return 0
