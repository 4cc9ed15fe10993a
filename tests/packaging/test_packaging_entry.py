"""The frozen app's entry point and the spec's choices for the draft-only bundle."""

from __future__ import annotations

import pytest
from packaging_helpers import load_packaging_module


def test_a_bare_project_path_from_the_desktop_opens_it() -> None:
    entry = load_packaging_module("entry")
    assert entry.command_line(["/home/me/Film.storyboard"]) == ["open", "/home/me/Film.storyboard"]
    assert entry.command_line(["/home/me/Film.storyboard/project.json"]) == ["open", "/home/me/Film.storyboard/project.json"]


def test_commands_reach_the_cli_unchanged() -> None:
    entry = load_packaging_module("entry")
    for argv in (["render", "demo.storyboard", "--out", "demo.mp4"], ["new", "demo", "--demo"], [], ["--help"], ["info"]):
        assert entry.command_line(argv) == argv


def test_the_draft_bundle_leaves_out_torch_and_the_generation_libraries_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("PyInstaller", reason="PyInstaller is installed by packaging/linux/build.sh (pip install pyinstaller==6.22.3)")
    common = load_packaging_module("spec_common")
    monkeypatch.delenv(common.TORCH_VARIABLE, raising=False)
    assert {"torch", "diffusers", "transformers"} <= set(common.excludes())
    assert not {"PySide6.QtMultimedia", "PySide6.QtWidgets", "cv2", "av"} & set(common.excludes())
    monkeypatch.setenv(common.TORCH_VARIABLE, "1")
    assert not {"torch", "diffusers", "transformers"} & set(common.excludes())
