"""The command protocol and the undo history that the CLI, scripts and the UI's QUndoStack share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from studio.project import Project


class Command(Protocol):
    label: str

    def do(self, project: Project) -> None: ...

    def undo(self, project: Project) -> None: ...


@dataclass
class MacroCommand:
    """Several commands applied and undone as one edit (an imported cut, a script re-import)."""

    label: str
    commands: list[Command]
    _applied: int = field(default=0, init=False, repr=False)

    def do(self, project: Project) -> None:
        self._applied = 0
        try:
            for command in self.commands:
                command.do(project)
                self._applied += 1
        except Exception:
            self.undo(project)  # all or nothing
            raise

    def undo(self, project: Project) -> None:
        for command in reversed(self.commands[: self._applied]):
            command.undo(project)
        self._applied = 0


class History:
    """Undo/redo for one open project. `changed` observers run after every do, undo and redo."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._clean_index: int | None = 0
        self.observers: list[Callable[[Command], None]] = []

    def execute(self, command: Command) -> None:
        command.do(self.project)  # raises before anything is recorded if the edit is refused
        self._done.append(command)
        if self._clean_index is not None and self._clean_index > len(self._done) - 1:
            self._clean_index = None  # the saved state can no longer be reached by redo
        self._undone.clear()
        self._notify(command)

    def undo(self) -> Command | None:
        if not self._done:
            return None
        command = self._done.pop()
        command.undo(self.project)
        self._undone.append(command)
        self._notify(command)
        return command

    def redo(self) -> Command | None:
        if not self._undone:
            return None
        command = self._undone.pop()
        command.do(self.project)
        self._done.append(command)
        self._notify(command)
        return command

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_label(self) -> str | None:
        return self._done[-1].label if self._done else None

    @property
    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None

    def mark_saved(self) -> None:
        self._clean_index = len(self._done)

    @property
    def is_modified(self) -> bool:
        return self._clean_index != len(self._done)

    def _notify(self, command: Command) -> None:
        for observer in list(self.observers):
            observer(command)
