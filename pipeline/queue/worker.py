"""The render worker process's side: receives tasks over a pipe, renders them with backends kept
loaded between tasks, sends back progress and results.

This module is what a spawned worker imports first, so it imports nothing heavy: torch and the
model libraries load inside the backends, on the first task that needs them.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Mapping
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event

from pipeline.progress import ProgressEvent
from pipeline.queue.perform import perform_task
from pipeline.queue.resident import ResidentBackends
from pipeline.queue.shared_cancel import SharedCancelToken

PROGRESS = "progress"
RESULT = "result"


def worker_main(conn: Connection, cancel_event: Event, factories: Mapping[str, str]) -> None:
    # Ctrl-C in a terminal reaches the whole process group; the app decides what it means and
    # tells the worker through the cancel event, so a first Ctrl-C ends the shot cleanly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    backends = ResidentBackends(factories)
    cancel = SharedCancelToken(cancel_event)
    sending = threading.Lock()  # progress comes from the frame thread, results from this one

    def send(kind: str, payload: object) -> None:
        with sending:
            conn.send((kind, payload))

    def progress(event: ProgressEvent) -> None:
        send(PROGRESS, event)

    while True:
        try:
            task = conn.recv()
        except EOFError:  # the app has gone
            return
        if task is None:
            return
        send(RESULT, perform_task(task, backends, progress, cancel))
