"""What this installation is made of, as one plain-text report for bug reports: the app and library
versions, the GPU and its free memory, where each generation model's weights are looked for, and
the system tools the draft render needs.

No Qt here (the UI passes its Qt version in), and nothing heavy at import time: versions come from
package metadata, and torch is imported only when the GPU is probed, which callers do on demand and
off the GUI thread. Both the Help ▸ About dialog and `studio diagnostics` print `format_report`.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

APP_DISTRIBUTION = "storyboard-studio"
NOT_INSTALLED = "not installed"
NO_CUDA_GPU = "no CUDA GPU"

# (what the report calls it, its distribution on PyPI, the module it is imported as)
LIBRARIES: tuple[tuple[str, str, str], ...] = (
    ("PySide6 (Qt bindings)", "PySide6-Essentials", "PySide6"),
    ("torch", "torch", "torch"),
    ("diffusers", "diffusers", "diffusers"),
    ("transformers", "transformers", "transformers"),
    ("av (PyAV)", "av", "av"),
    ("OpenCV", "opencv-python-headless", "cv2"),
    ("numpy", "numpy", "numpy"),
    ("OpenTimelineIO", "opentimelineio", "opentimelineio"),
    ("reportlab", "reportlab", "reportlab"),
    ("c2pa", "c2pa-python", "c2pa"),
)
SOUND_MODEL_VARIABLE = "STORYBOARD_SOUND_MODEL_DIR"


@dataclass(frozen=True)
class ModelFolder:
    """Where one backend's weights are looked for, and whether something is there."""

    backend: str
    variable: str
    folder: str | None  # the variable's value; None when it is not set
    state: str  # "holds a model", "empty or not a diffusers folder", "missing", "not set"


@dataclass(frozen=True)
class CachedModel:
    key: str
    hub_id: str
    cached: bool


@dataclass(frozen=True)
class Diagnostics:
    app_version: str
    python: str
    platform: str
    frozen: bool
    qt: str
    libraries: dict[str, str]
    gpu: list[str]
    espeak: str
    ffmpeg: str
    model_folders: list[ModelFolder]
    hf_cache: str
    cached_models: list[CachedModel] = field(default_factory=list)


