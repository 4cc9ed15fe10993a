"""Render farm scaling: 24 draft shots through the render queue on the local worker process
against an embedded Ray with 2 workers, in one run, with the same shots, seeds and size.

Prints both wall times and the speed-up (target >= 1.6x on 2 cores), and the farm's per-job
scheduling overhead: for each job, the time the app waited for it minus the time the worker spent
rendering it (shipping inputs, scheduling, progress, sending the take's files back; target < 20 ms).
Each side starts its workers before the clock starts (a spawned process; a Ray cluster), so the
times are of rendering; the farm's workers start on its first jobs, inside the time. Takes are
checked to be the same on both sides.

    python benchmarks/farm_scaling.py [--shots 24] [--frames 48] [--size 640x360] [--rounds 2]
"""

from __future__ import annotations

import argparse
import copy
import logging
import statistics
import tempfile
import time
from pathlib import Path

from pipeline.farm import RayRunner, parse_farm_address
from pipeline.progress import CancelToken, no_progress
from pipeline.queue import QueueSettings, RenderQueue, Runner, WorkerProcessRunner, plan_jobs
from studio.character import Character
from studio.commands import History
from studio.demo import demo_project
from studio.frame_rate import FrameRate
from studio.location import Location
from studio.project import Project, Sequence, StylePreset, VideoFormat
from studio.project_file import save_project
from studio.shot import CharacterInShot, DialogueLine, Shot, ShotSize

MOVES = [shot.camera for shot in demo_project().shots()]  # the demo's moves: each kind of plate warp a draft draws


def project(shots: int, frames: int, width: int, height: int) -> Project:
    return Project(
        title="Farm scaling",
        format=VideoFormat(width, height, FrameRate(24)),
        style=StylePreset.CLEAN,
        characters=[Character(id="ana", name="ANA"), Character(id="ben", name="BEN", color="#aa6644")],
        locations=[Location(id="bar", name="bar")],
        sequences=[
            Sequence(
                id="sq1",
                name="1 INT. BAR - NIGHT",
                shots=[
                    Shot(
                        id=f"s{n}",
                        number=str(n),
                        duration=frames,
                        description=f"Ana and Ben at the bar, beat {n}",
                        size=list(ShotSize)[n % len(ShotSize)],
                        camera=copy.deepcopy(MOVES[n % len(MOVES)]),
                        characters=[CharacterInShot("ana"), CharacterInShot("ben")],
                        location_id="bar",
                        seed=n,
                        dialogue=[DialogueLine("ana" if n % 2 else "ben", "Another round.")],
                    )
                    for n in range(1, shots + 1)
                ],
            )
        ],
    )


def render(folder: Path, built: Project, runner: Runner) -> float:
    history = History(built)
    queue = RenderQueue(built, folder, QueueSettings(), plan_jobs(built, None, False, False), history.execute, runner, lambda: None)
    started = time.perf_counter()
    report = queue.run(no_progress, CancelToken())
    elapsed = time.perf_counter() - started
    if report.failures:
        raise SystemExit(f"renders failed: {report.failures}")
    save_project(built, folder)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, default=24)
    parser.add_argument("--frames", type=int, default=48)
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the best of each side is reported")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))

    local_runner = WorkerProcessRunner()
    farm_runner = RayRunner(parse_farm_address("local-ray"), workers=2)
    local_runner.start()
    started = time.perf_counter()
    farm_runner.start()
    print(f"embedded Ray started in {time.perf_counter() - started:.1f} s (not counted)")
    logging.getLogger("pipeline").setLevel(logging.ERROR)
    local_s, farm_s, overheads = [], [], []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for round_index in range(args.rounds):
                sides = [("local", local_runner, local_s), ("farm", farm_runner, farm_s)]
                for name, runner, times in sides if round_index % 2 == 0 else reversed(sides):
                    built = project(args.shots, args.frames, width, height)
                    folder = save_project(built, Path(tmp) / f"{name}{round_index}.storyboard")
                    farm_runner.timings.clear()
                    times.append(render(folder, built, runner))
                    if runner is farm_runner:
                        overheads.extend(t.overhead_s for t in farm_runner.timings)
                    print(f"round {round_index + 1}: {name:5s} {times[-1]:6.2f} s")
                    if round_index == 0 and name == "farm":
                        local_takes = [s.active_take.media_paths for s in _saved(Path(tmp) / "local0.storyboard")]
                        farm_takes = [s.active_take.media_paths for s in built.shots()]
                        print(f"same takes on both sides: {local_takes == farm_takes}")
    finally:
        local_runner.close()
        farm_runner.close()
    best_local, best_farm = min(local_s), min(farm_s)
    print(f"{args.shots} draft shots of {args.frames} frames at {width}x{height}")
    print(f"local worker process: {best_local:.2f} s   embedded Ray, 2 workers: {best_farm:.2f} s")
    print(f"speed-up: {best_local / best_farm:.2f}x (target >= 1.6x)")
    ms = sorted(o * 1000 for o in overheads)
    print(f"per-job scheduling overhead: median {statistics.median(ms):.1f} ms, mean {statistics.fmean(ms):.1f} ms, max {ms[-1]:.1f} ms over {len(ms)} jobs (target < 20 ms)")
    return 0


def _saved(folder: Path):
    from studio.project_file import load_project

    return list(load_project(folder).shots())


if __name__ == "__main__":
    raise SystemExit(main())
