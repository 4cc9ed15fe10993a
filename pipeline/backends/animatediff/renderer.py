"""AnimateDiffRenderer: shots as generated video from AnimateDiff (Stable Diffusion 1.5 + a motion
adapter, diffusers' AnimateDiffPipeline), the low-VRAM backend (~6 GB).

Characters keep their likeness through the IP-Adapter: each character's reference images are
encoded once per image encoder and kept in the project's embedding cache (conditioning.py), so
every shot with that character is conditioned on bit-identical tensors. Camera moves use guoyww's
motion LoRAs when the model folder has them (layout.py), else the prompt's camera words alone.
AnimateDiff cannot start from a given frame: a chained shot starts afresh, and a note says so with the fix.

The pipeline is loaded on the first shot and stays resident. torch and diffusers are imported
inside the methods that use them, so importing this module stays light.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.backends.animatediff import conditioning
from pipeline.backends.animatediff.adapters import load_ip_adapter, load_motion_loras, peft_available
from pipeline.backends.animatediff.layout import (
    IMAGE_ENCODER_DIR,
    MOTION_LORA_DIR,
    MOTION_LORA_REPOS,
    IpAdapterFiles,
    adapter_name,
    assembly_steps,
    find_ip_adapter,
    find_motion_loras,
    motion_lora_for,
    pipeline_has_image_encoder,
    saved_unet_class,
)
from pipeline.backends.base import ShotRenderError, ShotRenderRequest
from pipeline.backends.capabilities import BackendCapabilities, Condition, GenerationPlan, check_conditions, plan_generation
from pipeline.backends.diffusers_support import DENOISE_STAGE, generator_for, load_pipeline, prompt_length_note, shot_frames, step_reporter
from pipeline.backends.memory import LEANER, MemoryMode, MemoryPlan, apply_memory_plan, choose_memory_plan, free_memory_gb, is_out_of_memory
from pipeline.backends.resident_model import ResidentModel
from pipeline.continuity.bundle import CharacterReference, ConditioningBundle, build_bundle
from pipeline.continuity.embedding_cache import EmbeddingCache
from pipeline.models.registry import MODEL_INDEX, ModelNotFoundError, check_pipeline_family
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent

log = logging.getLogger(__name__)

DEFAULT_MODEL = "animatediff-v1-5-2"
PIPELINE_CLASS = "AnimateDiffPipeline"
CAPABILITIES = BackendCapabilities(
    size_multiple=8,  # SD 1.5's VAE compresses 8x; the UNet pads odd latent sizes itself
    frame_multiple=1,  # no temporal compression: any frame count
    native_fps=8,  # the motion adapters were trained on 8 fps clips
    max_frames=16,  # the v1.5 adapters' context; longer clips lose coherence
    min_size=64,
    max_size=768,  # SD 1.5 was trained at 512; 768 on the long side still composes
    conditions=frozenset({Condition.IMAGE_EMBEDS}),
    vram_gb=6.0,
)


@dataclass(frozen=True)
class FolderContents:
    """The optional parts found in the model folder, scanned once."""

    ip_adapter: IpAdapterFiles | None
    ip_adapter_missing: str  # why there is none, with the fix
    motion_loras: dict[str, Path]
    motion_loras_unusable: str  # why the LoRAs found cannot be loaded (no peft), else ""


@dataclass(frozen=True)
class ShotSetup:
    cast: tuple[CharacterReference, ...]  # characters whose reference images condition the shot
    ip_adapter_scale: float
    motion_lora: str | None
    notes: tuple[str, ...]
    camera_note: str  # the camera move has no LoRA here: said once per session, not per shot


class AnimateDiffRenderer(ResidentModel):
    name = "animatediff"
    pipeline_class = PIPELINE_CLASS
    version = "1"

    def __init__(
        self,
        model_dir: Path | None = None,
        model: str = DEFAULT_MODEL,
        steps: int = 25,
        guidance_scale: float = 7.5,
        ip_adapter_scale: float = 0.6,
        motion_lora_scale: float = 1.0,
        max_frames: int = 16,
        device: str | None = None,
        memory_mode: MemoryMode | None = None,
    ) -> None:
        """model_dir: a folder laid out as layout.py describes (no hub fallback: no hub repository
        holds the assembled model). ip_adapter_scale: how strongly reference images set likeness
        (0.5-0.8 keeps the prompt in charge of the action). max_frames: 16 for the v1.5 motion
        adapters, up to 32 for adapters trained on longer clips."""
        super().__init__(model_dir, model, steps, guidance_scale, device, memory_mode)
        self.ip_adapter_scale, self.motion_lora_scale = ip_adapter_scale, motion_lora_scale
        self.capabilities = replace(CAPABILITIES, max_frames=max_frames)
        self._contents: FolderContents | None = None
        self._keys: dict[str, str] = {}  # embedding-cache keys of the text and image encoders
        self._said: set[str] = set()  # notes given once per session

    # -- the model folder and what a take records ------------------------------------------
    def folder(self) -> Path:
        if self._folder is None:
            if self.model_dir is None:
                raise ModelNotFoundError(
                    f"the animatediff backend needs a local {self.model} folder: pass --model-dir DIR or set STORYBOARD_ANIMATEDIFF_MODEL_DIR; "
                    f"build one with {assembly_steps()}"
                )
            folder = Path(self.model_dir).expanduser()
            if folder.is_file():
                raise ModelNotFoundError(
                    f"{folder} is a single file; the animatediff backend reads an assembled model folder: build one with {assembly_steps()} and point --model-dir at it"
                )
            if not folder.is_dir():
                raise ModelNotFoundError(
                    f"model folder {folder} does not exist; point --model-dir at an AnimateDiff folder or build one with {assembly_steps(str(folder))}"
                )
            if not (folder / MODEL_INDEX).is_file():
                raise ModelNotFoundError(
                    f"{folder} is not a diffusers model folder (no {MODEL_INDEX}); build an AnimateDiff folder there with {assembly_steps(str(folder))}"
                )
            check_pipeline_family(folder, PIPELINE_CLASS, self.name)
            self._folder = folder
        return self._folder

    def contents(self) -> FolderContents:
        if self._contents is None:
            folder = self.folder()
            ip_adapter, missing = find_ip_adapter(folder, pipeline_has_image_encoder(folder))
            loras = find_motion_loras(folder)
            unusable = ""
            if loras and not peft_available():
                unusable = f"the motion LoRAs in {folder / MOTION_LORA_DIR} need the peft package; `pip install peft` to use them"
            self._contents = FolderContents(ip_adapter, missing, loras, unusable)
        return self._contents

    def render_settings(self) -> dict[str, str]:
        return {
            "model": self.fingerprint(),
            "steps": str(self.steps),
            "guidance": f"{self.guidance_scale:g}",
            "ip_adapter_scale": f"{self.ip_adapter_scale:g}",
            "motion_lora_scale": f"{self.motion_lora_scale:g}",
        }

    def take_provenance(self, request: ShotRenderRequest) -> dict[str, str]:
        bundle = build_bundle(request)
        setup = self.shot_setup(request, bundle)
        return self.generation_record(
            request,
            bundle,
            ip_adapter_scale=f"{setup.ip_adapter_scale:g}",
            motion_lora=f"{setup.motion_lora}@{self.motion_lora_scale:g}" if setup.motion_lora else "",
        )

    def shot_setup(self, request: ShotRenderRequest, bundle: ConditioningBundle) -> ShotSetup:
        """What conditions this shot: whose references, at what IP-Adapter scale, which motion LoRA."""
        contents, notes = self.contents(), []
        cast = tuple(character for character in bundle.characters if character.images)
        if cast and contents.ip_adapter is None:
            names = ", ".join(character.name for character in cast)
            notes.append(f"{request.label}: reference images of {names} are not used, so likeness comes from the descriptions: {contents.ip_adapter_missing}")
            cast = ()
        wanted = motion_lora_for(request.shot)
        lora = wanted if wanted in contents.motion_loras and not contents.motion_loras_unusable else None
        camera_note = ""
        if wanted and lora is None:
            folder = self.folder() / MOTION_LORA_DIR
            if contents.motion_loras_unusable:
                camera_note = f"{contents.motion_loras_unusable}; until then camera moves come from the prompt's words alone"
            elif contents.motion_loras:
                notes.append(
                    f"{request.label}: no {wanted} motion LoRA in {folder}, so the camera move comes from the prompt's words alone; "
                    f"add it with `huggingface-cli download {MOTION_LORA_REPOS[wanted]} --local-dir {folder / wanted}`"
                )
            else:
                camera_note = (
                    f"no motion LoRAs in {folder}: camera moves come from the prompt's words alone, which AnimateDiff follows loosely; "
                    f"for a {wanted} add `huggingface-cli download {MOTION_LORA_REPOS[wanted]} --local-dir {folder / wanted}` (likewise the other moves)"
                )
        # Without references the adapter stays loaded but silent (see conditioning.no_reference_input).
        scale = self.ip_adapter_scale if cast else 0.0
        return ShotSetup(cast, scale, lora, tuple(notes), camera_note)

    # -- rendering --------------------------------------------------------------------------
    def render_frames(self, request: ShotRenderRequest, progress: ProgressCallback, cancel: CancelToken) -> Iterator[np.ndarray]:
        if request.frame_count <= 0:
            raise ShotRenderError(f"{request.label} has no frames (duration {request.frame_count}); give it a duration of at least one frame")
        if request.width <= 0 or request.height <= 0:
            raise ShotRenderError(f"{request.label}: cannot render a {request.width}x{request.height} picture; set the project's format to a positive size")
        self.check_steps(request)
        bundle = build_bundle(request)
        notes = check_conditions(self.capabilities, request, self.name, chained=bundle.chained, references=bool(bundle.reference_images))
        return self._frames(request, bundle, notes, progress, cancel)

    def _load(self) -> Any:
        import torch

        folder, contents = self.folder(), self.contents()
        vram, ram = free_memory_gb()
        if self.device == "cpu":
            vram = None
        plan = choose_memory_plan(self.capabilities.vram_gb, vram, ram, self.memory_override)
        if plan.mode is MemoryMode.EIGHT_BIT:
            # The shared 8-bit path quantizes a transformer; AnimateDiff has a UNet, small enough to stream instead.
            plan = MemoryPlan(MemoryMode.GROUP_OFFLOAD, True, f"{plan.reason}; the UNet is streamed from RAM instead")
        self.memory_plan = plan
        # float16 is what SD 1.5 and the motion adapters were released in; its VAE decodes cleanly in it.
        dtype = torch.float32 if plan.mode is MemoryMode.CPU else torch.float16
        # A saved AnimateDiffPipeline's UNet already holds the motion modules; loading the separate
        # adapter copy as well would take ~0.9 GB more memory for nothing.
        skip_adapter = {"motion_adapter": None} if saved_unet_class(folder) == "UNetMotionModel" else {}
        pipe = load_pipeline(PIPELINE_CLASS, folder, self.name, dtype, **skip_adapter)
        if contents.ip_adapter is not None:
            load_ip_adapter(pipe, contents.ip_adapter, folder, dtype)
        if contents.motion_loras and not contents.motion_loras_unusable:
            load_motion_loras(pipe, contents.motion_loras)
        apply_memory_plan(pipe, plan)
        self._keys = {"text": conditioning.encoder_key("text", dtype, folder / "text_encoder", folder / "tokenizer")}
        if contents.ip_adapter is not None:
            encoder = contents.ip_adapter.image_encoder or folder / IMAGE_ENCODER_DIR
            self._keys["image"] = conditioning.encoder_key("image", dtype, encoder, folder / "feature_extractor")
        log.info("loaded AnimateDiff from %s (%s)", folder, plan.reason)
        return pipe

    def _frames(
        self, request: ShotRenderRequest, bundle: ConditioningBundle, notes: list[str], progress: ProgressCallback, cancel: CancelToken
    ) -> Iterator[np.ndarray]:
        cancel.raise_if_cancelled()
        with self._lock:
            video, plan = self._generate(request, bundle, notes, progress, cancel)
        for frame in shot_frames(video, plan.fps, request.width, request.height, request.frame_count, request.fps, self.name):
            cancel.raise_if_cancelled()
            yield frame

    def _generate(
        self, request: ShotRenderRequest, bundle: ConditioningBundle, notes: list[str], progress: ProgressCallback, cancel: CancelToken
    ) -> tuple[np.ndarray, GenerationPlan]:
        if self._pipe is None:
            progress(ProgressEvent(job=request.label, stage="load", done=0, total=1, message=f"loading {self.model_dir or self.model} (once per session)"))
        pipe = self.pipeline()
        smallest = max(self.capabilities.size_multiple, 8 * int(pipe.vae_scale_factor))  # eight latent pixels
        plan = plan_generation(replace(self.capabilities, min_size=smallest), request, self.name)
        setup = self.shot_setup(request, bundle)
        messages = [f"generating {plan.width}x{plan.height}, {plan.frames} frames at {plan.fps:g} fps", *plan.notes, *notes, *setup.notes]
        if setup.camera_note and "camera" not in self._said:
            self._said.add("camera")
            messages.append(setup.camera_note)
        # CLIP reads 77 tokens: a long shot description pushes the cast and continuity out of the prompt.
        if too_long := prompt_length_note(pipe.tokenizer, bundle.prompt, pipe.tokenizer.model_max_length, request.label):
            messages.append(too_long)
        self.notes.record(request, messages[1:])
        progress(ProgressEvent(job=request.label, stage=DENOISE_STAGE, done=0, total=self.steps, message="; ".join(messages)))
        cache = self.embedding_cache(request.cache_dir)
        for attempt in range(2):
            try:
                return self._call(pipe, request, bundle, setup, plan, cache, progress, cancel), plan
            except Exception as exc:
                mode = self.memory_plan.mode if self.memory_plan else None
                if not is_out_of_memory(exc):
                    raise
                if attempt or mode not in LEANER or _leaner(mode) is None:
                    raise ShotRenderError(
                        f"{request.label}: out of GPU memory at {plan.width}x{plan.height}, {plan.frames} frames even in {mode.value if mode else '?'} mode; "
                        "render at a smaller size (--size) or shorter, or close other GPU programs"
                    ) from None
                pipe = self.reload_in(_leaner(self.memory_plan.mode), request, progress)
        raise AssertionError("unreachable")

    def _call(
        self,
        pipe: Any,
        request: ShotRenderRequest,
        bundle: ConditioningBundle,
        setup: ShotSetup,
        plan: GenerationPlan,
        cache: EmbeddingCache,
        progress: ProgressCallback,
        cancel: CancelToken,
    ) -> np.ndarray:
        import torch

        guidance = self.guidance_scale > 1.0
        embeds = conditioning.prompt_embeds(pipe, bundle, cache, self._keys["text"])
        extra: dict[str, Any] = {}
        if self.contents().ip_adapter is not None:
            if setup.cast:
                per_character = [conditioning.character_image_embeds(pipe, character, request.label, cache, self._keys["image"]) for character in setup.cast]
                extra["ip_adapter_image_embeds"] = conditioning.ip_adapter_input(per_character, guidance)
            else:
                extra["ip_adapter_image_embeds"] = conditioning.no_reference_input(pipe, guidance)
            pipe.set_ip_adapter_scale(setup.ip_adapter_scale)
        if self.contents().motion_loras and not self.contents().motion_loras_unusable:
            if setup.motion_lora:
                pipe.enable_lora()
                pipe.set_adapters([adapter_name(setup.motion_lora)], adapter_weights=[self.motion_lora_scale])
            else:
                pipe.disable_lora()
        with torch.inference_mode():
            result = pipe(
                prompt_embeds=embeds["prompt_embeds"],
                negative_prompt_embeds=embeds["negative_prompt_embeds"],
                **extra,
                width=plan.width,
                height=plan.height,
                num_frames=plan.frames,
                num_inference_steps=self.steps,
                guidance_scale=self.guidance_scale,
                generator=generator_for(bundle.seed),
                output_type="np",
                callback_on_step_end=step_reporter(request.label, self.steps, progress, cancel),
            )
        cancel.raise_if_cancelled()
        return np.asarray(result.frames[0])


def _leaner(mode: MemoryMode) -> MemoryMode | None:
    """The next leaner mode for a UNet pipeline: 8-bit is skipped (the shared 8-bit path quantizes a transformer)."""
    leaner = LEANER.get(mode)
    return LEANER.get(leaner) if leaner is MemoryMode.EIGHT_BIT else leaner