def distribution_version(distribution: str, module: str) -> str:
    """The installed version, read from package metadata (no import); a module that is importable
    but carries no metadata (a frozen bundle may drop it) reports its __version__ if already loaded."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        pass
    loaded = sys.modules.get(module)
    if loaded is not None:
        return str(getattr(loaded, "__version__", "installed"))
    try:
        return "installed" if find_spec(module) is not None else NOT_INSTALLED
    except (ImportError, ValueError):
        return NOT_INSTALLED


def app_version() -> str:
    try:
        return metadata.version(APP_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed as a package)"


def probe_gpu() -> list[str]:
    """One line per CUDA device with its free and total memory; imports torch (seconds, the first time)."""
    try:
        if find_spec("torch") is None:
            return [f"{NO_CUDA_GPU} (torch is not installed: only the draft backend can render)"]
    except (ImportError, ValueError):
        return [f"{NO_CUDA_GPU} (torch is not installed: only the draft backend can render)"]
    try:
        import torch

        if not torch.cuda.is_available():
            build = f"built for CUDA {torch.version.cuda}" if torch.version.cuda else "a CPU-only build"
            return [f"{NO_CUDA_GPU} (torch {torch.__version__} is {build}; generation runs on the CPU, slowly)"]
        lines = []
        for index in range(torch.cuda.device_count()):
            free, total = torch.cuda.mem_get_info(index)
            name = torch.cuda.get_device_name(index)
            lines.append(f"cuda:{index} {name}: {free / 2**30:.1f} GiB free of {total / 2**30:.1f} GiB (CUDA {torch.version.cuda})")
        return lines
    except Exception as exc:  # noqa: BLE001 - a broken driver must not break the report
        return [f"{NO_CUDA_GPU} (torch could not query the GPU: {type(exc).__name__}: {exc})"]


def espeak_summary() -> str:
    binary = shutil.which("espeak-ng")
    if binary is None:
        from pipeline.audio.espeak import install_hint

        return f"not found on PATH: scratch dialogue will fail; {install_hint()}"
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=5)
        return f"{binary}: {done.stdout.strip() or 'unknown version'}"
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{binary}: does not run ({exc})"


def ffmpeg_summary() -> str:
    """The FFmpeg libraries PyAV carries (it brings its own; no ffmpeg program is needed)."""
    try:
        import av
    except ImportError:
        return NOT_INSTALLED
    versions = getattr(av, "library_versions", {})
    libavcodec = versions.get("libavcodec")
    codec = ".".join(map(str, libavcodec)) if libavcodec else "unknown"
    ffmpeg = getattr(av, "ffmpeg_version_info", "")
    return f"FFmpeg {ffmpeg} (libavcodec {codec})" if ffmpeg else f"libavcodec {codec}"


def hf_cache_dir() -> Path:
    """Where the Hugging Face hub keeps downloads, by its own rules, without importing it."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HUGGINGFACE_HUB_CACHE"):
        return Path(os.environ["HUGGINGFACE_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    base = Path(os.environ["XDG_CACHE_HOME"]).expanduser() if os.environ.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "huggingface" / "hub"


def _folder_state(value: str | None) -> str:
    if not value:
        return "not set"
    folder = Path(value).expanduser()
    if not folder.exists():
        return "missing"
    if (folder / "model_index.json").is_file() or any(folder.glob("*.safetensors")):
        return "holds a model"
    return "empty or not a diffusers folder"


def model_folders() -> list[ModelFolder]:
    from pipeline.backends.registry import MODEL_DIR_VARIABLES

    variables = {**MODEL_DIR_VARIABLES, "sound": SOUND_MODEL_VARIABLE}
    found = []
    for backend, variable in variables.items():
        value = os.environ.get(variable, "").strip() or None
        found.append(ModelFolder(backend, variable, value, _folder_state(value)))
    return found


def cached_models(cache: Path) -> list[CachedModel]:
    from pipeline.models.registry import MODELS

    found = []
    for key, spec in sorted(MODELS.items()):
        snapshots = cache / f"models--{spec.hub_id.replace('/', '--')}" / "snapshots"
        found.append(CachedModel(key, spec.hub_id, snapshots.is_dir() and any(snapshots.iterdir())))
    return found


def collect(qt_version: str | None = None, gpu_probe: Callable[[], list[str]] | None = probe_gpu) -> Diagnostics:
    """Everything the report says. `gpu_probe` None leaves the GPU unprobed (torch stays unimported)."""
    libraries = {label: distribution_version(distribution, module) for label, distribution, module in LIBRARIES}
    qt = qt_version or f"{libraries['PySide6 (Qt bindings)']} (Qt not loaded)"
    cache = hf_cache_dir()
    return Diagnostics(
        app_version=app_version(),
        python=f"{platform.python_version()} ({platform.python_implementation()}, {sys.executable})",
        platform=f"{platform.system()} {platform.release()} {platform.machine()} ({platform.platform(terse=True)})",
        frozen=bool(getattr(sys, "frozen", False)),
        qt=qt,
        libraries=libraries,
        gpu=gpu_probe() if gpu_probe is not None else ["not checked"],
        espeak=espeak_summary(),
        ffmpeg=ffmpeg_summary(),
        model_folders=model_folders(),
        hf_cache=f"{cache} ({'present' if cache.is_dir() else 'absent'})",
        cached_models=cached_models(cache),
    )


def format_report(report: Diagnostics) -> str:
    """The plain-text report, the same in the dialog's Copy button and `studio diagnostics`."""
    lines = [
        "Storyboard Studio diagnostics",
        f"App: {report.app_version}{' (standalone bundle)' if report.frozen else ''}",
        f"Python: {report.python}",
        f"System: {report.platform}",
        f"Qt: {report.qt}",
        "",
        "Libraries:",
        *(f"  {label}: {version}" for label, version in report.libraries.items()),
        f"  FFmpeg (in PyAV): {report.ffmpeg}",
        "",
        "GPU:",
        *(f"  {line}" for line in report.gpu),
        "",
        f"espeak-ng: {report.espeak}",
        "",
        "Model folders (the backend's --model-dir wins over these variables; then the Hugging Face cache):",
        *(f"  {m.backend}: {m.variable}={m.folder or ''} ({m.state})" for m in report.model_folders),
        f"  Hugging Face cache: {report.hf_cache}",
        *(f"    {c.key} ({c.hub_id}): {'cached' if c.cached else 'not cached'}" for c in report.cached_models),
    ]
    return "\n".join(lines) + "\n"
