"""Relinking missing media from a folder: by content first (the document stays as it is), then by name."""

from __future__ import annotations

import hashlib
from pathlib import Path

from studio.commands import AddTake, History
from studio.project import Project, Sequence
from studio.project_file import missing_media, save_project
from studio.relink import find_replacements, relink_missing_media
from studio.shot import Shot
from studio.take import Take


def _ref(data: bytes, suffix: str) -> str:
    return f"media/{hashlib.sha256(data).hexdigest()}{suffix}"


def _project(tmp_path: Path, refs: dict[str, str]) -> tuple[Project, Path]:
    shot = Shot(id="a", number="1", duration=8, panel=refs.get("panel"))
    project = Project(title="P", sequences=[Sequence(id="sc1", name="1", shots=[shot])])
    AddTake("a", Take(id="t1", number=1, input_hash="x", backend="draft", video=refs.get("video"), thumbnail=refs.get("thumbnail"))).do(project)
    return project, save_project(project, tmp_path / "P.storyboard")


def test_files_found_by_content_land_exactly_at_the_missing_references(tmp_path: Path) -> None:
    video, thumb = _ref(b"video", ".mp4"), _ref(b"thumb", ".jpg")
    project, folder = _project(tmp_path, {"video": video, "thumbnail": thumb, "panel": _ref(b"gone", ".png")})
    backup = tmp_path / "backup" / "deep" / "er"
    backup.mkdir(parents=True)
    (backup / "renamed take.MP4").write_bytes(b"video")
    (backup / "thumb.jpg").write_bytes(b"thumb")
    (backup / "unrelated.jpg").write_bytes(b"other")
    report, command = relink_missing_media(project, folder, tmp_path / "backup")
    assert command is None  # same content, same name: nothing in the document changes
    assert set(report.by_content) == {video, thumb} and report.relinked == 2 and len(report.missing) == 3
    assert report.still_missing == [_ref(b"gone", ".png")]
    assert (folder / video).read_bytes() == b"video" and (folder / thumb).read_bytes() == b"thumb"
    assert [m.reference for m in missing_media(project, folder)] == [_ref(b"gone", ".png")]
    assert report.summary().startswith("Relinked 2 of 3") and "still missing: " + _ref(b"gone", ".png") in report.summary()


def test_a_file_with_the_missing_name_but_other_content_is_relinked_by_an_undoable_edit(tmp_path: Path) -> None:
    panel = _ref(b"old panel", ".png")
    project, folder = _project(tmp_path, {"panel": panel})
    found = tmp_path / "found"
    found.mkdir()
    (found / panel.removeprefix("media/")).write_bytes(b"retouched panel")
    report, command = relink_missing_media(project, folder, found)
    new = _ref(b"retouched panel", ".png")
    assert report.by_name == {panel: (found / panel.removeprefix("media/"), new)} and report.still_missing == []
    assert command is not None
    history = History(project)
    history.execute(command)
    assert project.shot("a").panel == new and missing_media(project, folder) == []
    history.undo()
    assert project.shot("a").panel == panel


def test_nothing_found_leaves_everything_missing(tmp_path: Path) -> None:
    assert find_replacements([_ref(b"x", ".png")], tmp_path) == ({}, {})
    project, folder = _project(tmp_path, {"video": _ref(b"v", ".mp4")})
    report, command = relink_missing_media(project, folder, tmp_path / "P.storyboard")
    assert command is None and report.relinked == 0 and report.still_missing == [_ref(b"v", ".mp4")]
    assert report.summary() == f"Relinked 0 of 1 missing media file(s); still missing: {_ref(b'v', '.mp4')}"
