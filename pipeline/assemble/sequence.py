"""The assembled animatic: every shot's active take in order, with transitions, overlays and sound.

The sound is mixed from the takes' stems with the project's mix settings (faders, music ducked under
dialogue, loudness normalised: pipeline.audio.track_mix); a take from before stems were kept plays
its recorded mix. Re-assembling an unchanged cut is skipped: the file records the hash of what it was
made from, mix settings included, so moving a fader re-assembles but re-renders no shot.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import wave
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipeline.assemble.clips import Clip, clip_frames, cut_clips
from pipeline.assemble.overlays import OverlayPainter, OverlaySettings
from pipeline.assemble.transitions import with_transitions
from pipeline.audio.pcm import read_wav_s16_stereo
from pipeline.audio.track_mix import TRACKS, TrackBuffers, mix_tracks
from pipeline.encode.codecs import VideoCodec
from pipeline.encode.video_writer import AUDIO_RATE, VideoWriter, read_container_comment
from pipeline.prefetch import prefetched
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent
from studio.frame_rate import FrameRate
from studio.media_store import MediaStore
from studio.project import Project
from studio.take import Take

ASSEMBLY_VERSION = "2"  # 2: the sound is mixed from the stems and loudness-normalised


@dataclass(frozen=True)
class AssemblyResult:
    path: Path
    frames: int
    reused: bool  # the file was already up to date
    warnings: tuple[str, ...] = ()  # about the sound (takes without stems, a loudness target out of reach)


@dataclass
class SequenceSound:
    mix: np.ndarray  # (samples, 2) int16, the whole cut
    warnings: list[str] = field(default_factory=list)


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
        "mix": dataclasses.asdict(project.mix),
        "clips": [
            [
                # media names are content hashes: the key follows the content, wherever the project folder is
                c.video.name if c.video else None,
                c.audio.name if c.audio else None,
                sorted(Path(p).name for p in c.shot.active_take.stems.values()) if c.shot.active_take else [],
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


def recorded_stems(store: MediaStore, take: Take) -> dict[str, np.ndarray] | None:
    """The take's own stems as (samples, 2) int16, or None where it has none (or one is missing or
    damaged: the missing media check names it, and the caller falls back on the take's mix meanwhile)."""
    if not all(name in take.stems and store.exists(take.stems[name]) for name in TRACKS):
        return None
    try:
        return {name: read_wav_s16_stereo(store.resolve(take.stems[name])) for name in TRACKS}
    except (OSError, EOFError, ValueError, wave.Error):
        return None


def sequence_tracks(folder: Path, clips: list[Clip], rate: FrameRate) -> tuple[TrackBuffers, list[str]]:
    """The takes' stems laid end to end, each clip exactly as long as its shot, and the warnings about
    takes that could only give their mix (played as recorded) or no sound at all (silent)."""
    store = MediaStore(folder)
    buffers = TrackBuffers.silent(sample_at(sum(c.duration for c in clips), rate))
    unmixed: list[str] = []
    warnings: list[str] = []
    for clip in clips:
        take = clip.shot.active_take
        if clip.video is None or take is None:
            continue  # a slate: silent, as the shot has nothing to play
        begin, end = sample_at(clip.start, rate), sample_at(clip.start + clip.duration, rate)
        stems = recorded_stems(store, take)
        if stems is not None:
            for name, samples in stems.items():
                buffers.lay(name, begin, samples[: end - begin])  # a take shorter than its shot stays silent after its end
            continue
        if clip.audio is None:
            continue
        try:
            buffers.lay(None, begin, read_wav_s16_stereo(clip.audio)[: end - begin])
        except (OSError, EOFError, ValueError, wave.Error) as exc:
            warnings.append(f"shot {clip.shot.number} take T{take.number}: its sound cannot be read ({exc}); it is silent in the sequence: re-render the shot")
            continue
        unmixed.append(clip.shot.number)
    if unmixed:
        warnings.append(
            f"shot(s) {', '.join(unmixed)}: their takes were rendered before sound stems were kept, so they play their recorded mix, "
            "untouched by the track faders and music ducking (the loudness target still applies): re-render them to mix them"
        )
    return buffers, warnings


def sequence_audio(project: Project, folder: Path, clips: list[Clip]) -> SequenceSound:
    """The cut's sound: the takes' stems placed end to end and mixed with the project's mix settings."""
    buffers, warnings = sequence_tracks(folder, clips, project.format.frame_rate)
    mixed = mix_tracks(buffers, project.mix, "the sequence mix")
    return SequenceSound(mixed.mix_pcm(), warnings + mixed.warnings)


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
    return encode_cut(project, out, codec, overlays, (width, height), clips, sources, lambda: sequence_audio(project, folder, clips), key, progress, cancel)


def encode_cut(
    project: Project,
    out: Path,
    codec: VideoCodec,
    overlays: OverlaySettings,
    size: tuple[int, int],
    clips: list[Clip],
    sources: list[Iterable[np.ndarray]],
    sound: Callable[[], SequenceSound],
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
        mixed = sound()
        writer.write_audio(mixed.mix)
    progress(ProgressEvent("sequence", "assemble", total, total))
    return AssemblyResult(out, written, reused=False, warnings=tuple(mixed.warnings))
