"""Draft animatic render time against a bare PyAV encode of the same number of frames, in one run.

Prints: the full `studio render` path (render every shot of a 60 s demo cut, record takes, assemble
the H.264 sequence with sound and overlays), the bare encode of as many pre-made 1280x720 frames with
the same delivery settings, their ratio (target <= 1.5x), the real-time factor (target >= 1x), and
a no-change re-render (target < 1 s).
"""

from __future__ import annotations

import argparse
import copy
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from pipeline.assemble.overlays import OverlaySettings
from pipeline.encode.codecs import DELIVERY_H264
from pipeline.encode.video_writer import VideoWriter, read_video_frames
from pipeline.progress import CancelToken, no_progress
from pipeline.render.animatic import render_animatic
from pipeline.render.batch import BatchOptions
from studio.commands import History
from studio.demo import demo_project
from studio.project_file import load_project, save_project


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def sixty_second_demo():
    project = demo_project()
    rate = project.format.frame_rate
    target = rate.seconds_to_frames(60)
    shots = list(project.shots())
    extra = copy.deepcopy(shots[2])
    extra.id, extra.number = "s12", "12"
    extra.duration = target - project.duration
    extra.takes, extra.active_take_id = [], None
    project.sequences[-1].shots.append(extra)
    assert project.duration == target
    return project


def render_demo(folder: Path) -> float:
    project = load_project(folder)
    history = History(project)
    started = time.perf_counter()
    result = render_animatic(
        project, folder, BatchOptions(), folder / "renders" / "bench.mp4", DELIVERY_H264, OverlaySettings(), history.execute, no_progress, CancelToken()
    )
    elapsed = time.perf_counter() - started
    assert not result.report.failures, result.report.failures
    save_project(project, folder)
    return elapsed


def bare_encode(animatic: Path, rate, out: Path) -> tuple[float, int]:
    """Encodes the animatic's own frames, decoded into memory first, with the same delivery settings."""
    frames = list(read_video_frames(animatic))
    height, width = frames[0].shape[:2]
    audio = np.zeros((round(len(frames) * 48000 / rate.fps), 2), np.int16)
    started = time.perf_counter()
    with VideoWriter(out, width, height, rate, DELIVERY_H264, with_audio=True) as writer:
        for frame in frames:
            writer.write(frame)
        writer.write_audio(audio)
    return time.perf_counter() - started, len(frames)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="draft-bench-"))
    try:
        project = sixty_second_demo()
        folder = save_project(project, work / "bench.storyboard")
        seconds = project.format.frame_rate.frames_to_seconds(project.duration)
        cpu = cpu_seconds()
        render = render_demo(folder)
        render_cpu, cpu = cpu_seconds() - cpu, cpu_seconds()
        bare, frames = bare_encode(folder / "renders" / "bench.mp4", project.format.frame_rate, work / "bare.mp4")
        bare_cpu = cpu_seconds() - cpu
        assert frames == project.duration
        again = render_demo(folder)
        print(f"animatic: {seconds:.0f} s, {project.duration} frames at {project.format.size_text}, {project.format.frame_rate} fps")
        print(f"draft render (shots + takes + assembly): {render:.2f} s")
        print(f"bare PyAV encode of the same frame count: {bare:.2f} s")
        print(f"ratio draft/bare: {render / bare:.2f}x  (target <= 1.5x)")
        print(
            f"CPU seconds draft/bare: {render_cpu:.1f}/{bare_cpu:.1f} (includes decoding the frames for the bare encode) on {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
        )
        print(f"real-time factor: {seconds / render:.2f}x  (target >= 1x)")
        print(f"re-render with nothing changed: {again:.2f} s  (target < 1 s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
