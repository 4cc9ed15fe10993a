"""Undoable edits of the continuity ledger: log, change and remove entries; accept a break.

A character's entries are edited on their cast entry in the shot (`character_id`), the place's and
the scene's on the shot (`character_id=None`). Every edit is checked as the loader would check the
shot, so no edit can make the project unsaveable.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from studio.continuity.changes import ContinuityChange
from studio.continuity.validation import shot_ledger_problem
from studio.errors import EditError
from studio.project import Project
from studio.shot import CharacterInShot, Shot


def _cast_index(project: Project, shot: Shot, character_id: str) -> int:
    for index, cast in enumerate(shot.characters):
        if cast.character_id == character_id:
            return index
    name = next((c.name for c in project.characters if c.id == character_id), character_id)
    raise EditError(f"{name} is not in shot {shot.number}: add them to the shot before logging their continuity")


def _entries(project: Project, shot: Shot, character_id: str | None) -> list[ContinuityChange]:
    if character_id is None:
        return list(shot.continuity_changes)
    return list(shot.characters[_cast_index(project, shot, character_id)].changes)


def _store(project: Project, shot: Shot, character_id: str | None, entries: list[ContinuityChange]) -> None:
    """Replaces the entries, refusing (and changing nothing) if the shot's ledger would not load."""
    old_cast, old_changes = shot.characters, shot.continuity_changes
    if character_id is None:
        shot.continuity_changes = entries
    else:
        index = _cast_index(project, shot, character_id)
        cast: list[CharacterInShot] = list(shot.characters)
        cast[index] = replace(cast[index], changes=tuple(entries))
        shot.characters = cast
    problem = shot_ledger_problem(project, shot)
    if problem:
        shot.characters, shot.continuity_changes = old_cast, old_changes
        raise EditError(problem)


@dataclass
class _LedgerEdit:
    """Shared do/undo: keeps the shot's cast and shot-level entries as they were, for undo."""

    shot_id: str
    character_id: str | None
    _old: tuple[list[CharacterInShot], list[ContinuityChange]] | None = field(default=None, init=False, repr=False)

    def _edit(self, shot: Shot, entries: list[ContinuityChange]) -> list[ContinuityChange]:
        raise NotImplementedError

    def do(self, project: Project) -> None:
        shot = project.shot(self.shot_id)
        old = (shot.characters, shot.continuity_changes)
        _store(project, shot, self.character_id, self._edit(shot, _entries(project, shot, self.character_id)))
        self._old = old

    def undo(self, project: Project) -> None:
        assert self._old is not None
        shot = project.shot(self.shot_id)
        shot.characters, shot.continuity_changes = self._old


def _check_index(entries: list[ContinuityChange], index: int, shot: Shot) -> None:
    if not 0 <= index < len(entries):
        raise EditError(f"shot {shot.number} has no continuity entry {index} (it has {len(entries)})")


@dataclass
class AddContinuityChange(_LedgerEdit):
    change: ContinuityChange
    label: str = "Log continuity change"

    def _edit(self, shot: Shot, entries: list[ContinuityChange]) -> list[ContinuityChange]:
        return [*entries, self.change]


@dataclass
class RemoveContinuityChange(_LedgerEdit):
    index: int
    label: str = "Remove continuity change"

    def _edit(self, shot: Shot, entries: list[ContinuityChange]) -> list[ContinuityChange]:
        _check_index(entries, self.index, shot)
        return entries[: self.index] + entries[self.index + 1 :]


@dataclass
class ReplaceContinuityChange(_LedgerEdit):
    index: int
    change: ContinuityChange
    label: str = "Change continuity entry"

    def _edit(self, shot: Shot, entries: list[ContinuityChange]) -> list[ContinuityChange]:
        _check_index(entries, self.index, shot)
        return [*entries[: self.index], self.change, *entries[self.index + 1 :]]


@dataclass
class AcceptFinding:
    """Accepts a continuity break as intentional: the checker stops reporting it on this shot."""

    shot_id: str
    key: str
    label: str = "Accept continuity break"
    _old: list[str] = field(default_factory=list, init=False, repr=False)

    def do(self, project: Project) -> None:
        shot = project.shot(self.shot_id)
        if not self.key.strip():
            raise EditError("a continuity finding key is needed to accept it, such as 'wardrobe:maya'")
        if self.key in shot.accepted_breaks:
            raise EditError(f"shot {shot.number}: '{self.key}' is already accepted")
        self._old = shot.accepted_breaks
        shot.accepted_breaks = [*shot.accepted_breaks, self.key]

    def undo(self, project: Project) -> None:
        project.shot(self.shot_id).accepted_breaks = self._old


@dataclass
class UnacceptFinding:
    """Reports an accepted continuity break again."""

    shot_id: str
    key: str
    label: str = "Report continuity break again"
    _old: list[str] = field(default_factory=list, init=False, repr=False)

    def do(self, project: Project) -> None:
        shot = project.shot(self.shot_id)
        if self.key not in shot.accepted_breaks:
            raise EditError(f"shot {shot.number}: '{self.key}' is not an accepted break")
        self._old = shot.accepted_breaks
        shot.accepted_breaks = [k for k in shot.accepted_breaks if k != self.key]

    def undo(self, project: Project) -> None:
        project.shot(self.shot_id).accepted_breaks = self._old
