"""The generation models the app knows, and finding a model's weights on this machine.

Weights are tens of gigabytes, so nothing here downloads: a model is found in a folder the user
names (--model-dir) or in the Hugging Face cache, and otherwise the error says how to get it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studio.errors import StudioError

MODEL_INDEX = "model_index.json"
SINGLE_FILE_SUFFIX = ".safetensors"  # only safetensors: a pickled .ckpt can run code when loaded


class ModelNotFoundError(StudioError):
    """A model's weights are not on this machine, or a folder is not a diffusers model folder."""


@dataclass(frozen=True)
class ModelSpec:
    key: str  # what users type, e.g. "ltx-video-2b"
    hub_id: str  # Hugging Face repository of the diffusers-format weights
    pipeline_class: str  # the diffusers pipeline that runs it
    licence: str
    size_gb: float  # approximate download size

    def download_hint(self, folder: str = "DIR") -> str:
        return f"huggingface-cli download {self.hub_id} --local-dir {folder}"


MODELS: dict[str, ModelSpec] = {
    spec.key: spec
    for spec in (
        ModelSpec("ltx-video-2b", "Lightricks/LTX-Video", "LTXPipeline", "LTX-Video Open Weights License", 14.0),
        ModelSpec("wan2.1-vace-1.3b", "Wan-AI/Wan2.1-VACE-1.3B-diffusers", "WanVACEPipeline", "Apache-2.0", 18.0),
        ModelSpec("wan2.1-vace-14b", "Wan-AI/Wan2.1-VACE-14B-diffusers", "WanVACEPipeline", "Apache-2.0", 75.0),
        # Published in parts (SD 1.5 + this motion adapter): `python -m pipeline.backends.animatediff.assemble DIR` joins them once.
        # Sound cues (pipeline.audio.generation). Gated on huggingface.co: accept the licence there before downloading. Free for
        # research and for individuals or organisations under US$1M annual revenue; others need a Stability AI licence. The size
        # counts both copies the repository holds (diffusers folders and the single-file checkpoint), which a download fetches.
        ModelSpec("stable-audio-open-1.0", "stabilityai/stable-audio-open-1.0", "StableAudioPipeline", "Stability AI Community License", 10.0),
        ModelSpec("animatediff-v1-5-2", "guoyww/animatediff-motion-adapter-v1-5-2", "AnimateDiffPipeline", "CreativeML OpenRAIL-M (SD 1.5) + Apache-2.0", 7.0),
    )
}


def model_spec(key: str) -> ModelSpec:
    try:
        return MODELS[key]
    except KeyError:
        raise ModelNotFoundError(f"unknown model {key!r}; choose one of: {', '.join(sorted(MODELS))}, or give a model folder") from None


def check_model_dir(folder: Path, spec: ModelSpec | None = None) -> Path:
    """Returns folder if it holds a diffusers pipeline (or is a single-file .safetensors checkpoint,
    as ComfyUI and other tools keep them), else raises naming the folder and the fix."""
    get = f"download the weights with `{spec.download_hint(str(folder))}`" if spec else "`studio models list` shows the models and how to get them"
    if folder.is_file() and folder.suffix.lower() == SINGLE_FILE_SUFFIX:
        return folder
    if folder.is_file():
        raise ModelNotFoundError(
            f"{folder} is a file but not a .safetensors checkpoint; give a diffusers model folder or a single-file .safetensors checkpoint"
        )
    if not folder.is_dir():
        raise ModelNotFoundError(f"model folder {folder} does not exist; {get}, or point --model-dir at them")
    if not (folder / MODEL_INDEX).is_file():
        raise ModelNotFoundError(f"{folder} is not a diffusers model folder (no {MODEL_INDEX}); {get}, or point --model-dir at one")
    return folder


# Which backend runs a folder, by the family of the pipeline class its model_index.json names.
PIPELINE_FAMILIES = {"LTX": "ltx", "Wan": "wan", "AnimateDiff": "animatediff", "StableAudio": "sound"}  # sound: cue audio, not a picture backend


def folder_pipeline_class(folder: Path) -> str | None:
    """The pipeline class a diffusers folder was saved from, or None when its index is unreadable."""
    import json

    try:
        name = json.loads((Path(folder) / MODEL_INDEX).read_text(encoding="utf-8")).get("_class_name")
    except (OSError, ValueError, AttributeError):
        return None
    return name if isinstance(name, str) else None


def pipeline_family(pipeline_class: str) -> str | None:
    return next((backend for prefix, backend in PIPELINE_FAMILIES.items() if pipeline_class.startswith(prefix)), None)


def check_pipeline_family(folder: Path, pipeline_class: str, backend: str) -> None:
    """Refuses a folder holding another kind of model before loading gigabytes of it."""
    held = folder_pipeline_class(folder)
    if held is None or pipeline_family(held) == pipeline_family(pipeline_class):
        return
    user = pipeline_family(held)
    fix = f"render with --backend {user}" if user else "point --model-dir at the right model"
    raise ModelNotFoundError(
        f"{folder} holds a {held} model, not one the {backend} backend can run ({pipeline_class}); {fix} or point --model-dir at the right model"
    )


def resolve_model_dir(key_or_path: str | Path, model_dir: Path | None = None) -> Path:
    """The local diffusers folder for a model key or a folder path. `model_dir` wins when given;
    a key is otherwise looked up in the Hugging Face cache only (never the network)."""
    spec = MODELS.get(str(key_or_path))
    if model_dir is not None:
        return check_model_dir(Path(model_dir).expanduser(), spec)
    if spec is None:
        path = Path(key_or_path).expanduser()
        if path.exists() or isinstance(key_or_path, Path) or "/" in str(key_or_path) or "\\" in str(key_or_path):
            return check_model_dir(path)
        model_spec(str(key_or_path))  # raises: neither a known model nor a folder
    assert spec is not None
    return check_model_dir(_cached_snapshot(spec), spec)


def _cached_snapshot(spec: ModelSpec) -> Path:
    try:
        from huggingface_hub import snapshot_download
    except ImportError:  # pragma: no cover - huggingface_hub comes with diffusers
        raise ModelNotFoundError(f"{spec.key} needs diffusers; install it, then `{spec.download_hint()}` and pass --model-dir DIR") from None
    try:
        return Path(snapshot_download(spec.hub_id, local_files_only=True))
    except Exception:  # noqa: BLE001 - any cache miss or offline error means the same thing to the user
        raise ModelNotFoundError(
            f"the {spec.key} weights ({spec.hub_id}, about {spec.size_gb:g} GB, {spec.licence}) are not on this machine; "
            f"download them with `{spec.download_hint()}` and pass --model-dir DIR (or set {_model_dir_variable(spec)})"
        ) from None


def _model_dir_variable(spec: ModelSpec) -> str:
    family = pipeline_family(spec.pipeline_class) or "MODEL"
    return f"STORYBOARD_{family.upper()}_MODEL_DIR"


def spec_for_backend(backend: str | None) -> ModelSpec | None:
    """The first model the registry lists for a backend (its default), for download hints."""
    return next((spec for spec in MODELS.values() if backend and pipeline_family(spec.pipeline_class) == backend), None)
