"""Rendering one shot into a new take: picture from the backend, sound from the dialogue and cues,
both muxed into the take's master file, plus its last frame and a thumbnail, all stored by content."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np

from pipeline.audio.pcm import read_wav_s16_stereo
from pipeline.audio.shot_mix import render_shot_sound
from pipeline.backends.base import GenerationRenderer, ShotRenderer, ShotRenderError, ShotRenderRequest
from pipeline.encode.codecs import TAKE_MASTER
from pipeline.encode.video_writer import VideoWriter
from pipeline.prefetch import prefetched
from pipeline.progress import CancelToken, ProgressCallback, no_progress
from pipeline.provenance.take_signing import CREDENTIALS_KEY, SIGNING_PENDING, UnsignedWarnings, sign_take_master
from pipeline.render.cpu_share import render_cpus
from pipeline.watermark.take_marker import TakeMarker
from pipeline.watermark.visible import WatermarkSettings
from studio.ids import new_id
from studio.media_store import MediaStore
from studio.take import Take

THUMBNAIL_WIDTH = 320
UNSIGNED_WARNINGS = UnsignedWarnings()  # "unsigned: ..." once per renderer, not per shot


@dataclass
class RenderedShot:
    take: Take
    warnings: list[str] = field(default_factory=list)


def take_settings(renderer: ShotRenderer, width: int, height: int) -> dict[str, str]:
    """The render settings that change a take's pixels; a take is re-used only if they match."""
    settings = {"backend": renderer.name, "backend_version": renderer.version, "size": f"{width}x{height}"}
    if isinstance(renderer, GenerationRenderer):
        settings.update(renderer.render_settings())
    return settings


def take_provenance(renderer: ShotRenderer, request: ShotRenderRequest) -> dict[str, str]:
    return renderer.take_provenance(request) if isinstance(renderer, GenerationRenderer) else {}


def take_notes(renderer: ShotRenderer, request: ShotRenderRequest) -> list[str]:
    return renderer.take_notes(request) if isinstance(renderer, GenerationRenderer) else []


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


