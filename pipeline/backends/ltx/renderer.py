"""LtxRenderer: shots as generated video from LTX-Video (diffusers' LTXPipeline).

The pipeline is loaded once, on the first shot, and stays resident: loading the weights costs far
more than generating a shot. torch and diffusers are imported inside the methods that use them,
so importing this module (and listing backends) stays light.

LTX-Video generates sizes in multiples of 32 pixels and 8k+1 frames. A shot is generated at the
nearest such size and at least its length, then resized and trimmed to exactly what the shot asks.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from pipeline.backends.base import ShotRenderError, ShotRenderRequest
from pipeline.backends.ltx.prompt import NEGATIVE_PROMPT, shot_prompt
from pipeline.models.registry import ModelNotFoundError, resolve_model_dir
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent, RenderCancelled

log = logging.getLogger(__name__)

STAGE = "denoise"
DEFAULT_MODEL = "ltx-video-2b"
SIZE_MULTIPLE = 32  # LTX-Video's VAE compresses 32x spatially
FRAME_MULTIPLE = 8  # ... and 8x in time, plus the first frame


def generation_size(width: int, height: int, multiple: int = SIZE_MULTIPLE) -> tuple[int, int]:
    """The nearest size LTX-Video can generate, never smaller than one block."""
    return max(multiple, round(width / multiple) * multiple), max(multiple, round(height / multiple) * multiple)


def generation_frames(frame_count: int, multiple: int = FRAME_MULTIPLE) -> int:
    """The fewest 8k+1 frames that cover the shot (extra frames are trimmed, never repeated)."""
    return multiple * math.ceil(max(0, frame_count - 1) / multiple) + 1


class LtxRenderer:
    name = "ltx"
    version = "1"

    def __init__(
        self,
        model_dir: Path | None = None,
        model: str = DEFAULT_MODEL,
        steps: int = 30,
        guidance_scale: float = 3.0,
        max_sequence_length: int = 256,
        device: str | None = None,
    ) -> None:
        """model_dir: a local diffusers folder; None looks `model` up in the Hugging Face cache.
        steps: denoising steps per shot (LTX-Video: ~30-50, the distilled checkpoints 4-10)."""
        self.model_dir, self.model = model_dir, model
        self.steps, self.guidance_scale, self.max_sequence_length = steps, guidance_scale, max_sequence_length
        self.device = device
        self.loads = 0  # how often the weights were loaded: once per renderer
        self._pipe: Any = None
        self._lock = threading.Lock()  # one pipeline, one shot at a time

    def render_frames(self, request: ShotRenderRequest, progress: ProgressCallback, cancel: CancelToken) -> Iterator[np.ndarray]:
        check_request(request)
        if self.steps < 1:
            raise ShotRenderError(f"{request.label}: the ltx backend needs at least one denoising step, got {self.steps}")
        return self._frames(request, progress, cancel)

    def pipeline(self) -> Any:
        """The resident LTXPipeline, loaded on first use."""
        if self._pipe is None:
            self._pipe = self._load()
            self.loads += 1
        return self._pipe

    def _load(self) -> Any:
        folder = resolve_model_dir(self.model, self.model_dir)
        try:
            import torch
            from diffusers import LTXPipeline
        except ImportError as exc:
            raise ModelNotFoundError(f"the ltx backend needs torch and diffusers ({exc}); install them into the app's environment") from None
        device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
        dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
        try:
            with _quiet_loading_bars():  # the front ends draw progress; stray bars garble the terminal's
                pipe = LTXPipeline.from_pretrained(folder, use_safetensors=True, dtype=dtype)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelNotFoundError(
                f"{folder}: cannot load an LTX-Video pipeline from this folder ({exc}); download it again or point --model-dir at another"
            ) from None
        pipe.to(device)
        pipe.set_progress_bar_config(disable=True)
        log.info("loaded LTX-Video from %s on %s", folder, device)
        return pipe

    def _frames(self, request: ShotRenderRequest, progress: ProgressCallback, cancel: CancelToken) -> Iterator[np.ndarray]:
        cancel.raise_if_cancelled()
        with self._lock:
            video = self._generate(request, progress, cancel)
        for frame in fit_frames(video, request.width, request.height, request.frame_count):
            cancel.raise_if_cancelled()
            yield frame

    def _generate(self, request: ShotRenderRequest, progress: ProgressCallback, cancel: CancelToken) -> np.ndarray:
        import torch

        if self._pipe is None:
            progress(ProgressEvent(job=request.label, stage="load", done=0, total=1, message=f"loading {self.model_dir or self.model} (once per session)"))
        pipe = self.pipeline()
        spatial = max(SIZE_MULTIPLE, int(getattr(pipe, "vae_spatial_compression_ratio", SIZE_MULTIPLE)))
        temporal = max(FRAME_MULTIPLE, int(getattr(pipe, "vae_temporal_compression_ratio", FRAME_MULTIPLE)))
        width, height = generation_size(request.width, request.height, spatial)
        frames = generation_frames(request.frame_count, temporal)
        message = f"generating {width}x{height}, {frames} frames"
        if (width, height, frames) != (request.width, request.height, request.frame_count):
            message += f" (LTX-Video needs multiples of {spatial} px and {temporal}k+1 frames); fitted to {request.width}x{request.height}, {request.frame_count} frames"
        progress(ProgressEvent(job=request.label, stage=STAGE, done=0, total=self.steps, message=message))

        def on_step_end(pipe: Any, step: int, timestep: Any, callback_kwargs: dict[str, Any]) -> dict[str, Any]:
            progress(ProgressEvent(job=request.label, stage=STAGE, done=step + 1, total=self.steps))
            if cancel.cancelled:
                pipe._interrupt = True  # noqa: SLF001 - diffusers' own stop flag, in case the raise is swallowed
                raise RenderCancelled()
            return callback_kwargs

        generator = torch.Generator(device="cpu").manual_seed(request.seed)
        with torch.inference_mode():
            result = pipe(
                prompt=shot_prompt(request),
                negative_prompt=NEGATIVE_PROMPT,
                width=width,
                height=height,
                num_frames=frames,
                frame_rate=max(1, round(request.fps)),
                num_inference_steps=self.steps,
                guidance_scale=self.guidance_scale,
                generator=generator,
                output_type="np",
                max_sequence_length=self.max_sequence_length,
                callback_on_step_end=on_step_end,
            )
        cancel.raise_if_cancelled()
        return np.asarray(result.frames[0])


@contextmanager
def _quiet_loading_bars() -> Iterator[None]:
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    states = [(module, module.is_progress_bar_enabled()) for module in (diffusers_logging, transformers_logging)]
    for module, _ in states:
        module.disable_progress_bar()
    try:
        yield
    finally:
        for module, enabled in states:
            if enabled:
                module.enable_progress_bar()


def fit_frames(video: np.ndarray, width: int, height: int, frame_count: int) -> Iterator[np.ndarray]:
    """Generated frames (F x H x W x 3 floats in 0..1) as exactly frame_count uint8 frames of the
    requested size: resized, trimmed, and padded by holding the last frame if ever short."""
    count = len(video)
    if count == 0:
        raise ShotRenderError("the ltx backend generated no frames; try again with another seed")
    for index in range(frame_count):
        frame = video[min(index, count - 1)]
        rgb = np.clip(np.rint(frame * 255.0), 0, 255).astype(np.uint8)
        if rgb.shape[:2] != (height, width):
            shrinking = rgb.shape[0] > height or rgb.shape[1] > width
            rgb = cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC)
        yield np.ascontiguousarray(rgb)


def check_request(request: ShotRenderRequest) -> None:
    if request.frame_count <= 0:
        raise ShotRenderError(f"{request.label} has no frames (duration {request.frame_count}); give it a duration of at least one frame")
    if request.width <= 0 or request.height <= 0:
        raise ShotRenderError(
            f"{request.label}: cannot render a {request.width}x{request.height} picture; set the project's format to a positive width and height"
        )
