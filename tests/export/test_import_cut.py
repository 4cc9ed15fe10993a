"""Round trip from editorial: an edited timeline comes back as ONE undoable edit of order, lengths
and removed shots, matched by shot id or clip name — never guessed."""

from __future__ import annotations

import copy

import opentimelineio as otio
import pytest
from export_helpers import build_small_project, studio
from hypothesis import given
from hypothesis import strategies as st

from pipeline.export.cut_import import read_cut
from pipeline.export.errors import CutImportError
from pipeline.export.exporter import ExportOptions, export_project
from pipeline.export.formats import SUFFIXES, TIMELINE_FORMATS, ExportFormat
from pipeline.progress import CancelToken, no_progress
from studio.commands import History, MoveShot
from studio.commands.cut import CutEntry, cut_edit
from studio.errors import EditError
from studio.project import Project, Sequence
from studio.project_file import load_project
from studio.schema import to_json
from studio.shot import Shot


def export_as(small, fmt: ExportFormat, path):
    export_project(small.project, small.folder, path, ExportOptions((fmt,)), no_progress, CancelToken())
    return path


def trim(clip: otio.schema.Clip, frames: int) -> None:
    clip.source_range = otio.opentime.TimeRange(clip.source_range.start_time, otio.opentime.RationalTime(frames, clip.source_range.duration.rate))


def recut_picture(timeline: otio.schema.Timeline, order: list[int], lengths: dict[int, int]) -> None:
    """What an editor does: reorder the picture track's clips (dropping those not in `order`) and trim some."""
    track = timeline.video_tracks()[0]
    clips = list(track)
    for index, frames in lengths.items():
        trim(clips[index], frames)
    track[:] = []  # detach, then put back in the new order
    for index in order:
        track.append(clips[index])
    for extra in timeline.audio_tracks():
        timeline.tracks.remove(extra)


def test_an_otio_recut_reorders_and_retimes_the_project_and_one_undo_restores_it(small, tmp_path):
    project = small.project
    before = to_json(project)
    original = [(s.id, s.duration) for s in project.shots()]
    path = export_as(small, ExportFormat.OTIO, tmp_path / "cut.otio")
    timeline = otio.adapters.read_from_file(str(path))
    recut_picture(timeline, order=[2, 0, 3, 1], lengths={0: 10, 3: 25})
    otio.adapters.write_to_file(timeline, str(path))

    cut = read_cut(path, project)
    assert cut.unmatched == []
    edit = cut_edit(project, cut.entries, "Import cut")
    history = History(project)
    history.execute(edit.command)

    expected = [original[2], (original[0][0], 10), (original[3][0], 25), original[1]]
    assert [(s.id, s.duration) for s in project.shots()] == expected
    assert history.undo_label == "Import cut" and len(history._done) == 1, "the whole recut is one undo step"
    history.undo()
    assert to_json(project) == before
    history.redo()
    assert [(s.id, s.duration) for s in project.shots()] == expected


def test_a_shot_the_editor_removed_is_removed_and_comes_back_on_undo(small, tmp_path):
    project = small.project
    before = to_json(project)
    path = export_as(small, ExportFormat.OTIO, tmp_path / "cut.otio")
    timeline = otio.adapters.read_from_file(str(path))
    recut_picture(timeline, order=[0, 1, 3], lengths={})
    otio.adapters.write_to_file(timeline, str(path))
    removed = list(project.shots())[2]
    edit = cut_edit(project, read_cut(path, project).entries)
    assert edit.removed == [removed.number]
    history = History(project)
    history.execute(edit.command)
    assert removed.id not in [s.id for s in project.shots()]
    history.undo()
    assert to_json(project) == before