class TakeRecorder:
    """Records one shot's frames into a new take: the master file (encoded on a background thread,
    so the caller's next frames are made meanwhile), the shot's sound, last frame and thumbnail.
    Nothing reaches the media store until `finish`; `abort` leaves no trace."""

    def __init__(
        self,
        request: ShotRenderRequest,
        renderer: ShotRenderer,
        folder: Path,
        take_number: int,
        cancel: CancelToken,
        progress: ProgressCallback = no_progress,
        watermark: WatermarkSettings | None = None,  # None: the defaults and STORYBOARD_WATERMARK_* overrides
        sign: bool = True,  # False on a farm node: the app signs the master with the user's certificate when it comes back
    ) -> None:
        self.request, self.renderer, self.folder, self.take_number = request, renderer, folder, take_number
        self._sign = sign
        self.take_id = new_id()
        self._marker = TakeMarker(self.take_id, isinstance(renderer, GenerationRenderer), request.width, request.height, watermark)
        cache = folder / "cache"
        self._scratch = Path(tempfile.mkdtemp(prefix="render-", dir=_ensure(cache / "tmp")))
        self.timings: dict[str, float] = {}
        self._started = time.perf_counter()
        try:
            self._sound = render_shot_sound(request, self._scratch / "sound.wav", _ensure(cache / "voices"), cancel, progress=progress)
            self.timings["sound"] = round(time.perf_counter() - self._started, 3)
            self._writer = VideoWriter(
                self._scratch / f"take{TAKE_MASTER.container_suffix}", request.width, request.height, request.frame_rate, TAKE_MASTER, with_audio=True
            )
        except BaseException:
            shutil.rmtree(self._scratch, ignore_errors=True)
            raise
        self._frames = 0
        self._last: np.ndarray | None = None
        self._middle: np.ndarray | None = None  # the storyboard thumbnail: the first frame of a move says least
        self._pending: list[Future[None]] = []
        self.overlaps = render_cpus() > 1  # encoding beside the making of the next frames, with a CPU to spare
        self._encoder: ThreadPoolExecutor | _SameThread = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="take-encoder") if self.overlaps else _SameThread()
        )

    def add(self, frame: np.ndarray) -> None:
        request = self.request
        if frame.shape != (request.height, request.width, 3) or frame.dtype != np.uint8:
            raise ShotRenderError(
                f"{request.label}: the {self.renderer.name} backend made a {frame.shape} {frame.dtype} frame, expected {(request.height, request.width, 3)} uint8"
            )
        marked = self._marker.mark(frame)  # the master and thumbnail carry the watermark
        if self._frames == request.frame_count // 2:
            self._middle = marked
        self._last = frame  # unmarked: the next chained shot is conditioned on it, and a model would copy the mark
        self._frames += 1
        self._pending.append(self._encoder.submit(self._writer.write, marked))
        if len(self._pending) > 8:  # bounded: frames are megabytes each
            self._pending.pop(0).result()

    def finish(self) -> RenderedShot:
        request, store = self.request, MediaStore(self.folder)
        try:
            for future in self._pending:
                future.result()
            if self._frames != request.frame_count:
                raise ShotRenderError(f"{request.label}: the {self.renderer.name} backend made {self._frames} frames, expected {request.frame_count}")
            assert self._last is not None and self._middle is not None
            self._writer.write_audio(read_wav_s16_stereo(self._scratch / "sound.wav"))
            self._writer.finish()
            self.timings["picture"] = round(time.perf_counter() - self._started - self.timings["sound"], 3)
            provenance = take_provenance(self.renderer, request)
            notes = take_notes(self.renderer, request)
            if notes:
                provenance["notes"] = " | ".join(notes)
            provenance.update(self._marker.provenance())
            master = self._scratch / f"take{TAKE_MASTER.container_suffix}"
            created = datetime.now(UTC).isoformat(timespec="seconds")
            signing_warnings = self._sign_master(master, provenance, created)
            take = Take(
                id=self.take_id,
                number=self.take_number,
                input_hash=request.input_hash,
                backend=self.renderer.name,
                settings=take_settings(self.renderer, request.width, request.height),
                video=store.add_file(master),
                audio=store.add_file(self._scratch / "sound.wav"),
                stems={name: store.add_file(path) for name, path in self._sound.stems.items()},
                lip_sync=store.add_bytes(json.dumps(self._sound.lip_sync, ensure_ascii=False).encode(), ".json") if self._sound.lip_sync else None,
                last_frame=store.add_bytes(_png(self._last), ".png"),
                thumbnail=store.add_bytes(_thumbnail_jpeg(self._middle), ".jpg"),
                seed=request.seed,
                model_id=provenance.get("model_id"),
                provenance=provenance,
                created=created,
                timings=self.timings,
            )
            return RenderedShot(take, [*self._sound.warnings, *notes, *signing_warnings])
        except BaseException:
            self.abort()
            raise
        finally:
            self._cleanup()

    def _sign_master(self, master: Path, provenance: dict[str, str], created: str) -> list[str]:
        """Signs a generated take's master (content credentials) before it is stored by content, and
        records the outcome in `provenance`; draft takes are not signed. Returns the render warnings."""
        if not isinstance(self.renderer, GenerationRenderer):
            return []
        if not self._sign:
            provenance[CREDENTIALS_KEY] = SIGNING_PENDING
            return []
        request = self.request
        name = f"{request.shot.number}_T{self.take_number}"
        record = Take(
            id=self.take_id,
            number=self.take_number,
            input_hash=request.input_hash,
            backend=self.renderer.name,
            seed=request.seed,
            model_id=provenance.get("model_id"),
            provenance=dict(provenance),
            created=created,
        )
        signing = sign_take_master(master, record, name, {c.id: c.name for c in request.characters})
        provenance[CREDENTIALS_KEY] = signing.state
        return UNSIGNED_WARNINGS.warnings(self.renderer, name, signing)

    def abort(self) -> None:
        for future in self._pending:
            future.cancel()
        self._encoder.shutdown(wait=True)
        self._writer.abort()
        self._cleanup()

    def _cleanup(self) -> None:
        self._encoder.shutdown(wait=True)
        shutil.rmtree(self._scratch, ignore_errors=True)


def render_shot(
    request: ShotRenderRequest,
    renderer: ShotRenderer,
    folder: Path,
    take_number: int,
    progress: ProgressCallback,
    cancel: CancelToken,
    watermark: WatermarkSettings | None = None,
    sign: bool = True,
) -> RenderedShot:
    recorder = TakeRecorder(request, renderer, folder, take_number, cancel, progress, watermark, sign)
    try:
        frames = iter(renderer.render_frames(request, progress, cancel))
        for frame in prefetched(frames) if recorder.overlaps else frames:
            recorder.add(frame)
    except BaseException:
        recorder.abort()
        raise
    cancel.raise_if_cancelled()
    return recorder.finish()


class _SameThread:
    """Encodes each frame as it is added: the recorder's encoder when the render has one CPU. An
    error comes out of the future, where the thread pool's would."""

    def submit(self, write: Callable[[np.ndarray], None], frame: np.ndarray) -> Future[None]:
        done: Future[None] = Future()
        try:
            write(frame)
        except Exception as error:  # noqa: BLE001 - handed over as the thread pool does
            done.set_exception(error)
        else:
            done.set_result(None)
        return done

    def shutdown(self, wait: bool = True) -> None:
        pass


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
