"""`studio models`: lists the known models and whether their weights are here, says what a folder
holds, and fails a download clearly and quickly when offline (never hangs, never writes weights)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def studio(*args: object, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_CACHE": str(tmp_path / "hf-cache"), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "cli.main", *map(str, args)], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120, env=env)


def test_the_list_names_every_model_with_its_backend_licence_and_whether_the_weights_are_here(tmp_path):
    from pipeline.models.registry import MODELS

    done = studio("models", "list", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    for key, spec in MODELS.items():
        line = next(line for line in done.stdout.splitlines() if line.startswith(key))
        assert spec.licence[:20] in line and line.endswith("not on this machine")


def test_check_says_which_backend_runs_a_folder_and_refuses_a_folder_without_a_model(tiny_ltx_dir, tmp_path):
    done = studio("models", "check", tiny_ltx_dir, tmp_path=tmp_path)
    assert done.returncode == 0 and f"--backend ltx --model-dir {tiny_ltx_dir}" in done.stdout
    empty = studio("models", "check", tmp_path, tmp_path=tmp_path)
    assert empty.returncode == 2 and "not a diffusers model folder" in empty.stderr and "Traceback" not in empty.stderr


def test_a_download_without_a_connection_fails_with_the_reason_and_the_alternative(tmp_path):
    pytest.importorskip("huggingface_hub")
    done = studio("models", "download", "ltx-video-2b", "--to", tmp_path / "ltx", tmp_path=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "could not download Lightricks/LTX-Video" in done.stderr and "--model-dir" in done.stderr
    assert not list((tmp_path / "ltx").rglob("*.safetensors"))
