"""ResidentModel: what every diffusers backend keeps between shots — its model folder and
fingerprint, the pipeline loaded once, the memory plan, embedding caches per project, and the notes
of what each render could not do as asked. Subclasses load their pipeline and render."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from pipeline.backends.base import ShotRenderError, ShotRenderRequest
from pipeline.backends.diffusers_support import RenderNotes
from pipeline.backends.memory import MemoryMode, MemoryPlan
from pipeline.continuity.bundle import ConditioningBundle
from pipeline.continuity.embedding_cache import EmbeddingCache, model_fingerprint
from pipeline.models.registry import resolve_model_dir
from pipeline.progress import ProgressCallback, ProgressEvent


class ResidentModel:
    name = "model"
    pipeline_class = ""  # the diffusers pipeline a subclass runs, for provenance

    def __init__(self, model_dir: Path | None, model: str, steps: int, guidance_scale: float, device: str | None, memory_mode: MemoryMode | None) -> None:
        self.model_dir, self.model = model_dir, model
        self.steps, self.guidance_scale = steps, guidance_scale
        self.device, self.memory_override = device, memory_mode
        self.loads = 0  # how often the weights were loaded: once per renderer, unless out of memory
        self.memory_plan: MemoryPlan | None = None
        self.notes = RenderNotes()
        self._pipe: Any = None
        self._folder: Path | None = None
        self._fingerprint: str | None = None
        self._caches: dict[Path | None, EmbeddingCache] = {}
        self._lock = threading.Lock()  # one pipeline, one shot at a time

    def folder(self) -> Path:
        if self._folder is None:
            self._folder = resolve_model_dir(self.model, self.model_dir)
        return self._folder

    def fingerprint(self) -> str:
        if self._fingerprint is None:
            self._fingerprint = model_fingerprint(self.folder())
        return self._fingerprint

    def render_settings(self) -> dict[str, str]:
        return {"model": self.fingerprint(), "steps": str(self.steps), "guidance": f"{self.guidance_scale:g}"}

    def model_id(self) -> str:
        """How provenance names the weights: the model key, or the folder the user pointed at."""
        return self.model if self.model_dir is None else self.folder().name

    def check_steps(self, request: ShotRenderRequest) -> None:
        if self.steps < 1:
            raise ShotRenderError(f"{request.label}: the {self.name} backend needs at least one denoising step, got {self.steps}")

    def generation_record(self, request: ShotRenderRequest, bundle: ConditioningBundle, **extra: str) -> dict[str, str]:
        """The provenance every generated take carries (model, pipeline, seed, steps, guidance, memory
        mode), the backend's `extra` entries, then the content hash of every conditioning input."""
        record = {
            "generator": f"Storyboard Studio {self.name} backend",
            "model_id": self.model_id(),
            "model_fingerprint": self.fingerprint(),
            "pipeline_class": self.pipeline_class,
            "seed": str(request.seed),
            "steps": str(self.steps),
            "guidance": f"{self.guidance_scale:g}",
            "memory_mode": self.memory_plan.mode.value if self.memory_plan else "",
            **extra,
        }
        record.update({f"input:{name}": digest for name, digest in bundle.ingredient_hashes().items()})
        return record

    def take_notes(self, request: ShotRenderRequest) -> list[str]:
        return self.notes.take(request)

    def embedding_cache(self, cache_dir: Path | None) -> EmbeddingCache:
        """The cache this renderer uses for a project's cache folder (one per folder, kept in memory too)."""
        if cache_dir not in self._caches:
            self._caches[cache_dir] = EmbeddingCache(cache_dir)
        return self._caches[cache_dir]

    def pipeline(self) -> Any:
        """The resident pipeline, loaded on first use."""
        if self._pipe is None:
            self._pipe = self._load()
            self.loads += 1
        return self._pipe

    def _load(self) -> Any:
        raise NotImplementedError

    def reload_in(self, leaner: MemoryMode, request: ShotRenderRequest, progress: ProgressCallback) -> Any:
        """After running out of GPU memory: drop the pipeline and load it again in a leaner mode."""
        import gc

        import torch

        progress(ProgressEvent(job=request.label, stage="load", done=0, total=1, message=f"out of GPU memory; reloading in {leaner.value} mode"))
        self._pipe = None
        gc.collect()
        torch.cuda.empty_cache()
        self.memory_override = leaner
        return self.pipeline()
