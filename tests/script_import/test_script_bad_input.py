"""Files that are not scripts, or broken ones: a clear message naming the file, and no project change."""

from __future__ import annotations

import os
import re
import time

import pytest
from script_helpers import DATA, imported, write_script

import studio.document_types  # noqa: F401  (registers the schema used by to_json)
from studio.errors import StudioError
from studio.schema import to_json
from studio.script import ScriptImportError, import_script
from studio.script.source import MAX_SCRIPT_BYTES


def _refused(path, pattern: str) -> ScriptImportError:
    with pytest.raises(ScriptImportError, match=pattern) as caught:
        imported(path)
    assert isinstance(caught.value, StudioError)
    assert str(caught.value).startswith(str(path))
    return caught.value


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "photo.fountain"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    _refused(path, "not a text file")


def test_a_pdf_renamed_to_fdx_is_refused(tmp_path):
    path = tmp_path / "script.fdx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00\x00\x00stream\n\x01\x02\x03")
    _refused(path, "not a text file")


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\n", b"\xef\xbb\xbf\n"])
def test_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "empty.fountain"
    path.write_bytes(content)
    _refused(path, "the file is empty")


def test_a_title_page_alone_has_nothing_to_import(tmp_path):
    path = write_script(tmp_path, "Title: Coming Soon\nAuthor: Me\n\n/* everything cut */\n\n[[to do]]\n")
    _refused(path, "no scenes, action or dialogue")


def test_script_without_scene_headings_imports_as_one_scene_with_a_warning(tmp_path):
    path = write_script(tmp_path, "Title: Monologue\n\nA man at a microphone.\n\nMAN\nThank you all for coming.\n")
    command, report = import_script(imported(DATA / "last_order.fountain"), path)
    assert any("no scene headings" in w for w in report.warnings)
    project = imported(path)
    (sequence,) = project.sequences
    assert sequence.name == "1 (no scene heading)"
    assert [s.description for s in sequence.shots][0] == "A man at a microphone."
    assert all(s.location_id is None for s in sequence.shots) and project.locations == []


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("INT. ROOM - DAY\n\nShe waits. [[never closed\n", 3, "a note opened with [[ is never closed"),
        ("INT. ROOM - DAY\n\nShe waits. [[open\n\nShe goes.]]\n", 3, "not closed with ]] before the blank line"),
        ("INT. ROOM - DAY\n\nShe waits.\n/* cut from here\n\nto the end\n", 4, "boneyard opened with /* is never closed"),
        ("INT. ROOM - DAY\n\nShe waits. */\n", 3, "'*/' closes a boneyard that was never opened"),
        ("INT. ROOM - DAY\n\nShe [[waits.\nThen [[goes]].\n", 4, "a note opened with [[ on line 3 is not closed with ]] before the next [["),
        ("INT. ROOM - DAY\n\nShe waits.\n\nThen goes]]\n", 5, "']]' closes a note that was never opened"),
    ],
)
def test_unbalanced_notes_and_boneyard_name_the_line(tmp_path, text, line, problem):
    error = _refused(write_script(tmp_path, text), re.escape(problem))
    assert error.line == line and f": line {line}: " in str(error)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.fountain"
    with open(path, "wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing on disk
    assert os.path.getsize(path) > MAX_SCRIPT_BYTES
    _refused(path, r"100 MB is far larger than any screenplay")


@pytest.mark.parametrize(
    ("name", "hint"),
    [("script.pdf", "export it"), ("script.docx", "export it"), ("notes.txt", "rename it to .fountain"), ("shots.xlsx", "CSV"), ("README", "")],
)
def test_unknown_extensions_are_refused_with_a_hint(tmp_path, name, hint):
    path = write_script(tmp_path, "INT. ROOM - DAY\n\nShe waits.\n", name)
    error = _refused(path, "cannot import")
    assert ".fountain, .spmd, .fdx, .csv" in str(error) and hint in str(error)


def test_missing_file_and_folder_are_refused(tmp_path):
    _refused(tmp_path / "nowhere.fountain", "no such file")
    folder = tmp_path / "folder.fountain"
    folder.mkdir()
    _refused(folder, "not a file")


def test_windows_1252_text_is_read_with_a_warning(tmp_path):
    path = tmp_path / "old.fountain"
    path.write_bytes("INT. CAF\u00c9 - DAY\n\nREN\u00c9\nOui.\n".encode("cp1252"))
    command, report = import_script(imported(DATA / "last_order.fountain"), path)
    assert any("not UTF-8" in w for w in report.warnings)
    assert imported(path).sequences[0].name == "1 INT. CAF\u00c9 - DAY"


def test_a_refused_import_leaves_the_project_as_it_was(tmp_path):
    project = imported(DATA / "last_order.fountain")
    before = to_json(project)
    bad = write_script(tmp_path, "INT. ROOM - DAY\n\nShe waits. [[never closed\n")
    with pytest.raises(ScriptImportError):
        import_script(project, bad)
    assert to_json(project) == before


@pytest.mark.parametrize("line", ["*a " * 100_000, "_a " * 100_000, "**x *y " * 50_000, "INT. " + " " * 300_000 + "X #1#", ">" + " " * 300_000 + "x"])
def test_a_huge_line_of_stray_marks_reads_in_linear_time(tmp_path, line):
    path = write_script(tmp_path, f"INT. ROOM - DAY\n\n{line}\n")
    start = time.perf_counter()
    imported(path)
    assert time.perf_counter() - start < 2.0


def test_action_before_the_first_heading_is_a_prologue_scene(tmp_path):
    project = imported(write_script(tmp_path, "BLACK SCREEN. A voice in the dark.\n\nINT. ROOM - DAY\n\nShe sits.\n"))
    assert [s.name for s in project.sequences] == ["0 (no scene heading)", "1 INT. ROOM - DAY"]
    assert project.sequences[0].shots[0].location_id is None
