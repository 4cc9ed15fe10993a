"""`studio import-character`: bring a character, with their likeness and consent, from another project."""

from __future__ import annotations

import argparse

from studio.character_import import import_character
from studio.commands import AddCharacter, History
from studio.project_file import load_project, project_folder_for, save_project


def add_import_character_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "import-character",
        help="copy a character from another project: description, voice, likeness (reference images, voice sample) and its consent",
    )
    parser.add_argument("path", help="the project to bring the character into")
    parser.add_argument("source", help="the project the character is in")
    parser.add_argument("character", help="the character's name (or id) there")


def run_import_character(args: argparse.Namespace) -> int:
    folder, source_folder = project_folder_for(args.path), project_folder_for(args.source)
    project, source = load_project(folder), load_project(source_folder)
    imported = import_character(source, source_folder, args.character, project, folder)
    History(project).execute(AddCharacter(imported.character, label=f"Import {imported.character.name}"))
    save_project(project, folder)
    likeness = len(imported.character.reference_images)
    print(f"imported {imported.character.name} from {source.title!r}" + (f" with {likeness} reference image(s)" if likeness else ""))
    for note in imported.notes:
        print(f"studio: note: {note}")
    return 0
