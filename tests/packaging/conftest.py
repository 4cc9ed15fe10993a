"""Fixtures for the packaging checks: the repository's packaging/ folder and a built bundle, if any."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

BUNDLE_ENV = "STORYBOARD_BUNDLE_DIR"  # a built one-folder bundle (dist/storyboard-studio); its tests run only then


@pytest.fixture
def bundle_dir() -> Path:
    value = os.environ.get(BUNDLE_ENV, "").strip()
    if not value:
        pytest.skip(f"no bundle to check: build one with packaging/linux/build.sh and set {BUNDLE_ENV}=dist/storyboard-studio")
    folder = Path(value).resolve()
    if not (folder / "studio").is_file():
        pytest.fail(f"{BUNDLE_ENV}={value}: no `studio` executable there; point it at the one-folder bundle (dist/storyboard-studio)")
    return folder
