"""Media for editorial: one file per shot (named 12A_T3), its sound, the animatic, the sound mix and
its dialogue, effects and music stems.

With handles, each shot's file holds `handles` extra frames before and after the cut, so an editor
can trim or dissolve. A draft take is exactly as long as its shot, so its head handle holds the
first frame and its tail holds the last; a take rendered longer than its shot (the shot was
trimmed since) gives real frames for the tail.

    file:  [ first x handles | frames 0 .. duration-1 | take frames after the cut, or last x handles ]
                              ^ clip source_range        ^ available_range ends here

Files are written into the staging folder; the timeline points at where they will be once the
export is moved into place.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import av
import cv2
import numpy as np

from pipeline.assemble.clips import cut_clips
from pipeline.assemble.overlays import OverlaySettings
from pipeline.assemble.sequence import assemble_sequence, sample_at
from pipeline.audio.pcm import read_wav_s16_stereo, write_wav_s16_stereo
from pipeline.audio.shot_mix import STEM_NAMES
from pipeline.encode.codecs import DELIVERY_H264, DELIVERY_PRORES, VideoCodec
from pipeline.encode.video_writer import VideoWriter, read_video_frames
from pipeline.export.formats import MediaEncoding
from pipeline.export.naming import safe_file_stem
from pipeline.export.shot_clips import ShotSource
from pipeline.export.sound_stems import sequence_stems
from pipeline.export.stand_in import draft_frames, slate
from pipeline.export.timeline import ClipMedia
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent
from studio.frame_rate import FrameRate
from studio.project import Project

log = logging.getLogger(__name__)

CODECS: dict[MediaEncoding, VideoCodec] = {MediaEncoding.H264: DELIVERY_H264, MediaEncoding.PRORES: DELIVERY_PRORES}
SHOTS_DIR, SOUND_DIR, STEMS_DIR = "shots", "sound", "stems"


@dataclass
class MediaExport:
    clips: dict[str, ClipMedia] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _frame_count(path: Path) -> int | None:
    try:
        with av.open(str(path)) as container:
            return container.streams.video[0].frames or None
    except (av.FFmpegError, OSError, IndexError):
        return None


def reference_media(
    project: Project, folder: Path, sources: list[ShotSource], stage: Path, final: Path, progress: ProgressCallback, cancel: CancelToken
) -> MediaExport:
    """Clips that point at the takes' own master files in the project (no copies, no handles).
    Only a shot without a usable take gets a file: its stand-in (draft animatic or slate), so the
    timeline has no offline clips."""
    result = MediaExport()
    stand_ins = []
    for source in sources:
        frames = _frame_count(source.video) if source.video is not None else None
        if frames is None:
            stand_ins.append(source)
        else:
            result.clips[source.shot.id] = ClipMedia(source.video, source.audio, max(source.duration, frames), 0)
    if stand_ins:
        encoded = encode_shot_media(project, folder, stand_ins, MediaEncoding.H264, 0, stage, final, progress, cancel)
        result.clips.update(encoded.clips)
        result.warnings.extend(encoded.warnings)
    return result


def _fit(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    if frame.shape[0] == height and frame.shape[1] == width:
        return frame
    return cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)


def _picture(project: Project, folder: Path, source: ShotSource, width: int, height: int, cancel: CancelToken) -> tuple[Iterator[np.ndarray], str | None]:
    """The shot's frames, and a warning when even the draft stand-in could not be drawn."""
    if source.video is not None:
        if _frame_count(source.video) is not None:
            return (_fit(f, width, height) for f in read_video_frames(source.video)), None
        problem = f"shot {source.shot.number} take T{source.take.number}: its media file {source.take.video} cannot be read (damaged?)"
        return iter([slate(source, width, height, problem)]), f"{problem}; a slate stands in as {source.name} (re-render the shot)"
    if source.take is None:
        frames = draft_frames(project, folder, source, width, height, cancel)
        if frames is not None:
            return frames, None
        return iter(
            [slate(source, width, height)]
        ), f"shot {source.shot.number}: the draft renderer could not draw it either; a slate stands in as {source.name}"
    return iter([slate(source, width, height)]), None


def with_handles(frames: Iterator[np.ndarray], duration: int, handles: int) -> Iterator[np.ndarray]:
    """Exactly handles + duration + handles frames: the first frame held for the head, then the
    shot, then the source's own following frames or the last frame held for the tail."""
    wanted = duration + handles
    produced = 0
    last = None
    for frame in frames:
        if last is None:
            for _ in range(handles):
                yield frame
        yield frame
        last = frame
        produced += 1
        if produced == wanted:
            return
    if last is None:
        raise ValueError("a shot's picture had no frames")
    for _ in range(wanted - produced):
        yield last


