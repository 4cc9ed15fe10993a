"""Sound cues and lines are anchored to the shot's picture: a head trim moves them with it, and what
loses its anchor (or ends up after a tail trim's new end) is reported by shot and name, never dropped."""

from __future__ import annotations

import pytest

from studio.character import Character
from studio.commands import History
from studio.commands.cut import CutEntry, cut_edit
from studio.commands.trim import TrimHead, trim_head
from studio.errors import EditError
from studio.project import Project, Sequence
from studio.schema import to_json
from studio.shot import DialogueLine, Shot, SoundCue, SoundCueKind

SLAM = SoundCue(SoundCueKind.SFX, "door slam", start=31, duration=8)
RAIN = SoundCue(SoundCueKind.AMBIENCE, "rain")  # from frame 0 to the end: it begins with the shot
STING = SoundCue(SoundCueKind.MUSIC, "sting", start=0, duration=20)
KNOCK = SoundCue(SoundCueKind.SFX, "knock", start=3, duration=2)  # wholly inside a 7-frame head trim
CAR = SoundCue(SoundCueKind.SFX, "car passes", start=4, duration=30)  # starts inside it, runs on after


def _project() -> Project:
    shot = Shot(
        "s1",
        "12A",
        48,
        sound_cues=[SLAM, RAIN, STING, KNOCK, CAR],
        dialogue=[DialogueLine("maya", "Closing time.", start=0), DialogueLine("maya", "We are closed.", start=20), DialogueLine("maya", "Out!", start=5)],
    )
    other = Shot("s2", "13", 24, sound_cues=[SoundCue(SoundCueKind.SFX, "bell", start=20)])
    return Project("Anchors", characters=[Character("maya", "Maya")], sequences=[Sequence("sc1", "Scene 1", [shot, other])])


def _cue(project: Project, description: str) -> SoundCue:
    return next(c for c in project.shot("s1").sound_cues if c.description == description)


def test_a_head_trim_moves_cues_and_lines_to_the_same_picture_frame() -> None:
    trimmed = trim_head(_project().shot("s1"), 7, {"maya": "Maya"})
    assert trimmed.duration == 41
    cues = {c.description: c for c in trimmed.sound_cues}
    assert (cues["door slam"].start, cues["door slam"].duration) == (24, 8)
    lines = {line.text: line.start for line in trimmed.dialogue}
    assert lines["We are closed."] == 13


def test_what_begins_with_the_shot_stays_at_its_first_frame_and_still_ends_on_its_picture_frame() -> None:
    cues = {c.description: c for c in trim_head(_project().shot("s1"), 7, {}).sound_cues}
    assert (cues["rain"].start, cues["rain"].duration) == (0, None)
    assert (cues["sting"].start, cues["sting"].duration) == (0, 13)
    assert {line.text: line.start for line in trim_head(_project().shot("s1"), 7, {}).dialogue}["Closing time."] == 0


def test_a_cue_or_line_whose_anchor_is_trimmed_away_is_kept_in_sync_and_reported() -> None:
    trimmed = trim_head(_project().shot("s1"), 7, {"maya": "Maya"})
    cues = {c.description: c for c in trimmed.sound_cues}
    assert len(trimmed.sound_cues) == 5, "nothing is dropped"
    assert (cues["car passes"].start, cues["car passes"].duration) == (-3, 30), "the rest of it plays in sync"
    assert cues["knock"].start == -4
    assert trimmed.notes == [
        "shot 12A: sound cue sfx 'knock' at frame 3 lies wholly in the 7 frame(s) trimmed from its head and no longer plays: move it into the shot or delete it",
        "shot 12A: sound cue sfx 'car passes' at frame 4 starts in the 7 frame(s) trimmed from its head: its first 3 frame(s) are cut and the rest plays in sync; "
        "move it into the shot if its start matters",
        "shot 12A: MAYA's line 'Out!' at frame 5 starts in the 7 frame(s) trimmed from its head: its first words are cut; move it into the shot",
    ]


def test_extending_the_head_again_puts_everything_back() -> None:
    project = _project()
    before = to_json(project.shot("s1"))
    History(project).execute(TrimHead("s1", 7))
    History(project).execute(TrimHead("s1", -7))
    assert to_json(project.shot("s1")) == before


def test_a_head_trim_is_one_undoable_edit() -> None:
    project = _project()
    before = to_json(project)
    history = History(project)
    trim = TrimHead("s1", 7)
    history.execute(trim)
    assert project.shot("s1").duration == 41 and _cue(project, "door slam").start == 24
    assert len(trim.notes) == 3, "the knock, the car and Maya's 'Out!' lost their anchors"
    history.undo()
    assert to_json(project) == before
    history.redo()
    assert _cue(project, "door slam").start == 24


def test_a_head_trim_that_leaves_no_frame_is_refused() -> None:
    project = _project()
    with pytest.raises(EditError, match="shot 12A is 48 frames long: trim at most 47 frames from its head"):
        History(project).execute(TrimHead("s1", 48))
    assert project.shot("s1").duration == 48


def test_an_editors_head_and_tail_trims_become_one_edit_that_keeps_the_slam_on_its_frame() -> None:
    project = _project()
    before = to_json(project)
    edit = cut_edit(project, [CutEntry("s1", 36, head=7), CutEntry("s2", 24)])
    assert "shot 12A: head trimmed by 7 frame(s); its dialogue and sound cues moved with the picture" in edit.summary
    assert "shot 12A: 48 -> 36 frames (-12)" in edit.summary
    history = History(project)
    history.execute(edit.command)
    assert project.shot("s1").duration == 36 and _cue(project, "door slam").start == 24
    assert any("'knock'" in warning for warning in edit.warnings)
    history.undo()
    assert to_json(project) == before, "the whole recut is one undo step"


def test_a_tail_trim_reports_the_cues_and_lines_it_leaves_after_the_shots_end() -> None:
    project = _project()
    edit = cut_edit(project, [CutEntry("s1", 48), CutEntry("s2", 15)])
    assert edit.warnings == [
        "shot 13: sound cue sfx 'bell' starts at frame 20, after the shot's new end (15 frames); it will not play: move it into the shot or onto the next one"
    ]
    edit = cut_edit(project, [CutEntry("s1", 18, head=7), CutEntry("s2", 24)])
    assert "shot 12A: MAYA's line 'We are closed.' starts at frame 13, after the shot's new end (18 frames)" not in " ".join(edit.warnings)
    assert "shot 12A: sound cue sfx 'door slam' starts at frame 24, after the shot's new end (18 frames); it will not play" in " ".join(edit.warnings)


def test_a_cut_that_trims_the_whole_shot_from_its_head_is_refused() -> None:
    with pytest.raises(EditError, match="shot 12A: the cut trims 48 frames from the head of a 48-frame shot; nothing would be left"):
        cut_edit(_project(), [CutEntry("s1", 1, head=48), CutEntry("s2", 24)])
