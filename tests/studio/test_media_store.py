"""The media folder: files stored once under the sha256 of their content, and references that
cannot leave the project folder."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.errors import MediaError
from studio.media_store import MediaStore, check_media_reference


def test_media_is_stored_once_under_the_hash_of_its_content(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "P.storyboard")
    ref = store.add_bytes(b"frame", ".PNG")
    assert ref == f"media/{hashlib.sha256(b'frame').hexdigest()}.png"
    assert re.fullmatch(r"media/[0-9a-f]{64}\.png", ref)
    assert store.add_bytes(b"frame", ".png") == ref
    assert store.resolve(ref).read_bytes() == b"frame"
    assert [p.name for p in store.folder.iterdir()] == [ref.removeprefix("media/")]  # no temporary files left


def test_adding_a_file_copies_it_under_its_hash(tmp_path: Path) -> None:
    source = tmp_path / "Take One.MP4"
    source.write_bytes(b"video")
    store = MediaStore(tmp_path / "P.storyboard")
    ref = store.add_file(source)
    assert ref == f"media/{hashlib.sha256(b'video').hexdigest()}.mp4"
    assert store.exists(ref) and store.resolve(ref).read_bytes() == b"video"
    with pytest.raises(MediaError, match="file not found"):
        store.add_file(tmp_path / "missing.mp4")


@pytest.mark.parametrize(
    ("ref", "problem"),
    [
        ("../../etc/passwd", "'..'"),
        ("media/../../x", "'..'"),
        ("/etc/passwd", "absolute paths are refused"),
        ("C:/Windows/win.ini", "absolute paths are refused"),
        ("media\\x.png", "forward slashes"),
        ("media/x\x00.png", "control characters"),
        ("", "empty media reference"),
        (".", "must start with media/"),
        ("./", "must start with media/"),
        ("media", "must start with media/"),
        ("renders/x.mp4", "must start with media/"),
    ],
)
def test_references_that_could_leave_the_project_are_refused(tmp_path: Path, ref: str, problem: str) -> None:
    with pytest.raises(MediaError, match=re.escape(problem)):
        check_media_reference(ref)
    with pytest.raises(MediaError):
        MediaStore(tmp_path).resolve(ref)


def _refused_by_path_rules(ref: str) -> bool:
    """The rule, stated with pathlib: relative, no '..', first part media/, something after it."""
    path = PurePosixPath(ref)
    bad_text = not ref or "\\" in ref or "\x00" in ref
    return bad_text or path.is_absolute() or ref[1:2] == ":" or ".." in path.parts or len(path.parts) < 2 or path.parts[0] != "media"


@given(ref=st.text(alphabet="/.\\:a\x00", max_size=12) | st.text(alphabet="/.a:", max_size=10).map(lambda tail: "media" + tail))
def test_reference_check_agrees_with_pathlib_on_what_leaves_the_project(ref: str) -> None:
    try:
        check_media_reference(ref)
    except MediaError:
        assert _refused_by_path_rules(ref)
    else:
        assert not _refused_by_path_rules(ref)
