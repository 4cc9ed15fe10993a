"""A shot's continuity as Wan VACE conditioning: reference images for who and where, and for a
chained shot a first frame that the rest of the clip is generated from.

VACE reads reference images as extra latent frames placed before the clip. diffusers'
WanVACEPipeline takes them only as pictures and runs the VAE encoder over them on every call, so
the backend uses a small subclass (`vace_pipeline_class`) that accepts the encoded latents instead:
each character's (and the location plate's) latents are computed once per model and generation
size, kept in the project's embedding cache, and spliced into the control tensor exactly where and
how the stock pipeline would put them, bit for bit.

A chained shot is VACE's own first-frame task: a conditioning video whose frame 0 is the previous
take's last frame, unchanged, and whose other frames are neutral grey, with a mask that keeps
frame 0 and asks for everything else to be generated.

torch, PIL and diffusers are imported inside the functions, never at module import.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.backends.diffusers_support import load_rgb
from pipeline.continuity.bundle import ConditioningBundle

NEUTRAL_GREY = 128  # what VACE's masked frames hold: 0 after the pipeline's scaling to -1..1
KEEP, GENERATE = 0, 255  # VACE mask values: black keeps the conditioning pixel, white regenerates it


@dataclass(frozen=True)
class ReferenceGroup:
    """The reference images of one character, or the location plate: encoded and cached together."""

    owner: str  # "MAYA" or "the location plate", for messages
    content_hash: str  # the cache key: changes when any of the pictures (or the character's look) changes
    images: tuple[np.ndarray, ...]  # RGB uint8, in the character's order


def reference_groups(bundle: ConditioningBundle) -> tuple[ReferenceGroup, ...]:
    """The shot's reference pictures, read now so an unreadable file fails before any generation."""
    groups = [
        ReferenceGroup(
            character.name,
            character.content_hash,
            tuple(load_rgb(path, bundle.label, f"{character.name}'s reference image") for path in character.images),
        )
        for character in bundle.characters
        if character.images
    ]
    if bundle.location_plate is not None and bundle.location_plate_hash is not None:
        plate = load_rgb(bundle.location_plate, bundle.label, "the location plate")
        groups.append(ReferenceGroup("the location plate", bundle.location_plate_hash, (plate,)))
    return tuple(groups)


def first_frame_video(first_frame: np.ndarray, frames: int) -> tuple[list[Any], list[Any]]:
    """VACE's first-frame task: the frame as given, then grey frames to generate, and the mask.
    The frame must already be the generation size: the pipeline would otherwise resize it."""
    from PIL import Image

    height, width = first_frame.shape[:2]
    grey = Image.new("RGB", (width, height), (NEUTRAL_GREY,) * 3)
    video = [Image.fromarray(first_frame), *[grey] * (frames - 1)]
    mask = [Image.new("L", (width, height), KEEP), *[Image.new("L", (width, height), GENERATE)] * (frames - 1)]
    return video, mask


def fit_first_frame(first_frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """The previous take's last frame at the generation size; untouched when it already is."""
    if first_frame.shape[:2] == (height, width):
        return first_frame
    import cv2

    shrinking = first_frame.shape[0] > height or first_frame.shape[1] > width
    return cv2.resize(first_frame, (width, height), interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC)


def encode_references(pipe: Any, images: Sequence[np.ndarray], width: int, height: int) -> dict[str, Any]:
    """VAE latents of reference pictures as the stock pipeline makes them (letterboxed onto a white
    canvas of the generation size, encoded, normalised), one [C, 1, h, w] tensor per picture."""
    import torch
    from PIL import Image

    device = pipe._execution_device  # noqa: SLF001 - where the VAE runs, offloaded or not
    # The pipeline's own preprocessing, so the canvas is exactly what it would have encoded.
    _video, _mask, canvases = pipe.preprocess_conditions(None, None, [Image.fromarray(image) for image in images], 1, height, width, 1, torch.float32, device)
    vae = pipe.vae
    shape = (1, vae.config.z_dim, 1, 1, 1)
    mean = torch.tensor(vae.config.latents_mean, device=device, dtype=torch.float32).view(shape)
    inverse_std = 1.0 / torch.tensor(vae.config.latents_std, device=device, dtype=torch.float32).view(shape)
    latents = {}
    with torch.inference_mode():
        for index, canvas in enumerate(canvases[0]):
            encoded = vae.encode(canvas.to(dtype=vae.dtype)[None, :, None]).latent_dist.mode()
            latents[str(index)] = ((encoded.float() - mean) * inverse_std).to(vae.dtype).squeeze(0)
    return latents


@functools.cache
def vace_pipeline_class() -> type:
    """WanVACEPipeline that also accepts `reference_latents`: encoded reference images to use
    instead of encoding `reference_images` again (which it still needs, to count and place them)."""
    import torch
    from diffusers import WanVACEPipeline

    class WanVACEWithCachedReferences(WanVACEPipeline):
        _reference_latents: list[torch.Tensor] | None = None

        def __call__(self, *args: Any, reference_latents: list[torch.Tensor] | None = None, **kwargs: Any) -> Any:
            self._reference_latents = reference_latents
            try:
                return super().__call__(*args, **kwargs)
            finally:
                self._reference_latents = None

        def prepare_video_latents(self, video: Any, mask: Any, reference_images: Any = None, generator: Any = None, device: Any = None) -> Any:
            cached = self._reference_latents
            if cached is None or reference_images is None:
                return super().prepare_video_latents(video, mask, reference_images, generator, device)
            if any(len(batch) != len(cached) for batch in reference_images):
                raise ValueError(f"{len(cached)} cached reference latents for {[len(batch) for batch in reference_images]} reference images")
            videos = super().prepare_video_latents(video, mask, [[] for _ in reference_images], generator, device)
            joined = []
            for latent in videos:
                # Prepended one by one, as the stock pipeline does: the last reference ends up first.
                for reference in cached:
                    reference = reference.to(device=latent.device, dtype=self.vae.dtype)
                    latent = torch.cat([torch.cat([reference, torch.zeros_like(reference)], dim=0), latent], dim=1)
                joined.append(latent)
            return torch.stack(joined)

    return WanVACEWithCachedReferences


def as_cached_reference_pipeline(pipe: Any) -> Any:
    """The loaded stock pipeline's components (no copies) behind the caching subclass."""
    cls = vace_pipeline_class()
    wrapped = cls(**pipe.components, boundary_ratio=pipe.config.boundary_ratio)
    wrapped.set_progress_bar_config(disable=True)
    return wrapped
