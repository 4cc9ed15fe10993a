"""Rendering in the caller's own process: for the draft backend and tests, where a crash in a
backend is not a risk worth a process."""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.progress import CancelToken, ProgressCallback
from pipeline.queue.perform import perform_task
from pipeline.queue.resident import ResidentBackends
from pipeline.queue.task import RenderTask, TaskResult


class InlineRunner:
    def __init__(self, factories: Mapping[str, str] | None = None) -> None:
        self._backends = ResidentBackends(factories or {})

    def start(self) -> None:
        pass

    def run(self, task: RenderTask, progress: ProgressCallback, cancel: CancelToken) -> TaskResult:
        return perform_task(task, self._backends, progress, cancel)

    def close(self) -> None:
        self._backends.clear()
