"""The Kdenlive export plays in MLT (the engine Kdenlive renders with) at the project's length,
size and rate, showing each shot's own frames — the adapter alone renders 625 s of 1080p."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from export_helpers import HEIGHT, WIDTH, build_small_project, frame_number, shot_index_of

from pipeline.encode.video_writer import read_video_frames
from pipeline.export.exporter import ExportOptions, export_project
from pipeline.export.formats import ExportFormat, MediaEncoding
from pipeline.progress import CancelToken, no_progress
from studio.frame_rate import FrameRate
from studio.shot import Transition, TransitionType

pytestmark = pytest.mark.skipif(not (shutil.which("melt") and shutil.which("ffprobe")), reason="needs melt and ffprobe (apt install melt ffmpeg)")


def probe(path: Path) -> dict:
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-count_frames",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=width,height,r_frame_rate,nb_read_frames",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)["streams"][0]


@pytest.mark.parametrize("rate", [FrameRate(24), FrameRate(24000, 1001)], ids=str)
def test_melt_renders_the_kdenlive_export_at_the_projects_length_and_shows_each_shots_frames(tmp_path, rate):
    handles = 3
    small = build_small_project(tmp_path, rate)
    project = small.project
    out = tmp_path / "cut.kdenlive"
    export_project(project, small.folder, out, ExportOptions((ExportFormat.KDENLIVE,), MediaEncoding.H264, handles), no_progress, CancelToken())
    video = tmp_path / "melt.mp4"
    done = subprocess.run(
        ["melt", "-silent", str(out), "-consumer", f"avformat:{video}", "vcodec=libx264", "crf=12", "preset=ultrafast"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]

    stream = probe(video)
    assert (stream["width"], stream["height"]) == (WIDTH, HEIGHT)
    assert stream["r_frame_rate"] == f"{rate.numerator}/{rate.denominator}"
    assert abs(int(stream["nb_read_frames"]) - project.duration) <= 1

    rendered = list(read_video_frames(video))
    start = 0
    for index, shot in enumerate(project.shots()):
        first, middle, last = rendered[start], rendered[start + shot.duration // 2], rendered[start + shot.duration - 1]
        assert [shot_index_of(f) for f in (first, middle, last)] == [index] * 3, f"shot {shot.number} shows another shot's picture"
        # The cut starts after the head handle, on the take's first frame, and ends on its last.
        assert (frame_number(first), frame_number(last)) == (0, shot.duration - 1), f"shot {shot.number} is cut off its frames"
        start += shot.duration


def test_melt_renders_a_cut_with_dissolves_at_the_projects_length(tmp_path):
    small = build_small_project(tmp_path, FrameRate(24))
    for shot in list(small.project.shots())[1:]:
        shot.transition = Transition(TransitionType.DISSOLVE, 6)
    out = tmp_path / "cut.kdenlive"
    report = export_project(small.project, small.folder, out, ExportOptions((ExportFormat.KDENLIVE,), MediaEncoding.H264, 3), no_progress, CancelToken())
    assert any(w.startswith("Kdenlive project: the dissolves and fades are left out") for w in report.warnings)
    video = tmp_path / "melt.mp4"
    done = subprocess.run(
        ["melt", "-silent", str(out), "-consumer", f"avformat:{video}", "vcodec=libx264", "preset=ultrafast"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert abs(int(probe(video)["nb_read_frames"]) - small.project.duration) <= 1
