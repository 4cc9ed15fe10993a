"""Exports from imperfect projects and to bad places: a clear message and valid files, or nothing."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import opentimelineio as otio
import pytest
from export_helpers import build_small_project

from pipeline.encode.video_writer import read_video_frames
from pipeline.export.cut_import import read_cut
from pipeline.export.errors import ExportError
from pipeline.export.exporter import ExportOptions, export_project
from pipeline.export.formats import ALL_FORMATS, SUFFIXES, TIMELINE_FORMATS, ExportFormat, MediaEncoding
from pipeline.export.interchange import read_timeline
from pipeline.progress import CancelToken, RenderCancelled, no_progress
from studio.frame_rate import FrameRate
from studio.project_file import save_project


def export(small, out, formats=TIMELINE_FORMATS, **options):
    return export_project(small.project, small.folder, out, ExportOptions(tuple(formats), **options), no_progress, CancelToken())


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_shots_without_takes_get_their_draft_animatic_and_a_warning(tmp_path):
    small = build_small_project(tmp_path, takes=False)
    report = export(small, tmp_path / "out", formats=ALL_FORMATS, media=MediaEncoding.H264, handles=2, sequence_media=False)
    shots = list(small.project.shots())
    for shot in shots:
        assert any(w.startswith(f"shot {shot.number} has no take") and "draft animatic" in w for w in report.warnings)
    timeline = read_timeline(tmp_path / "out" / "Last_Order.otio", small.project.format.frame_rate)
    assert [c.name for c in timeline.video_tracks()[0].find_clips()] == [f"{s.number}_PANEL" for s in shots]
    frames = list(read_video_frames(tmp_path / "out" / "media" / "shots" / f"{shots[0].number}_PANEL.mp4"))
    assert len(frames) == shots[0].duration + 4
    assert not (frames[2] == frames[-3]).all(), "the draft stand-in moves with the shot's camera (crane down), it is not a still slate"


def test_without_media_only_shots_lacking_a_take_get_a_file_and_nothing_is_offline(small, tmp_path):
    first = next(iter(small.project.shots()))
    first.takes, first.active_take_id = [], None
    report = export(small, tmp_path / "cut.xml", formats=[ExportFormat.FCP7])
    assert sorted(p.name for p in (tmp_path / "cut_media" / "shots").iterdir()) == [f"{first.number}_PANEL.mp4"]
    clips = read_timeline(tmp_path / "cut.xml", small.project.format.frame_rate).video_tracks()[0].find_clips()
    assert all(isinstance(c.media_reference, otio.schema.ExternalReference) for c in clips)
    assert clips[1].media_reference.target_url.startswith((small.folder / "media").absolute().as_uri()), "takes are used where they are"
    assert len(report.warnings) == 1 and f"shot {first.number} has no take" in report.warnings[0]


def test_a_missing_take_file_is_named_in_a_warning_and_a_slate_stands_in(small, tmp_path):
    shot = list(small.project.shots())[1]
    (small.folder / shot.active_take.video).unlink()
    report = export(small, tmp_path / "out", media=MediaEncoding.H264, sequence_media=False)
    (warning,) = report.warnings
    assert f"shot {shot.number} take T1" in warning and shot.active_take.video in warning and "missing" in warning
    frames = list(read_video_frames(tmp_path / "out" / "media" / "shots" / f"{shot.number}_T1.mp4"))
    assert len(frames) == shot.duration
    assert frames[0].mean() < 80, "the dark red 'not rendered' slate, not the take's green"
    for fmt in TIMELINE_FORMATS:
        clips = read_timeline(tmp_path / "out" / f"Last_Order{SUFFIXES[fmt]}", small.project.format.frame_rate).video_tracks()[0].find_clips()
        assert len(clips) == 4


def test_export_never_changes_the_project_folder(small, tmp_path):
    before = tree_digest(small.folder)
    export(small, tmp_path / "out", formats=ALL_FORMATS, media=MediaEncoding.PRORES, handles=3)
    assert tree_digest(small.folder) == before


def test_an_unwritable_destination_is_a_clear_error_and_leaves_nothing(small, tmp_path):
    with pytest.raises(ExportError, match="cannot write there"):
        export(small, Path("/proc/storyboard-export"))
    with pytest.raises(ExportError, match="no such folder"):
        export(small, tmp_path / "missing" / "deeper" / "out")
    assert not (tmp_path / "missing").exists()
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        try:
            with pytest.raises(ExportError, match="cannot write there"):
                export(small, locked)
            assert list(locked.iterdir()) == []
        finally:
            locked.chmod(0o755)


def test_a_file_where_the_folder_should_be_is_refused(small, tmp_path):
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(ExportError, match="is a file"):
        export(small, tmp_path / "out")


def test_a_cancelled_export_leaves_the_destination_as_it_was(small, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("the user's own file")
    cancel = CancelToken()

    def cancel_on_media(event):
        if event.stage == "export" and event.job == "media" and event.done == 1:
            cancel.cancel()

    with pytest.raises(RenderCancelled):
        export_project(small.project, small.folder, out, ExportOptions(ALL_FORMATS, MediaEncoding.H264), cancel_on_media, cancel)
    assert [p.name for p in out.iterdir()] == ["keep.txt"], "no partial files and no staging folder"


def test_exporting_again_replaces_the_previous_export_whole(small, tmp_path):
    out = tmp_path / "out"
    export(small, out, media=MediaEncoding.H264, sequence_media=False)
    (out / "media" / "shots" / "stale_from_last_time.mp4").write_bytes(b"old")
    first = next(iter(small.project.shots()))
    first.number = "1B"
    export(small, out, media=MediaEncoding.H264, sequence_media=False)
    shots = sorted(p.name for p in (out / "media" / "shots").iterdir())
    assert shots == sorted(f"{s.number}_T1.mp4" for s in small.project.shots())
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "no staging left behind"
    ordinary = tmp_path / "ordinary"
    ordinary.mkdir()
    assert out.stat().st_mode == ordinary.stat().st_mode, "the export folder gets the user's usual permissions"


def test_names_with_unicode_slashes_and_quotes_make_safe_files_and_survive_every_format(tmp_path):
    small = build_small_project(tmp_path)
    project = small.project
    project.title = 'Nuit "blanche"/Ωmega: café'
    numbers = ["3/4", 'A"1', "Ü2", "12A"]
    for shot, number in zip(project.shots(), numbers, strict=True):
        shot.number = number
    save_project(project, small.folder)
    out = tmp_path / "out"
    report = export(small, out, formats=ALL_FORMATS, media=MediaEncoding.H264, sequence_media=False)
    assert all(p.parent == out for p in report.files), "a slash in a name never makes a folder"
    assert sorted(p.name for p in (out / "media" / "shots").iterdir()) == sorted(["3_4_T1.mp4", "A_1_T1.mp4", "Ü2_T1.mp4", "12A_T1.mp4"])
    stem = "Nuit_blanche_Ωmega_café"
    assert (out / f"{stem}.otio").is_file() and (out / f"{stem}_storyboard.pdf").is_file()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out / f"{stem}_storyboard.pdf"), "-"], capture_output=True, text=True, check=True).stdout
        assert project.title in text and all(n in text for n in numbers), "the PDF prints the names as written"
    with open(out / f"{stem}_shot_list.csv", encoding="utf-8-sig") as fh:
        assert [row["Shot"] for row in csv.DictReader(fh)] == numbers
    for fmt in TIMELINE_FORMATS:
        path = out / f"{stem}{SUFFIXES[fmt]}"
        clips = read_timeline(path, project.format.frame_rate).video_tracks()[0].find_clips()
        assert [c.name for c in clips] == [f"{n}_T1" for n in numbers], fmt
        cut = read_cut(path, project)
        assert [e.shot_id for e in cut.entries] == [s.id for s in project.shots()], fmt


@pytest.mark.parametrize(
    ("options", "out", "message"),
    [
        ({"formats": (ExportFormat.EDL,)}, "cut.xml", r"CMX 3600 EDL is written to a \.edl file"),
        ({"formats": (ExportFormat.FCP7,), "handles": 12}, "cut.xml", "choose a media encoding"),
        ({"formats": (ExportFormat.OTIO,), "media": MediaEncoding.H264, "handles": -1}, "cut.otio", "from 0 to"),
        ({"formats": ()}, "out", "at least one format"),
    ],
)
def test_options_that_cannot_work_are_refused_before_anything_is_written(small, tmp_path, options, out, message):
    with pytest.raises(ExportError, match=message):
        export_project(small.project, small.folder, tmp_path / out, ExportOptions(**options), no_progress, CancelToken())
    assert list(tmp_path.iterdir()) == [small.folder]


def test_a_rate_timecode_cannot_express_is_refused_for_edl_but_otio_still_works(tmp_path):
    small = build_small_project(tmp_path, FrameRate(12), takes=False)
    with pytest.raises(ExportError, match="SMPTE timecode, which has no 12 fps"):
        export(small, tmp_path / "cut.edl", formats=[ExportFormat.EDL])
    assert not (tmp_path / "cut.edl").exists()
    export(small, tmp_path / "cut.otio", formats=[ExportFormat.OTIO])
    assert read_timeline(tmp_path / "cut.otio", FrameRate(12)).video_tracks()[0].find_clips()[0].source_range.duration.rate == 12


def test_exporting_into_the_project_folder_is_refused_before_it_can_touch_its_media(small, tmp_path):
    before = tree_digest(small.folder)
    for out in (small.folder, small.folder / "media"):
        with pytest.raises(ExportError, match="project's own folder"):
            export(small, out, media=MediaEncoding.H264)
    assert tree_digest(small.folder) == before
    (small.folder / "exports").mkdir()
    report = export(small, small.folder / "exports", formats=[ExportFormat.CSV])
    assert report.files == [small.folder / "exports" / "Last_Order_shot_list.csv"], "an existing folder takes the file, named after the title"


def test_a_media_folder_that_an_export_did_not_write_is_never_replaced(small, tmp_path):
    out = tmp_path / "desktop"
    (out / "media").mkdir(parents=True)
    (out / "media" / "holiday.jpg").write_bytes(b"precious")
    with pytest.raises(ExportError, match="was not written by a Storyboard Studio export"):
        export(small, out, media=MediaEncoding.H264)
    assert (out / "media" / "holiday.jpg").read_bytes() == b"precious"
    assert sorted(p.name for p in out.iterdir()) == ["media"]


def test_a_shot_list_can_go_into_a_folder_that_has_a_media_folder_of_its_own(small, tmp_path):
    out = tmp_path / "desktop"
    (out / "media").mkdir(parents=True)
    export(small, out, formats=[ExportFormat.CSV, ExportFormat.PDF])
    assert sorted(p.name for p in out.iterdir()) == ["Last_Order_shot_list.csv", "Last_Order_storyboard.pdf", "media"]
    assert list((out / "media").iterdir()) == []


def test_a_damaged_take_file_gets_a_slate_and_a_warning_in_both_media_modes(small, tmp_path):
    shot = list(small.project.shots())[2]
    (small.folder / shot.active_take.video).write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes(500))
    for media, out in ((MediaEncoding.H264, tmp_path / "with_media"), (None, tmp_path / "referenced")):
        report = export(small, out, formats=[ExportFormat.OTIO, ExportFormat.KDENLIVE], media=media)
        assert any(f"shot {shot.number} take T1" in w and "cannot be read" in w for w in report.warnings)
        stand_in = out / "media" / "shots" / f"{shot.number}_T1.mp4"
        assert len(list(read_video_frames(stand_in))) == shot.duration
        clips = read_timeline(out / "Last_Order.otio", small.project.format.frame_rate).video_tracks()[0].find_clips()
        assert clips[2].media_reference.target_url == stand_in.absolute().as_uri()
