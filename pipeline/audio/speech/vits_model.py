"""One VITS voice model folder, loaded on first use and then kept resident, run one line at a time.

torch and transformers are imported inside the methods that need them, so building this object (which
only reads the folder's small JSON files) and serving lines from the disk cache never load them.
The model is loaded from the local folder only (`local_files_only`) and from safetensors only.

Runs are serialized by a lock: the model's noise scales are attributes that each line sets, and one
model on a CPU is already as fast as the cores allow. The seed is applied inside a forked RNG, so a
line's reading depends only on its seed, never on what ran before it or on the process's own RNG.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.audio.speech.base import VoiceModelError
from pipeline.audio.speech.voice_models import CONFIG, VOCAB, WEIGHTS, resolve_voice_model

_TOKENIZER_CONFIG = "tokenizer_config.json"


@dataclass(frozen=True)
class VitsControls:
    """What a line asks of the model: pace, and how much of its sampling noise to use (the model's own
    noise scales times these factors)."""

    speaking_rate: float  # 1.0 is the model's natural pace
    noise: float  # times config.noise_scale: the voice's variation; more is breathier
    duration_noise: float  # times config.noise_scale_duration: the rhythm's variation


@dataclass(frozen=True)
class RawSpeech:
    """The model's output for one line, before levels, trimming and resampling."""

    waveform: np.ndarray  # mono float32 at `rate`
    rate: int
    tokens: list[str]  # the model's input tokens, blanks included
    frames: list[int] | None  # each token's duration in spectrogram frames; None when they could not be read
    hop: int  # samples per frame
    add_blank: bool


class VitsVoiceModel:
    """A VITS model folder (config, vocabulary, safetensors weights); thread-safe."""

    def __init__(self, folder: Path, *, device: str = "cpu") -> None:
        self.folder = folder
        self.device = device
        self.config: dict[str, Any] = _read_json(folder / CONFIG)
        self.vocab: dict[str, int] = _read_json(folder / VOCAB)
        tokenizer_config = _read_json(folder / _TOKENIZER_CONFIG) if (folder / _TOKENIZER_CONFIG).is_file() else {}
        # transformers' defaults for a tokenizer config that leaves these out
        self.needs_phonemes = bool(tokenizer_config.get("phonemize", True))
        self.add_blank = bool(tokenizer_config.get("add_blank", True))
        self.speakers = int(self.config.get("num_speakers", 1))
        self.fingerprint = _fingerprint(folder)
        self._lock = threading.Lock()
        self._model: Any = None
        self._tokenizer: Any = None

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def loaded(self) -> bool:
        """Whether the weights are resident (a line served from the disk cache never loads them)."""
        return self._model is not None

    def load(self) -> None:
        """Loads the weights unless they are already resident; raises VoiceModelError when they cannot be."""
        with self._lock:
            self._load_locked()

    def token_ids(self, text: str) -> list[int]:
        """The model's input for `text` (phonemes for a phoneme model), blanks included; characters the
        vocabulary lacks are left out, as the model never learned them."""
        with self._lock:
            self._load_locked()
            # A letter model's tokenizer lower-cases before looking letters up, so those pass too.
            known = "".join(ch for ch in text if ch in self.vocab or ch.lower() in self.vocab)
            return list(self._tokenizer(known)["input_ids"])

    def synthesize(self, ids: list[int], *, speaker: int, controls: VitsControls, seed: int) -> RawSpeech:
        import torch

        with self._lock:
            self._load_locked()
            model = self._model
            captured: dict[str, Any] = {}
            # VitsModel returns no durations, but its duration predictor's output is the log duration of
            # each token; a hook reads it without re-implementing any of the model.
            handle = model.duration_predictor.register_forward_hook(lambda _module, _args, output: captured.__setitem__("log_duration", output))
            defaults = (model.noise_scale, model.noise_scale_duration)
            model.noise_scale = float(self.config.get("noise_scale", 0.667)) * controls.noise
            model.noise_scale_duration = float(self.config.get("noise_scale_duration", 0.8)) * controls.duration_noise
            devices = [torch.device(self.device).index or 0] if torch.device(self.device).type == "cuda" else []
            try:
                with torch.random.fork_rng(devices=devices), torch.inference_mode():
                    torch.manual_seed(seed)
                    output = model(
                        input_ids=torch.tensor([ids], dtype=torch.long, device=self.device),
                        speaker_id=speaker if self.speakers > 1 else None,
                        speaking_rate=controls.speaking_rate,
                    )
            finally:
                handle.remove()
                model.noise_scale, model.noise_scale_duration = defaults
            length = int(output.sequence_lengths[0])
            waveform = output.waveform[0, :length].float().cpu().numpy().astype(np.float32)
            hop = int(np.prod(model.config.upsample_rates))
            frames = _token_frames(captured.get("log_duration"), controls.speaking_rate, hop, length)
            tokens = [str(token) for token in self._tokenizer.convert_ids_to_tokens(ids)]
            return RawSpeech(waveform, int(model.config.sampling_rate), tokens, frames, hop, self.add_blank)

    def _load_locked(self) -> None:
        if self._model is not None:
            return
        try:
            from transformers import VitsModel, VitsTokenizer
        except ImportError:
            raise VoiceModelError("neural voices need transformers and torch: install them (`pip install transformers torch`)") from None
        try:
            model = VitsModel.from_pretrained(self.folder, use_safetensors=True, local_files_only=True)
            tokenizer = VitsTokenizer.from_pretrained(self.folder, local_files_only=True)
        except (OSError, ValueError, RuntimeError, KeyError, TypeError) as error:
            raise VoiceModelError(f"the voice model in {self.folder} could not be loaded ({error}); download it again or choose another voice model") from None
        # Phonemes come from the espeak-ng program (phonemes.py); this keeps the tokenizer from calling
        # the GPL phonemizer package on text that is already phonemes.
        tokenizer.phonemize = False
        self._model = model.to(self.device).eval()
        self._tokenizer = tokenizer


