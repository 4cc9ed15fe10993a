"""The one interface the queue renders through. A runner owns where renders happen (this process,
a worker process, a farm); the queue owns what to render and when."""

from __future__ import annotations

from typing import Protocol

from pipeline.progress import CancelToken, ProgressCallback
from pipeline.queue.task import RenderTask, TaskResult


class Runner(Protocol):
    def start(self) -> None:
        """Gets ready to render (starts workers); running a task starts them too if needed."""
        ...

    def run(self, task: RenderTask, progress: ProgressCallback, cancel: CancelToken) -> TaskResult:
        """Renders one task, forwarding its progress, stopping soon after `cancel` is set.
        Never raises for a failed render or a lost worker: the result says what happened."""
        ...

    def close(self) -> None:
        """Stops workers and frees the backends they keep loaded."""
        ...
