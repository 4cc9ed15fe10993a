"""Draft animatic render time against a bare PyAV encode of the same number of frames, in one run.

Prints: the full `studio render` path (render every shot of a 60 s demo cut, record takes, assemble
the H.264 sequence with sound and overlays), the bare encode of as many pre-made 1280x720 frames with
the same delivery settings, their ratio (target <= 1.5x), the real-time factor (target >= 1x), and
a no-change re-render (target < 1 s).
"""

from __future__ import annotations

import argparse
import copy
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from pipeline.assemble.overlays import OverlaySettings
from pipeline.assemble.sequence import assemble_sequence
from pipeline.encode.codecs import DELIVERY_H264
from pipeline.encode.video_writer import VideoWriter
from pipeline.progress import CancelToken, no_progress
from pipeline.render.batch import BatchOptions, render_batch
from studio.commands import History
from studio.demo import demo_project
from studio.project_file import save_project


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


def render_animatic(folder: Path) -> float:
    from studio.project_file import load_project

    project = load_project(folder)
    history = History(project)
    started = time.perf_counter()
    report = render_batch(project, folder, BatchOptions(), history.execute, no_progress, CancelToken())
    assert not report.failures, report.failures
    assemble_sequence(project, folder, folder / "renders" / "bench.mp4", DELIVERY_H264, OverlaySettings(), no_progress, CancelToken())
    elapsed = time.perf_counter() - started
    save_project(project, folder)
    return elapsed


def bare_encode(frames: int, width: int, height: int, rate, out: Path) -> float:
    rng = np.random.default_rng(0)
    pool = [rng.integers(0, 255, (height, width, 3), np.uint8) // 4 + 96 for _ in range(8)]
    audio = np.zeros((round(frames * 48000 / rate.fps), 2), np.int16)
    started = time.perf_counter()
    with VideoWriter(out, width, height, rate, DELIVERY_H264, with_audio=True) as writer:
        for i in range(frames):
            writer.write(pool[i % len(pool)])
        writer.write_audio(audio)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="draft-bench-"))
    try:
        project = sixty_second_demo()
        folder = save_project(project, work / "bench.storyboard")
        seconds = project.format.frame_rate.frames_to_seconds(project.duration)
        render = render_animatic(folder)
        bare = bare_encode(project.duration, project.format.width, project.format.height, project.format.frame_rate, work / "bare.mp4")
        again = render_animatic(folder)
        print(f"animatic: {seconds:.0f} s, {project.duration} frames at {project.format.size_text}, {project.format.frame_rate} fps")
        print(f"draft render (shots + takes + assembly): {render:.2f} s")
        print(f"bare PyAV encode of the same frame count: {bare:.2f} s")
        print(f"ratio draft/bare: {render / bare:.2f}x  (target <= 1.5x)")
        print(f"real-time factor: {seconds / render:.2f}x  (target >= 1x)")
        print(f"re-render with nothing changed: {again:.2f} s  (target < 1 s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
