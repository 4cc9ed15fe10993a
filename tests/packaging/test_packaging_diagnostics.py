"""The diagnostics report (Help ▸ About, `studio diagnostics`): what a bug report needs, and cheap to make."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import diagnostics
from pipeline.diagnostics import NO_CUDA_GPU, collect, format_report

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for variable in (
        "STORYBOARD_LTX_MODEL_DIR",
        "STORYBOARD_WAN_MODEL_DIR",
        "STORYBOARD_ANIMATEDIFF_MODEL_DIR",
        "STORYBOARD_SOUND_MODEL_DIR",
        "HF_HOME",
        "HUGGINGFACE_HUB_CACHE",
    ):
        monkeypatch.delenv(variable, raising=False)
    cache = tmp_path / "hf-hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    return cache


def test_the_report_names_the_versions_the_gpu_and_the_tools(clean_environment: Path) -> None:
    report = format_report(collect(qt_version="Qt 6.9.9, PySide6 6.9.9", gpu_probe=lambda: ["cuda:0 Test GPU: 20.0 GiB free of 24.0 GiB (CUDA 12.4)"]))
    assert report.startswith("Storyboard Studio diagnostics\nApp: ")
    assert f"Python: {platform.python_version()}" in report
    assert "Qt: Qt 6.9.9, PySide6 6.9.9" in report
    for label in ("torch", "diffusers", "av (PyAV)", "OpenCV", "OpenTimelineIO", "FFmpeg (in PyAV)"):
        assert f"  {label}: " in report
    assert "  cuda:0 Test GPU: 20.0 GiB free of 24.0 GiB (CUDA 12.4)" in report
    assert "espeak-ng: " in report


def test_model_folders_say_whether_each_holds_a_model(clean_environment: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    ltx = tmp_path / "ltx"
    ltx.mkdir()
    (ltx / "model_index.json").write_text('{"_class_name": "LTXPipeline"}')
    monkeypatch.setenv("STORYBOARD_LTX_MODEL_DIR", str(ltx))
    monkeypatch.setenv("STORYBOARD_WAN_MODEL_DIR", str(tmp_path / "nowhere"))
    (clean_environment / "models--Lightricks--LTX-Video" / "snapshots" / "0123abc").mkdir(parents=True)
    report = format_report(collect(gpu_probe=None))
    assert f"  ltx: STORYBOARD_LTX_MODEL_DIR={ltx} (holds a model)" in report
    assert f"  wan: STORYBOARD_WAN_MODEL_DIR={tmp_path / 'nowhere'} (missing)" in report
    assert "  animatediff: STORYBOARD_ANIMATEDIFF_MODEL_DIR= (not set)" in report
    assert "  sound: STORYBOARD_SOUND_MODEL_DIR= (not set)" in report
    assert f"  Hugging Face cache: {clean_environment} (present)" in report
    assert "    ltx-video-2b (Lightricks/LTX-Video): cached" in report
    assert "    wan2.1-vace-14b (Wan-AI/Wan2.1-VACE-14B-diffusers): not cached" in report


def test_the_hugging_face_cache_follows_hf_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HUGGINGFACE_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    assert diagnostics.hf_cache_dir() == tmp_path / "hf" / "hub"


def test_a_missing_library_reads_not_installed() -> None:
    assert diagnostics.distribution_version("no-such-distribution-here", "no_such_module_here") == "not installed"


def test_collecting_without_the_gpu_check_loads_no_torch_and_no_qt() -> None:
    code = (
        "import sys\nfrom pipeline.diagnostics import collect, format_report\nformat_report(collect(gpu_probe=None))\n"
        "print(sorted({n.split('.')[0] for n in sys.modules} & {'torch', 'diffusers', 'transformers', 'PySide6', 'cv2'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_gpu_line_is_a_device_or_says_there_is_no_cuda_gpu() -> None:
    lines = diagnostics.probe_gpu()
    assert lines and (lines[0].startswith(NO_CUDA_GPU) or lines[0].startswith("cuda:0 ")), lines


def test_studio_diagnostics_prints_the_report(run_cli) -> None:
    done = run_cli("diagnostics", "--no-gpu")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Storyboard Studio diagnostics\n")
    assert "Model folders" in done.stdout and "GPU:\n  not checked" in done.stdout
