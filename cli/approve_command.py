"""`studio approve`: mark shots' previews as approved (or not) for the final generation pass, as one undoable edit."""

from __future__ import annotations

import argparse

from studio.commands import History, MacroCommand, SetField
from studio.project_file import load_project, project_folder_for, save_project
from studio.shot_selection import select_shots


def run_approve(args: argparse.Namespace) -> int:
    folder = project_folder_for(args.path)
    project = load_project(folder)
    chosen = select_shots(project, args.shots)
    value = not args.revoke
    changes = [SetField("shot", shot_id, "approved", value) for shot_id in chosen if project.shot(shot_id).approved != value]
    numbers = ", ".join(project.shot(shot_id).number for shot_id in chosen)
    if changes:
        verb = "Withdraw approval of" if args.revoke else "Approve"
        History(project).execute(MacroCommand(f"{verb} shots {numbers}", changes))
        save_project(project, folder)
    approved = [shot.number for shot in project.shots() if shot.approved]
    print(f"{'withdrew approval of' if args.revoke else 'approved'} shots {numbers}; approved for the final pass: {', '.join(approved) or 'none'}")
    return 0
