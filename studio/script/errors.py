"""The error a script import reports: which file, where in it, and what to do about it."""

from __future__ import annotations

from studio.errors import StudioError


class ScriptImportError(StudioError):
    """A screenplay or shot list that cannot be imported; nothing in the project changes."""

    def __init__(self, path: object, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}: line {line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")
