"""What every diffusers backend does the same way: load a pipeline safely and quietly, report
each denoising step and stop within one when cancelled, and turn generated frames into exactly
the shot's frames. torch and diffusers are imported inside the functions, never at module import.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from pipeline.backends.base import ShotRenderError
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


def step_reporter(label: str, steps: int, progress: ProgressCallback, cancel: CancelToken) -> Any:
    """A callback_on_step_end that reports each step and raises RenderCancelled within one step."""

    def on_step_end(pipe: Any, step: int, timestep: Any, callback_kwargs: dict[str, Any]) -> dict[str, Any]:
        progress(ProgressEvent(job=label, stage=DENOISE_STAGE, done=step + 1, total=steps))
        if cancel.cancelled:
            pipe._interrupt = True  # noqa: SLF001 - diffusers' own stop flag, in case the raise is swallowed
            raise RenderCancelled()
        return callback_kwargs

    return on_step_end


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
