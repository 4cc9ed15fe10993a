"""Dissolves and fades on the exported timelines: each format, written and read back with OpenTimelineIO,
keeps its clips as they were (count, order, names, lengths, handles), and either the transitions,
centred on their cuts, or, for the formats that cannot carry them, a warning in the export report."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio
import pytest
from export_helpers import SmallProject, build_small_project

from pipeline.export.cut_import import read_cut
from pipeline.export.exporter import ExportOptions, ExportReport, export_project
from pipeline.export.formats import CARRIES_TRANSITIONS, DESCRIPTIONS, SUFFIXES, TIMELINE_FORMATS, ExportFormat, MediaEncoding
from pipeline.export.interchange import read_timeline
from pipeline.progress import CancelToken, no_progress
from studio.frame_rate import FrameRate
from studio.shot import Transition, TransitionType

HANDLES = 4
DURATIONS = (14, 97, 9, 241)
# Shot 1 opens the film with a fade (nothing to dissolve from); 2A's fade is capped at its 9 frames,
# then at the 4-frame handles to 8; 4's 5-frame dissolve fits beside it inside 2A.
TRANSITIONS = (
    Transition(TransitionType.FADE, 24),
    Transition(TransitionType.DISSOLVE, 8),
    Transition(TransitionType.FADE, 12),
    Transition(TransitionType.DISSOLVE, 5),
)
EXPECTED = [(4, 4), (4, 4), (2, 3)]  # (in_offset, out_offset) before shots 2, 2A and 4
DROPS_TRANSITIONS = sorted(set(TIMELINE_FORMATS) - set(CARRIES_TRANSITIONS))


def with_transitions(root: Path, rate: FrameRate) -> SmallProject:
    small = build_small_project(root, rate, DURATIONS)
    for shot, transition in zip(small.project.shots(), TRANSITIONS, strict=True):
        shot.transition = transition
    return small


def export(small: SmallProject, out: Path, formats=TIMELINE_FORMATS, handles: int = HANDLES) -> tuple[ExportReport, dict[ExportFormat, Path]]:
    options = ExportOptions(tuple(formats), MediaEncoding.H264, handles, sequence_media=False)
    report = export_project(small.project, small.folder, out, options, no_progress, CancelToken())
    return report, {fmt: next(f for f in report.files if f.suffix == SUFFIXES[fmt]) for fmt in formats}


@pytest.fixture(scope="module", params=[FrameRate(24), FrameRate(24000, 1001), FrameRate(30000, 1001)], ids=str)
def exported(request, tmp_path_factory) -> tuple[SmallProject, ExportReport, dict[ExportFormat, Path]]:
    root = tmp_path_factory.mktemp("transitions")
    small = with_transitions(root, request.param)
    report, files = export(small, root / "export")
    return small, report, files


def picture(timeline: otio.schema.Timeline) -> list[otio.core.Composable]:
    return list(timeline.video_tracks()[0])


def frames(time: otio.opentime.RationalTime, rate: FrameRate) -> int:
    return round(time.rescaled_to(rate.fps).value)


def assert_clips_unchanged(items: list[otio.core.Composable], small: SmallProject) -> None:
    rate = small.project.format.frame_rate
    clips = [item for item in items if isinstance(item, otio.schema.Clip)]
    assert [c.name for c in clips] == [f"{s.number}_T1" for s in small.project.shots()]
    assert [frames(c.source_range.duration, rate) for c in clips] == list(DURATIONS)
    assert [frames(c.source_range.start_time, rate) for c in clips] == [HANDLES] * len(DURATIONS)


@pytest.mark.parametrize("fmt", CARRIES_TRANSITIONS, ids=str)
def test_formats_that_carry_transitions_read_back_each_dissolve_centred_on_its_cut(exported, fmt):
    small, _, files = exported
    rate = small.project.format.frame_rate
    items = picture(read_timeline(files[fmt], rate))
    assert_clips_unchanged(items, small)
    assert [type(item).__name__ for item in items] == ["Clip", "Transition", "Clip", "Transition", "Clip", "Transition", "Clip"]
    transitions = [item for item in items if isinstance(item, otio.schema.Transition)]
    assert [(frames(t.in_offset, rate), frames(t.out_offset, rate)) for t in transitions] == EXPECTED
    assert {t.transition_type for t in transitions} == {otio.schema.TransitionTypes.SMPTE_Dissolve}


@pytest.mark.parametrize("fmt", DROPS_TRANSITIONS, ids=str)
def test_formats_that_cannot_carry_transitions_read_back_plain_cuts_and_the_report_says_so(exported, fmt):
    small, report, files = exported
    items = picture(read_timeline(files[fmt], small.project.format.frame_rate))
    assert_clips_unchanged(items, small)
    assert not [item for item in items if isinstance(item, otio.schema.Transition)]
    assert any(w.startswith(DESCRIPTIONS[fmt]) and "left out" in w for w in report.warnings)
    assert not any(w.startswith(DESCRIPTIONS[f]) for w in report.warnings for f in CARRIES_TRANSITIONS)


def test_the_edl_writes_cmx_dissolve_events(exported):
    _, _, files = exported
    events = [line.split() for line in files[ExportFormat.EDL].read_text().splitlines() if line[:3].isdigit()]
    assert [e[4] for e in events if "D" in e[3:4]] == ["008", "008", "005"]


def test_a_fade_through_black_is_a_dissolve_that_keeps_its_type_in_the_metadata(exported):
    small, _, files = exported
    transitions = [
        item for item in picture(read_timeline(files[ExportFormat.OTIO], small.project.format.frame_rate)) if isinstance(item, otio.schema.Transition)
    ]
    assert [t.metadata["storyboard_studio"]["type"] for t in transitions] == ["dissolve", "fade", "dissolve"]


def test_shortened_and_opening_transitions_are_reported_naming_the_shot(exported):
    _, report, _ = exported
    assert any(w.startswith("shot 1:") and "opens the film" in w for w in report.warnings)
    (shortened,) = [w for w in report.warnings if w.startswith("shot 2A:")]
    assert "12-frame fade" in shortened and "8 frames long" in shortened and "--handles 5" in shortened
    assert not any(w.startswith(("shot 2:", "shot 4:")) for w in report.warnings)


def test_without_handles_the_transitions_are_left_out_with_a_warning_per_shot(tmp_path):
    small = with_transitions(tmp_path, FrameRate(24))
    report, files = export(small, tmp_path / "out", formats=(ExportFormat.OTIO, ExportFormat.KDENLIVE), handles=0)
    timeline = read_timeline(files[ExportFormat.OTIO], small.project.format.frame_rate)
    assert not [item for item in picture(timeline) if isinstance(item, otio.schema.Transition)]
    left_out = [w for w in report.warnings if "is left out of the exported timelines" in w]
    assert [w.split(":")[0] for w in left_out] == ["shot 2", "shot 2A", "shot 4"]
    assert not any(w.startswith(DESCRIPTIONS[ExportFormat.KDENLIVE]) for w in report.warnings), "nothing to drop"


def test_an_edl_with_dissolves_imports_back_at_the_shots_lengths(exported):
    small, _, files = exported
    reading = read_cut(files[ExportFormat.EDL], small.project)
    assert [(entry.shot_id, entry.duration) for entry in reading.entries] == [(s.id, s.duration) for s in small.project.shots()]
