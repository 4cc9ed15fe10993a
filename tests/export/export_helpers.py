"""Helpers for the export tests. The small project has real takes: each is a short video whose
frames say which shot and which frame they are (a solid colour per shot, the frame number in binary along the top edge),
with a tone per shot as its sound, a thumbnail and a last frame — as the render engine stores them."""

from __future__ import annotations

import math
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from pipeline.assemble.sequence import sample_at
from pipeline.audio.pcm import write_wav_s16_stereo
from pipeline.encode.codecs import TAKE_MASTER
from pipeline.encode.video_writer import VideoWriter
from studio.commands import AddTake, History
from studio.demo import demo_project
from studio.frame_rate import FrameRate
from studio.ids import new_id
from studio.media_store import MediaStore
from studio.project import Project
from studio.project_file import save_project
from studio.render_inputs import shot_input_hash
from studio.take import Take

WIDTH, HEIGHT = 320, 180
SHOT_COLOURS = [(200, 40, 40), (40, 180, 60), (40, 80, 210), (220, 200, 40), (160, 60, 200), (40, 200, 200)]
BITS, BIT_SIZE = 9, 16  # the frame number, in binary, as black and white squares along the top edge


def frame_for(shot_index: int, frame: int) -> np.ndarray:
    image = np.empty((HEIGHT, WIDTH, 3), np.uint8)
    image[:] = SHOT_COLOURS[shot_index % len(SHOT_COLOURS)]
    for bit in range(BITS):
        image[:BIT_SIZE, bit * BIT_SIZE : (bit + 1) * BIT_SIZE] = 255 if frame >> bit & 1 else 0
    return image


def frame_number(image: np.ndarray) -> int:
    """Reads back the frame number drawn by frame_for (robust to lossy encoding)."""
    inner = slice(4, BIT_SIZE - 4)
    return sum(1 << bit for bit in range(BITS) if image[inner, bit * BIT_SIZE + 4 : (bit + 1) * BIT_SIZE - 4].mean() > 128)


def shot_index_of(image: np.ndarray) -> int:
    centre = image[HEIGHT // 2 - 10 : HEIGHT // 2 + 10, WIDTH // 2 - 10 : WIDTH // 2 + 10].reshape(-1, 3).mean(axis=0)
    return int(np.argmin([np.abs(centre - np.array(c)).sum() for c in SHOT_COLOURS]))


def tone(frequency: float, frames: int, rate: FrameRate) -> np.ndarray:
    n = sample_at(frames, rate)
    t = np.arange(n) / 48_000
    mono = (0.3 * 32767 * np.sin(2 * math.pi * frequency * t)).astype(np.int16)
    return np.stack([mono, mono], axis=1)


def add_encoded_take(project: Project, folder: Path, shot_id: str, shot_index: int, frames: int | None = None) -> Take:
    """Encodes a take for the shot (its own length unless `frames`) and records it as the active take."""
    shot = project.shot(shot_id)
    rate = project.format.frame_rate
    count = frames or shot.duration
    store = MediaStore(folder)
    with tempfile.TemporaryDirectory() as tmp:
        video = Path(tmp) / f"take{TAKE_MASTER.container_suffix}"
        with VideoWriter(video, WIDTH, HEIGHT, rate, TAKE_MASTER) as writer:
            for i in range(count):
                writer.write(frame_for(shot_index, i))
        wav = write_wav_s16_stereo(Path(tmp) / "sound.wav", tone(220 + 110 * shot_index, count, rate))
        middle = frame_for(shot_index, count // 2)
        take = Take(
            id=new_id(),
            number=shot.next_take_number,
            input_hash=shot_input_hash(project, shot),
            backend="draft",
            video=store.add_file(video),
            audio=store.add_file(wav),
            last_frame=store.add_bytes(cv2.imencode(".png", frame_for(shot_index, count - 1)[:, :, ::-1])[1].tobytes(), ".png"),
            thumbnail=store.add_bytes(cv2.imencode(".jpg", middle[:, :, ::-1])[1].tobytes(), ".jpg"),
            model_id="draft-1",
            seed=shot.seed,
        )
    History(project).execute(AddTake(shot_id, take))
    return take


@dataclass
class SmallProject:
    project: Project
    folder: Path

    def save(self) -> Path:
        return save_project(self.project, self.folder)


def build_small_project(root: Path, rate: FrameRate = FrameRate(24), durations: tuple[int, ...] = (14, 20, 9, 17), takes: bool = True) -> SmallProject:
    """Four shots of the demo film in two scenes, shortened, at 320x180, with real takes."""
    project = demo_project(rate, WIDTH, HEIGHT)
    project.sequences = project.sequences[:2]
    project.sequences[1].shots = project.sequences[1].shots[:2]
    for shot, duration in zip(project.shots(), durations, strict=True):
        shot.duration = duration
        shot.dialogue = [type(line)(line.character_id, line.text, min(line.start, duration - 1), line.parenthetical) for line in shot.dialogue]
        shot.sound_cues = []
        shot.transition = type(shot.transition)()
    project.sequences[1].shots[0].number = "2A"
    folder = root / "Small.storyboard"
    save_project(project, folder)
    if takes:
        for index, shot in enumerate(list(project.shots())):
            add_encoded_take(project, folder, shot.id, index)
    save_project(project, folder)
    return SmallProject(project, folder)


REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class CliRun:
    returncode: int
    stdout: str
    stderr: str


def studio(*args: object, timeout: float = 120) -> CliRun:
    """Runs the `studio` command as a user would, in its own process."""
    script = Path(sys.executable).with_name("studio")
    entry = [str(script)] if script.exists() else [sys.executable, "-m", "cli.main"]
    done = subprocess.run([*entry, *map(str, args)], capture_output=True, text=True, cwd=REPO_ROOT, timeout=timeout)
    return CliRun(done.returncode, done.stdout, done.stderr)
