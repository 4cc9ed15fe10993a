"""WanRenderer: shots as generated video from Wan 2.1 VACE (diffusers' WanVACEPipeline).

The finals backend for continuity. Every shot gets the characters' reference images (and the
location's plate) as VACE reference images, so faces, wardrobe and place carry from shot to shot;
the shot's words, camera phrases included, are the text prompt. A chained shot starts from the
previous take's last frame through VACE's first-frame task (see conditioning.py).

Why VACE for chained shots rather than Wan image-to-video: one set of weights does both jobs. I2V
is a separate 14B checkpoint (no 1.3B exists) with its own CLIP image encoder, so supporting it
would mean a second model resident (or swapped) for every chained shot, and I2V cannot take the
reference images at the same time; VACE takes the first frame and the references in one pass.

What is computed once and kept in the project's embedding cache (keyed by model fingerprint, kind
and content hash): the UMT5 prompt embeddings per prompt, so re-rendering a shot with another seed
skips the text encoder; and the VAE latents of each character's reference images and of the
location plate per generation size, so a character is encoded once however many shots they are in.
The first frame is not cached: it changes with every take of the previous shot.

The pipeline is loaded once, on the first shot, and stays resident. torch and diffusers are
imported inside the methods that use them, so importing this module stays light.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.backends.base import ShotRenderError, ShotRenderRequest, check_frame_request
from pipeline.backends.capabilities import BackendCapabilities, Condition, GenerationPlan, check_conditions, plan_generation
from pipeline.backends.diffusers_support import DENOISE_STAGE, generator_for, load_pipeline, load_rgb, shot_frames, step_reporter
from pipeline.backends.memory import (
    LEANER,
    MemoryMode,
    apply_memory_plan,
    choose_memory_plan,
    free_memory_gb,
    is_out_of_memory,
    quantization_kwargs,
)
from pipeline.backends.resident_model import ResidentModel
from pipeline.backends.wan.conditioning import (
    ReferenceGroup,
    as_cached_reference_pipeline,
    encode_references,
    first_frame_video,
    fit_first_frame,
    reference_groups,
)
from pipeline.continuity.bundle import ConditioningBundle, build_bundle
from pipeline.continuity.embedding_cache import EmbeddingCache
from pipeline.models.registry import MODELS, ModelNotFoundError, check_pipeline_family, folder_pipeline_class
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent

log = logging.getLogger(__name__)

PIPELINE_CLASS = "WanVACEPipeline"
DEFAULT_MODEL = "wan2.1-vace-1.3b"


def _wan21(max_size: int, vram_gb: float) -> BackendCapabilities:
    return BackendCapabilities(
        size_multiple=16,  # the VAE's 8x times the transformer's 2x2 patch
        frame_multiple=4,  # the VAE compresses 4x in time, plus the first frame
        native_fps=16,
        max_frames=81,
        min_size=16,
        max_size=max_size,
        conditions=frozenset({Condition.FIRST_FRAME, Condition.REFERENCE_IMAGES}),
        vram_gb=vram_gb,
    )


# Per model key: the 1.3B was trained at 480p only, the 14B at 480p and 720p. VRAM is every
# component resident in bf16 (the UMT5-XXL text encoder alone is ~11 GB) plus 81 frames' activations.
CAPABILITIES = {"wan2.1-vace-1.3b": _wan21(832, 23.0), "wan2.1-vace-14b": _wan21(1280, 52.0)}  # full GPU, 480p (benchmarks/RESULTS.md estimates)


@dataclass(frozen=True)
class _Conditioning:
    groups: tuple[ReferenceGroup, ...]
    first_frame: np.ndarray | None
    notes: tuple[str, ...]


class WanRenderer(ResidentModel):
    name = "wan"
    pipeline_class = PIPELINE_CLASS
    version = "1"

    def __init__(
        self,
        model_dir: Path | None = None,
        model: str = DEFAULT_MODEL,
        steps: int = 30,
        guidance_scale: float = 5.0,
        max_sequence_length: int = 512,
        device: str | None = None,
        memory_mode: MemoryMode | None = None,
    ) -> None:
        """model_dir: a local diffusers folder; None looks `model` up in the Hugging Face cache.
        model: a Wan VACE key from the model registry; it also sets the largest size generated.
        memory_mode: None chooses from free VRAM and RAM when the model loads."""
        if model not in CAPABILITIES:
            raise ModelNotFoundError(f"the wan backend runs {', '.join(sorted(CAPABILITIES))}, not {model!r}; choose one of those")
        super().__init__(model_dir, model, steps, guidance_scale, device, memory_mode)
        self.max_sequence_length = max_sequence_length
        self.capabilities = CAPABILITIES[model]

    # -- what a take records -------------------------------------------------------------

    def model_id(self) -> str:
        return MODELS[self.model].hub_id if self.model_dir is None else self.folder().name

    def take_provenance(self, request: ShotRenderRequest) -> dict[str, str]:
        bundle = build_bundle(request)
        conditioning = "first frame + reference images" if bundle.first_frame else "reference images"
        return self.generation_record(request, bundle, conditioning=conditioning)

    # -- rendering -----------------------------------------------------------------------
    def render_frames(self, request: ShotRenderRequest, progress: ProgressCallback, cancel: CancelToken) -> Iterator[np.ndarray]:
        check_frame_request(request)
        self.check_steps(request)
        bundle = build_bundle(request)
        groups = reference_groups(bundle)
        notes = check_conditions(self.capabilities, request, self.name, chained=bundle.chained, references=bool(groups))
        first_frame = load_rgb(bundle.first_frame, request.label, "the previous shot's last frame") if bundle.first_frame else None
        if bundle.chained and first_frame is None:
            notes.append(f"{request.label} is chained but the previous shot has no take yet: generated from the prompt and references alone")
        return self._frames(request, bundle, _Conditioning(groups, first_frame, tuple(notes)), progress, cancel)

    def _load(self) -> Any:
        import torch

        folder = self.folder()
        check_pipeline_family(folder, PIPELINE_CLASS, self.name)
        declared = folder_pipeline_class(folder)
        if declared != PIPELINE_CLASS:  # another Wan pipeline (text- or image-to-video) has no VACE branch
            spec = MODELS[self.model]
            raise ModelNotFoundError(
                f"{folder} holds a {declared or 'model of unknown type'}, not a Wan 2.1 VACE model; "
                f"download one with `{spec.download_hint()}` and point --model-dir (or STORYBOARD_WAN_MODEL_DIR) at it"
            )
        vram, ram = free_memory_gb()
        if self.device == "cpu":
            vram = None
        self.memory_plan = choose_memory_plan(self.capabilities.vram_gb, vram, ram, self.memory_override)
        # The VAE stays in float32 on the GPU too, as Wan's own diffusers examples load it: it is small,
        # and its latents are what the reference cache keeps.
        dtype: Any = torch.float32 if self.memory_plan.mode is MemoryMode.CPU else {"default": torch.bfloat16, "vae": torch.float32}
        pipe = as_cached_reference_pipeline(load_pipeline(PIPELINE_CLASS, folder, self.name, dtype, **quantization_kwargs(self.memory_plan)))
        apply_memory_plan(pipe, self.memory_plan)
        log.info("loaded Wan VACE from %s (%s)", folder, self.memory_plan.reason)
        return pipe

    def _frames(
        self, request: ShotRenderRequest, bundle: ConditioningBundle, conditioning: _Conditioning, progress: ProgressCallback, cancel: CancelToken
    ) -> Iterator[np.ndarray]:
        cancel.raise_if_cancelled()
        with self._lock:
            video, plan = self._generate(request, bundle, conditioning, progress, cancel)
        for frame in shot_frames(video, plan.fps, request.width, request.height, request.frame_count, request.fps, self.name):
            cancel.raise_if_cancelled()
            yield frame

    def plan(self, request: ShotRenderRequest, pipe: Any) -> GenerationPlan:
        """Size and length for the shot, from the multiples the loaded model really has."""
        transformer = pipe.transformer if pipe.transformer is not None else pipe.transformer_2
        spatial = int(pipe.vae_scale_factor_spatial) * int(transformer.config.patch_size[1])
        temporal = int(pipe.vae_scale_factor_temporal)
        caps = replace(self.capabilities, size_multiple=spatial, frame_multiple=temporal, min_size=max(self.capabilities.min_size, spatial))
        return plan_generation(caps, request, self.name)

    def _generate(
        self, request: ShotRenderRequest, bundle: ConditioningBundle, conditioning: _Conditioning, progress: ProgressCallback, cancel: CancelToken
    ) -> tuple[np.ndarray, GenerationPlan]:
        if self._pipe is None:
            progress(ProgressEvent(job=request.label, stage="load", done=0, total=1, message=f"loading {self.model_dir or self.model} (once per session)"))
        pipe = self.pipeline()
        plan = self.plan(request, pipe)
        notes = list(conditioning.notes)
        first = conditioning.first_frame
        if first is not None and first.shape[:2] != (plan.height, plan.width):
            notes.append(
                f"{request.label}: the previous shot's last frame ({first.shape[1]}x{first.shape[0]}) is resized to {plan.width}x{plan.height} to start the shot"
            )
            first = fit_first_frame(first, plan.width, plan.height)
        self.notes.record(request, [*plan.notes, *notes])
        message = "; ".join([f"generating {plan.width}x{plan.height}, {plan.frames} frames at {plan.fps:g} fps", *plan.notes, *notes])
        progress(ProgressEvent(job=request.label, stage=DENOISE_STAGE, done=0, total=self.steps, message=message))
        for attempt in range(2):
            try:
                cache = self.embedding_cache(request.cache_dir)
                embeds = self._prompt_embeds(pipe, bundle, cache)
                references = self._reference_latents(pipe, conditioning.groups, plan, cache)
                return self._call(pipe, request, bundle, conditioning.groups, references, first, plan, embeds, progress, cancel), plan
            except Exception as exc:
                mode = self.memory_plan.mode if self.memory_plan else None
                if not is_out_of_memory(exc):
                    raise
                if attempt or mode not in LEANER:
                    raise ShotRenderError(
                        f"{request.label}: out of GPU memory at {plan.width}x{plan.height}, {plan.frames} frames even in {mode.value if mode else '?'} mode; "
                        "render at a smaller size or shorter, or close other GPU programs"
                    ) from None
                pipe = self.reload_in(LEANER[self.memory_plan.mode], request, progress)
        raise AssertionError("unreachable")

    def _model_key(self) -> str:
        # dtype in the key: embeddings made in float32 on a CPU are not bit-identical to bf16 ones
        precision = "float32" if self.memory_plan is None or self.memory_plan.mode is MemoryMode.CPU else "bfloat16"
        return f"wan-{self.fingerprint()}-{precision}"

    def _prompt_embeds(self, pipe: Any, bundle: ConditioningBundle, cache: EmbeddingCache) -> dict[str, Any]:
        import torch

        def encode() -> dict[str, Any]:
            with torch.inference_mode():
                positive, negative = pipe.encode_prompt(
                    prompt=bundle.prompt,
                    negative_prompt=bundle.negative_prompt,
                    do_classifier_free_guidance=True,  # always both, so one entry serves any guidance scale
                    max_sequence_length=self.max_sequence_length,
                    device=pipe._execution_device,  # noqa: SLF001 - where the text encoder runs, offloaded or not
                )
            return {"prompt_embeds": positive, "negative_prompt_embeds": negative}

        return cache.get(self._model_key(), f"umt5-prompt-{self.max_sequence_length}", bundle.prompt_hash, encode)

    def _reference_latents(self, pipe: Any, groups: tuple[ReferenceGroup, ...], plan: GenerationPlan, cache: EmbeddingCache) -> list[Any]:
        """Each group's latents, in the order of `groups` and of the pictures within each."""
        latents: list[Any] = []
        for group in groups:
            # The canvas the pictures are letterboxed onto is the generation size, so it is part of the key.
            stored = cache.get(
                self._model_key(),
                f"vace-reference-{plan.width}x{plan.height}",
                group.content_hash,
                lambda group=group: encode_references(pipe, group.images, plan.width, plan.height),
            )
            latents.extend(stored[str(index)] for index in range(len(group.images)))
        return latents

    def _call(
        self,
        pipe: Any,
        request: ShotRenderRequest,
        bundle: ConditioningBundle,
        groups: tuple[ReferenceGroup, ...],
        references: list[Any],
        first_frame: np.ndarray | None,
        plan: GenerationPlan,
        embeds: dict[str, Any],
        progress: ProgressCallback,
        cancel: CancelToken,
    ) -> np.ndarray:
        import torch
        from PIL import Image

        device = pipe._execution_device  # noqa: SLF001
        conditioning: dict[str, Any] = {}
        if references:
            conditioning["reference_images"] = [Image.fromarray(image) for group in groups for image in group.images]
            conditioning["reference_latents"] = references
        if first_frame is not None:
            conditioning["video"], conditioning["mask"] = first_frame_video(first_frame, plan.frames)
        with torch.inference_mode():
            result = pipe(
                **conditioning,
                prompt_embeds=embeds["prompt_embeds"].to(device),
                negative_prompt_embeds=embeds["negative_prompt_embeds"].to(device),
                width=plan.width,
                height=plan.height,
                num_frames=plan.frames,
                num_inference_steps=self.steps,
                guidance_scale=self.guidance_scale,
                generator=generator_for(bundle.seed),
                output_type="np",
                max_sequence_length=self.max_sequence_length,
                callback_on_step_end=step_reporter(request.label, self.steps, progress, cancel),
            )
        cancel.raise_if_cancelled()
        return np.asarray(result.frames[0])
