"""What every diffusers backend does the same way: load a pipeline safely and quietly, report
each denoising step and stop within one when cancelled, and turn generated frames into exactly
the shot's frames. torch and diffusers are imported inside the functions, never at module import.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from pipeline.backends.base import ShotRenderError, ShotRenderRequest
from pipeline.backends.capabilities import source_indices
from pipeline.models.registry import ModelNotFoundError, check_pipeline_family
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent, RenderCancelled

DENOISE_STAGE = "denoise"


@contextmanager
def quiet_loading_bars() -> Iterator[None]:
    """The front ends draw progress; the libraries' own bars would garble the terminal's."""
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


def load_pipeline(pipeline_class: str, folder: Path, backend: str, dtype: Any, **kwargs: Any) -> Any:
    """Loads a diffusers pipeline class by name from a local folder: safetensors only, no remote code."""
    try:
        import diffusers
    except ImportError as exc:
        raise ModelNotFoundError(f"the {backend} backend needs torch and diffusers ({exc}); install them into the app's environment") from None
    cls = getattr(diffusers, pipeline_class)
    if folder.is_file():
        return _load_single_file(cls, folder, backend, dtype, **kwargs)
    check_pipeline_family(folder, pipeline_class, backend)
    try:
        with quiet_loading_bars():
            pipe = cls.from_pretrained(folder, use_safetensors=True, dtype=dtype, **kwargs)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelNotFoundError(
            f"{folder}: cannot load a {pipeline_class} for the {backend} backend from this folder ({exc}); "
            f"check that it holds that model (download it again) or point --model-dir at another"
        ) from None
    pipe.set_progress_bar_config(disable=True)
    return pipe


def _load_single_file(cls: Any, checkpoint: Path, backend: str, dtype: Any, **kwargs: Any) -> Any:
    """A single-file checkpoint another tool downloaded. diffusers infers the architecture from the
    weights and needs the matching diffusers config, which it takes from the Hugging Face cache."""
    if not hasattr(cls, "from_single_file"):
        raise ModelNotFoundError(f"{checkpoint}: diffusers cannot load a {cls.__name__} from a single file; give the model's diffusers folder instead")
    try:
        with quiet_loading_bars():
            pipe = cls.from_single_file(str(checkpoint), torch_dtype=dtype, **kwargs)
    except Exception as exc:  # noqa: BLE001 - diffusers raises anything from a foreign file; all mean the same to the user
        raise ModelNotFoundError(
            f"{checkpoint}: cannot load it as a {cls.__name__} checkpoint for the {backend} backend ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
            "single files need their diffusers config once from the hub (connect once, or give the model's diffusers folder)"
        ) from None
    pipe.set_progress_bar_config(disable=True)
    return pipe


PREVIEW_EVERY = 5  # steps between preview pictures: each costs a small SVD, not a VAE decode


def step_reporter(label: str, steps: int, progress: ProgressCallback, cancel: CancelToken, latent_grid: tuple[int, int, int] | None = None) -> Any:
    """A callback_on_step_end that reports each step with the time left and, every few steps and at
    the last, a preview of the latents; it raises RenderCancelled within one step of a cancel.
    latent_grid: (frames, height, width) of packed latents (LTX keeps them as tokens)."""
    started = time.perf_counter()

    def on_step_end(pipe: Any, step: int, timestep: Any, callback_kwargs: dict[str, Any]) -> dict[str, Any]:
        done = step + 1
        eta = (time.perf_counter() - started) / done * max(0, steps - done)
        preview = None
        if done % PREVIEW_EVERY == 0 or done == steps:
            preview = latent_preview(callback_kwargs.get("latents"), latent_grid)
        progress(ProgressEvent(job=label, stage=DENOISE_STAGE, done=done, total=steps, eta_s=round(eta, 2), preview=preview))
        if cancel.cancelled:
            pipe._interrupt = True  # noqa: SLF001 - diffusers' own stop flag, in case the raise is swallowed
            raise RenderCancelled()
        return callback_kwargs

    return on_step_end


def latent_preview(latents: Any, latent_grid: tuple[int, int, int] | None = None) -> np.ndarray | None:
    """The middle frame of the latents as RGB: their first three principal components across the
    channels, stretched to 0..255. Model-agnostic and cheap; it shows layout and motion, not colour."""
    import torch

    if not isinstance(latents, torch.Tensor):
        return None
    with torch.no_grad():
        x = latents.detach()[0].float().cpu()
        if x.ndim == 2 and latent_grid is not None and x.shape[0] == latent_grid[0] * latent_grid[1] * latent_grid[2]:
            frames, height, width = latent_grid
            x = x.reshape(frames, height, width, -1).permute(3, 0, 1, 2)  # tokens -> channels, frames, height, width
        if x.ndim != 4 or x.shape[0] < 3:
            return None
        picture = x[:, x.shape[1] // 2]  # channels x height x width
        channels, height, width = picture.shape
        flat = picture.reshape(channels, -1)
        flat = flat - flat.mean(dim=1, keepdim=True)
        basis = torch.linalg.svd(flat, full_matrices=False).U[:, :3]
        rgb = (basis.T @ flat).reshape(3, height, width)
        low = rgb.flatten(1).quantile(0.02, dim=1)[:, None, None]
        high = rgb.flatten(1).quantile(0.98, dim=1)[:, None, None]
        rgb = ((rgb - low) / (high - low).clamp(min=1e-6)).clamp(0, 1)
        return (rgb.permute(1, 2, 0).numpy() * 255).astype(np.uint8)


def generator_for(seed: int) -> Any:
    """A CPU generator: the same seed gives the same noise on any device."""
    import torch

    return torch.Generator(device="cpu").manual_seed(seed)


def shot_frames(video: np.ndarray, generated_fps: float, width: int, height: int, frame_count: int, shot_fps: float, backend: str) -> Iterator[np.ndarray]:
    """Generated frames (F x H x W x 3 floats in 0..1, at generated_fps) as exactly frame_count
    uint8 frames of the shot's size at the shot's rate (see capabilities.source_indices)."""
    count = len(video)
    if count == 0:
        raise ShotRenderError(f"the {backend} backend generated no frames; try again with another seed")
    for index in source_indices(count, generated_fps, frame_count, shot_fps):
        rgb = np.clip(np.rint(video[index] * 255.0), 0, 255).astype(np.uint8)
        if rgb.shape[:2] != (height, width):
            shrinking = rgb.shape[0] > height or rgb.shape[1] > width
            rgb = cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC)
        yield np.ascontiguousarray(rgb)


def load_rgb(path: Path, label: str, what: str) -> np.ndarray:
    """An image file as RGB uint8, or a message naming the shot, the file and the fix."""
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise ShotRenderError(f"{label}: {what} {path.name} is not an image this app can read; replace it with a PNG or JPEG")
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def prompt_length_note(tokenizer: Any, prompt: str, max_tokens: int, label: str) -> str | None:
    """Says when a prompt is longer than the text encoder reads, and what is lost, so a user does not
    wonder why the end of a long description never shows up in the picture."""
    if tokenizer is None:
        return None
    ids = tokenizer(prompt, add_special_tokens=True, truncation=False)["input_ids"]
    if len(ids) <= max_tokens:
        return None
    kept = tokenizer.decode(ids[: max_tokens - 1], skip_special_tokens=True)
    dropped = prompt[len(kept) :].strip() if prompt.startswith(kept) else ""
    tail = f" (from “{dropped[:60]}…”)" if dropped else ""
    return f"{label}: the prompt is {len(ids)} tokens and the model reads {max_tokens}, so its end is dropped{tail}; shorten the description or the continuity notes"


class RenderNotes:
    """What a backend could not do as a shot asked (fitted sizes, a chain it cannot continue, a
    prompt cut short), kept per request until its take is recorded, so the notes reach the render's
    warnings and the take's provenance and not only a progress message that scrolls away."""

    def __init__(self) -> None:
        self._notes: dict[tuple[str, str], list[str]] = {}

    def record(self, request: ShotRenderRequest, notes: list[str]) -> None:
        self._notes[(request.label, request.input_hash)] = [note for note in notes if note]

    def take(self, request: ShotRenderRequest) -> list[str]:
        return self._notes.pop((request.label, request.input_hash), [])
