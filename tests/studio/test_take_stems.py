"""A take's sound stems in project.json: saved and loaded, absent (empty) in takes from before they were
kept, checked as media like the take's other files, and relinked like them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from studio.commands import AddTake, History
from studio.project import Project, Sequence
from studio.project_file import PROJECT_FILE, load_project, missing_media, save_project
from studio.relink import relink_missing_media
from studio.shot import Shot
from studio.take import Take


def _ref(data: bytes, suffix: str = ".wav") -> str:
    return f"media/{hashlib.sha256(data).hexdigest()}{suffix}"


STEMS = {"dialogue": _ref(b"dialogue"), "effects": _ref(b"effects"), "music": _ref(b"music")}


def _project(tmp_path: Path, stems: dict[str, str]) -> tuple[Project, Path]:
    project = Project(title="P", sequences=[Sequence(id="sc1", name="1", shots=[Shot(id="a", number="1", duration=8)])])
    AddTake("a", Take(id="t1", number=1, input_hash="x", backend="draft", audio=_ref(b"mix"), stems=dict(stems))).do(project)
    return project, save_project(project, tmp_path / "P.storyboard")


def test_stems_survive_save_and_load(tmp_path: Path) -> None:
    project, folder = _project(tmp_path, STEMS)
    assert load_project(folder).shot("a").takes[0].stems == STEMS
    assert b'"Take.3"' in (folder / PROJECT_FILE).read_bytes()


def test_a_take_from_before_stems_opens_with_none(tmp_path: Path) -> None:
    _, folder = _project(tmp_path, {})
    file = folder / PROJECT_FILE
    document = json.loads(file.read_text(encoding="utf-8"))
    take = document["project"]["sequences"][0]["shots"][0]["takes"][0]
    take["schema"] = "Take.1"
    del take["stems"], take["lip_sync"]
    file.write_text(json.dumps(document), encoding="utf-8")
    loaded = load_project(folder).shot("a").takes[0]
    assert loaded.stems == {} and loaded.lip_sync is None and loaded.audio == _ref(b"mix")


def test_missing_stems_are_reported_as_the_takes_missing_media(tmp_path: Path) -> None:
    project, folder = _project(tmp_path, STEMS)
    missing = {m.reference: m.used_by for m in missing_media(project, folder)}
    assert set(STEMS.values()) <= set(missing) and missing[STEMS["music"]] == "shot 1 take T1"


def test_a_stem_found_by_name_with_other_content_is_relinked_and_undone(tmp_path: Path) -> None:
    project, folder = _project(tmp_path, STEMS)
    found = tmp_path / "found"
    found.mkdir()
    (found / STEMS["music"].removeprefix("media/")).write_bytes(b"music, remastered")
    report, command = relink_missing_media(project, folder, found)
    assert command is not None and STEMS["music"] in report.by_name
    history = History(project)
    history.execute(command)
    assert project.shot("a").takes[0].stems == STEMS | {"music": _ref(b"music, remastered")}
    history.undo()
    assert project.shot("a").takes[0].stems == STEMS
