"""Re-importing an edited script: keeps the user's work on shots that still match, as one undoable edit."""

from __future__ import annotations

import pytest
from script_helpers import DATA, imported, write_script

import studio.document_types  # noqa: F401  (registers the schema used by to_json)
from studio.commands import AddShot, AddTake, History, SetField
from studio.ids import new_id
from studio.schema import to_json
from studio.script import import_script, is_script_id
from studio.shot import Shot, ShotSize
from studio.take import Take

ORIGINAL = (DATA / "last_order.fountain").read_text(encoding="utf-8")


def _shot(project, text: str) -> Shot:
    (found,) = [s for s in project.shots() if text in s.description or any(text in d.text for d in s.dialogue)]
    return found


@pytest.fixture
def worked_on(tmp_path):
    """The demo script imported, then worked on by hand: one shot reframed and rendered, one shot added."""
    project = imported(write_script(tmp_path, ORIGINAL, "last_order.fountain"))
    history = History(project)
    kitchen = _shot(project, "Kitchen closes")
    history.execute(SetField("shot", kitchen.id, "size", ShotSize.CU))
    history.execute(SetField("shot", kitchen.id, "lens_mm", 100.0))
    history.execute(SetField("shot", kitchen.id, "description", "Tight on Maya, neon in her eyes."))
    history.execute(SetField("shot", kitchen.id, "duration", 99))
    history.execute(AddTake(kitchen.id, Take(id="t1", number=1, input_hash="h", backend="draft")))
    sequence, index = project.locate_shot(kitchen.id)
    insert = Shot(id=new_id(), number="5A", duration=48, description="Insert: the wall clock, five to midnight.")
    history.execute(AddShot(sequence.id, index + 1, insert))
    return project, insert.id


def _reimport(project, tmp_path, text):
    command, report = import_script(project, write_script(tmp_path, text, "last_order.fountain"))
    History(project).execute(command)
    return report


def test_reimporting_the_same_script_changes_nothing(worked_on, tmp_path):
    project, _ = worked_on
    before = to_json(project)
    command, report = import_script(project, write_script(tmp_path, ORIGINAL, "last_order.fountain"))
    assert not report.changed and report.added == [] and report.removed == [] and len(report.kept) == 12
    command.do(project)
    assert to_json(project) == before


def test_edited_script_keeps_matching_shots_as_the_user_left_them(worked_on, tmp_path):
    project, manual_id = worked_on
    edited = ORIGINAL.replace("JONAH\nThen I'll have whatever takes nine.\n\n", "")  # a speech cut
    edited = edited.replace("Does the bus still stop here?\n", "Does the bus still stop here?\n\nHe checks his watch.\n")  # an action beat added
    report = _reimport(project, tmp_path, edited)

    kitchen = _shot(project, "Kitchen closes")
    assert (kitchen.size, kitchen.lens_mm, kitchen.duration) == (ShotSize.CU, 100.0, 99)
    assert kitchen.description == "Tight on Maya, neon in her eyes." and [t.id for t in kitchen.takes] == ["t1"]
    diner = project.sequences[1].shots
    assert diner[diner.index(kitchen) + 1].id == manual_id, "the hand-made insert stays where it was"
    assert not any("whatever takes nine" in d.text for s in project.shots() for d in s.dialogue)

    watch = _shot(project, "He checks his watch.")
    bus = _shot(project, "Does the bus still stop here?")
    assert diner.index(watch) == diner.index(bus) + 1
    assert watch.number == f"{bus.number}A", "a shot added later gets a letter, the numbers on paper stay"
    assert report.added == [watch.number]
    assert len(report.removed) == 1 and len(report.kept) == 11


def test_a_changed_line_replaces_its_shot(worked_on, tmp_path):
    project, _ = worked_on
    old = _shot(project, "Last one left an hour ago.")
    report = _reimport(project, tmp_path, ORIGINAL.replace("Last one left an hour ago. Next one's at six.", "Last one left at ten."))
    new = _shot(project, "Last one left at ten.")
    assert new.id != old.id and old.id not in {s.id for s in project.shots()}
    assert report.removed == [old.number] and report.added == [new.number]