def _token_frames(log_duration: Any, speaking_rate: float, hop: int, samples: int) -> list[int] | None:
    """Each token's frames, computed as VitsModel does (ceil(exp(log d) / speaking rate)); None unless they
    add up to exactly the waveform it returned, so a future change in the model gives no timings rather
    than wrong ones."""
    if log_duration is None:
        return None
    import torch

    frames = torch.ceil(torch.exp(log_duration.float()) * (1.0 / speaking_rate)).reshape(-1).long().tolist()
    return frames if max(1, sum(frames)) * hop == samples else None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise VoiceModelError(f"{path} cannot be read ({error}); download the voice model again") from None


def _fingerprint(folder: Path) -> str:
    """Everything that changes what the model says, without hashing its weights on every start: the small
    files' contents, the weights file's size and time, and the library versions."""
    digest = hashlib.sha256()
    for name in (CONFIG, VOCAB, _TOKENIZER_CONFIG):
        path = folder / name
        digest.update(name.encode() + (path.read_bytes() if path.is_file() else b"-"))
    weights = (folder / WEIGHTS).stat()
    digest.update(f"{weights.st_size}:{weights.st_mtime_ns}".encode())
    for package in ("transformers", "torch"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    return digest.hexdigest()


class ResidentVoiceModels:
    """The VITS models this process has opened, kept between lines, shots and projects: loading a model
    takes seconds, a line a fraction of that. The `keep` most recently used stay; a folder whose weights
    changed on disk is opened afresh."""

    def __init__(self, *, device: str = "cpu", keep: int = 2) -> None:
        self.device = device
        self.keep = keep
        self._lock = threading.Lock()
        self._models: OrderedDict[tuple[Path, int, int], VitsVoiceModel] = OrderedDict()

    def model(self, reference: str | None) -> VitsVoiceModel:
        """The model a character's voice names (a key or a folder; None for the default); raises VoiceModelError."""
        folder = resolve_voice_model(reference).resolve()
        weights = (folder / WEIGHTS).stat()
        key = (folder, weights.st_size, weights.st_mtime_ns)
        with self._lock:
            model = self._models.get(key)
            if model is None:
                model = self._models[key] = VitsVoiceModel(folder, device=self.device)
            self._models.move_to_end(key)
            while len(self._models) > self.keep:
                self._models.popitem(last=False)
            return model
