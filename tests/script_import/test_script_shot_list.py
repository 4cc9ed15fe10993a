"""Shot-list CSV: loose headers, sizes and moves in words, durations in seconds, frames or timecode."""

from __future__ import annotations

import pytest
from script_helpers import DATA, imported, write_script

from studio.camera import CameraMoveType, Direction
from studio.location import TimeOfDay
from studio.script import ScriptImportError, import_script
from studio.script.shot_list import match_columns, parse_move, parse_size
from studio.shot import ShotSize, TransitionType

SHOT_LIST = DATA / "last_order_shots.csv"


@pytest.fixture(scope="module")
def project():
    return imported(SHOT_LIST)


def _numbered(project, number):
    return project.shot_by_number(number)


def test_headers_are_matched_loosely():
    header = ["Sc #", "Shot No.", "Shot Size", "Camera Move", "Lens (mm)", "Duration (s)", "DESCRIPTION", "Dialog", "Cast", "Comments", "Frames"]
    assert match_columns(header) == {
        "scene": 0,
        "shot": 1,
        "size": 2,
        "move": 3,
        "lens": 4,
        "duration": 5,
        "description": 6,
        "dialogue": 7,
        "characters": 8,
        "notes": 9,
    }


def test_rows_of_a_scene_make_one_sequence_with_its_place(project):
    assert [s.name for s in project.sequences] == ["1 EXT. MAIN STREET - NIGHT", "2 INT. ROSIE'S DINER - NIGHT"]
    assert [len(s.shots) for s in project.sequences] == [2, 5]
    street = project.location(project.sequences[0].shots[0].location_id)
    assert (street.name, street.interior, street.world.time_of_day) == ("Main Street", False, TimeOfDay.NIGHT)


def test_the_shot_lists_numbers_are_kept(project):
    assert [s.number for s in project.shots()] == ["1", "2", "3", "4", "4A", "5", "6"]


def test_sizes_moves_lenses_and_durations_are_read(project):
    first = _numbered(project, "1")
    assert (first.size, first.camera.type, first.camera.direction, first.lens_mm, first.duration) == (
        ShotSize.EWS,
        CameraMoveType.CRANE,
        Direction.DOWN,
        18.0,
        120,
    )
    assert _numbered(project, "2").camera.type is CameraMoveType.PAN and _numbered(project, "2").camera.direction is Direction.RIGHT
    assert _numbered(project, "3").camera.type is CameraMoveType.DOLLY_IN  # "push in"
    assert _numbered(project, "4").size is ShotSize.MCU  # "OTS"
    assert _numbered(project, "4A").duration == 96  # 00:00:04:00 at 24 fps
    assert _numbered(project, "5").duration == 72 and _numbered(project, "5").size is ShotSize.ECU  # "72f", "insert"


def test_dialogue_cells_name_their_speakers(project):
    smile = _numbered(project, "4A")
    (line,) = smile.dialogue
    assert (project.character(line.character_id).name, line.text, line.parenthetical) == ("Maya", "Coffee's been on since six.", "dry")
    two = _numbered(project, "6")
    assert [project.character(d.character_id).name for d in two.dialogue] == ["Maya", "Jonah"]
    assert two.dialogue[1].start > two.dialogue[0].start
    assert [c.name for c in project.characters] == ["Jonah", "Maya"]


def test_unreadable_values_fall_back_with_warnings_naming_the_line():
    _, report = import_script(imported(DATA / "last_order.fountain"), SHOT_LIST)
    joined = "\n".join(report.warnings)
    assert "line 8: camera move 'wobble'" in joined and "line 8: duration 'soon'" in joined and "line 8: lens 'huge'" in joined
    assert "line 8: shot size" not in joined  # 'medium-ish' reads as medium


def test_size_and_move_words():
    assert parse_size("Extreme close-up") is ShotSize.ECU
    assert parse_size("wide") is ShotSize.WS and parse_size("ews") is ShotSize.EWS and parse_size("cowboy") is ShotSize.MLS
    assert parse_size("banana") is None
    assert parse_move("slow pull out").type is CameraMoveType.DOLLY_OUT
    assert parse_move("Tilt-up").direction is Direction.UP
    assert parse_move("orbit left").direction is Direction.LEFT
    assert parse_move("").type is CameraMoveType.STATIC
    assert all(not parse_move(text).problems() for text in ("pan", "zoom out", "crane up", "handheld", "truck left", "steadicam"))


def test_semicolon_separated_lists_with_frames_and_transitions(tmp_path):
    text = "scene;shot;size;frames;description;transition\n1;1;WS;50;A field.;\n1;2;CU;30;A flower.;dissolve\n"
    project = imported(write_script(tmp_path, text, "list.csv"), fps=25)
    first, second = project.shots()
    assert (first.duration, second.duration) == (50, 30)
    assert second.transition.type is TransitionType.DISSOLVE and second.transition.duration == 25
    assert first.location_id is None  # a scene number with no heading names no place


def test_reimporting_a_shot_list_matches_by_shot_number(tmp_path):
    text = "scene,shot,size,description\nINT. ROOM - DAY,1,WS,A room.\n,2,CU,A face.\n"
    path = write_script(tmp_path, text, "list.csv")
    project = imported(path)
    face = project.shot_by_number("2")
    face.size = ShotSize.ECU  # reframed by hand
    path.write_text(text.replace("A face.", "A face, closer.") + ",3,MS,A door.\n", encoding="utf-8")
    command, report = import_script(project, path)
    command.do(project)
    assert project.shot_by_number("2") is face and face.size is ShotSize.ECU
    assert report.added == ["3"] and report.removed == []


def test_a_file_without_a_header_row_is_refused(tmp_path):
    path = write_script(tmp_path, "1,WS,A room\n2,CU,A face\n", "noheader.csv")
    with pytest.raises(ScriptImportError, match=r"noheader\.csv: line 1: the first row is not a header naming the columns"):
        imported(path)


def test_a_header_without_rows_is_refused(tmp_path):
    path = write_script(tmp_path, "scene,shot,size,description\n\n", "empty_rows.csv")
    with pytest.raises(ScriptImportError, match="a header but no shots"):
        imported(path)
