"""The export tests' fixtures (builders live in export_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_helpers import SmallProject, build_small_project


@pytest.fixture
def small(tmp_path: Path) -> SmallProject:
    """Four shots in two scenes at 320x180, 24 fps, each with a real encoded take."""
    return build_small_project(tmp_path)
