"""Setting one field of one document object, with the value it replaces kept for undo."""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from studio.character import Character
from studio.errors import EditError
from studio.location import Location
from studio.project import Project, Sequence
from studio.shot import Shot

Target = Literal["project", "sequence", "shot", "character", "location"]

_CLASSES: dict[str, type] = {"project": Project, "sequence": Sequence, "shot": Shot, "character": Character, "location": Location}
# Fields with their own commands (they keep other objects consistent) or that are identities.
_NOT_SETTABLE = {"id", "takes", "active_take_id", "shots"}
_NOT_SETTABLE_ON = {"project": {"characters", "locations", "sequences"}}


def _resolve(project: Project, target: Target, target_id: str | None) -> Any:
    if target == "project":
        return project
    if target_id is None:
        raise EditError(f"a {target} edit needs the {target}'s id")
    return {"sequence": project.sequence, "shot": project.shot, "character": project.character, "location": project.location}[target](target_id)


def _check_value(target: Target, name: str, value: Any) -> Any:
    cls = _CLASSES[target]
    names = {f.name for f in dataclasses.fields(cls)}
    if name not in names or name in _NOT_SETTABLE or name in _NOT_SETTABLE_ON.get(target, set()):
        raise EditError(f"{target} field {name!r} cannot be set this way")
    hint = typing.get_type_hints(cls)[name]
    origin = typing.get_origin(hint)
    if origin is list:
        return list(value)  # our own copy, so later changes to the caller's list cannot bypass undo
    if origin is dict:
        return dict(value)
    if name == "duration" and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise EditError(f"a shot's duration is a whole number of frames of at least 1, got {value!r}")
    return value


@dataclass
class SetField:
    target: Target
    target_id: str | None
    name: str
    value: Any
    label: str = ""
    _old: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.value = _check_value(self.target, self.name, self.value)
        if not self.label:
            self.label = f"Set {self.target} {self.name.replace('_', ' ')}"

    def do(self, project: Project) -> None:
        obj = _resolve(project, self.target, self.target_id)
        self._old = getattr(obj, self.name)
        setattr(obj, self.name, self.value)

    def undo(self, project: Project) -> None:
        setattr(_resolve(project, self.target, self.target_id), self.name, self._old)