def test_an_edl_recut_without_metadata_matches_shots_by_clip_name(small, tmp_path):
    project = small.project
    path = export_as(small, ExportFormat.EDL, tmp_path / "cut.edl")
    timeline = otio.adapters.read_from_file(str(path), rate=24)
    recut_picture(timeline, order=[3, 2, 1, 0], lengths={1: 5})
    otio.adapters.write_to_file(timeline, str(path), adapter_name="cmx_3600")
    shots = list(project.shots())
    cut = read_cut(path, project)
    History(project).execute(cut_edit(project, cut.entries).command)
    assert [s.number for s in project.shots()] == [shots[3].number, shots[2].number, shots[1].number, shots[0].number]
    assert project.shot(shots[1].id).duration == 5


def test_fcp7_clips_renamed_by_the_editor_are_still_matched_by_the_log_note(small, tmp_path):
    project = small.project
    path = export_as(small, ExportFormat.FCP7, tmp_path / "cut.xml")
    text = path.read_text()
    for shot in project.shots():
        text = text.replace(f"<name>{shot.number}_T1</name>", f"<name>Renamed by editor {shot.number}x</name>")
    path.write_text(text)
    cut = read_cut(path, project)
    assert [e.shot_id for e in cut.entries] == [s.id for s in project.shots()]


def test_clips_that_match_nothing_or_repeat_a_shot_are_listed_not_guessed(small, tmp_path):
    project = small.project
    path = export_as(small, ExportFormat.OTIO, tmp_path / "cut.otio")
    timeline = otio.adapters.read_from_file(str(path))
    track = timeline.video_tracks()[0]
    foreign = otio.schema.Clip(name="B-roll_0042", source_range=otio.opentime.TimeRange(duration=otio.opentime.RationalTime(12, 24)))
    again = copy.deepcopy(track[0])
    similar = otio.schema.Clip(name="99_T1", source_range=otio.opentime.TimeRange(duration=otio.opentime.RationalTime(8, 24)))
    track.insert(1, foreign)
    track.append(again)
    track.append(similar)
    otio.adapters.write_to_file(timeline, str(path))
    cut = read_cut(path, project)
    assert [e.shot_id for e in cut.entries] == [s.id for s in project.shots()]
    assert [(c.position, c.name) for c in cut.unmatched] == [(2, "B-roll_0042"), (6, track[5].name), (7, "99_T1")]
    assert "plays shot" in cut.unmatched[1].reason


def test_a_timeline_from_another_project_changes_nothing(small, tmp_path):
    other = build_small_project(tmp_path / "other")
    for shot in other.project.shots():
        shot.number = f"{shot.number}Z"
        shot.id = f"{shot.id}-other"
    path = tmp_path / "foreign.otio"
    export_project(other.project, other.folder, path, ExportOptions((ExportFormat.OTIO,)), no_progress, CancelToken())
    with pytest.raises(CutImportError, match="none of its 4 clip"):
        read_cut(path, small.project)


def test_a_file_that_is_not_a_timeline_is_refused_clearly(small, tmp_path):
    bad = tmp_path / "cut.edl"
    bad.write_text("this is not an edl\n\x00\x01")
    with pytest.raises(CutImportError, match="cut.edl"):
        read_cut(bad, small.project)
    with pytest.raises(CutImportError, match="not a timeline this app reads"):
        read_cut(tmp_path / "cut.mov", small.project)


def test_the_cli_applies_the_cut_and_saves_the_project(small, tmp_path):
    path = export_as(small, ExportFormat.OTIO, tmp_path / "cut.otio")
    timeline = otio.adapters.read_from_file(str(path))
    recut_picture(timeline, order=[1, 0, 2, 3], lengths={2: 11})
    otio.adapters.write_to_file(timeline, str(path))
    shots = [s.id for s in small.project.shots()]
    dry = studio("import-cut", small.folder, path, "--dry-run")
    assert dry.returncode == 0 and "dry run" in dry.stdout
    assert [s.id for s in load_project(small.folder).shots()] == shots
    done = studio("import-cut", small.folder, path)
    assert done.returncode == 0, done.stderr
    saved = load_project(small.folder)
    assert [s.id for s in saved.shots()] == [shots[1], shots[0], shots[2], shots[3]]
    assert saved.shot(shots[2]).duration == 11


