"""Bringing a character from another project: their description, voice, colour and likeness
(reference images, voice sample) and the consent that goes with it.

The media files are copied into this project's store by content. Derived embeddings stay behind
(the engine computes them again from the references). The consent record travels unchanged and
sealed: consent to all projects covers this one too; project-only consent does not, and the
import says so, since generation will refuse the likeness here until consent is recorded again.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from studio.character import Character
from studio.consent import ConsentScope, covers_project
from studio.errors import StudioError
from studio.ids import new_id
from studio.media_store import MediaStore
from studio.project import Project


@dataclass(frozen=True)
class ImportedCharacter:
    character: Character  # ready to add: media refs point into the target's store
    notes: list[str] = field(default_factory=list)  # what the user should know, e.g. consent not covering this project


def find_character(project: Project, name_or_id: str) -> Character:
    for character in project.characters:
        if name_or_id in (character.id, character.name) or name_or_id.casefold() == character.name.casefold():
            return character
    names = ", ".join(c.name for c in project.characters) or "none"
    raise StudioError(f"no character {name_or_id!r} in {project.title!r}; its characters: {names}")


def import_character(source: Project, source_folder: Path, name_or_id: str, target: Project, target_folder: Path) -> ImportedCharacter:
    """A copy of the source project's character for `target`, its media already in the target's
    store. Refuses a name the target already has (rename one first) and a missing media file."""
    original = find_character(source, name_or_id)
    if any(c.name.casefold() == original.name.casefold() for c in target.characters):
        raise StudioError(f"{target.title!r} already has a character named {original.name}; rename one of them, then import again")
    character = copy.deepcopy(original)
    if any(c.id == character.id for c in target.characters):
        character.id = new_id()
    source_store, target_store = MediaStore(source_folder), MediaStore(target_folder)

    def copied(ref: str) -> str:
        path = source_store.resolve(ref)
        if not path.is_file():
            raise StudioError(f"{original.name}'s {ref} is missing from {source_folder}; relink it there, then import again")
        return target_store.add_file(path)

    character.reference_images = [copied(ref) for ref in original.reference_images]
    character.voice_sample = copied(original.voice_sample) if original.voice_sample else None
    character.embeddings = {}
    notes = []
    record = character.likeness_consent
    if record is not None and not covers_project(record, target.id):
        notes.append(
            f"{character.name}'s consent by {record.person} covers only {source.title!r}: generation refuses the likeness here until "
            f"{record.person}'s consent is recorded again in this project, or their consent to all projects"
        )
    elif record is not None and record.scope == ConsentScope.ALL_PROJECTS:
        notes.append(f"{character.name}'s likeness comes with {record.person}'s consent to all projects")
    return ImportedCharacter(character, notes)
