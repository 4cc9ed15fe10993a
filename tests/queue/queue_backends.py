"""Test doubles for the render queue, importable in a spawned worker as "queue_backends:flat_backend"
(tests/queue is on the sys.path the worker inherits).

The flat backend draws frames of one grey, fast. Its shot description steers it: "hold" keeps the
shot going (checking the cancel token, reporting progress) until a "release" file appears, so a
test can kill or cancel its worker at a known point; "fail" raises a user-facing error. Every
creation and every render is logged with the process id to files in the control folder.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from pipeline.backends.base import ShotRenderError, ShotRenderRequest
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent

FLAT = "queue-test-flat"
CONTROL_VARIABLE = "STORYBOARD_QUEUE_TEST_CONTROL"
HOLD_STAGE = "hold"
FACTORIES = {FLAT: "queue_backends:flat_backend"}


def _log(control: Path, name: str, line: str) -> None:
    with open(control / name, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def log_lines(control: Path, name: str) -> list[list[str]]:
    path = control / name
    return [line.split() for line in path.read_text().splitlines()] if path.exists() else []


class FlatBackend:
    name = FLAT
    version = "1"

    def __init__(self, control: Path) -> None:
        self.control = control

    def render_frames(self, request: ShotRenderRequest, progress: ProgressCallback, cancel: CancelToken) -> Iterator[np.ndarray]:
        if "fail" in request.shot.description:
            raise ShotRenderError(f"{request.label}: told to fail; remove 'fail' from its description")
        return self._frames(request, progress, cancel)

    def _frames(self, request: ShotRenderRequest, progress: ProgressCallback, cancel: CancelToken) -> Iterator[np.ndarray]:
        previous = request.previous_last_frame.name if request.previous_last_frame else "-"
        _log(self.control, "renders.log", f"{request.shot.number} {os.getpid()} {request.seed} {previous}")
        if "hold" in request.shot.description:
            while not (self.control / "release").exists():
                cancel.raise_if_cancelled()
                progress(ProgressEvent(request.label, HOLD_STAGE, 0, 1, str(os.getpid())))
                time.sleep(0.02)
        grey = (request.seed * 37 + int(request.shot.number) * 11) % 200 + 30
        for index in range(request.frame_count):
            cancel.raise_if_cancelled()
            progress(ProgressEvent(request.label, "picture", index + 1, request.frame_count))
            yield np.full((request.height, request.width, 3), grey, np.uint8)


def flat_backend() -> FlatBackend:
    control = Path(os.environ[CONTROL_VARIABLE])
    _log(control, "created.log", str(os.getpid()))
    return FlatBackend(control)
