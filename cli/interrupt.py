"""Ctrl-C in the terminal: the first press cancels the running job cleanly, a second quits at once."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from pipeline.progress import CancelToken


@contextmanager
def cancel_on_ctrl_c(cancel: CancelToken, what: str) -> Iterator[None]:
    def on_interrupt(signum: int, frame: object) -> None:
        if cancel.cancelled:
            raise KeyboardInterrupt
        cancel.cancel()
        print(f"\nstudio: stopping {what} (Ctrl-C again to quit at once)", file=sys.stderr)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
