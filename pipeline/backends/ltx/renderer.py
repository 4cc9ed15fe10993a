"""LtxRenderer: shots as generated video from LTX-Video (diffusers' LTXConditionPipeline).

The fast-preview backend. One pipeline is loaded on the first shot and stays resident: loading the
weights costs far more than generating a shot. A chained shot is conditioned on the previous take's
last frame at frame 0 (LTX's image condition), so the cut continues from exactly that picture. The
prompt's T5 embeddings are computed once per prompt and kept in the project's embedding cache, so
re-rendering a shot with a new seed skips the text encoder. Reference images are not something
LTX-Video takes: likeness comes from the characters' descriptions (said in a note).

torch and diffusers are imported inside the methods that use them, so importing this module (and
listing backends) stays light.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.backends.base import ShotRenderError, ShotRenderRequest, check_frame_request
from pipeline.backends.capabilities import BackendCapabilities, Condition, GenerationPlan, check_conditions, plan_generation
from pipeline.backends.diffusers_support import (
    DENOISE_STAGE,
    generator_for,
    load_pipeline,
    load_rgb,
    prompt_length_note,
    shot_frames,
    step_reporter,
)
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
from pipeline.continuity.bundle import ConditioningBundle, build_bundle
from pipeline.continuity.embedding_cache import EmbeddingCache
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent

log = logging.getLogger(__name__)

STAGE = DENOISE_STAGE
DEFAULT_MODEL = "ltx-video-2b"
PIPELINE_CLASS = "LTXConditionPipeline"
CAPABILITIES = BackendCapabilities(
    size_multiple=32,  # LTX-Video's VAE compresses 32x spatially
    frame_multiple=8,  # ... and 8x in time, plus the first frame
    native_fps=0,  # trained on a range of rates and told the rate: generate at the shot's own
    max_frames=257,
    min_size=32,
    max_size=1280,
    conditions=frozenset({Condition.FIRST_FRAME, Condition.LAST_FRAME}),
    vram_gb=18.0,  # full GPU at 480p, 5 s, untiled VAE (benchmarks/RESULTS.md estimate)
)


class LtxRenderer(ResidentModel):
    name = "ltx"
    pipeline_class = PIPELINE_CLASS
    version = "2"

    def __init__(
        self,
        model_dir: Path | None = None,
        model: str = DEFAULT_MODEL,
        steps: int = 30,
        guidance_scale: float = 3.0,
        max_sequence_length: int = 256,
        device: str | None = None,
        memory_mode: MemoryMode | None = None,
    ) -> None:
        """model_dir: a local diffusers folder; None looks `model` up in the Hugging Face cache.
        steps: denoising steps per shot (LTX-Video: ~30-50, the distilled checkpoints 4-10).
        memory_mode: None chooses from free VRAM and RAM when the model loads."""
        super().__init__(model_dir, model, steps, guidance_scale, device, memory_mode)
        self.max_sequence_length = max_sequence_length
        self.capabilities = CAPABILITIES
        self.pipeline_calls = 0

    # -- what a take records -------------------------------------------------------------

    def take_provenance(self, request: ShotRenderRequest) -> dict[str, str]:
        return self.generation_record(request, build_bundle(request))

    # -- rendering -----------------------------------------------------------------------
    def render_frames(self, request: ShotRenderRequest, progress: ProgressCallback, cancel: CancelToken) -> Iterator[np.ndarray]:
        check_frame_request(request)
        self.check_steps(request)
        bundle = build_bundle(request)
        notes = check_conditions(CAPABILITIES, request, self.name, chained=False, references=bool(bundle.reference_images))
        first_frame = load_rgb(bundle.first_frame, request.label, "the previous shot's last frame") if bundle.first_frame else None
        return self._frames(request, bundle, first_frame, notes, progress, cancel)

    def _load(self) -> Any:
        import torch

        folder = self.folder()
        vram, ram = free_memory_gb()
        if self.device == "cpu":
            vram = None
        self.memory_plan = choose_memory_plan(CAPABILITIES.vram_gb, vram, ram, self.memory_override)
        dtype = torch.float32 if self.memory_plan.mode is MemoryMode.CPU else torch.bfloat16
        pipe = load_pipeline(PIPELINE_CLASS, folder, self.name, dtype, **quantization_kwargs(self.memory_plan))
        apply_memory_plan(pipe, self.memory_plan)
        log.info("loaded LTX-Video from %s (%s)", folder, self.memory_plan.reason)
        return pipe

    def _frames(
        self,
        request: ShotRenderRequest,
        bundle: ConditioningBundle,
        first_frame: np.ndarray | None,
        notes: list[str],
        progress: ProgressCallback,
        cancel: CancelToken,
    ) -> Iterator[np.ndarray]:
        cancel.raise_if_cancelled()
        with self._lock:
            video, plan = self._generate(request, bundle, first_frame, notes, progress, cancel)
        for frame in shot_frames(video, plan.fps, request.width, request.height, request.frame_count, request.fps, self.name):
            cancel.raise_if_cancelled()
            yield frame

    def _plan(self, request: ShotRenderRequest, pipe: Any) -> GenerationPlan:
        from dataclasses import replace

        spatial = max(CAPABILITIES.size_multiple, int(getattr(pipe, "vae_spatial_compression_ratio", CAPABILITIES.size_multiple)))
        temporal = max(CAPABILITIES.frame_multiple, int(getattr(pipe, "vae_temporal_compression_ratio", CAPABILITIES.frame_multiple)))
        return plan_generation(replace(CAPABILITIES, size_multiple=spatial, frame_multiple=temporal, min_size=spatial), request, self.name)

    def _generate(
        self,
        request: ShotRenderRequest,
        bundle: ConditioningBundle,
        first_frame: np.ndarray | None,
        notes: list[str],
        progress: ProgressCallback,
        cancel: CancelToken,
    ) -> tuple[np.ndarray, GenerationPlan]:
        if self._pipe is None:
            progress(ProgressEvent(job=request.label, stage="load", done=0, total=1, message=f"loading {self.model_dir or self.model} (once per session)"))
        pipe = self.pipeline()
        plan = self._plan(request, pipe)
        too_long = prompt_length_note(getattr(pipe, "tokenizer", None), bundle.prompt, self.max_sequence_length, request.label)
        self.notes.record(request, [*plan.notes, *notes, too_long or ""])
        message = "; ".join([f"generating {plan.width}x{plan.height}, {plan.frames} frames", *plan.notes, *notes, *([too_long] if too_long else [])])
        if (plan.width, plan.height, plan.frames) != (request.width, request.height, request.frame_count) and not plan.notes:
            message += f"; fitted to {request.width}x{request.height}, {request.frame_count} frames"
        progress(ProgressEvent(job=request.label, stage=STAGE, done=0, total=self.steps, message=message))
        embeds = self._prompt_embeds(pipe, bundle, self.embedding_cache(request.cache_dir))
        for attempt in range(2):
            try:
                return self._call(pipe, request, bundle, first_frame, plan, embeds, progress, cancel), plan
            except Exception as exc:
                if not is_out_of_memory(exc) or attempt or self.memory_plan is None or self.memory_plan.mode not in LEANER:
                    if is_out_of_memory(exc):
                        raise ShotRenderError(
                            f"{request.label}: out of GPU memory at {plan.width}x{plan.height}, {plan.frames} frames even in {self.memory_plan.mode.value if self.memory_plan else '?'} mode; "
                            "render at a smaller size (--size) or shorter, or close other GPU programs"
                        ) from None
                    raise
                pipe = self.reload_in(LEANER[self.memory_plan.mode], request, progress)
        raise AssertionError("unreachable")

    def _prompt_embeds(self, pipe: Any, bundle: ConditioningBundle, cache: EmbeddingCache) -> dict[str, Any]:
        import torch

        def encode() -> dict[str, Any]:
            with torch.inference_mode():
                positive, positive_mask, negative, negative_mask = pipe.encode_prompt(
                    prompt=bundle.prompt,
                    negative_prompt=bundle.negative_prompt,
                    do_classifier_free_guidance=True,
                    max_sequence_length=self.max_sequence_length,
                    device=pipe._execution_device,  # noqa: SLF001 - where the text encoder runs, offloaded or not
                )
            return {
                "prompt_embeds": positive,
                "prompt_attention_mask": positive_mask,
                "negative_prompt_embeds": negative,
                "negative_prompt_attention_mask": negative_mask,
            }

        # the dtype is part of the key: float32 embeddings from a CPU run are not bit-identical to bf16 ones
        key = f"ltx-{self.fingerprint()}-{self.max_sequence_length}-{str(pipe.text_encoder.dtype).removeprefix('torch.')}"
        return cache.get(key, "prompt", bundle.prompt_hash, encode)

    def _call(
        self,
        pipe: Any,
        request: ShotRenderRequest,
        bundle: ConditioningBundle,
        first_frame: np.ndarray | None,
        plan: GenerationPlan,
        embeds: dict[str, Any],
        progress: ProgressCallback,
        cancel: CancelToken,
    ) -> np.ndarray:
        import torch
        from PIL import Image

        device = pipe._execution_device  # noqa: SLF001
        dtype = pipe.transformer.dtype
        conditioning: dict[str, Any] = {}
        if first_frame is not None:
            from diffusers.pipelines.ltx.pipeline_ltx_condition import LTXVideoCondition

            conditioning["conditions"] = [LTXVideoCondition(image=Image.fromarray(first_frame), frame_index=0)]
        self.pipeline_calls += 1
        with torch.inference_mode():
            result = pipe(
                **conditioning,
                **{name: tensor.to(device=device, dtype=dtype if tensor.is_floating_point() else tensor.dtype) for name, tensor in embeds.items()},
                width=plan.width,
                height=plan.height,
                num_frames=plan.frames,
                frame_rate=max(1, round(request.fps)),
                num_inference_steps=self.steps,
                guidance_scale=self.guidance_scale,
                generator=generator_for(bundle.seed),
                output_type="np",
                max_sequence_length=self.max_sequence_length,
                callback_on_step_end=step_reporter(request.label, self.steps, progress, cancel, _latent_grid(pipe, plan)),
            )
        cancel.raise_if_cancelled()
        return np.asarray(result.frames[0])


def _latent_grid(pipe: Any, plan: GenerationPlan) -> tuple[int, int, int]:
    """The (frames, height, width) of LTX's packed latent tokens for a plan, for previews."""
    spatial = int(getattr(pipe, "vae_spatial_compression_ratio", CAPABILITIES.size_multiple))
    temporal = int(getattr(pipe, "vae_temporal_compression_ratio", CAPABILITIES.frame_multiple))
    patch, patch_t = int(getattr(pipe, "transformer_spatial_patch_size", 1)), int(getattr(pipe, "transformer_temporal_patch_size", 1))
    return (plan.frames - 1) // temporal // patch_t + 1, plan.height // spatial // patch, plan.width // spatial // patch
