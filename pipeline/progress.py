"""The one progress event type and the cancel token that every long operation uses."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class RenderCancelled(Exception):
    """Raised inside a long operation once its CancelToken is cancelled."""


@dataclass(frozen=True)
class ProgressEvent:
    job: str  # what is being worked on, e.g. "shot 12A" or "sequence"
    stage: str  # "picture", "sound", "encode", "assemble", "export" ...
    done: int
    total: int
    message: str = ""
    eta_s: float | None = None  # seconds left in this stage, where the work is regular enough to say
    preview: Any = None  # a small RGB uint8 picture of the work so far (generation: every few steps)

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


ProgressCallback = Callable[[ProgressEvent], None]


def no_progress(event: ProgressEvent) -> None:
    """A progress callback that ignores events, for callers that do not show progress."""


class CancelToken:
    """Shared between the caller, who cancels, and the worker, who checks between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise RenderCancelled()