def shot_sound(source: ShotSource, rate: FrameRate, handles: int) -> np.ndarray | None:
    """The take's sound placed under the handle-extended picture: silence under the head handle,
    the take's own sound after the cut (or silence) under the tail. (n, 2) int16 at 48 kHz."""
    if source.audio is None:
        return None
    samples = read_wav_s16_stereo(source.audio)
    total = sample_at(source.duration + 2 * handles, rate)
    begin = sample_at(handles, rate)
    out = np.zeros((total, 2), np.int16)
    usable = samples[: total - begin]
    out[begin : begin + len(usable)] = usable
    return out


def encode_shot_media(
    project: Project,
    folder: Path,
    sources: list[ShotSource],
    encoding: MediaEncoding,
    handles: int,
    stage: Path,
    final: Path,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> MediaExport:
    codec = CODECS[encoding]
    width, height, rate = project.format.width, project.format.height, project.format.frame_rate
    result = MediaExport()
    for index, source in enumerate(sources):
        cancel.raise_if_cancelled()
        progress(ProgressEvent("media", "export", index, len(sources), f"shot {source.shot.number}"))
        video_name = f"{SHOTS_DIR}/{source.file_stem}{codec.container_suffix}"
        frames, warning = _picture(project, folder, source, width, height, cancel)
        if warning:
            result.warnings.append(warning)
        try:
            sound = shot_sound(source, rate, handles)
        except (ValueError, OSError) as exc:
            result.warnings.append(f"shot {source.shot.number}: its sound {source.audio} cannot be read ({exc}); the clip is silent")
            sound = None
        with VideoWriter(
            stage / video_name,
            width,
            height,
            rate,
            codec,
            with_audio=sound is not None,
            metadata={"title": source.name, "comment": source.shot.description[:500]},
        ) as writer:
            for number, frame in enumerate(with_handles(frames, source.duration, handles)):
                if number % 12 == 0:
                    cancel.raise_if_cancelled()
                writer.write(frame)
            if sound is not None:
                writer.write_audio(sound)
        audio_path = None
        if sound is not None:
            sound_name = f"{SOUND_DIR}/{source.file_stem}.wav"
            write_wav_s16_stereo(stage / sound_name, sound)
            audio_path = final / sound_name
        result.clips[source.shot.id] = ClipMedia(final / video_name, audio_path, source.duration + 2 * handles, handles)
    progress(ProgressEvent("media", "export", len(sources), len(sources)))
    return result


def write_sequence_media(project: Project, folder: Path, encoding: MediaEncoding, stage: Path, progress: ProgressCallback, cancel: CancelToken) -> list[str]:
    """The assembled animatic (with burnt-in shot numbers and timecode, as a reference for the
    editor), and in `stems/` the sound mix and its dialogue, effects and music stems (see
    `stem_files`), into `stage`. Returns warnings: a take that cannot be decoded leaves these out
    rather than the whole export (its shot file already has a slate)."""
    title = safe_file_stem(project.title, fallback="sequence")
    codec = CODECS[encoding]
    animatic = stage / f"{title}_animatic{codec.container_suffix}"
    sound_files = stem_files(stage, title)
    try:
        assemble_sequence(project, folder, animatic, codec, OverlaySettings(), progress, cancel)
        clips = cut_clips(project, folder)
        stems = sequence_stems(project, folder, clips, progress, cancel)
        write_wav_s16_stereo(sound_files["mix"], stems.mix)
        for name, samples in stems.stems.items():
            write_wav_s16_stereo(sound_files[name], samples)
    except (av.FFmpegError, ValueError) as exc:
        for partial in (animatic, *sound_files.values()):
            partial.unlink(missing_ok=True)
        return [f"the animatic and sound stems were left out: a take's media cannot be decoded ({exc}); re-render the shots named above"]
    return stems.warnings


def stem_files(media: Path, title: str) -> dict[str, Path]:
    """The sequence's sound files in the media folder: stems/<Title>_mix.wav, and its stems
    <Title>_dialogue.wav, <Title>_effects.wav (SFX and ambience) and <Title>_music.wav."""
    return {name: media / STEMS_DIR / f"{title}_{name}.wav" for name in ("mix", *STEM_NAMES)}
