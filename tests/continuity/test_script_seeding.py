"""Importing a script seeds the continuity ledger: props the script introduces in CAPITALS are logged
where they first appear (in the hands of the character the line names, else on set), sounds and
names are not, and the imported storyboard checks clean: scene times, off-screen lines and dual
dialogue come in as the checker reads them."""

from __future__ import annotations

from pathlib import Path

from studio.commands import History
from studio.continuity.changes import Aspect, ChangeOp, ContinuityChange
from studio.continuity.checker import check_project
from studio.continuity.ledger import state_at
from studio.frame_rate import FrameRate
from studio.location import TimeOfDay
from studio.project import Project, VideoFormat
from studio.schema import to_json
from studio.script import import_script, new_project_from_script
from studio.script.props import PropSpotter
from studio.shot import Shot

DATA = Path(__file__).parents[1] / "script_import" / "data"
FORMAT = VideoFormat(1280, 720, FrameRate(24))

SCRIPT = """INT. ROSIE'S DINER - NIGHT

JONAH sets down a battered SUITCASE. A DOOR BELL rings.

MAYA
Evening.

JONAH
Coffee.

A WALL CLOCK ticks over the counter. BANG! OLD TOM, 60s, nurses a beer.

MAYA slides JONAH'S MUG across. The SUITCASE stays by the stool.

EXT. MAIN STREET - NIGHT

Rain on MAIN STREET. A BUS SHELTER glows. The PHONE rings.
"""


def _import(tmp_path: Path, text: str = SCRIPT) -> Project:
    path = tmp_path / "script.fountain"
    path.write_text(text, encoding="utf-8")
    project, _ = new_project_from_script(path, FORMAT)
    return project


def _shot(project: Project, text: str) -> Shot:
    (found,) = [s for s in project.shots() if s.description.startswith(text)]
    return found


def _held(shot: Shot) -> dict[str, list[ContinuityChange]]:
    return {c.character_id: list(c.changes) for c in shot.characters if c.changes}


def _logged(project: Project) -> list[str]:
    values = [change.value for s in project.shots() for change in s.continuity_changes]
    return values + [change.value for s in project.shots() for c in s.characters for change in c.changes]


def test_a_prop_in_capitals_goes_into_the_hands_of_the_character_the_line_names(tmp_path):
    project = _import(tmp_path)
    shot = _shot(project, "JONAH sets down")
    assert _held(shot) == {"jonah": [ContinuityChange(Aspect.PROPS_IN_HAND, "suitcase", ChangeOp.ADD, deliberate=True)]}
    assert shot.continuity_changes == []
    (reply,) = [s for s in project.shots() if any(d.text == "Coffee." for d in s.dialogue)]
    assert "suitcase" in state_at(project, reply).characters["jonah"].props_in_hand  # and stays in hand after


def test_a_prop_with_nobody_named_goes_on_set_where_it_first_appears(tmp_path):
    project = _import(tmp_path)
    clock = _shot(project, "A WALL CLOCK")
    assert clock.continuity_changes == [ContinuityChange(Aspect.PROPS_PRESENT, "wall clock", ChangeOp.ADD)]
    assert _shot(project, "Rain on").continuity_changes == [ContinuityChange(Aspect.PROPS_PRESENT, "bus shelter", ChangeOp.ADD)]
    assert "wall clock" in state_at(project, _shot(project, "MAYA slides")).world.props  # carried to the end of the scene


def test_sounds_names_places_and_introductions_are_not_props(tmp_path):
    project = _import(tmp_path)
    logged = _logged(project)
    assert sorted(logged) == ["bus shelter", "mug", "suitcase", "wall clock"]  # not DOOR BELL, BANG, PHONE, OLD TOM, MAIN STREET, JONAH


def test_a_prop_is_logged_only_where_it_first_appears_and_by_the_nearest_name_before_it(tmp_path):
    project = _import(tmp_path)
    later = _shot(project, "MAYA slides")
    assert _held(later) == {"maya": [ContinuityChange(Aspect.PROPS_IN_HAND, "mug", ChangeOp.ADD, deliberate=True)]}  # SUITCASE: already in
    assert _logged(project).count("suitcase") == 1


def test_sound_words_come_from_one_list_for_sounds_and_the_verbs_after_things():
    spotter = PropSpotter(["MAYA"], ["INT. DINER - NIGHT"])
    line = "The KETTLE whistles. A GUNSHOT. MAYA grabs a KNIFE."
    assert spotter.props_in(line) == [(line.index("KNIFE"), "knife")]
    assert spotter.props_in("THE END") == []  # a line with no lower case is a title or a shout
    assert spotter.props_in("The DINER at NIGHT, CUT TO the CLOSE-UP.") == []


def test_the_imported_demo_script_checks_clean(tmp_path):
    project, _ = new_project_from_script(DATA / "last_order.fountain", FORMAT)
    assert check_project(project) == []


def test_seeded_props_check_clean(tmp_path):
    assert check_project(_import(tmp_path)) == []


def test_returning_to_a_place_at_an_earlier_hour_is_not_time_going_backwards(tmp_path):
    text = "INT. DINER - NIGHT\n\nMaya wipes the counter.\n\nEXT. ROAD - DAWN\n\nA truck.\n\nINT. DINER - MORNING\n\nMaya opens up.\n\nMaya pours.\n"
    project = _import(tmp_path, text)
    diner = project.sequences[0].shots[0].location_id
    times = [state_at(project, s).world.time_of_day for s in project.shots() if s.location_id == diner]
    assert TimeOfDay.NIGHT in times and TimeOfDay.MORNING in times
    assert check_project(project) == []


def test_reimporting_keeps_the_seeded_ledger_and_changes_nothing(tmp_path):
    project = _import(tmp_path)
    before = to_json(project)
    command, report = import_script(project, tmp_path / "script.fountain")
    assert not report.changed
    History(project).execute(command)
    assert to_json(project) == before


def test_off_screen_speeches_are_marked_so_the_check_does_not_ask_for_the_speaker(tmp_path):
    text = "INT. CAR - NIGHT\n\nMAYA\nWhere to?\n\nJONAH (V.O.)\nKeep going.\n\nTOM (OFF)\nStop!\n"
    project = _import(tmp_path, text)
    marks = [d.parenthetical for s in project.shots() for d in s.dialogue]
    assert marks == ["", "V.O.", "O.S."]
    assert check_project(project) == []


def test_dual_dialogue_keeps_each_speaker_on_their_side_of_the_line(tmp_path):
    text = "INT. DINER - NIGHT\n\nJONAH\nCoffee.\n\nMAYA\nBlack?\n\nMAYA\nSugar?\n\nJONAH ^\nNo.\n"  # MAYA left in the pair, JONAH's side is left
    project = _import(tmp_path, text)
    assert any(len(s.dialogue) == 2 for s in project.shots())
    assert check_project(project) == []
