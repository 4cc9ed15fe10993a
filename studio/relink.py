"""Relinking missing media: find the lost files in a folder the user points at and put them back.

A media reference is named by the sha256 of its content (`media/<sha256><ext>`), so a file anywhere
whose content hashes to that name *is* the missing file: copied into the store it lands exactly at
the reference and the document does not change. As a fallback, a file with the reference's name but
other content (re-encoded, touched up) is stored under its own hash and the references are moved to
it by `RelinkMedia`, an undoable command the caller executes.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from studio.media_store import MediaStore, sha256_of_file
from studio.project import Project
from studio.project_file import missing_media


@dataclass
class RelinkReport:
    missing: list[str]  # the references that were missing before the search
    by_content: dict[str, Path] = field(default_factory=dict)  # reference -> the file with its content
    by_name: dict[str, tuple[Path, str]] = field(default_factory=dict)  # reference -> (same-named file, its new reference)

    @property
    def relinked(self) -> int:
        return len(self.by_content) + len(self.by_name)

    @property
    def still_missing(self) -> list[str]:
        return [ref for ref in self.missing if ref not in self.by_content and ref not in self.by_name]

    def summary(self) -> str:
        text = f"Relinked {self.relinked} of {len(self.missing)} missing media file(s)"
        if self.by_name:
            text += f" ({len(self.by_name)} by file name, with different content: re-render to be sure)"
        still = self.still_missing
        if still:
            shown = ", ".join(still[:5]) + (f" and {len(still) - 5} more" if len(still) > 5 else "")
            text += f"; still missing: {shown}"
        return text


def find_replacements(missing: Iterable[str], search_folder: Path) -> tuple[dict[str, Path], dict[str, Path]]:
    """Files under `search_folder` (recursively) for missing references: by content, then by name.

    Only files with a missing reference's extension are hashed: a content match must keep the
    extension to land at the reference, and hashing every file of a big folder would be slow."""
    wanted = {PurePosixPath(ref).name: ref for ref in missing}
    by_hash = {PurePosixPath(ref).stem: ref for ref in wanted.values()}
    suffixes = {PurePosixPath(ref).suffix.lower() for ref in wanted.values()}
    by_content: dict[str, Path] = {}
    by_name: dict[str, Path] = {}
    for root, dirs, files in os.walk(search_folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if not path.is_file():
                continue
            if path.suffix.lower() in suffixes:
                try:
                    digest = sha256_of_file(path)
                except OSError:
                    continue  # unreadable: not a candidate
                ref = by_hash.get(digest)
                if ref is not None and PurePosixPath(ref).suffix == path.suffix.lower():
                    by_content.setdefault(ref, path)
                    continue
            if name in wanted:
                by_name.setdefault(wanted[name], path)
    return by_content, {ref: path for ref, path in by_name.items() if ref not in by_content}


def relink_missing_media(project: Project, project_folder: Path, search_folder: Path) -> tuple[RelinkReport, RelinkMedia | None]:
    """Copies found files into the project's media store. Returns the report and, when some files
    were found only by name, the command that points the document at them (None otherwise)."""
    store = MediaStore(project_folder)
    report = RelinkReport(sorted({m.reference for m in missing_media(project, project_folder)}))
    if not report.missing:
        return report, None
    by_content, by_name = find_replacements(report.missing, Path(search_folder))
    for ref, path in by_content.items():
        if store.add_file(path) == ref:  # content-addressed: the same content lands at the same name
            report.by_content[ref] = path
    for ref, path in by_name.items():
        report.by_name[ref] = (path, store.add_file(path))
    moves = {ref: new for ref, (_path, new) in report.by_name.items() if new != ref}
    return report, (RelinkMedia(moves) if moves else None)


Setter = Callable[[str], None]


def _reference_slots(project: Project) -> Iterable[tuple[str, Setter]]:
    """Every place the document holds a media reference (as `Project.media_references` lists them),
    with a way to set it."""

    def item(container, key) -> Setter:
        return lambda value: container.__setitem__(key, value)

    def attr(obj, name) -> Setter:
        return lambda value: setattr(obj, name, value)

    for character in project.characters:
        for i, path in enumerate(character.reference_images):
            yield path, item(character.reference_images, i)
        for key, path in character.embeddings.items():
            yield path, item(character.embeddings, key)
        if character.voice_sample:
            yield character.voice_sample, attr(character, "voice_sample")
    for location in project.locations:
        if location.establishing_plate:
            yield location.establishing_plate, attr(location, "establishing_plate")
        for key, path in location.embeddings.items():
            yield path, item(location.embeddings, key)
    for shot in project.shots():
        if shot.panel:
            yield shot.panel, attr(shot, "panel")
        for i, cue in enumerate(shot.sound_cues):
            if cue.media:
                yield cue.media, (lambda value, cues=shot.sound_cues, i=i: cues.__setitem__(i, dataclasses.replace(cues[i], media=value)))
        for take in shot.takes:
            for name in ("video", "audio", "last_frame", "thumbnail", "lip_sync"):
                if getattr(take, name):
                    yield getattr(take, name), attr(take, name)
            for stem, path in take.stems.items():
                yield path, item(take.stems, stem)


@dataclass
class RelinkMedia:
    """Points every use of the old references at their replacements (and back on undo)."""

    moves: dict[str, str]  # old reference -> new reference
    label: str = "Relink Missing Media"

    def do(self, project: Project) -> None:
        self._swap(project, self.moves)

    def undo(self, project: Project) -> None:
        self._swap(project, {new: old for old, new in self.moves.items()})

    @staticmethod
    def _swap(project: Project, moves: dict[str, str]) -> None:
        for value, set_value in list(_reference_slots(project)):
            if value in moves:
                set_value(moves[value])
