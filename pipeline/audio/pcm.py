"""Sound at the mix rate: float32 numpy buffers at 48 kHz, exact frame-to-sample time, fades, pan and WAV out.

Every sound a shot mix touches (a scratch line, a generated placeholder, a decoded cue file) is turned into
this one representation first, so placing and summing is plain array arithmetic. Mono buffers are 1-D
`(samples,)`; stereo buffers are `(2, samples)`; values are nominally within -1..1.
"""

from __future__ import annotations

import math
import wave
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO

import av
import numpy as np

from studio.atomic_file import write_atomically
from studio.errors import StudioError
from studio.frame_rate import FrameRate

MIX_RATE = 48_000


class SoundError(StudioError):
    """A sound that cannot be made as it stands; the message names the shot, line or file and the fix."""


def frame_to_sample(frame_rate: FrameRate, frame: int) -> int:
    """The sample at which `frame` starts. Rounding the exact rational position (never summing rounded
    frame lengths) keeps 29.97 fps, where a frame is 1601.6 samples, from drifting over a long shot."""
    return round(Fraction(frame * MIX_RATE * frame_rate.denominator, frame_rate.numerator))


def samples_to_frames(frame_rate: FrameRate, samples: int) -> int:
    """How many whole frames a sound of `samples` needs to finish (rounded up)."""
    return math.ceil(Fraction(samples * frame_rate.numerator, MIX_RATE * frame_rate.denominator))


def db_to_gain(db: float) -> float:
    return float(10.0 ** (db / 20.0))


def pan_gains(pan: float) -> tuple[float, float]:
    """Constant-power gains (left, right) for a mono sound: a sound moved across the field keeps its loudness."""
    theta = (min(1.0, max(-1.0, pan)) + 1.0) * math.pi / 4.0
    return math.cos(theta), math.sin(theta)


def balance_gains(pan: float) -> tuple[float, float]:
    """Gains for a stereo sound: pan attenuates the far side only, so a centred stereo file plays as recorded."""
    pan = min(1.0, max(-1.0, pan))
    return min(1.0, 1.0 - pan), min(1.0, 1.0 + pan)


def fade_edges(samples: np.ndarray, fade_in: int, fade_out: int) -> np.ndarray:
    """A copy with raised-cosine ramps on its ends; a hard edge on a non-zero sample is an audible click."""
    out = np.array(samples, dtype=np.float32, copy=True)
    n = out.shape[-1]
    fade_in = min(fade_in, n)
    fade_out = min(fade_out, n)
    if fade_in > 0:
        out[..., :fade_in] *= _ramp(fade_in)
    if fade_out > 0:
        out[..., n - fade_out :] *= _ramp(fade_out)[::-1]
    return out


