"""Save and load time of a big project: 1,000 shots with dialogue, sound cues and a take each.

Targets (issue: foundation): save < 200 ms, load < 200 ms on a laptop CPU. Prints the best of
several runs of each, the ratio to its target, and the size of project.json.

    python benchmarks/project_io.py [--shots 1000] [--runs 7] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from studio.camera import CameraMove, CameraMoveType, Direction, Easing
from studio.demo import demo_project
from studio.project import Project, Sequence
from studio.project_file import PROJECT_FILE, load_project, save_project
from studio.render_inputs import shot_input_hash
from studio.shot import CharacterInShot, DialogueLine, ScreenPosition, Shot, ShotSize, SoundCue, SoundCueKind
from studio.take import Take

SAVE_TARGET_MS = 200.0
LOAD_TARGET_MS = 200.0
SHOTS_PER_SEQUENCE = 25

_MOVES = [
    CameraMove(CameraMoveType.STATIC),
    CameraMove(CameraMoveType.PAN, Direction.RIGHT, 0.3),
    CameraMove(CameraMoveType.DOLLY_IN, Direction.IN, 0.25, Easing.EASE_OUT),
    CameraMove(CameraMoveType.TILT, Direction.DOWN, 0.2, Easing.LINEAR),
    CameraMove(CameraMoveType.ORBIT, Direction.LEFT, 20.0),
    CameraMove(CameraMoveType.HANDHELD, Direction.NONE, 0.02),
]
_SIZES = list(ShotSize)


def _media(kind: str, n: int, suffix: str) -> str:
    return f"media/{hashlib.sha256(f'{kind}{n}'.encode()).hexdigest()}{suffix}"


def big_project(shot_count: int) -> Project:
    """The demo's cast and places, with `shot_count` shots that look like a real cut's."""
    project = demo_project()
    characters = [c.id for c in project.characters]
    locations = [loc.id for loc in project.locations]
    project.sequences = []
    for n in range(shot_count):
        if n % SHOTS_PER_SEQUENCE == 0:
            project.sequences.append(Sequence(id=f"sc{len(project.sequences) + 1}", name=f"{len(project.sequences) + 1} INT. ROSIE'S DINER - NIGHT"))
        speaker, listener = characters[n % 2], characters[(n + 1) % 2]
        shot = Shot(
            id=f"shot{n:05d}",
            number=str(n + 1),
            duration=48 + (n * 7) % 96,
            description=f"Shot {n + 1}: {speaker.upper()} leans across the counter while rain streaks the window behind; the neon sign hums.",
            size=_SIZES[n % len(_SIZES)],
            lens_mm=[18.0, 35.0, 50.0, 85.0][n % 4],
            camera=_MOVES[n % len(_MOVES)],
            characters=[
                CharacterInShot(speaker, ScreenPosition.CENTER_LEFT, "talks, wiping the counter"),
                CharacterInShot(listener, ScreenPosition.RIGHT, "listens"),
            ],
            location_id=locations[n % 2],
            dialogue=[
                DialogueLine(speaker, "Kitchen closes in ten minutes, so whatever you want, want it fast.", start=12),
                DialogueLine(listener, "Then I'll have whatever takes nine.", start=40, parenthetical="beat"),
            ],
            sound_cues=[
                SoundCue(SoundCueKind.AMBIENCE, "diner room tone, fridge hum", gain_db=-10.0),
                SoundCue(SoundCueKind.SFX, "cup set down on the counter", start=30, duration=12, media=_media("sfx", n, ".wav"), gain_db=-4.0, pan=0.3),
            ],
            seed=1000 + n,
            notes="pick up the cup on the line",
        )
        project.sequences[-1].shots.append(shot)
    for shot in project.shots():
        n = int(shot.number)
        take = Take(
            id=f"take{n:05d}",
            number=1,
            input_hash=shot_input_hash(project, shot),
            backend="draft",
            settings={"size": "1280x720", "overlays": "on"},
            video=_media("video", n, ".mp4"),
            audio=_media("audio", n, ".wav"),
            last_frame=_media("last", n, ".png"),
            thumbnail=_media("thumb", n, ".jpg"),
            model_id="draft-1",
            seed=shot.seed,
            created="2026-01-01T12:00:00Z",
            timings={"layout": 0.012, "render": 0.84, "encode": 0.21},
            provenance={"generator": "Storyboard Studio 0.1.0 draft", "watermark": "visible"},
        )
        shot.takes.append(take)
        shot.active_take_id = take.id
    return project


def best_ms(fn: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of one save and one load")
    args = parser.parse_args(argv)

    project = big_project(args.shots)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "Big.storyboard"
        save_project(project, folder)  # warm up: converters are built on first use
        if load_project(folder) != project:
            print("error: the loaded project differs from the saved one", file=sys.stderr)
            return 1
        save_ms = best_ms(lambda: save_project(project, folder), args.runs)
        load_ms = best_ms(lambda: load_project(folder), args.runs)
        size = (folder / PROJECT_FILE).stat().st_size
        if args.profile:
            for name, fn in (("save", lambda: save_project(project, folder)), ("load", lambda: load_project(folder))):
                profiler = cProfile.Profile()
                profiler.runcall(fn)
                print(f"--- {name} ---")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)

    shots = sum(1 for _ in project.shots())
    print(f"project: {shots} shots, {sum(len(s.dialogue) for s in project.shots())} dialogue lines, {sum(len(s.takes) for s in project.shots())} takes")
    print(f"project.json: {size / 1024:.0f} KiB ({size / shots:.0f} bytes per shot)")
    print(
        f"save: {save_ms:7.1f} ms  target < {SAVE_TARGET_MS:.0f} ms  ({save_ms / SAVE_TARGET_MS:.2f} of target)  {'ok' if save_ms < SAVE_TARGET_MS else 'MISSED'}"
    )
    print(
        f"load: {load_ms:7.1f} ms  target < {LOAD_TARGET_MS:.0f} ms  ({load_ms / LOAD_TARGET_MS:.2f} of target)  {'ok' if load_ms < LOAD_TARGET_MS else 'MISSED'}"
    )
    return 0 if save_ms < SAVE_TARGET_MS and load_ms < LOAD_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
