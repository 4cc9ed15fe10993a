"""The renderers the app knows, by name. Backends are created on demand, so an unused one costs nothing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pipeline.backends.base import ShotRenderer
from studio.errors import StudioError

DEFAULT_BACKEND = "draft"


def _draft() -> ShotRenderer:
    from pipeline.backends.draft.renderer import DraftRenderer

    return DraftRenderer()


# Backends that run a model, and where each finds its weights: set_model_dir (the CLI's
# --model-dir) wins over the environment variable; with neither, the Hugging Face cache.
MODEL_DIR_VARIABLES = {"ltx": "STORYBOARD_LTX_MODEL_DIR", "wan": "STORYBOARD_WAN_MODEL_DIR", "animatediff": "STORYBOARD_ANIMATEDIFF_MODEL_DIR"}
LTX_STEPS_VARIABLE = "STORYBOARD_LTX_STEPS"
WAN_STEPS_VARIABLE = "STORYBOARD_WAN_STEPS"
WAN_MODEL_VARIABLE = "STORYBOARD_WAN_MODEL"  # which Wan VACE: the 1.3B (480p, default) or the 14B (720p)
_model_dirs: dict[str, Path] = {}


def _steps_from_environment(variable: str) -> int | None:
    """Denoising steps set in the environment (tests and quick previews), checked so a typo is said."""
    steps = os.environ.get(variable, "").strip()
    if steps and not (steps.isdigit() and int(steps) > 0):
        raise StudioError(f"{variable}={steps!r} is not a number of denoising steps; set it to a positive whole number or unset it")
    return int(steps) if steps else None


MEMORY_MODE_VARIABLE = "STORYBOARD_MEMORY_MODE"  # overrides the automatic choice: full, model-offload, 8bit, group-offload


def _memory_mode_from_environment() -> dict[str, object]:
    """The memory mode the user forced (the CLI's --memory-mode sets it, so worker processes see it too)."""
    from pipeline.backends.memory import MemoryMode

    value = os.environ.get(MEMORY_MODE_VARIABLE, "").strip()
    if not value or value == "auto":
        return {}
    try:
        return {"memory_mode": MemoryMode(value)}
    except ValueError:
        choices = ", ".join(mode.value for mode in MemoryMode if mode is not MemoryMode.CPU)
        raise StudioError(f"{MEMORY_MODE_VARIABLE}={value!r} is not a memory mode; use auto or one of: {choices}") from None


def set_model_dir(folder: Path | None, backend: str | None = None) -> None:
    """Where `backend`'s model lives (None: every model backend); folder None forgets it."""
    if backend is not None and backend not in MODEL_DIR_VARIABLES:
        raise StudioError(f"the {backend} backend uses no model, so --model-dir does not apply; it is for: {', '.join(sorted(MODEL_DIR_VARIABLES))}")
    for name in [backend] if backend is not None else list(MODEL_DIR_VARIABLES):
        if folder is None:
            _model_dirs.pop(name, None)
        else:
            _model_dirs[name] = folder


def model_dir(backend: str) -> Path | None:
    if backend in _model_dirs:
        return _model_dirs[backend]
    value = os.environ.get(MODEL_DIR_VARIABLES.get(backend, ""), "").strip()
    return Path(value).expanduser() if value else None


def _ltx() -> ShotRenderer:
    from pipeline.backends.ltx.renderer import LtxRenderer

    steps = _steps_from_environment(LTX_STEPS_VARIABLE)
    return LtxRenderer(model_dir=model_dir("ltx"), **({"steps": steps} if steps else {}), **_memory_mode_from_environment())


def _wan() -> ShotRenderer:
    from pipeline.backends.wan.renderer import DEFAULT_MODEL, WanRenderer

    steps = _steps_from_environment(WAN_STEPS_VARIABLE)
    model = os.environ.get(WAN_MODEL_VARIABLE, "").strip() or DEFAULT_MODEL
    return WanRenderer(model_dir=model_dir("wan"), model=model, **({"steps": steps} if steps else {}), **_memory_mode_from_environment())


ANIMATEDIFF_STEPS_VARIABLE = "STORYBOARD_ANIMATEDIFF_STEPS"


def _animatediff() -> ShotRenderer:
    from pipeline.backends.animatediff.renderer import AnimateDiffRenderer

    steps = _steps_from_environment(ANIMATEDIFF_STEPS_VARIABLE)
    return AnimateDiffRenderer(model_dir=model_dir("animatediff"), **({"steps": steps} if steps else {}), **_memory_mode_from_environment())


_FACTORIES: dict[str, Callable[[], ShotRenderer]] = {"draft": _draft, "ltx": _ltx, "wan": _wan, "animatediff": _animatediff}


def register_backend(name: str, factory: Callable[[], ShotRenderer]) -> None:
    _FACTORIES[name] = factory


def backend_names() -> list[str]:
    return sorted(_FACTORIES)


def create_backend(name: str) -> ShotRenderer:
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise StudioError(f"unknown backend {name!r}; choose one of: {', '.join(backend_names())}") from None
    return factory()
