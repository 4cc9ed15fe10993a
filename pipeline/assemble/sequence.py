"""The assembled animatic: every shot's active take in order, with transitions, overlays and sound.

Re-assembling an unchanged cut is skipped: the file records the hash of what it was made from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.assemble.clips import Clip, clip_frames, cut_clips
from pipeline.assemble.overlays import OverlayPainter, OverlaySettings
from pipeline.assemble.transitions import with_transitions
from pipeline.encode.codecs import VideoCodec
from pipeline.encode.video_writer import AUDIO_RATE, VideoWriter, read_container_comment, read_wav_s16_stereo
from pipeline.prefetch import prefetched
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent
from studio.frame_rate import FrameRate
from studio.project import Project

ASSEMBLY_VERSION = "1"


@dataclass(frozen=True)
class AssemblyResult:
    path: Path
    frames: int
    reused: bool  # the file was already up to date


def sample_at(frame: int, rate: FrameRate) -> int:
    return round(frame * AUDIO_RATE * rate.denominator / rate.numerator)


def assembly_key(project: Project, clips: list[Clip], codec: VideoCodec, overlays: OverlaySettings, size: tuple[int, int]) -> str:
    parts = {
        "version": ASSEMBLY_VERSION,
        "codec": [codec.name, codec.options],
        "size": size,
        "rate": str(project.format.frame_rate),
        "overlays": overlays.key(),
        "names": {c.id: [c.name, c.voice.words_per_minute] for c in project.characters},
        "clips": [
            [
                # media names are content hashes: the key follows the content, wherever the project folder is
                c.video.name if c.video else None,
                c.audio.name if c.audio else None,
                c.duration,
                c.problem,
                c.stale,
                c.take_label,
                c.shot.number,
                c.shot.transition.type.value,
                c.shot.transition.duration,
                [[d.character_id, d.text, d.start] for d in c.shot.dialogue],
                c.shot.camera.describe(),
            ]
            for c in clips
        ],
    }
    return "storyboard-studio-assembly:" + hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def sequence_audio(clips: list[Clip], rate: FrameRate) -> np.ndarray:
    """The takes' sound placed end to end, each clip exactly as long as its shot."""
    total = sample_at(sum(c.duration for c in clips), rate)
    mix = np.zeros((total, 2), np.int16)
    for clip in clips:
        if clip.audio is None:
            continue
        begin, end = sample_at(clip.start, rate), sample_at(clip.start + clip.duration, rate)
        samples = read_wav_s16_stereo(clip.audio)[: end - begin]
        mix[begin : begin + len(samples)] = samples
    return mix


def assemble_sequence(
    project: Project,
    folder: Path,
    out: Path,
    codec: VideoCodec,
    overlays: OverlaySettings,
    progress: ProgressCallback,
    cancel: CancelToken,
    size: tuple[int, int] | None = None,
    failures: dict[str, str] | None = None,
) -> AssemblyResult:
    width, height = size or (project.format.width, project.format.height)
    clips = cut_clips(project, folder, failures)
    key = assembly_key(project, clips, codec, overlays, (width, height))
    if out.is_file() and read_container_comment(out) == key:
        return AssemblyResult(out, sum(c.duration for c in clips), reused=True)
    sources = [clip_frames(c, width, height) for c in clips]
    return encode_cut(
        project, out, codec, overlays, (width, height), clips, sources, lambda: sequence_audio(clips, project.format.frame_rate), key, progress, cancel
    )


def encode_cut(
    project: Project,
    out: Path,
    codec: VideoCodec,
    overlays: OverlaySettings,
    size: tuple[int, int],
    clips: list[Clip],
    sources: list[Iterable[np.ndarray]],
    sound: Callable[[], np.ndarray],
    key: str,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> AssemblyResult:
    """Encodes the cut from one frame source per clip. `clips` may be updated while the sources run
    (a shot rendered on the fly learns its take); each entry is read only once its frames arrive.
    `sound` is called after the last frame, when every clip's take exists."""
    width, height = size
    rate = project.format.frame_rate
    total = sum(c.duration for c in clips)
    painter = OverlayPainter(
        overlays, rate, {c.id: c.name for c in project.characters}, {c.id: c.voice.words_per_minute for c in project.characters}, width, height
    )
    black = np.zeros((height, width, 3), np.uint8)
    timed = [(source, clip.duration, clip.shot.transition) for source, clip in zip(sources, clips, strict=True)]
    written = 0
    with VideoWriter(out, width, height, rate, codec, with_audio=True, metadata={"comment": key, "title": project.title}) as writer:
        painted = (painter.paint(frame, clips[index], in_shot, clips[index].start + in_shot) for index, in_shot, frame in with_transitions(timed, black))
        for frame in prefetched(painted):
            if written % 12 == 0:
                cancel.raise_if_cancelled()
                progress(ProgressEvent("sequence", "assemble", written, total))
            writer.write(frame)
            written += 1
        writer.write_audio(sound())
    progress(ProgressEvent("sequence", "assemble", total, total))
    return AssemblyResult(out, written, reused=False)
