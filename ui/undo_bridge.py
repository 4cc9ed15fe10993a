"""The one path from a UI action to the document: a studio command, wrapped for Qt's undo stack.

The studio `History` is the source of truth (the CLI and scripts use it too); the QUndoStack only
mirrors it so that Qt's Edit menu, shortcuts and QUndoView work. A command is executed through
`History.execute` *before* it is pushed, so an edit the document refuses raises a StudioError and
leaves both stacks untouched; the wrapper's first `redo()` (which QUndoStack.push calls) is then a
no-op, and later undo/redo calls go through the History.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack

from studio.commands import Command, History


class StudioUndoCommand(QUndoCommand):
    """A studio command on the QUndoStack; undo/redo delegate to the shared History."""

    def __init__(self, history: History, command: Command) -> None:
        super().__init__(command.label)
        self.history = history
        self.command = command
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:  # QUndoStack.push calls redo(); History.execute already did it
            self._pushed = True
            return
        done = self.history.redo()
        assert done is self.command, "the QUndoStack and the History fell out of step"

    def undo(self) -> None:
        undone = self.history.undo()
        assert undone is self.command, "the QUndoStack and the History fell out of step"


class UndoBridge:
    """Executes studio commands and records them on a QUndoStack that mirrors the History."""

    def __init__(self, history: History, stack: QUndoStack) -> None:
        self.history = history
        self.stack = stack

    def execute(self, command: Command) -> None:
        self.history.execute(command)  # raises (StudioError) before anything is recorded
        self.stack.push(StudioUndoCommand(self.history, command))

    def mark_saved(self) -> None:
        self.history.mark_saved()
        self.stack.setClean()

    @property
    def is_modified(self) -> bool:
        return self.history.is_modified
