"""Shared by the watermark tests: a fake generation backend, a shot request, and reading a take's frames back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import av
import numpy as np

from pipeline.backends.base import ShotRenderRequest
from pipeline.progress import CancelToken, ProgressCallback
from studio.frame_rate import FrameRate
from studio.media_store import MediaStore
from studio.project import StylePreset
from studio.shot import Shot
from studio.take import Take

FLAT = (90, 120, 150)


def flat_frame(request: ShotRenderRequest) -> np.ndarray:
    frame = np.empty((request.height, request.width, 3), np.uint8)
    frame[:] = FLAT
    return frame


class FakeGenerator:
    """A GenerationRenderer that runs no model: every frame is `make_frame(request)`."""

    name = "fake-generator"
    version = "1"

    def __init__(self, make_frame: Callable[[ShotRenderRequest], np.ndarray] = flat_frame) -> None:
        self.make_frame = make_frame

    def render_frames(self, request: ShotRenderRequest, progress: ProgressCallback, cancel: CancelToken) -> Iterator[np.ndarray]:
        for _ in range(request.frame_count):
            cancel.raise_if_cancelled()
            yield self.make_frame(request)

    def render_settings(self) -> dict[str, str]:
        return {"model": "fake"}

    def take_provenance(self, request: ShotRenderRequest) -> dict[str, str]:
        return {"model_id": "fake/model", "seed": str(request.seed)}

    def take_notes(self, request: ShotRenderRequest) -> list[str]:
        return []


def shot_request(width: int = 320, height: int = 180, duration: int = 6) -> ShotRenderRequest:
    return ShotRenderRequest(
        shot=Shot(id="shot-1", number="1", duration=duration),
        width=width,
        height=height,
        frame_rate=FrameRate(24),
        style=StylePreset.CLEAN,
        characters=(),
        location=None,
        world=None,
        panel_path=None,
        previous_last_frame=None,
        sound_media={},
        seed=7,
        input_hash="watermark-test",
    )


def video_frames(folder: Path, take: Take) -> list[np.ndarray]:
    assert take.video
    with av.open(str(MediaStore(folder).resolve(take.video))) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
