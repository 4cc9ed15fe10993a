"""Stable Audio Open (stabilityai/stable-audio-open-1.0, Stability AI Community License) through diffusers'
StableAudioPipeline: loaded from a local folder on the first cue that needs it and kept loaded for the
next, since loading its 1.2 billion parameters costs more than generating a clip.

The model makes stereo audio at 44.1 kHz, up to about 47 s per call, steered by the text and by the
duration it is asked for; a clip comes back resampled to the mix rate. Every denoising step is reported
and checks the cancel token, so a cancel stops the clip within one step. torch and diffusers are
imported inside the methods, never when this module is.
"""

from __future__ import annotations

import json
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.audio.pcm import resample
from pipeline.backends.diffusers_support import generator_for, load_pipeline
from pipeline.continuity.embedding_cache import model_fingerprint
from pipeline.models.registry import ModelNotFoundError
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent, RenderCancelled

MODEL_KEY = "stable-audio-open-1.0"
PIPELINE_CLASS = "StableAudioPipeline"
SOUND_STAGE = "sound"
DEFAULT_STEPS = 100  # the model card's setting; fewer steps blur transients first
GUIDANCE_SCALE = 7.0  # the model card's setting
NEGATIVE_PROMPT = "Low quality."  # the model card's example: steers away from muffled, noisy output


class StableAudioModel:
    """One Stable Audio model folder, loaded once and kept. `calls` counts generations and `loads` counts
    loads (what tests and benchmarks check); a device of None picks CUDA when there is one."""

    name = "stable-audio"

    def __init__(self, folder: Path, *, steps: int = DEFAULT_STEPS, device: str | None = None) -> None:
        if steps <= 0:
            raise ValueError(f"steps must be positive, got {steps}")
        self.folder = Path(folder)
        self.steps = steps
        self.device = device
        self.calls = 0
        self.loads = 0
        self._pipe: Any = None
        self._fingerprint: str | None = None
        self._lock = threading.Lock()  # one pipeline, one generation at a time: shots may be mixed on several threads

    def fingerprint(self) -> str:
        """The weights' identity, part of every clip's cache key: other weights make other clips."""
        if self._fingerprint is None:
            self._fingerprint = model_fingerprint(self.folder)
        return self._fingerprint

    def settings(self) -> dict[str, str]:
        """Everything besides the prompt, length and seed that changes a generated clip."""
        return {
            "model": MODEL_KEY,
            "weights": self.fingerprint(),
            "steps": str(self.steps),
            "guidance": str(GUIDANCE_SCALE),
            "negative_prompt": NEGATIVE_PROMPT,
        }

    def max_seconds(self) -> float:
        """The longest clip one call makes, read from the configs so that it costs no loading:
        the transformer's latent length times the VAE's hop, at the VAE's rate."""
        try:
            transformer = json.loads((self.folder / "transformer" / "config.json").read_text(encoding="utf-8"))
            vae = json.loads((self.folder / "vae" / "config.json").read_text(encoding="utf-8"))
            hop = int(np.prod(vae["downsampling_ratios"]))
            return float(transformer["sample_size"] * hop / vae["sampling_rate"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelNotFoundError(
                f"{self.folder}: cannot read the Stable Audio configs ({exc}); download {MODEL_KEY} again or point STORYBOARD_SOUND_MODEL_DIR at another copy"
            ) from None

    def load(self) -> Any:
        """The pipeline, loaded on first use. On a GPU its components take turns on the card (model CPU
        offload), so a resident video model keeps its memory; on a CPU it runs in float32."""
        if self._pipe is not None:
            return self._pipe
        try:
            import torch
        except ImportError as exc:
            raise ModelNotFoundError(f"generated sound needs torch and diffusers ({exc}); install them into the app's environment") from None
        device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
        dtype = torch.float16 if device.startswith("cuda") else torch.float32
        try:
            pipe = load_pipeline(PIPELINE_CLASS, self.folder, "sound", dtype)
        except ImportError as exc:  # its scheduler (cosine DPM-Solver SDE) needs torchsde, which diffusers does not require
            raise ModelNotFoundError(f"Stable Audio needs a package that is not installed ({exc}); run `pip install torchsde`") from None
        if device.startswith("cuda"):
            pipe.enable_model_cpu_offload(device=device)
        else:
            pipe.to(device)
        self._pipe = pipe
        self.loads += 1
        return pipe

    def generate(self, prompt: str, seconds: float, seed: int, *, job: str, what: str, progress: ProgressCallback, cancel: CancelToken) -> np.ndarray:
        """`seconds` of stereo for `prompt` as (2, samples) float32 at MIX_RATE (the count is within a few
        samples of seconds * MIX_RATE: the caller fits it). The same prompt, length and seed give the same
        clip on the same device."""
        with self._lock:
            return self._generate(prompt, seconds, seed, job=job, what=what, progress=progress, cancel=cancel)

    def _generate(self, prompt: str, seconds: float, seed: int, *, job: str, what: str, progress: ProgressCallback, cancel: CancelToken) -> np.ndarray:
        cancel.raise_if_cancelled()
        pipe = self.load()
        started = time.perf_counter()

        def on_step(step: int, timestep: Any, latents: Any) -> None:
            done = step + 1
            eta = (time.perf_counter() - started) / done * max(0, self.steps - done)
            progress(ProgressEvent(job=job, stage=SOUND_STAGE, done=done, total=self.steps, message=f"generating {what}", eta_s=round(eta, 2)))
            if cancel.cancelled:
                raise RenderCancelled()  # StableAudioPipeline has no interrupt flag: leaving the loop is the way out

        progress(ProgressEvent(job=job, stage=SOUND_STAGE, done=0, total=self.steps, message=f"generating {what}"))
        self.calls += 1
        with warnings.catch_warnings():
            # The scheduler's Brownian tree complains of float32 rounding at its ends (0.29999998 < 0.3) on every clip.
            warnings.filterwarnings("ignore", message="Should have", category=UserWarning, module="torchsde")
            output = pipe(
                prompt,
                negative_prompt=NEGATIVE_PROMPT,
                audio_end_in_s=seconds,
                num_inference_steps=self.steps,
                guidance_scale=GUIDANCE_SCALE,
                generator=generator_for(seed),
                callback=on_step,
                callback_steps=1,
                output_type="np",
            )
        audio = np.asarray(output.audios[0], dtype=np.float32)  # (channels, samples) at the VAE's rate
        if audio.shape[0] == 1:
            audio = np.repeat(audio, 2, axis=0)
        return resample(audio[:2], int(pipe.vae.sampling_rate)) if audio.shape[1] else np.zeros((2, 0), dtype=np.float32)
