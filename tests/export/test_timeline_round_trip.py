"""Each timeline format, written and read back with OpenTimelineIO, keeps the cut: clip count, order,
names and durations to the frame at the project's rate (what each format loses is listed in
pipeline/export/formats.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import opentimelineio as otio
import pytest
from export_helpers import HEIGHT, WIDTH, SmallProject, build_small_project

from pipeline.export.exporter import ExportOptions, export_project
from pipeline.export.formats import SUFFIXES, TIMELINE_FORMATS, ExportFormat, MediaEncoding
from pipeline.export.interchange import read_timeline
from pipeline.progress import CancelToken, no_progress
from studio.frame_rate import FrameRate

HANDLES = 4
# Odd lengths on purpose: 97 frames at 25 fps is where a truncating reader loses a frame.
DURATIONS = (14, 97, 9, 241)
RATES = [FrameRate(24), FrameRate(24000, 1001), FrameRate(25), FrameRate(30000, 1001)]
CARRIES_START_TIMECODE = {ExportFormat.OTIO, ExportFormat.FCP7, ExportFormat.AAF}
CARRIES_AVAILABLE_RANGE = {ExportFormat.OTIO, ExportFormat.FCP7, ExportFormat.FCPXML, ExportFormat.AAF, ExportFormat.KDENLIVE}
CARRIES_SOUND = {ExportFormat.OTIO, ExportFormat.FCP7, ExportFormat.FCPXML, ExportFormat.AAF, ExportFormat.KDENLIVE}


@pytest.fixture(scope="module", params=RATES, ids=str)
def exported(request, tmp_path_factory) -> tuple[SmallProject, dict[ExportFormat, Path]]:
    root = tmp_path_factory.mktemp("round_trip")
    small = build_small_project(root, request.param, DURATIONS)
    options = ExportOptions(TIMELINE_FORMATS, MediaEncoding.H264, HANDLES, sequence_media=False)
    report = export_project(small.project, small.folder, root / "export", options, no_progress, CancelToken())
    files = {fmt: next(f for f in report.files if f.suffix == SUFFIXES[fmt]) for fmt in TIMELINE_FORMATS}
    return small, files


def picture_clips(timeline: otio.schema.Timeline) -> list[otio.schema.Clip]:
    return list(timeline.video_tracks()[0].find_clips())


def frames(time: otio.opentime.RationalTime, rate: FrameRate) -> float:
    return time.rescaled_to(rate.fps).value


@pytest.mark.parametrize("fmt", TIMELINE_FORMATS, ids=str)
def test_every_format_reads_back_the_same_clips_in_the_same_order_at_the_same_lengths(exported, fmt):
    small, files = exported
    rate = small.project.format.frame_rate
    shots = list(small.project.shots())
    timeline = read_timeline(files[fmt], rate)
    clips = picture_clips(timeline)
    assert [c.name for c in clips] == [f"{s.number}_T1" for s in shots]
    assert [frames(c.source_range.duration, rate) for c in clips] == [float(s.duration) for s in shots]
    assert [frames(c.source_range.start_time, rate) for c in clips] == [float(HANDLES)] * len(shots), "the cut sits inside the handles"
    assert abs(clips[0].source_range.duration.rate - rate.fps) < 1e-6 or fmt is ExportFormat.EDL


@pytest.mark.parametrize("fmt", sorted(CARRIES_AVAILABLE_RANGE), ids=str)
def test_media_with_handles_is_longer_than_the_cut_in_formats_that_describe_media(exported, fmt):
    small, files = exported
    rate = small.project.format.frame_rate
    clips = picture_clips(read_timeline(files[fmt], rate))
    for clip, shot in zip(clips, small.project.shots(), strict=True):
        available = clip.media_reference.available_range
        assert frames(available.duration, rate) == shot.duration + 2 * HANDLES
        assert clip.media_reference.target_url.endswith(f"/shots/{shot.number}_T1.mp4")


@pytest.mark.parametrize("fmt", sorted(CARRIES_START_TIMECODE), ids=str)
def test_the_cut_starts_at_one_hour_in_formats_that_carry_a_start(exported, fmt):
    small, files = exported
    rate = small.project.format.frame_rate
    start = read_timeline(files[fmt], rate).global_start_time
    assert otio.opentime.to_timecode(start, rate.fps, False) == "01:00:00:00"
    assert abs(start.rate - rate.fps) < 1e-6


def test_edl_records_the_cut_from_one_hour_non_drop(exported):
    small, files = exported
    rate = small.project.format.frame_rate
    text = files[ExportFormat.EDL].read_text()
    events = [line.split() for line in text.splitlines() if line[:3].isdigit()]
    assert "FCM: NON-DROP FRAME" in text
    assert events[0][-2] == "01:00:00:00"
    total = sum(s.duration for s in small.project.shots())
    end = otio.opentime.from_timecode("01:00:00:00", rate.fps) + otio.opentime.RationalTime(total, rate.fps)
    assert events[-1][-1] == otio.opentime.to_timecode(end, rate.fps, False)
    assert ";" not in text, "non-drop timecode throughout, as in every other format we write"


@pytest.mark.parametrize("fmt", sorted(CARRIES_SOUND), ids=str)
def test_each_shots_sound_is_a_clip_on_a_sound_track(exported, fmt):
    small, files = exported
    timeline = read_timeline(files[fmt], small.project.format.frame_rate)
    sound = [c for track in timeline.audio_tracks() for c in track.find_clips()]
    assert [c.name for c in sound] == [f"{s.number}_T1" for s in small.project.shots()]


def test_otio_keeps_shot_metadata_markers_and_the_exact_rate(exported):
    small, files = exported
    project = small.project
    timeline = read_timeline(files[ExportFormat.OTIO], project.format.frame_rate)
    assert timeline.name == project.title
    assert timeline.metadata["storyboard_studio"]["frame_rate"] == str(project.format.frame_rate)
    for clip, shot in zip(picture_clips(timeline), project.shots(), strict=True):
        data = clip.metadata["storyboard_studio"]
        assert (data["shot_id"], data["shot_number"], data["take_number"], data["seed"], data["backend"]) == (shot.id, shot.number, 1, shot.seed, "draft")
        assert data["description"] == shot.description and data["model"] == "draft-1"
        (marker,) = clip.markers
        assert marker.name == f"Shot {shot.number}"
        assert shot.description in marker.comment and shot.camera.describe() in marker.comment
        assert marker.marked_range.start_time.value == HANDLES
    scenes = [m.name for m in timeline.tracks.markers]
    assert scenes == [s.name for s in project.sequences]


def test_fcp7_carries_frame_size_marker_comments_and_the_shot_id_in_the_log_note(exported):
    small, files = exported
    project = small.project
    root = ET.parse(files[ExportFormat.FCP7]).getroot()
    sample = root.find(".//sequence/media/video/format/samplecharacteristics")
    assert (sample.findtext("width"), sample.findtext("height")) == (str(WIDTH), str(HEIGHT))
    timeline = read_timeline(files[ExportFormat.FCP7], project.format.frame_rate)
    for clip, shot in zip(picture_clips(timeline), project.shots(), strict=True):
        assert clip.metadata["fcp_xml"]["logginginfo"]["lognote"].endswith(shot.id)
        assert shot.description in clip.markers[0].metadata["fcp_xml"]["comment"]


def test_fcpxml_format_carries_the_exact_frame_duration_and_size(exported):
    small, files = exported
    rate = small.project.format.frame_rate
    fmt = ET.parse(files[ExportFormat.FCPXML]).getroot().find("./resources/format")
    assert fmt.get("frameDuration") == f"{rate.denominator}/{rate.numerator}s"
    assert (fmt.get("width"), fmt.get("height")) == (str(WIDTH), str(HEIGHT))


def test_kdenlive_profile_has_the_projects_size_and_exact_rate_not_1080p(exported):
    small, files = exported
    rate = small.project.format.frame_rate
    root = ET.parse(files[ExportFormat.KDENLIVE]).getroot()
    profile = root.find("profile")
    assert (profile.get("width"), profile.get("height")) == (str(WIDTH), str(HEIGHT))
    assert (profile.get("frame_rate_num"), profile.get("frame_rate_den")) == (str(rate.numerator), str(rate.denominator))
    assert root.get("title") == small.project.title
    black = root.find("producer[@id='black_track']")
    assert black.findtext("property[@name='length']") == str(sum(DURATIONS))
