"""Renders in a worker thread so the window never freezes; the document is only touched on the
GUI thread.

The worker renders from a private copy of the project. Each edit the engine wants (a new take, a
chosen take, a lengthened shot, a new seed) is sent to the GUI thread, which applies it through the
undo stack while the worker waits on a threading.Event; the worker then applies a copy of the same
edit to its own copy, so a chained shot sees the take its predecessor just got. Progress and job
states cross threads as queued signals carrying pipeline values.

A draft-only render runs the draft backend on this thread (pipeline.render.batch). A render with a
model backend goes through the render queue (pipeline.queue) and its runner, a worker process that
keeps the models loaded between renders, so a crash in a backend fails one job, never the app.
"""

from __future__ import annotations

import copy
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from pipeline.progress import CancelToken, ProgressCallback, RenderCancelled
from pipeline.queue import Job, QueueSettings, RenderQueue, Runner
from pipeline.render.batch import BatchOptions, BatchReport, render_batch
from studio.commands import Command
from studio.errors import StudioError
from studio.project import Project

log = logging.getLogger(__name__)
WAIT_STEP_S = 0.1


def sequence_output(folder: Path, title: str) -> Path:
    safe = re.sub(r"[^\w.-]+", "_", title).strip("_") or "animatic"
    return folder / "renders" / f"{safe}.mp4"


@dataclass
class Handoff:
    """One request from the worker to the GUI thread, answered through `done`."""

    payload: Any
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None


@dataclass(frozen=True)
class QueuedRender:
    """A render through the render queue: its jobs (new from plan_jobs, or those of a finished
    queue whose failed jobs are to run again) and the runner that renders them."""

    settings: QueueSettings
    jobs: list[Job]
    runner: Runner
    retry_failed: bool


class RenderWorker(QObject):
    progress = Signal(object)  # ProgressEvent
    job_changed = Signal(object)  # a copy of a queue Job, after each change of its state
    apply_requested = Signal(object)  # Handoff(payload=Command); result: True if applied
    snapshot_requested = Signal(object)  # Handoff(payload=None); result: a deep copy of the project
    checkpoint_requested = Signal(object)  # Handoff(payload=None): keep the takes so far safe (autosave)
    batch_done = Signal(object)  # BatchReport
    assembled = Signal(object)  # Path of the sequence file
    failed = Signal(str)  # a message for the user
    finished = Signal(bool)  # cancelled?

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel_token = CancelToken()
        self.thread: threading.Thread | None = None
        self.abandoned = False  # the GUI is going away: stop waiting for it

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def start(self, snapshot: Project, folder: Path, render: BatchOptions | QueuedRender, assemble: bool) -> None:
        """render: BatchOptions for the draft backend on this thread, or the render queue's jobs."""
        self.cancel_token = CancelToken()
        self.thread = threading.Thread(target=self._run, args=(snapshot, folder, render, assemble), name="render", daemon=True)
        self.thread.start()

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def abandon(self) -> None:
        self.abandoned = True
        self.cancel_token.cancel()

    # --- worker thread ----------------------------------------------------------------------------
    def _ask_gui(self, signal: Signal, payload: Any) -> Any:
        handoff = Handoff(payload)
        signal.emit(handoff)
        while not handoff.done.wait(WAIT_STEP_S):
            if self.abandoned:
                raise RenderCancelled()
        return handoff.result

    def _run(self, snapshot: Project, folder: Path, render: BatchOptions | QueuedRender, assemble: bool) -> None:
        cancelled = False
        try:

            def apply(command: Command) -> None:
                mirror = copy.deepcopy(command)
                if self._ask_gui(self.apply_requested, command):
                    try:
                        mirror.do(snapshot)
                    except StudioError as exc:  # the user changed the shot meanwhile: the GUI copy rules
                        log.info("render copy diverged: %s", exc)

            if isinstance(render, QueuedRender):
                report = self._run_queue(snapshot, folder, render, apply, self.progress.emit)
                size = render.settings.size
            else:
                report = render_batch(snapshot, folder, render, apply, self.progress.emit, self.cancel_token)
                size = render.size
            self.batch_done.emit(report)
            cancelled = report.cancelled
            if assemble and not cancelled:
                self._assemble(folder, size, report)
        except RenderCancelled:
            cancelled = True
        except StudioError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - a render bug must never take the app down
            log.exception("render failed")
            self.failed.emit(f"Render stopped by an internal error ({exc}); finished takes are kept")
        finally:
            self.finished.emit(cancelled)

    def _run_queue(self, snapshot: Project, folder: Path, queued: QueuedRender, apply: Callable[[Command], None], progress: ProgressCallback) -> BatchReport:
        queue = RenderQueue(snapshot, folder, queued.settings, queued.jobs, apply, queued.runner, lambda: self._ask_gui(self.checkpoint_requested, None))
        if queued.retry_failed:
            queue.retry_failed()
        queue.observers.append(lambda job: self.job_changed.emit(copy.copy(job)))
        for job in queue.jobs:  # the states the queue starts from: waiting, queued, or finished before a retry
            self.job_changed.emit(copy.copy(job))
        queued.runner.start()  # the worker process imports while the first shot is prepared
        return queue.run(progress, self.cancel_token)

    def _assemble(self, folder: Path, size: tuple[int, int] | None, report: BatchReport) -> None:
        from pipeline.assemble.overlays import OverlaySettings
        from pipeline.assemble.sequence import assemble_sequence
        from pipeline.encode.codecs import DELIVERY_H264

        project: Project = self._ask_gui(self.snapshot_requested, None)
        out = sequence_output(folder, project.title)
        out.parent.mkdir(parents=True, exist_ok=True)
        result = assemble_sequence(project, folder, out, DELIVERY_H264, OverlaySettings(), self.progress.emit, self.cancel_token, size, report.failures)
        self.assembled.emit(result.path)