def test_reimport_is_one_undoable_edit(worked_on, tmp_path):
    project, _ = worked_on
    before = to_json(project)
    history = History(project)
    edited = ORIGINAL.replace("JONAH\nThen I'll need more coffee.\n", "JONAH\nThen I'll need more coffee.\n\nMAYA\nI'll put a fresh pot on.\n")
    edited += "\nINT. BUS - NIGHT\n\nJonah sleeps against the window.\n"
    command, report = import_script(project, write_script(tmp_path, edited, "last_order.fountain"))
    history.execute(command)
    after = to_json(project)
    assert after != before and len(report.added) == 2 and report.added_scenes == ["4 INT. BUS - NIGHT"]
    assert history.undo() is command and not history.can_undo  # one step undoes the whole import
    assert to_json(project) == before
    history.redo()
    assert to_json(project) == after


def test_a_scene_cut_from_the_script_goes_unless_it_holds_the_users_shots(worked_on, tmp_path):
    project, manual_id = worked_on
    without_diner = (
        ORIGINAL.split("INT. ROSIE'S DINER")[0] + "EXT. MAIN STREET - NIGHT\n\nOutside, the neon sign clicks off. One window stays lit in the rain.\n"
    )
    report = _reimport(project, tmp_path, without_diner)
    # the diner's imported shots are gone; the user's insert keeps the sequence alive, with a warning
    diner = next(s for s in project.sequences if "DINER" in s.name)
    assert [s.id for s in diner.shots] == [manual_id]
    assert any("no longer in the script" in w for w in report.warnings)
    # and without the user's shot, the scene goes too
    project.sequences[1].shots.clear()
    report = _reimport(project, tmp_path, without_diner)
    assert [s.name for s in project.sequences] == ["1 EXT. MAIN STREET - NIGHT", "2 EXT. MAIN STREET - NIGHT"]
    assert report.removed_scenes == ["2 INT. ROSIE'S DINER - CONTINUOUS"]


def test_scenes_follow_the_script_order_and_numbers(tmp_path):
    one = "INT. A - DAY\n\nAlpha.\n\nINT. B - DAY\n\nBravo.\n\nINT. C - DAY\n\nCharlie.\n"
    project = imported(write_script(tmp_path, one))
    kept_ids = {s.id for s in project.shots()}
    before = to_json(project)
    two = "INT. C - DAY\n\nCharlie.\n\nINT. NEW - DAY\n\nNovember.\n\nINT. A - DAY\n\nAlpha.\n\nINT. B - DAY\n\nBravo.\n"
    history = History(project)
    command, report = import_script(project, write_script(tmp_path, two))
    history.execute(command)
    assert [s.name for s in project.sequences] == ["1 INT. C - DAY", "2 INT. NEW - DAY", "3 INT. A - DAY", "4 INT. B - DAY"]
    assert kept_ids <= {s.id for s in project.shots()} and report.removed == []
    assert len(report.renamed_scenes) == 3
    history.undo()
    assert to_json(project) == before


def test_a_character_cut_from_the_script_is_kept_and_reported(worked_on, tmp_path):
    project, _ = worked_on
    monologue = "INT. ROSIE'S DINER - NIGHT\n\nMAYA\nNobody comes in after midnight.\n"
    report = _reimport(project, tmp_path, monologue)
    assert [c.name for c in project.characters] == ["MAYA", "JONAH"]
    assert report.not_in_script == ["JONAH"]


def test_imported_ids_are_recognisable_and_hand_made_ones_are_not(worked_on):
    project, manual_id = worked_on
    assert not is_script_id(manual_id) and not is_script_id(new_id())
    assert all(is_script_id(s.id) for s in project.shots() if s.id != manual_id)


def test_importing_twice_into_a_project_with_other_work_keeps_it(tmp_path):
    project = imported(DATA / "night_shift.fountain")
    count = len(list(project.shots()))
    title = project.title
    project.title = "My own title"
    command, report = import_script(project, DATA / "last_order.fountain")
    command.do(project)
    assert project.title == "My own title", "a later import leaves the title the user set"
    assert title == "NIGHT SHIFT" and report.changed
    assert len(report.removed) == count and len(report.added) == 12