def _ramp(length: int) -> np.ndarray:
    return (0.5 - 0.5 * np.cos(np.linspace(0.0, math.pi, length, dtype=np.float32))).astype(np.float32)


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mono or stereo float32 at `rate` to MIX_RATE with libswresample, which keeps the timing of the
    input (no added delay) so a line trimmed to its onset still starts on its frame."""
    if rate == MIX_RATE or samples.shape[-1] == 0:
        return np.asarray(samples, dtype=np.float32)
    planar = np.atleast_2d(np.asarray(samples, dtype=np.float32))
    layout = "mono" if planar.shape[0] == 1 else "stereo"
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(planar), format="fltp", layout=layout)
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=MIX_RATE)
    chunks = [f.to_ndarray() for f in resampler.resample(frame)]
    chunks += [f.to_ndarray() for f in resampler.resample(None)]  # flush the filter's tail
    out = np.concatenate(chunks, axis=1) if chunks else np.zeros((planar.shape[0], 0), dtype=np.float32)
    return out[0] if samples.ndim == 1 else out


def trim_silence(mono: np.ndarray, *, relative_threshold: float, pre_roll: int, tail: int) -> np.ndarray:
    """The span of `mono` from its first to its last sample louder than `relative_threshold` of its peak,
    widened by `pre_roll` samples before (so a soft consonant's attack survives) and `tail` after.
    The threshold is relative because a whispered line peaks far lower than a shouted one."""
    if mono.size == 0:
        return mono
    peak = float(np.max(np.abs(mono)))
    if peak <= 1e-6:
        return mono[:0]
    loud = np.flatnonzero(np.abs(mono) >= peak * relative_threshold)
    first = max(0, int(loud[0]) - pre_roll)
    last = min(mono.size, int(loud[-1]) + 1 + tail)
    return mono[first:last]


def soft_limit(mix: np.ndarray, knee: float = 0.9) -> np.ndarray:
    """Rounds off peaks above `knee` instead of clipping them, leaving everything below it untouched, so
    a loud moment does not change the level of the rest of the shot as a whole-shot normalisation would."""
    magnitude = np.abs(mix)
    over = magnitude > knee
    if not np.any(over):
        return mix
    headroom = 1.0 - knee
    limited = knee + headroom * np.tanh((magnitude[over] - knee) / headroom)
    out = mix.copy()
    out[over] = np.sign(mix[over]) * limited
    return out


def to_int16(samples: np.ndarray) -> np.ndarray:
    """The inverse of reading 16-bit PCM as value / 32768, so a cached line round-trips bit for bit."""
    return np.clip(np.round(np.asarray(samples, dtype=np.float64) * 32768.0), -32768, 32767).astype(np.int16)


def write_wav_atomic(path: Path, stereo: np.ndarray) -> None:
    """Writes a (2, samples) buffer as 48 kHz 16-bit stereo. The file appears complete or not at all, so a
    player or an encoder that picks it up never reads a half-written mix."""
    if stereo.ndim != 2 or stereo.shape[0] != 2:
        raise ValueError(f"expected a (2, samples) buffer, got shape {stereo.shape}")
    _write_wav_atomic(path, channels=2, rate=MIX_RATE, pcm=to_int16(stereo).T.tobytes())


def write_wav_s16_stereo(path: Path, samples: np.ndarray) -> Path:
    """Writes (n, 2) 16-bit samples as a 48 kHz stereo WAV, atomically, and returns the path."""
    _write_wav_atomic(path, channels=2, rate=MIX_RATE, pcm=np.ascontiguousarray(samples.astype(np.int16)).tobytes())
    return path


def read_wav_s16_stereo(path: Path) -> np.ndarray:
    """Reads a 48 kHz WAV written by the sound engine as (n, 2) int16; a damaged file is a ValueError
    naming it (wave raises its own Error or EOFError, which callers would not expect)."""
    try:
        with wave.open(str(path), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            data = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    except (wave.Error, EOFError) as exc:
        raise ValueError(f"{path.name} is not a readable WAV file ({exc})") from None
    if width != 2 or rate != MIX_RATE:
        raise ValueError(f"{path}: expected 16-bit {MIX_RATE} Hz audio, got {8 * width}-bit {rate} Hz")
    data = data.reshape(-1, channels)
    return data if channels == 2 else np.repeat(data[:, :1], 2, axis=1)


def write_mono_wav(path: Path, mono: np.ndarray, rate: int) -> None:
    """Writes a mono 16-bit WAV atomically; cache entries use it because another thread may read one at once."""
    _write_wav_atomic(path, channels=1, rate=rate, pcm=to_int16(mono).tobytes())


def _write_wav_atomic(path: Path, *, channels: int, rate: int, pcm: bytes) -> None:
    def write(raw: BinaryIO) -> None:
        with wave.open(raw, "wb") as wav:  # closing the wave writer completes its header; the file stays open for the rename
            wav.setnchannels(channels)
            wav.setsampwidth(2)
            wav.setframerate(rate)
            wav.writeframes(pcm)

    write_atomically(path, write)


def read_mono_wav(path: Path) -> tuple[np.ndarray, int]:
    """Reads a mono 16-bit WAV written by `write_mono_wav` as float32 and its rate."""
    with wave.open(str(path), "rb") as wav:
        if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            raise ValueError(f"{path}: not a mono 16-bit WAV")
        data = wav.readframes(wav.getnframes())
        return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0, wav.getframerate()
