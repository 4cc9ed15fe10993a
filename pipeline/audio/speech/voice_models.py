"""The neural voice models the app knows, and finding a voice model's folder on this machine.

The family is VITS (Kim, Kong and Son, 2021) as transformers' `VitsModel` runs it. The checkpoints named
here are Kakao Enterprise's own, published under the MIT licence: `vits-ljs` (one voice, trained on the
public-domain LJ Speech) and `vits-vctk` (109 voices, trained on VCTK, CC BY 4.0: credit the corpus).
Meta's MMS-TTS checkpoints load the same way but are CC BY-NC 4.0, so they are not offered here; any
VITS folder still works when a user names it.

These checkpoints read phonemes, not letters. transformers would produce them with the `phonemizer`
package, which is GPL-3.0; we ask the espeak-ng program the app already runs instead (phonemes.py).

Nothing here downloads: a key is looked up in the Hugging Face cache only, a folder is used as given,
and otherwise the message says how to get the weights. Only safetensors weights are loaded, because a
pickled `pytorch_model.bin` can run code when it is read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.audio.speech.base import VoiceModelError

CONFIG = "config.json"
VOCAB = "vocab.json"
WEIGHTS = "model.safetensors"


@dataclass(frozen=True)
class VoiceModelSpec:
    key: str  # what a character's voice names, e.g. "vits-ljs"
    hub_id: str
    licence: str
    speakers: int
    size_mb: int
    revision: str | None = None  # where the repository keeps its safetensors weights outside main

    def download_hint(self, folder: str = "DIR") -> str:
        revision = f" --revision {self.revision}" if self.revision else ""
        return f'huggingface-cli download {self.hub_id}{revision} --include "*.json" "{WEIGHTS}" --local-dir {folder}'


VOICE_MODELS: dict[str, VoiceModelSpec] = {
    spec.key: spec
    for spec in (
        VoiceModelSpec("vits-ljs", "kakao-enterprise/vits-ljs", "MIT (weights); LJ Speech data is public domain", speakers=1, size_mb=145),
        # Its main branch holds only the pickled weights; the safetensors conversion lives in PR 1.
        VoiceModelSpec("vits-vctk", "kakao-enterprise/vits-vctk", "MIT (weights); VCTK data is CC BY 4.0", speakers=109, size_mb=159, revision="refs/pr/1"),
    )
}
DEFAULT_VOICE_MODEL = "vits-ljs"


def resolve_voice_model(reference: str | None) -> Path:
    """The folder of a voice model named by key (looked up in the Hugging Face cache) or by path; None is
    the default model. Raises VoiceModelError saying how to get it."""
    reference = (reference or "").strip() or DEFAULT_VOICE_MODEL
    spec = VOICE_MODELS.get(reference)
    if spec is None:
        return check_voice_model_dir(Path(reference).expanduser())
    return check_voice_model_dir(_cached_snapshot(spec), spec)


def check_voice_model_dir(folder: Path, spec: VoiceModelSpec | None = None) -> Path:
    """Returns the folder if it holds a VITS model with safetensors weights and its tokenizer's vocabulary."""
    get = f"download it with `{spec.download_hint()}` and set the voice model to DIR" if spec else _choose_hint()
    if not folder.is_dir():
        raise VoiceModelError(f"voice model folder {folder} does not exist; {get}")
    try:
        config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise VoiceModelError(f"{folder} is not a voice model folder (no readable {CONFIG}); {get}") from None
    if not isinstance(config, dict) or config.get("model_type") != "vits":
        kind = config.get("model_type") if isinstance(config, dict) else None
        raise VoiceModelError(f"{folder} holds a {kind or 'non-VITS'} model, not a VITS voice; {get}")
    if not (folder / WEIGHTS).is_file():
        pickled = " (it has only pickled weights, which are never loaded because they can run code)" if (folder / "pytorch_model.bin").exists() else ""
        raise VoiceModelError(f"{folder} has no {WEIGHTS}{pickled}; {get}")
    if not (folder / VOCAB).is_file():
        raise VoiceModelError(f"{folder} has no {VOCAB} (the voice's tokenizer); {get}")
    return folder


def voice_model_label(reference: str | None) -> str:
    """How messages name a voice model: its key, or the folder's name."""
    reference = (reference or "").strip() or DEFAULT_VOICE_MODEL
    return reference if reference in VOICE_MODELS else Path(reference).name or reference


def _choose_hint() -> str:
    known = [f"{spec.key} ({spec.speakers} voice{'s' if spec.speakers > 1 else ''})" for spec in VOICE_MODELS.values()]
    return f"point the voice model at a VITS model folder, or use {', '.join(known[:-1])} or {known[-1]}"


def _cached_snapshot(spec: VoiceModelSpec) -> Path:
    missing = VoiceModelError(
        f"voice model {spec.key} ({spec.hub_id}, about {spec.size_mb} MB, {spec.licence}) is not on this machine; "
        f"download it with `{spec.download_hint()}` and set the voice model to DIR"
    )
    try:
        from huggingface_hub import snapshot_download
    except ImportError:  # pragma: no cover - huggingface_hub comes with transformers
        raise missing from None
    try:
        return Path(snapshot_download(spec.hub_id, revision=spec.revision, local_files_only=True))
    except Exception:  # noqa: BLE001 - any cache miss or offline error means the same thing to the user
        raise missing from None
