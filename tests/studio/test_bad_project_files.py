"""Damaged, foreign and hostile project files: one clear line naming the file and the problem,
from the loader (ProjectFileError) and from `studio info` (exit 2, no traceback), and nothing on
disk is changed by trying."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from studio.errors import ProjectFileError
from studio.project import Project
from studio.project_file import PROJECT_FILE, load_project, missing_media, save_project
from studio.take import Take

HASH = "ab" * 32


def _edit_document(folder: Path, edit: Callable[[dict], None]) -> None:
    file = folder / PROJECT_FILE
    document = json.loads(file.read_text(encoding="utf-8"))
    edit(document)
    file.write_text(json.dumps(document), encoding="utf-8")


def _first_shot(document: dict) -> dict:
    return document["project"]["sequences"][0]["shots"][0]


def _truncated(folder: Path) -> Path:
    file = folder / PROJECT_FILE
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 2])
    return file


def _duration_as_text(folder: Path) -> Path:
    _edit_document(folder, lambda d: _first_shot(d).__setitem__("duration", "ten"))
    return folder / PROJECT_FILE


def _file_version_99(folder: Path) -> Path:
    _edit_document(folder, lambda d: d.__setitem__("version", 99))
    return folder / PROJECT_FILE


def _shot_version_7(folder: Path) -> Path:
    _edit_document(folder, lambda d: _first_shot(d).__setitem__("schema", "Shot.7"))
    return folder / PROJECT_FILE


def _media_reference(ref: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        _edit_document(folder, lambda d: _first_shot(d).__setitem__("panel", ref))
        return folder / PROJECT_FILE

    return build


def _garbage_50_mb(folder: Path) -> Path:
    file = folder / PROJECT_FILE
    file.write_bytes(random.Random(50).randbytes(50 * 1024 * 1024))
    return file


def _empty(folder: Path) -> Path:
    file = folder / PROJECT_FILE
    file.write_bytes(b"")
    return file


def _binary(folder: Path) -> Path:
    file = folder / PROJECT_FILE
    file.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    return file


def _binary_behind_a_brace(folder: Path) -> Path:
    file = folder / PROJECT_FILE
    file.write_bytes(b'{"schema": "\xff\xfe\x00\x01' + bytes(range(128, 256)))
    return file


def _not_a_project(folder: Path) -> Path:
    (folder / PROJECT_FILE).unlink()
    (folder / "notes.txt").write_text("shopping list", encoding="utf-8")
    return folder / PROJECT_FILE


def _number_too_long(folder: Path) -> Path:
    file = folder / PROJECT_FILE
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace('"seed":1101', '"seed":' + "7" * 5000, 1), encoding="utf-8")
    assert "7" * 5000 in file.read_text(encoding="utf-8")
    return file


def _json_array(folder: Path) -> Path:
    file = folder / PROJECT_FILE
    file.write_text("[1, 2, 3]", encoding="utf-8")
    return file


def _other_json_object(folder: Path) -> Path:
    file = folder / PROJECT_FILE
    file.write_text('{"name": "my-package", "version": "1.0.0"}', encoding="utf-8")
    return file


def _format_edit(**changes: object) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        def edit(document: dict) -> None:
            fmt = document["project"]["format"]
            for key, value in changes.items():
                if key in ("numerator", "denominator"):
                    fmt["frame_rate"][key] = value
                else:
                    fmt[key] = value

        _edit_document(folder, edit)
        return folder / PROJECT_FILE

    return build


def _duration_of_a_million_years(folder: Path) -> Path:
    _edit_document(folder, lambda d: _first_shot(d).__setitem__("duration", 10**330))
    return folder / PROJECT_FILE


def _lens_of_400_digits(folder: Path) -> Path:
    _edit_document(folder, lambda d: _first_shot(d).__setitem__("lens_mm", 10**400))
    return folder / PROJECT_FILE


BAD_FILES = {
    "truncated JSON": (_truncated, "damaged JSON"),
    "duration as text": (_duration_as_text, "project.sequences[0].shots[0] (shot 1).duration: expected a whole number, got text"),
    "file format 99": (_file_version_99, "file format 99"),
    "Shot.7 object": (_shot_version_7, "Shot version 7 was written by a newer Storyboard Studio"),
    "relative path out of the project": (_media_reference("../../etc/passwd"), "'..' in a media reference is refused"),
    "absolute path": (_media_reference("/etc/passwd"), "absolute paths are refused"),
    "media/ then out": (_media_reference("media/../../x"), "'..' in a media reference is refused"),
    "windows drive path": (_media_reference("C:/Windows/win.ini"), "absolute paths are refused"),
    "bare dot": (_media_reference("."), "media references must start with media/"),
    "50 MB of garbage": (_garbage_50_mb, "not a project file"),
    "empty file": (_empty, "the file is empty"),
    "binary file": (_binary, "not a project file"),
    "binary after a brace": (_binary_behind_a_brace, "not UTF-8"),
    "folder that is not a project": (_not_a_project, "this folder is not a Storyboard Studio project"),
    "5000-digit number": (_number_too_long, "damaged JSON"),
    "JSON array": (_json_array, "not a project file"),
    "someone else's JSON": (_other_json_object, "not a Storyboard Studio project file"),
    # Values of the right type that no film has (they used to crash `studio info` with a traceback):
    "frame size 0x0": (_format_edit(width=0, height=0), "format: frame size 0x0"),
    "negative width": (_format_edit(width=-1280), "format: frame size -1280x720"),
    "a third of a frame per second": (_format_edit(numerator=1, denominator=3), "format: frame rate 1/3 fps is outside 1 to 240 fps"),
    "frame rate of 400 digits": (_format_edit(numerator=10**400), "fps is outside 1 to 240 fps"),
    "shot longer than any film": (_duration_of_a_million_years, "shot 1: duration of 1" + "0" * 330 + " frames is longer than any film"),
    "lens of 400 digits": (_lens_of_400_digits, "(shot 1).lens_mm: number out of range (beyond ±1.8e308)"),
}


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>", p.stat().st_mtime_ns) for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_project_file_is_refused_with_its_name_and_problem_and_left_untouched(case: str, tmp_project_folder: Path, run_cli: Callable[..., Any]) -> None:
    damage, problem = BAD_FILES[case]
    file = damage(tmp_project_folder)
    before = _snapshot(tmp_project_folder)

    with pytest.raises(ProjectFileError) as caught:
        load_project(tmp_project_folder)
    message = str(caught.value)
    assert caught.value.path == str(file)
    assert message.startswith(f"{file}: ")
    assert problem in message
    assert "\n" not in message

    result = run_cli("info", tmp_project_folder)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"studio: error: {message}\n"

    assert _snapshot(tmp_project_folder) == before


@pytest.mark.parametrize(("path_kind", "problem"), [("missing", "no such project folder"), ("file", "not a project folder")])
def test_path_that_is_not_a_folder_is_refused_by_name(tmp_path: Path, path_kind: str, problem: str, run_cli: Callable[..., Any]) -> None:
    target = tmp_path / "Nowhere.storyboard"
    if path_kind == "file":
        target.write_text("hello", encoding="utf-8")
    with pytest.raises(ProjectFileError, match=problem) as caught:
        load_project(target)
    assert caught.value.path == str(target)
    result = run_cli("info", target)
    assert (result.returncode, result.stderr) == (2, f"studio: error: {caught.value}\n")
    assert not target.exists() or target.read_text(encoding="utf-8") == "hello"


def test_missing_media_file_is_reported_after_the_info_by_its_path(tmp_path: Path, demo_project: Project, run_cli: Callable[..., Any]) -> None:
    shot = next(demo_project.shots())
    shot.takes.append(Take(id="t1", number=1, input_hash="0" * 64, backend="draft", thumbnail=f"media/{HASH}.png"))
    shot.active_take_id = "t1"
    folder = save_project(demo_project, tmp_path / "Demo.storyboard")
    before = _snapshot(folder)

    assert load_project(folder) == demo_project  # a missing file does not stop the project opening
    assert [m.reference for m in missing_media(demo_project, folder)] == [f"media/{HASH}.png"]

    result = run_cli("info", folder)
    assert result.returncode == 2
    assert result.stdout.startswith("Last Order")
    assert "shots      11" in result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"studio: error: {folder / 'media' / (HASH + '.png')}: missing media file")
    assert "shot 1 take T1" in lines[0]
    assert "Traceback" not in result.stderr
    assert _snapshot(folder) == before

    (folder / "media" / f"{HASH}.png").write_bytes(b"\x89PNG")
    assert run_cli("info", folder).returncode == 0


def test_saving_over_a_damaged_file_repairs_it_and_keeps_the_damaged_file_as_backup(tmp_project_folder: Path, demo_project: Project) -> None:
    """Saving is how a user repairs a project they still have open: the damaged file becomes the backup."""
    damaged = _truncated(tmp_project_folder).read_bytes()
    save_project(demo_project, tmp_project_folder)
    assert load_project(tmp_project_folder) == demo_project
    assert (tmp_project_folder / "project.json.bak").read_bytes() == damaged


@pytest.mark.parametrize("ref", ["media/" + "a" * 300 + ".png", "media/" + "a/" * 3000 + "x.png"], ids=["name too long", "path too long"])
def test_media_path_the_file_system_cannot_hold_is_reported_missing(tmp_project_folder: Path, ref: str, run_cli: Callable[..., Any]) -> None:
    _media_reference(ref)(tmp_project_folder)
    project = load_project(tmp_project_folder)
    assert [m.reference for m in missing_media(project, tmp_project_folder)] == [ref]
    result = run_cli("info", tmp_project_folder)
    assert result.returncode == 2
    assert result.stderr.startswith("studio: error: ") and "missing media file (shot 1 panel)" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
