"""`studio import-cut`: apply an editor's recut (EDL, FCP7 XML, FCPXML, OTIO ...) to the project as one edit."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.export.cut_import import read_cut
from studio.commands import History
from studio.commands.cut import cut_edit
from studio.project_file import load_project, project_folder_for, save_project


def run_import_cut(args: argparse.Namespace) -> int:
    folder = project_folder_for(args.path)
    project = load_project(folder)
    cut = read_cut(Path(args.file), project)
    edit = cut_edit(project, cut.entries, label=f"Import cut from {Path(args.file).name}")
    for note in cut.notes:
        print(f"studio: note: {note}", file=sys.stderr)
    for clip in cut.unmatched:
        print(f"studio: warning: {clip.describe()}: matches no shot of this project; left out", file=sys.stderr)
    for line in edit.summary:
        print(line)
    for warning in edit.warnings:
        print(f"studio: warning: {warning}", file=sys.stderr)
    if not edit.command.commands:
        print("the cut matches the project already; nothing to change")
        return 0
    if args.dry_run:
        print("dry run: the project was not changed")
        return 0
    History(project).execute(edit.command)
    save_project(project, folder)
    print(f"applied {edit.command.label} to {folder} ({len(edit.command.commands)} changes, one undoable edit)")
    return 0
