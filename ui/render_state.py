"""What the timeline shows about renders in flight: per-shot progress and the last failures.

Filled by the render queue on the GUI thread; read by the timeline's badges and the inspector.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class RenderState(QObject):
    shot_changed = Signal(str)  # shot id whose render state changed
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.progress: dict[str, float] = {}  # shot id -> 0..1 while it renders
        self.failures: dict[str, str] = {}  # shot id -> message of its last failed render
        self.busy = False

    def set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    def set_progress(self, shot_id: str, fraction: float | None) -> None:
        if fraction is None:
            if self.progress.pop(shot_id, None) is None:
                return
        else:
            self.progress[shot_id] = max(0.0, min(1.0, fraction))
            self.failures.pop(shot_id, None)
        self.shot_changed.emit(shot_id)

    def set_failed(self, shot_id: str, message: str | None) -> None:
        self.progress.pop(shot_id, None)
        if message is None:
            self.failures.pop(shot_id, None)
        else:
            self.failures[shot_id] = message
        self.shot_changed.emit(shot_id)

    def clear(self) -> None:
        ids = set(self.progress) | set(self.failures)
        self.progress.clear()
        self.failures.clear()
        for shot_id in ids:
            self.shot_changed.emit(shot_id)
