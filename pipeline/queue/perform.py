"""Rendering one task with resident backends, turning every way it can end into a TaskResult.
The same code runs in the app's process (InlineRunner) and in a worker process."""

from __future__ import annotations

import traceback

from pipeline.progress import CancelToken, ProgressCallback, RenderCancelled
from pipeline.queue.resident import ResidentBackends
from pipeline.queue.task import RenderTask, TaskOutcome, TaskResult
from pipeline.render.shot_render import render_shot
from studio.errors import StudioError


def perform_task(task: RenderTask, backends: ResidentBackends, progress: ProgressCallback, cancel: CancelToken) -> TaskResult:
    try:
        renderer = backends.get(task.backend)
        rendered = render_shot(task.request, renderer, task.folder, task.take_number, progress, cancel, sign=task.sign_takes)
    except RenderCancelled:
        return TaskResult(TaskOutcome.CANCELLED)
    except StudioError as exc:
        return TaskResult(TaskOutcome.FAILED, message=str(exc))
    except Exception as exc:  # noqa: BLE001 - a broken render is a result; the queue goes on
        return TaskResult(TaskOutcome.FAILED, message=_internal_error(task, exc), detail=traceback.format_exc())
    return TaskResult(TaskOutcome.RENDERED, take=rendered.take, warnings=tuple(rendered.warnings))


def _internal_error(task: RenderTask, exc: Exception) -> str:
    backend = task.backend.name
    if isinstance(exc, MemoryError) or "out of memory" in str(exc).lower():
        # torch's OutOfMemoryError is a RuntimeError subclass; matching the text keeps torch unimported here
        return f"{task.label}: the {backend} backend ran out of memory; render at a smaller --size, close other GPU programs or use fewer steps"
    return f"{task.label}: internal error in the {backend} backend ({type(exc).__name__}: {exc}); the log has details"