# --- the edit itself, on any layout ---------------------------------------------------------


def layout_project(sizes: list[int]) -> Project:
    sequences, n = [], 0
    for index, size in enumerate(sizes):
        shots = []
        for _ in range(size):
            n += 1
            shots.append(Shot(id=f"s{n}", number=str(n), duration=10 + n))
        sequences.append(Sequence(id=f"q{index}", name=f"{index}", shots=shots))
    return Project(title="layout", sequences=sequences)


@st.composite
def recuts(draw):
    sizes = draw(st.lists(st.integers(0, 5), min_size=1, max_size=4).filter(lambda s: sum(s) > 0))
    project = layout_project(sizes)
    ids = [s.id for s in project.shots()]
    kept = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    lengths = draw(st.lists(st.integers(1, 50), min_size=len(kept), max_size=len(kept)))
    return project, [CutEntry(i, d) for i, d in zip(kept, lengths, strict=True)]


@given(recuts())
def test_any_recut_gives_exactly_the_cuts_order_and_lengths_and_undoes_to_the_original(case):
    project, entries = case
    before = to_json(project)
    edit = cut_edit(project, entries)
    history = History(project)
    history.execute(edit.command)
    assert [(s.id, s.duration) for s in project.shots()] == [(e.shot_id, e.duration) for e in entries]
    history.undo()
    assert to_json(project) == before


def test_moving_one_shot_is_one_move():
    project = layout_project([6])
    ids = [s.id for s in project.shots()]
    order = ids[1:] + ids[:1]  # the first shot goes to the end
    edit = cut_edit(project, [CutEntry(i, project.shot(i).duration) for i in order])
    assert [type(c) for c in edit.command.commands] == [MoveShot]
    assert edit.moved == ["1"]


def test_a_shot_moved_past_the_next_scene_joins_it():
    project = layout_project([3, 2])  # q0: 1 2 3, q1: 4 5
    cut = ["s1", "s3", "s4", "s2", "s5"]
    History(project).execute(cut_edit(project, [CutEntry(i, project.shot(i).duration) for i in cut]).command)
    assert [[s.id for s in q.shots] for q in project.sequences] == [["s1", "s3"], ["s4", "s2", "s5"]]


def test_a_cut_naming_a_shot_twice_or_none_is_refused():
    project = layout_project([2])
    with pytest.raises(EditError, match="twice"):
        cut_edit(project, [CutEntry("s1", 5), CutEntry("s1", 5)])
    with pytest.raises(EditError, match="none of this project's shots"):
        cut_edit(project, [])


@pytest.mark.parametrize("fmt", TIMELINE_FORMATS, ids=str)
def test_every_timeline_format_reads_back_as_the_projects_own_cut(small, tmp_path, fmt):
    path = export_as(small, fmt, tmp_path / f"cut{SUFFIXES[fmt]}")
    cut = read_cut(path, small.project)
    assert [(e.shot_id, e.duration) for e in cut.entries] == [(s.id, s.duration) for s in small.project.shots()]
    assert cut.unmatched == []
    assert cut_edit(small.project, cut.entries).command.commands == [], "an unchanged cut changes nothing"


@pytest.mark.parametrize("fmt", [ExportFormat.OTIO, ExportFormat.FCP7, ExportFormat.AAF], ids=str)
def test_formats_that_carry_the_shot_id_match_shots_renumbered_since_the_export(small, tmp_path, fmt):
    path = export_as(small, fmt, tmp_path / f"cut{SUFFIXES[fmt]}")
    shots = list(small.project.shots())
    for shot in shots:
        shot.number = f"{shot.number}0"  # 1 -> 10, 2 -> 20 ...: no clip name matches any more
    cut = read_cut(path, small.project)
    assert [e.shot_id for e in cut.entries] == [s.id for s in shots]
