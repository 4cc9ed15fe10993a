"""A CancelToken whose flag lives in shared memory, so the app can cancel a render running in
another process; backends check it every denoising step, as they check any CancelToken."""

from __future__ import annotations

from multiprocessing.synchronize import Event

from pipeline.progress import CancelToken, RenderCancelled


class SharedCancelToken(CancelToken):
    def __init__(self, event: Event) -> None:
        super().__init__()
        self._shared = event

    def cancel(self) -> None:
        self._shared.set()

    @property
    def cancelled(self) -> bool:
        return self._shared.is_set()

    def raise_if_cancelled(self) -> None:
        if self._shared.is_set():
            raise RenderCancelled()
