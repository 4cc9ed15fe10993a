"""`studio models`: which generation models the app knows, whether their weights are on this
machine, what a folder holds, and downloading weights when the user asks (never otherwise)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.models.registry import MODELS, ModelNotFoundError, check_model_dir, folder_pipeline_class, pipeline_family, resolve_model_dir


def _where(key: str) -> str:
    try:
        return str(resolve_model_dir(key))
    except ModelNotFoundError:
        return "not on this machine"


def list_models() -> int:
    print(f"{'model':22s} {'backend':12s} {'size':>7s}  {'licence':34s} weights")
    for key, spec in sorted(MODELS.items()):
        backend = pipeline_family(spec.pipeline_class) or "?"
        print(f"{key:22s} {backend:12s} {spec.size_gb:6.1f}G  {spec.licence[:34]:34s} {_where(key)}")
    print("\nPoint a backend at weights anywhere with --model-dir DIR; `studio models download MODEL --to DIR` fetches them.")
    return 0


def check_folder(folder: Path) -> int:
    check_model_dir(folder)
    held = folder_pipeline_class(folder)
    backend = pipeline_family(held or "")
    if backend is None:
        raise ModelNotFoundError(f"{folder} holds a {held or 'unnamed'} pipeline, which no backend of this app runs; supported: LTX-Video, Wan, AnimateDiff")
    if backend == "sound":  # sound cues are not a picture backend: the model is found through the environment
        print(f"{folder}: {held}; generate sound cues with it: set STORYBOARD_SOUND_MODEL_DIR={folder}")
    else:
        print(f"{folder}: {held}; render with --backend {backend} --model-dir {folder}")
    return 0


def download(key: str, target: Path) -> int:
    spec = MODELS.get(key)
    if spec is None:
        raise ModelNotFoundError(f"unknown model {key!r}; `studio models list` shows the ones this app knows")
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError
    except ImportError:
        raise ModelNotFoundError("downloading needs huggingface_hub (it comes with diffusers); install the app's requirements") from None
    print(f"downloading {spec.hub_id} (about {spec.size_gb:g} GB, {spec.licence}) to {target}")
    try:
        # safetensors and configs only: never pickled weights, never code
        snapshot_download(spec.hub_id, local_dir=target, allow_patterns=["*.json", "*.safetensors", "*.txt", "*.model", "*.tiktoken", "*.jinja"])
    except (LocalEntryNotFoundError, HfHubHTTPError, OSError) as exc:
        raise ModelNotFoundError(
            f"could not download {spec.hub_id} ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no connection'}); "
            f"check the internet connection (and that you accepted the model's licence on huggingface.co), or download it elsewhere and pass --model-dir"
        ) from None
    return check_folder(target)


def run_models(args: argparse.Namespace) -> int:
    action = args.models_command or "list"
    if action == "check":
        return check_folder(Path(args.folder).expanduser())
    if action == "download":
        return download(args.model, Path(args.to).expanduser())
    return list_models()
