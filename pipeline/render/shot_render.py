"""Rendering one shot into a new take: picture from the backend, sound from the dialogue and cues,
both muxed into the take's master file, plus its last frame and a thumbnail, all stored by content."""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np

from pipeline.audio.shot_mix import render_shot_sound
from pipeline.backends.base import ShotRenderer, ShotRenderError, ShotRenderRequest
from pipeline.encode.codecs import TAKE_MASTER
from pipeline.encode.video_writer import VideoWriter, read_wav_s16_stereo
from pipeline.prefetch import prefetched
from pipeline.progress import CancelToken, ProgressCallback
from studio.ids import new_id
from studio.media_store import MediaStore
from studio.take import Take

THUMBNAIL_WIDTH = 320


@dataclass
class RenderedShot:
    take: Take
    warnings: list[str] = field(default_factory=list)


def take_settings(renderer: ShotRenderer, width: int, height: int) -> dict[str, str]:
    """The render settings that change a take's pixels; a take is re-used only if they match."""
    return {"backend": renderer.name, "backend_version": renderer.version, "size": f"{width}x{height}"}


def _png(rgb: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    assert ok
    return data.tobytes()


def _thumbnail_jpeg(rgb: np.ndarray) -> bytes:
    height = max(2, round(rgb.shape[0] * THUMBNAIL_WIDTH / rgb.shape[1]))
    small = cv2.resize(rgb, (THUMBNAIL_WIDTH, height), interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(small, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 88])
    assert ok
    return data.tobytes()


def render_shot(
    request: ShotRenderRequest,
    renderer: ShotRenderer,
    folder: Path,
    take_number: int,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> RenderedShot:
    store = MediaStore(folder)
    cache = folder / "cache"
    scratch = Path(tempfile.mkdtemp(prefix="render-", dir=_ensure(cache / "tmp")))
    timings: dict[str, float] = {}
    try:
        started = time.perf_counter()
        sound = render_shot_sound(request, scratch / "sound.wav", _ensure(cache / "voices"), cancel)
        timings["sound"] = round(time.perf_counter() - started, 3)

        started = time.perf_counter()
        last: np.ndarray | None = None
        middle: np.ndarray | None = None  # the storyboard thumbnail: the first frame of a move says least
        with VideoWriter(scratch / "take.mp4", request.width, request.height, request.frame_rate, TAKE_MASTER, with_audio=True) as writer:
            for frame in prefetched(iter(renderer.render_frames(request, progress, cancel))):
                if frame.shape != (request.height, request.width, 3) or frame.dtype != np.uint8:
                    raise ShotRenderError(
                        f"{request.label}: the {renderer.name} backend made a {frame.shape} {frame.dtype} frame, expected {(request.height, request.width, 3)} uint8"
                    )
                if writer.frames_written == request.frame_count // 2:
                    middle = frame
                writer.write(frame)
                last = frame
            if writer.frames_written != request.frame_count:
                raise ShotRenderError(f"{request.label}: the {renderer.name} backend made {writer.frames_written} frames, expected {request.frame_count}")
            writer.write_audio(read_wav_s16_stereo(scratch / "sound.wav"))
        timings["picture"] = round(time.perf_counter() - started, 3)
        assert last is not None and middle is not None
        cancel.raise_if_cancelled()

        take = Take(
            id=new_id(),
            number=take_number,
            input_hash=request.input_hash,
            backend=renderer.name,
            settings=take_settings(renderer, request.width, request.height),
            video=store.add_file(scratch / "take.mp4"),
            audio=store.add_file(scratch / "sound.wav"),
            last_frame=store.add_bytes(_png(last), ".png"),
            thumbnail=store.add_bytes(_thumbnail_jpeg(middle), ".jpg"),
            seed=request.seed,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            timings=timings,
        )
        return RenderedShot(take, list(sound.warnings))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
