"""`studio new`: creating projects, the demo film, and refusing what it must not do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cli.main import main
from studio.frame_rate import FrameRate
from studio.project_file import BACKUP_FILE, PROJECT_FILE, load_project


def test_new_demo_creates_a_storyboard_folder_with_the_whole_demo_film(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    result = run_cli("new", tmp_path / "Demo", "--demo")
    folder = tmp_path / "Demo.storyboard"
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"created {folder}"
    assert (folder / PROJECT_FILE).is_file() and (folder / "media").is_dir()

    project = load_project(folder)
    shots = list(project.shots())
    assert len(shots) >= 8
    assert len(project.characters) == 2
    assert len(project.locations) == 2 and {s.location_id for s in shots} == {loc.id for loc in project.locations}
    assert sum(len(s.dialogue) for s in shots) > 0
    assert {line.character_id for s in shots for line in s.dialogue} == {c.id for c in project.characters}
    assert len({s.size for s in shots}) >= 4
    assert len({s.camera.type for s in shots}) >= 4
    assert all(s.camera.problems() == [] for s in shots)
    assert len({s.number for s in shots}) == len(shots)


def test_new_demo_at_23_976_in_1080p(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    assert run_cli("new", tmp_path / "Ntsc", "--demo", "--fps", "23.976", "--size", "1920x1080", "--title", "Night Shift").returncode == 0
    project = load_project(tmp_path / "Ntsc.storyboard")
    assert project.format.frame_rate == FrameRate(24000, 1001)
    assert (project.format.width, project.format.height, project.title) == (1920, 1080, "Night Shift")
    assert project.shot("s01").duration == 120  # five seconds at 23.976


def test_new_without_demo_creates_an_empty_project_named_after_its_folder(tmp_path: Path) -> None:
    assert main(["new", str(tmp_path / "Short Film.storyboard"), "--fps", "25"]) == 0
    project = load_project(tmp_path / "Short Film.storyboard")
    assert project.title == "Short Film"
    assert project.format.frame_rate == FrameRate(25)
    assert len(project.sequences) == 1 and list(project.shots()) == []


def test_new_refuses_to_overwrite_an_existing_project(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    assert main(["new", str(tmp_path / "Film"), "--demo"]) == 0
    file = tmp_path / "Film.storyboard" / PROJECT_FILE
    before = (file.read_bytes(), file.stat().st_mtime_ns)

    result = run_cli("new", tmp_path / "Film")
    assert result.returncode == 2
    assert result.stderr.startswith("studio: error: ") and "--force" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert (file.read_bytes(), file.stat().st_mtime_ns) == before


def test_new_with_force_replaces_an_existing_project(tmp_path: Path) -> None:
    assert main(["new", str(tmp_path / "Film"), "--demo"]) == 0
    assert main(["new", str(tmp_path / "Film"), "--force", "--title", "Fresh"]) == 0
    project = load_project(tmp_path / "Film.storyboard")
    assert project.title == "Fresh" and list(project.shots()) == []
    assert not (tmp_path / "Film.storyboard" / BACKUP_FILE).exists()  # replaced, not saved over


def test_new_refuses_a_folder_of_other_files_even_with_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "Holiday.storyboard"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    for extra in ([], ["--force"]):
        assert main(["new", str(folder), *extra]) == 2
        assert (folder / "photo.jpg").read_bytes() == b"\xff\xd8"
        assert not (folder / PROJECT_FILE).exists()
    assert "--force only replaces projects" in capsys.readouterr().err


def test_new_refuses_a_path_that_is_a_file(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    target = tmp_path / "Film.storyboard"
    target.write_text("not a folder", encoding="utf-8")
    result = run_cli("new", target)
    assert result.returncode == 2
    assert result.stderr.startswith(f"studio: error: {target}: ") and "Traceback" not in result.stderr
    assert target.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--size", "1280", "frame size '1280' is not WxH"),
        ("--size", "widexhigh", "is not WxH"),
        ("--size", "0x0", "must be even numbers between 16 and 8192"),
        ("--size", "1281x720", "must be even numbers between 16 and 8192"),
        ("--size", "100000x720", "must be even numbers between 16 and 8192"),
        ("--fps", "fast", "frame rate 'fast'"),
        ("--fps", "0", "frame rate '0'"),
        ("--fps", "-24", "frame rate '-24'"),
        ("--fps", "24/0", "frame rate '24/0'"),
        ("--fps", "23.5", "use an integer, 23.976, 29.97, 59.94 or N/D"),
        ("--fps", "1000", "must be between 1 and 240 frames per second"),
        ("--fps", "1/2", "must be between 1 and 240 frames per second"),
        ("--fps", "1e400", "must be between 1 and 240 frames per second"),
    ],
)
def test_new_with_a_bad_size_or_rate_says_what_is_wrong_and_creates_nothing(
    tmp_path: Path, option: str, value: str, message: str, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("new", tmp_path / "Film", option, value)
    assert result.returncode == 2
    assert result.stderr.startswith("studio: error: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
