"""Terminal progress for the one ProgressEvent type: a bar per job, replaced when the job changes."""

from __future__ import annotations

import sys

from tqdm import tqdm

from pipeline.progress import ProgressEvent


class TerminalProgress:
    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar: tqdm | None = None
        self._job: tuple[str, str] | None = None

    def __call__(self, event: ProgressEvent) -> None:
        if not self.enabled:
            return
        if self._job != (event.job, event.stage) or self._bar is None:
            self.close()
            self._bar = tqdm(total=event.total, desc=f"{event.job} {event.stage}", unit="frame", leave=False, dynamic_ncols=True)
            self._job = (event.job, event.stage)
        self._bar.total = event.total
        self._bar.n = event.done
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
            self._job = None
