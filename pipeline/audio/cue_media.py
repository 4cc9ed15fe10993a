"""A sound cue's own file: decoded from any format FFmpeg reads, at the mix rate, fitted to the cue's length.

Decoding goes through PyAV (FFmpeg in-process), so WAV, AIFF, FLAC, MP3, AAC/M4A, Ogg/Opus and the
sound track of a video file all work without a separate ffmpeg program on the PATH.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from pipeline.audio.pcm import MIX_RATE, SoundError
from studio.shot import SoundCue, SoundCueKind

_LOOP_CROSSFADE = MIX_RATE // 20  # 50 ms: long enough to hide a loop seam in a bed, short enough to keep its rhythm
_FIX = "replace it with an audio file (WAV, FLAC, MP3, AAC, Ogg) or clear the cue's media to use a placeholder sound"


def cue_name(cue: SoundCue) -> str:
    return f"sound cue {cue.kind.value} {cue.description!r}"


def resolve_cue_media(cue: SoundCue, media: str, sound_media: dict[str, Path], shot_label: str) -> Path:
    """The file behind the cue's `media` reference, which the engine resolved when it built the request."""
    path = sound_media.get(media)
    if path is None:
        raise SoundError(
            f"{shot_label}: {cue_name(cue)} refers to {media!r}, which is not in the project's media; relink it or clear the cue's media to use a placeholder"
        )
    if not path.is_file():
        raise SoundError(f"{shot_label}: {cue_name(cue)} file {path} is missing; relink it or clear the cue's media to use a placeholder")
    return path


def decode_cue_media(path: Path, cue: SoundCue, shot_label: str) -> np.ndarray:
    """The file's first sound track as (channels, samples) float32 at MIX_RATE: one channel for a mono file
    (so the mix pans it like any mono sound), two for anything else (surround is folded down to stereo)."""
    try:
        with av.open(str(path)) as container:
            stream = next((s for s in container.streams if s.type == "audio"), None)
            if stream is None:
                raise SoundError(f"{shot_label}: {cue_name(cue)} file {path.name} ({path}) has no sound in it; {_FIX}")
            layout = "mono" if stream.codec_context.channels == 1 else "stereo"
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=MIX_RATE)
            chunks = [out.to_ndarray() for frame in container.decode(stream) for out in resampler.resample(frame)]
            chunks += [out.to_ndarray() for out in resampler.resample(None)]
    except SoundError:
        raise
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as error:
        detail = getattr(error, "strerror", None) or str(error)
        raise SoundError(f"{shot_label}: {cue_name(cue)} file {path.name} ({path}) is not audio FFmpeg can read ({detail}); {_FIX}") from error
    if not chunks or sum(chunk.shape[1] for chunk in chunks) == 0:
        raise SoundError(f"{shot_label}: {cue_name(cue)} file {path.name} ({path}) holds no audio samples; {_FIX}")
    return np.concatenate(chunks, axis=1).astype(np.float32)


def fit_to_length(audio: np.ndarray, cue: SoundCue, skip: int, length: int, *, loop: bool | None = None) -> np.ndarray:
    """`length` samples of the file from `skip` on. An ambience file shorter than its cue loops (a two-second
    room tone under a ten-second shot should not drop out); an effect or music plays once, then silence.
    `loop` overrides that choice (a generated music bed shorter than its cue repeats too)."""
    needed = skip + length
    loops = cue.kind == SoundCueKind.AMBIENCE if loop is None else loop
    if loops and audio.shape[1] < needed and audio.shape[1] > 2 * _LOOP_CROSSFADE:
        audio = _loop(audio, needed)
    out = np.zeros((audio.shape[0], length), dtype=np.float32)
    available = audio[:, skip:needed]
    out[:, : available.shape[1]] = available
    return out


def _loop(audio: np.ndarray, needed: int) -> np.ndarray:
    """Repeats `audio` with equal-power crossfades over each seam until it is at least `needed` long."""
    fade = _LOOP_CROSSFADE
    fade_in = np.sin(np.linspace(0, np.pi / 2, fade, dtype=np.float32))
    fade_out = np.cos(np.linspace(0, np.pi / 2, fade, dtype=np.float32))
    period = audio.shape[1] - fade
    repeats = -(-max(0, needed - audio.shape[1]) // period) + 1
    out = np.zeros((audio.shape[0], audio.shape[1] + (repeats - 1) * period), dtype=np.float32)
    for index in range(repeats):
        start = index * period
        piece = audio.copy()
        if index > 0:
            piece[:, :fade] *= fade_in
        if index < repeats - 1:
            piece[:, -fade:] *= fade_out
        out[:, start : start + audio.shape[1]] += piece
    return out
