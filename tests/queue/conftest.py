"""Fixtures for the render queue: the flat test backend, known to this process and to the
workers it spawns, and the control folder through which it reports what it did."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # helpers next to this file (tests/ folders are not packages)

from queue_backends import CONTROL_VARIABLE, FLAT, flat_backend  # noqa: E402

from pipeline.backends import registry  # noqa: E402


@pytest.fixture
def control(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Workers inherit the environment at start, so the variable reaches them too; the parent's
    registry needs the backend as well, for the planner's take settings."""
    folder = tmp_path / "control"
    folder.mkdir()
    monkeypatch.setenv(CONTROL_VARIABLE, str(folder))
    monkeypatch.setitem(registry._FACTORIES, FLAT, flat_backend)
    return folder
