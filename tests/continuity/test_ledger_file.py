"""The ledger in project.json: it survives save and load, a version-1 file (before the ledger) still
opens, and a damaged ledger is refused with a message naming the shot, leaving the file as it was."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from studio.continuity.changes import ContinuityChange, wardrobe
from studio.errors import ProjectFileError
from studio.project import Project
from studio.project_file import PROJECT_FILE, load_project, save_project
from studio.schema import to_json


def _shots(document: dict) -> list[dict]:
    return [s for seq in document["project"]["sequences"] for s in seq["shots"]]


def _shot(document: dict, shot_id: str) -> dict:
    return next(s for s in _shots(document) if s["id"] == shot_id)


def _cast(document: dict, shot_id: str, character_id: str) -> dict:
    return next(c for c in _shot(document, shot_id)["characters"] if c["character_id"] == character_id)


def _edited(folder: Path, edit: Callable[[dict], None]) -> bytes:
    file = folder / PROJECT_FILE
    document = json.loads(file.read_text(encoding="utf-8"))
    edit(document)
    file.write_text(json.dumps(document), encoding="utf-8")
    return file.read_bytes()


def test_the_ledger_and_accepted_breaks_survive_save_and_load(tmp_path: Path, demo_project: Project) -> None:
    demo_project.shot("s05").accepted_breaks = ["axis:jonah+maya"]
    loaded = load_project(save_project(demo_project, tmp_path / "Demo.storyboard"))
    assert loaded == demo_project
    assert loaded.shot("s04").continuity_changes == demo_project.shot("s04").continuity_changes != []
    assert loaded.shot("s02").characters[0].changes[0] == wardrobe("soaked grey raincoat")


def test_a_version_1_project_from_before_the_ledger_still_opens_and_is_not_rewritten(tmp_project_folder: Path, demo_project: Project) -> None:
    def to_version_1(document: dict) -> None:
        for shot in _shots(document):
            shot["schema"] = "Shot.1"
            del shot["continuity_changes"], shot["accepted_breaks"], shot["approved"]
            for person in shot["characters"]:
                person["schema"] = "CharacterInShot.1"
                del person["changes"]

    before = _edited(tmp_project_folder, to_version_1)
    assert b"Shot.2" not in before and b"continuity_changes" not in before
    loaded = load_project(tmp_project_folder)
    assert (tmp_project_folder / PROJECT_FILE).read_bytes() == before
    assert all(s.continuity_changes == [] and s.accepted_breaks == [] and all(c.changes == () for c in s.characters) for s in loaded.shots())
    assert [(s.id, s.number, s.duration, s.dialogue) for s in loaded.shots()] == [(s.id, s.number, s.duration, s.dialogue) for s in demo_project.shots()]
    save_project(loaded, tmp_project_folder)
    assert b'"Shot.3"' in (tmp_project_folder / PROJECT_FILE).read_bytes()


def _entry(change: ContinuityChange) -> dict:
    return to_json(change)


BAD_LEDGERS: dict[str, tuple[Callable[[dict], None], str]] = {
    "two wardrobes for one character in one shot": (
        lambda d: _cast(d, "s03", "maya")["changes"].append(_entry(wardrobe("grey coat"))),
        "shot 3: MAYA has two wardrobe entries in one shot ('red diner uniform' and 'grey coat'); keep one",
    ),
    "a prop both picked up and put down in one shot": (
        lambda d: _cast(d, "s04", "jonah")["changes"].append(
            {"schema": "ContinuityChange.1", "aspect": "props_in_hand", "value": "small suitcase", "op": "add"}
        ),
        "shot 4: JONAH both adds and removes 'small suitcase' (holding) in one shot; keep one",
    ),
    "a ledger entry for a character the project does not have": (
        lambda d: _shot(d, "s07")["characters"].append({"schema": "CharacterInShot.2", "character_id": "ghost", "changes": [_entry(wardrobe("sheet"))]}),
        "shot 7: unknown character id ghost",
    ),
    "ledger entries on a shot at a location the project does not have": (
        lambda d: _shot(d, "s07").__setitem__("location_id", "moon"),
        "shot 7: unknown location id moon",
    ),
    "a place's change logged on a character": (
        lambda d: _cast(d, "s06", "maya")["changes"].append({"schema": "ContinuityChange.1", "aspect": "lighting", "value": "dim"}),
        "shot 6: MAYA: 'lighting' is about a location; log it on the shot",
    ),
    "a character's change logged on the shot": (
        lambda d: _shot(d, "s06")["continuity_changes"].append(_entry(wardrobe("apron"))),
        "shot 6: 'wardrobe' is about a character; log it on a character in the shot",
    ),
    "a time of day that is not one": (
        lambda d: _shot(d, "s06")["continuity_changes"].append({"schema": "ContinuityChange.1", "aspect": "time_of_day", "value": "teatime"}),
        "shot 6: unknown time of day 'teatime'; use one of dawn, morning, day, afternoon, dusk, evening, night",
    ),
    "a prop set instead of added": (
        lambda d: _cast(d, "s06", "maya")["changes"].append({"schema": "ContinuityChange.1", "aspect": "props_in_hand", "value": "tray"}),
        "shot 6: MAYA: 'holding' is a set of things; add or remove one at a time instead of setting 'tray'",
    ),
    "an empty wardrobe": (
        lambda d: _cast(d, "s06", "maya")["changes"].append(_entry(wardrobe("  "))),
        "shot 6: MAYA: an empty wardrobe; give it a value or remove the entry",
    ),
    "an aspect the ledger does not know": (
        lambda d: _cast(d, "s06", "maya")["changes"].append({"schema": "ContinuityChange.1", "aspect": "hat", "value": "fedora"}),
        "(shot 6).characters[0].changes[2].aspect: unknown value 'hat'; expected one of wardrobe, hair_makeup",
    ),
}


@pytest.mark.parametrize("case", list(BAD_LEDGERS), ids=list(BAD_LEDGERS))
def test_a_damaged_ledger_is_refused_naming_the_shot_and_the_file_is_left_as_it_was(tmp_project_folder: Path, case: str) -> None:
    edit, expected = BAD_LEDGERS[case]
    before = _edited(tmp_project_folder, edit)
    with pytest.raises(ProjectFileError) as refused:
        load_project(tmp_project_folder)
    assert expected in str(refused.value)
    assert str(tmp_project_folder / PROJECT_FILE) in str(refused.value)
    assert (tmp_project_folder / PROJECT_FILE).read_bytes() == before
    assert sorted(p.name for p in tmp_project_folder.iterdir()) == sorted([PROJECT_FILE, "media"])


def test_a_project_with_a_damaged_ledger_is_not_saved_over_a_good_one(tmp_project_folder: Path, demo_project: Project) -> None:
    good = (tmp_project_folder / PROJECT_FILE).read_bytes()
    demo_project.shot("s03").characters[0] = type(demo_project.shot("s03").characters[0])("maya", changes=(wardrobe("a"), wardrobe("b")))
    with pytest.raises(ProjectFileError, match="not saved: shot 3: MAYA has two wardrobe entries"):
        save_project(demo_project, tmp_project_folder)
    assert (tmp_project_folder / PROJECT_FILE).read_bytes() == good
