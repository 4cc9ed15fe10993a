"""What a runner is given and what it gives back: plain picklable values, so the same task can
run in this process, in a worker process or on another machine."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pipeline.backends.base import ShotRenderRequest
from studio.take import Take


@dataclass(frozen=True)
class BackendSpec:
    """Which backend renders, and its model folder: registry state is per process, so a worker
    learns the folder from the task rather than from the parent's registry."""

    name: str
    model_dir: Path | None = None


@dataclass(frozen=True)
class RenderTask:
    request: ShotRenderRequest
    folder: Path  # the project folder, whose media store receives the take's files
    take_number: int
    backend: BackendSpec
    sign_takes: bool = True  # False where the user's signing certificate is not (a farm node): signed on return

    @property
    def label(self) -> str:
        return self.request.label


class TaskOutcome(StrEnum):
    RENDERED = "rendered"
    CANCELLED = "cancelled"
    FAILED = "failed"  # the render raised: the message says why
    WORKER_LOST = "worker lost"  # the process rendering it died; another may succeed


@dataclass(frozen=True)
class TaskResult:
    outcome: TaskOutcome
    take: Take | None = None  # RENDERED: the new take, its media already in the project's store
    warnings: tuple[str, ...] = ()
    message: str = ""  # FAILED, WORKER_LOST: for the user, naming the shot and the fix
    detail: str = ""  # a traceback for the log, when the error is not one users can fix
