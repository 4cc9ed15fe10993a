"""Rendering in a worker process that keeps its backends loaded between shots, so a crash in a
backend (a segfault in a driver, the kernel killing it for memory) costs one shot, never the app.

The worker is started with the spawn method: a fork of an app that holds a GPU context, Qt or
threads is not safe. A dead worker is noticed by its pipe closing; the next task starts a fresh one.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event

from pipeline.progress import CancelToken, ProgressCallback
from pipeline.queue.task import RenderTask, TaskOutcome, TaskResult
from pipeline.queue.worker import PROGRESS, worker_main

POLL_S = 0.1
STOP_WAIT_S = 5.0


class WorkerProcessRunner:
    def __init__(self, factories: Mapping[str, str] | None = None, cancel_grace_s: float = 30.0) -> None:
        """factories: backend name -> "module:function" importable in the worker, for backends
        outside the registry. cancel_grace_s: how long a cancelled render may take to stop (a
        model still loading cannot) before its worker is stopped by force."""
        self._factories = dict(factories or {})
        self.cancel_grace_s = cancel_grace_s
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._cancel: Event | None = None

    @property
    def pid(self) -> int | None:
        """The worker's process id while one is running."""
        return self._process.pid if self._process is not None and self._process.is_alive() else None

    def start(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self._discard()
        parent_end, child_end = self._context.Pipe()
        self._cancel = self._context.Event()
        # daemon: a worker never outlives the app, even one that exits without closing the runner
        self._process = self._context.Process(target=worker_main, args=(child_end, self._cancel, self._factories), name="studio-render-worker", daemon=True)
        with _sigint_ignored():
            self._process.start()
        child_end.close()  # only the worker holds it now, so its death closes the pipe for us
        self._conn = parent_end

    def run(self, task: RenderTask, progress: ProgressCallback, cancel: CancelToken) -> TaskResult:
        self.start()
        assert self._conn is not None and self._cancel is not None
        self._cancel.clear()
        try:
            self._conn.send(task)
        except OSError:
            return self._lost(task)
        cancelled_at: float | None = None
        while True:
            if cancel.cancelled and cancelled_at is None:
                self._cancel.set()
                cancelled_at = time.monotonic()
            if cancelled_at is not None and time.monotonic() - cancelled_at > self.cancel_grace_s:
                self._discard()
                return TaskResult(TaskOutcome.CANCELLED)
            try:
                if not self._conn.poll(POLL_S):
                    if self._process is not None and self._process.is_alive():
                        continue
                    return self._lost(task)
                kind, payload = self._conn.recv()
            except (EOFError, OSError):
                return self._lost(task)
            if kind == PROGRESS:
                progress(payload)
            else:
                return payload

    def close(self) -> None:
        if self._process is None:
            return
        assert self._conn is not None and self._cancel is not None
        self._cancel.set()  # a render still going (a second Ctrl-C) stops at its next step
        try:
            self._conn.send(None)
        except OSError:
            pass
        self._process.join(STOP_WAIT_S)
        self._discard()

    def _lost(self, task: RenderTask) -> TaskResult:
        assert self._process is not None
        self._process.join(STOP_WAIT_S)  # the pipe closes a moment before the exit status is known
        message = worker_lost_message(self._process.exitcode, task.label)
        self._discard()
        return TaskResult(TaskOutcome.WORKER_LOST, message=message)

    def _discard(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
                self._process.join(STOP_WAIT_S)
            if self._process.exitcode is not None:  # a process that would not die is left to the OS
                self._process.close()
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = self._cancel = None


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """A process started while SIGINT is ignored starts ignoring it: Python installs its Ctrl-C
    handler only where SIGINT was not ignored. So a Ctrl-C to the terminal's process group while
    the worker is still importing cannot kill it; only the app's cancel event stops its work."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change signal handlers; the worker ignores SIGINT itself once running
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def worker_lost_message(exitcode: int | None, label: str) -> str:
    if exitcode is None:
        how, fix = "stopped answering", "render again; if it keeps happening, the log may say why"
    elif exitcode < 0:
        number = -exitcode
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = "an unknown signal"
        how = f"killed by signal {number}, {name}"
        if number == signal.SIGKILL:
            fix = "the system may have run out of memory: render at a smaller --size or with fewer steps, or close other programs, then render again"
        elif number in (signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT, signal.SIGILL):
            fix = "a crash in native code (GPU driver, PyTorch or a codec): update the GPU driver or try another backend, then render again"
        else:
            fix = "render again"
    else:
        how, fix = f"exited with code {exitcode}", "render again; if it keeps happening, the log may say why"
    return f"the render worker stopped unexpectedly ({how}) while rendering {label}; {fix}"
