"""The shots of the cut as clips: where each starts, which take feeds it, or why none does."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from pipeline.encode.video_writer import read_video_frames
from pipeline.text_drawing import draw_wrapped_text
from studio.media_store import MediaStore
from studio.project import Project
from studio.render_inputs import ShotStatus, shot_status
from studio.shot import Shot


@dataclass(frozen=True)
class Clip:
    shot: Shot
    start: int  # frame on the sequence timeline
    video: Path | None
    audio: Path | None
    take_label: str  # "T2", or "" with no take
    problem: str | None  # why this shot has no picture: shown on a slate instead of hiding the shot
    stale: bool

    @property
    def duration(self) -> int:
        return self.shot.duration


def cut_clips(project: Project, folder: Path, failures: dict[str, str] | None = None) -> list[Clip]:
    starts = project.shot_starts()
    return [clip_for(project, folder, shot, starts[shot.id], (failures or {}).get(shot.id)) for shot in project.shots()]


def clip_for(project: Project, folder: Path, shot: Shot, start: int, failure: str | None = None) -> Clip:
    store = MediaStore(folder)
    take = shot.active_take
    problem = failure
    video = audio = None
    if take is not None and take.video and store.exists(take.video):
        video = store.resolve(take.video)
        audio = store.resolve(take.audio) if take.audio and store.exists(take.audio) else None
    elif problem is None:
        problem = f"shot {shot.number} has no take yet" if take is None else f"shot {shot.number}: the media of take T{take.number} is missing"
    stale = take is not None and shot_status(project, shot) is ShotStatus.STALE
    return Clip(shot, start, video, audio, f"T{take.number}" if take else "", problem if video is None else None, stale)


def clip_frames(clip: Clip, width: int, height: int) -> Iterator[np.ndarray]:
    """Exactly clip.duration frames at width x height: the take's picture, or a slate saying why not."""
    produced = 0
    last = None
    if clip.video is not None:
        for frame in read_video_frames(clip.video):
            if produced == clip.duration:
                break
            if frame.shape[1] != width or frame.shape[0] != height:
                frame = cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)
            last = frame
            produced += 1
            yield frame
    if produced < clip.duration:
        # A take shorter than its shot (trimmed longer since) holds its last frame, like an editor's freeze.
        filler = last if last is not None else problem_slate(clip, width, height)
        for _ in range(clip.duration - produced):
            yield filler


def problem_slate(clip: Clip, width: int, height: int) -> np.ndarray:
    slate = np.empty((height, width, 3), np.uint8)
    slate[:] = (58, 18, 22)
    scale = height / 720
    draw_wrapped_text(
        slate, f"SHOT {clip.shot.number} - NOT RENDERED", (int(60 * scale), int(height * 0.38)), width - int(120 * scale), 1.4 * scale, (255, 235, 235), 2
    )
    draw_wrapped_text(slate, clip.problem or "", (int(60 * scale), int(height * 0.52)), width - int(120 * scale), 0.8 * scale, (235, 200, 200), 1)
    return slate
