"""What the loader refuses in a shot's ledger: entries that contradict each other or cannot mean
anything. Each message names the shot and says what to fix.

Only facts local to one shot are checked here, so no other edit (removing a character, a shot, a
location; changing a location's world) can turn a valid project into one that cannot be saved.
References cannot dangle by construction: a change's subject is the cast member, the location or
the sequence it is stored with (see the package docstring). Continuity *breaks* between shots are
the checker's business, not the loader's.
"""

from __future__ import annotations

from collections.abc import Iterable

from studio.continuity.changes import ASPECT_NAMES, SET_ASPECTS, Aspect, ChangeOp, ContinuityChange, SubjectKind
from studio.location import TimeOfDay
from studio.project import Project
from studio.shot import Shot

_TIME_NAMES = [t.value for t in TimeOfDay if t is not TimeOfDay.CONTINUOUS]


def change_problem(change: ContinuityChange, expected: set[SubjectKind], who: str) -> str | None:
    """What is wrong with one change logged for `who`, or None."""
    name = ASPECT_NAMES[change.aspect]
    if change.subject_kind not in expected:
        where = "on the shot" if change.subject_kind is not SubjectKind.CHARACTER else "on a character in the shot"
        return f"{who}: '{name}' is about a {change.subject_kind.value}; log it {where}"
    if change.aspect in SET_ASPECTS and change.op is ChangeOp.SET:
        return f"{who}: '{name}' is a set of things; add or remove one at a time instead of setting '{change.value}'"
    if change.aspect not in SET_ASPECTS and change.op is not ChangeOp.SET:
        return f"{who}: '{name}' holds one value; set it instead of using {change.op.value} '{change.value}'"
    if not change.value.strip():
        return f"{who}: an empty {name}; give it a value or remove the entry"
    if change.aspect is Aspect.TIME_OF_DAY and change.value not in _TIME_NAMES:
        return f"{who}: unknown time of day '{change.value}'; use one of {', '.join(_TIME_NAMES)}"
    return None


def contradiction(changes: Iterable[ContinuityChange], who: str) -> str | None:
    """Two entries of one shot that cannot both hold (two wardrobes, a prop both picked up and put down)."""
    values: dict[Aspect, str] = {}
    items: dict[tuple[Aspect, str], ChangeOp] = {}
    for change in changes:
        name = ASPECT_NAMES[change.aspect]
        if change.op is ChangeOp.SET:
            if change.aspect in values:
                return f"{who} has two {name} entries in one shot ('{values[change.aspect]}' and '{change.value}'); keep one"
            values[change.aspect] = change.value
            continue
        key = (change.aspect, change.value)
        if key in items:
            if items[key] is change.op:
                return f"{who} lists {name} {change.op.value} '{change.value}' twice in one shot; keep one"
            return f"{who} both adds and removes '{change.value}' ({name}) in one shot; keep one"
        items[key] = change.op
    return None


def shot_ledger_problem(project: Project, shot: Shot) -> str | None:
    where = f"shot {shot.number}"
    names = {c.id: c.name for c in project.characters}
    by_character: dict[str, list[ContinuityChange]] = {}
    for cast in shot.characters:
        who = f"{where}: {names.get(cast.character_id, cast.character_id)}"
        for change in cast.changes:
            problem = change_problem(change, {SubjectKind.CHARACTER}, who)
            if problem:
                return problem
        by_character.setdefault(cast.character_id, []).extend(cast.changes)
    for character_id, changes in by_character.items():
        problem = contradiction(changes, f"{where}: {names.get(character_id, character_id)}")
        if problem:
            return problem
    for change in shot.continuity_changes:
        problem = change_problem(change, {SubjectKind.LOCATION, SubjectKind.SEQUENCE}, where)
        if problem:
            return problem
    return contradiction(shot.continuity_changes, f"{where}: the ledger")


def ledger_problem(project: Project) -> str | None:
    """The first impossible ledger entry in the project, or None (used by the loader and by save)."""
    for shot in project.shots():
        if shot.continuity_changes or any(c.changes for c in shot.characters):
            problem = shot_ledger_problem(project, shot)
            if problem:
                return problem
    return None
