"""Fixtures for the generation backends: one tiny LTX-Video model folder per test session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tiny_ltx, next to this file (tests/ folders are not packages)


@pytest.fixture(scope="session")
def tiny_ltx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("diffusers", reason="the generation backends need diffusers")
    from tiny_ltx import build_tiny_ltx

    return build_tiny_ltx(tmp_path_factory.mktemp("models") / "tiny-ltx")


@pytest.fixture(scope="session")
def tiny_wan_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("diffusers", reason="the generation backends need diffusers")
    from tiny_wan import build_tiny_wan

    return build_tiny_wan(tmp_path_factory.mktemp("models") / "tiny-wan")


@pytest.fixture(scope="session")
def tiny_animatediff_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("diffusers", reason="the generation backends need diffusers")
    from tiny_animatediff import build_tiny_animatediff

    return build_tiny_animatediff(tmp_path_factory.mktemp("models") / "tiny-animatediff")


@pytest.fixture(scope="session")
def tiny_stable_audio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("diffusers", reason="generated sound cues need diffusers")
    pytest.importorskip("torchsde", reason="Stable Audio's scheduler needs torchsde")
    from tiny_stable_audio import build_tiny_stable_audio

    return build_tiny_stable_audio(tmp_path_factory.mktemp("models") / "tiny-stable-audio")
