"""Coverage by rules: establishing wides, over-the-shoulder exchanges, group shots, action beats, timing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from script_helpers import DATA, imported, write_script

from studio.camera import CameraMoveType
from studio.character import Character, VoiceSettings
from studio.frame_rate import FrameRate
from studio.location import TimeOfDay
from studio.project import Project, VideoFormat
from studio.script import CoverageRules, Establish, import_script
from studio.shot import ScreenPosition, ShotSize

LAST_ORDER = DATA / "last_order.fountain"


def _import(project: Project, path, rules: CoverageRules | None = None) -> Project:
    command, _ = import_script(project, path, rules)
    command.do(project)
    return project


def _new(fps: int = 24) -> Project:
    return Project(title="t", format=VideoFormat(1280, 720, FrameRate(fps)))


def test_demo_screenplay_imports_to_three_scenes_two_people_two_places():
    project = imported(LAST_ORDER)
    assert project.title == "Last Order"
    assert [s.name for s in project.sequences] == ["1 EXT. MAIN STREET - NIGHT", "2 INT. ROSIE'S DINER - CONTINUOUS", "3 EXT. MAIN STREET - NIGHT"]
    assert [c.name for c in project.characters] == ["MAYA", "JONAH"]
    assert sorted(loc.slug for loc in project.locations) == ["EXT. MAIN STREET - NIGHT", "INT. ROSIE'S DINER - NIGHT"]
    assert all(s.location_id is not None for s in project.shots())


def test_each_scene_opens_on_an_establishing_wide_with_a_slow_move():
    project = imported(LAST_ORDER)
    street, diner, street_again = (seq.shots[0] for seq in project.sequences)
    assert street.size is ShotSize.EWS and street.camera.type is not CameraMoveType.STATIC
    assert diner.size is ShotSize.WS and diner.camera.type is not CameraMoveType.STATIC
    assert street_again.size is ShotSize.EWS  # the street again, after the diner: re-established
    # the scene's first action line describes the establishing shot rather than a shot of its own
    assert street.description.startswith("Rain hammers an empty main street.")


def test_no_establishing_shot_when_the_next_scene_stays_in_the_same_place(tmp_path):
    path = write_script(tmp_path, "INT. DINER - NIGHT\n\nMaya pours.\n\nINT. DINER - LATER\n\nMaya sweeps.\n")
    project = imported(path)
    first, second = project.sequences
    assert first.shots[0].size is ShotSize.WS
    assert [s.size for s in second.shots] == [ShotSize.LS]  # just the action beat


def test_a_scene_that_opens_on_dialogue_gets_a_separate_establishing_shot(tmp_path):
    path = write_script(tmp_path, "EXT. ROOFTOP - DAWN\n\nMAYA\nLook.\n")
    (seq,) = imported(path).sequences
    assert [s.size for s in seq.shots] == [ShotSize.EWS, ShotSize.MCU]
    assert seq.shots[0].dialogue == [] and "Rooftop" in seq.shots[0].description


def test_two_person_exchange_alternates_over_the_shoulder_singles():
    project = imported(LAST_ORDER)
    diner = project.sequences[1]
    talking = [s for s in diner.shots if s.dialogue]
    assert len(talking) == 6
    maya, jonah = (c.id for c in project.characters)
    speaker_side = {}
    for shot in talking:
        speaker = shot.dialogue[0].character_id
        listener = jonah if speaker == maya else maya
        places = {c.character_id: c.position for c in shot.characters}
        assert set(places) == {speaker, listener}
        assert shot.size in (ShotSize.MCU, ShotSize.CU)
        # speaker on one side of the frame, the listener's shoulder on the other
        left = {ScreenPosition.LEFT, ScreenPosition.CENTER_LEFT}
        assert (places[speaker] in left) != (places[listener] in left)
        speaker_side.setdefault(speaker, places[speaker] in left)
        assert (places[speaker] in left) == speaker_side[speaker], "a speaker keeps their side of the line"
    assert speaker_side[maya] != speaker_side[jonah]
    speakers = [s.dialogue[0].character_id for s in talking]
    assert all(a != b for a, b in zip(speakers, speakers[1:], strict=False)), "singles alternate"
    # the exchange tightens: MCU first, close-ups once it has been going a while
    assert talking[0].size is ShotSize.MCU and talking[-1].size is ShotSize.CU


def test_group_scenes_use_medium_and_medium_long_shots(tmp_path):
    text = "INT. KITCHEN - NIGHT\n\nAMY\nOne.\n\nBEN\nTwo.\n\nCAL\nThree.\n\nAMY\nFour.\n"
    seq = imported(write_script(tmp_path, text)).sequences[0]
    talking = [s for s in seq.shots if s.dialogue]
    assert [s.size for s in talking] == [ShotSize.MS, ShotSize.MLS, ShotSize.MS, ShotSize.MLS]
    assert all(s.characters[0].character_id == s.dialogue[0].character_id and s.characters[0].position is ScreenPosition.CENTER for s in talking)
    assert len(talking[1].characters) == 3  # the medium long shot holds the group


def test_voice_over_speaker_is_heard_not_seen(tmp_path):
    text = "INT. CAR - NIGHT\n\nMAYA\nWhere to?\n\nJONAH (V.O.)\nKeep going.\n"
    project = imported(write_script(tmp_path, text))
    shot = [s for s in project.shots() if s.dialogue][-1]
    jonah = next(c.id for c in project.characters if c.name == "JONAH")
    assert shot.dialogue[0].character_id == jonah
    assert jonah not in {c.character_id for c in shot.characters}
    assert [project.character(c.character_id).name for c in shot.characters] == ["MAYA"]


def test_action_beats_are_their_own_shots_framed_on_who_they_name():
    project = imported(LAST_ORDER)
    diner = project.sequences[1]
    steps_in = next(s for s in diner.shots if s.description.startswith("Jonah steps in"))
    assert steps_in.size is ShotSize.MS and [c.character_id for c in steps_in.characters] == ["jonah"]
    coffee = next(s for s in diner.shots if s.description.startswith("Coffee pours"))
    assert coffee.size is ShotSize.LS and coffee.characters == [] and coffee.dialogue == []


@pytest.mark.parametrize("fps", [24, 25, 30])
def test_action_lasts_about_point_four_seconds_a_word_clamped_to_two_to_eight(tmp_path, fps):
    short, medium, long = "He nods.", " ".join(["word"] * 10) + ".", " ".join(["word"] * 60) + "."
    path = write_script(tmp_path, f"INT. ROOM - DAY\n\nMAYA\nHi.\n\n{short}\n\n{medium}\n\n{long}\n")
    shots = imported(path, fps).sequences[0].shots[-3:]
    assert [s.duration for s in shots] == [2 * fps, 4 * fps, 8 * fps]
    assert all(isinstance(s.duration, int) for s in shots)


def test_dialogue_length_follows_the_speakers_words_per_minute(tmp_path):
    path = write_script(tmp_path, "INT. ROOM - DAY\n\nMAYA\nOne two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen.\n")
    lengths = {}
    for wpm in (100, 200):
        project = _new()
        project.characters.append(Character(id="m", name="Maya", voice=VoiceSettings("en-us+f3", 50, wpm)))
        shot = next(s for s in _import(project, path).shots() if s.dialogue)
        assert shot.dialogue[0].character_id == "m"  # matched to the existing character by name
        lengths[wpm] = shot.duration
    # 15 words: 9 s at 100 wpm against 4.5 s at 200 wpm, the same padding around both
    assert lengths[100] - lengths[200] == 108


def test_lines_in_one_shot_never_overlap(tmp_path):
    text = "INT. ROOM - DAY\n\nMAYA\nFirst thing I want to say is long enough.\n(beat)\nSecond.\n(quieter)\nAnd a third line after that one.\n"
    project = imported(write_script(tmp_path, text))
    shot = next(s for s in project.shots() if s.dialogue)
    wpm = project.character(shot.dialogue[0].character_id).voice.words_per_minute
    rate = project.format.frame_rate
    lines = shot.dialogue
    assert [d.parenthetical for d in lines] == ["", "beat", "quieter"]
    for line, following in zip(lines, lines[1:], strict=False):
        spoken = rate.seconds_to_frames(len(line.text.split()) * 60 / wpm)
        assert following.start >= line.start + spoken
    last = lines[-1]
    assert shot.duration >= last.start + rate.seconds_to_frames(len(last.text.split()) * 60 / wpm)


def test_transition_lengths_are_frames_at_the_project_rate():
    project = imported(LAST_ORDER, fps=25)
    first, last = project.sequences[0].shots[0], project.sequences[2].shots[0]
    assert (first.transition.type.value, first.transition.duration) == ("fade", 25)
    assert (last.transition.type.value, last.transition.duration) == ("dissolve", 25)
    assert "FADE OUT." in project.sequences[2].shots[-1].notes  # nothing follows to fade into


def test_locations_are_reused_and_keep_each_scenes_time(tmp_path):
    text = "INT. DINER - NIGHT\n\nA.\n\nEXT. ROAD - CONTINUOUS\n\nB.\n\nINT. DINER - DAY\n\nC.\n\nINT. DINER - CONTINUOUS\n\nD.\n"
    project = imported(write_script(tmp_path, text))
    assert sorted(loc.slug for loc in project.locations) == ["EXT. ROAD - NIGHT", "INT. DINER - NIGHT"]
    times = [project.world_state(seq.shots[0]).time_of_day for seq in project.sequences]
    assert times == [TimeOfDay.NIGHT, TimeOfDay.NIGHT, TimeOfDay.DAY, TimeOfDay.DAY]
    assert len({seq.shots[0].location_id for seq in project.sequences}) == 2


def test_every_character_gets_a_distinct_colour_and_voice(tmp_path):
    names = [f"PERSON {chr(65 + i)}" for i in range(15)]
    text = "INT. HALL - DAY\n\n" + "".join(f"{n}\nHello.\n\n" for n in names)
    project = imported(write_script(tmp_path, text))
    assert [c.name for c in project.characters] == names
    assert len({c.color for c in project.characters}) == 15
    assert len({(c.voice.voice, c.voice.pitch) for c in project.characters}) == 15
    assert all(0 <= c.voice.pitch <= 99 for c in project.characters)
    first_two = [c.voice.voice for c in project.characters[:2]]
    assert first_two[0].split("+")[1].startswith("m") and first_two[1].split("+")[1].startswith("f")


def test_new_characters_avoid_the_voices_and_colours_already_cast(tmp_path):
    project = _new()
    project.characters.append(Character(id="x", name="EXISTING", voice=VoiceSettings("en-us+m3", 42, 160), color="#c0504d"))
    _import(project, write_script(tmp_path, "INT. HALL - DAY\n\nNEWCOMER\nHello.\n"))
    newcomer = project.characters[1]
    assert (newcomer.voice.voice, newcomer.voice.pitch) != ("en-us+m3", 42) and newcomer.color != "#c0504d"


def test_rules_are_data_a_user_can_change():
    rules = replace(CoverageRules(), establish=Establish.NEVER, two_person_sizes=(ShotSize.CU,), action_size_one=ShotSize.MCU)
    project = _import(_new(), LAST_ORDER, rules)
    assert ShotSize.EWS not in {s.size for s in project.shots()} and ShotSize.WS not in {s.size for s in project.shots()}
    assert {s.size for s in project.shots() if s.dialogue} == {ShotSize.CU}
    # each scene's opening line, which the establishing wide took by default, is an ordinary action shot now
    assert project.sequences[0].shots[0].description.startswith("Rain hammers")
    assert project.sequences[0].shots[0].size is ShotSize.LS
    assert len(list(project.shots())) == len(list(imported(LAST_ORDER).shots()))


def test_every_scene_gets_a_shot_even_with_only_a_heading(tmp_path):
    project = imported(write_script(tmp_path, "INT. ATTIC - NIGHT\n\nEXT. YARD - DAY\n\nShe runs.\n"))
    assert [len(s.shots) for s in project.sequences] == [1, 1]
    assert project.sequences[0].shots[0].size is ShotSize.WS


def test_every_planned_camera_move_is_renderable():
    for name in ("last_order.fountain", "night_shift.fountain", "last_order_shots.csv"):
        project = imported(DATA / name)
        assert all(not shot.camera.problems() for shot in project.shots()), name
        assert all(shot.duration >= 1 and shot.lens_mm > 0 for shot in project.shots()), name
