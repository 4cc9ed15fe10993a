"""Shared by the sound tests: building a shot request, reading a mix back, and measuring what is in it."""

from __future__ import annotations

import subprocess
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.audio.espeak import run_command
from pipeline.audio.pcm import MIX_RATE
from pipeline.backends.base import ShotRenderRequest
from studio.character import Character, VoiceSettings
from studio.frame_rate import FrameRate
from studio.project import StylePreset
from studio.shot import DialogueLine, Shot, SoundCue

MAYA = Character(id="maya", name="Maya", voice=VoiceSettings("en-us+f3", pitch=75, words_per_minute=165))
THEO = Character(id="theo", name="Theo", voice=VoiceSettings("en-us+m3", pitch=20, words_per_minute=150))


def shot_request(
    duration: int,
    *,
    dialogue: Sequence[DialogueLine] = (),
    cues: Sequence[SoundCue] = (),
    frame_rate: FrameRate = FrameRate(24),
    characters: Sequence[Character] = (MAYA, THEO),
    sound_media: dict[str, Path] | None = None,
    number: str = "4",
) -> ShotRenderRequest:
    shot = Shot(id=f"shot-{number}", number=number, duration=duration, dialogue=list(dialogue), sound_cues=list(cues))
    return ShotRenderRequest(
        shot=shot,
        width=64,
        height=36,
        frame_rate=frame_rate,
        style=StylePreset.CLEAN,
        characters=tuple(characters),
        location=None,
        world=None,
        panel_path=None,
        previous_last_frame=None,
        sound_media=dict(sound_media or {}),
        seed=0,
        input_hash="test",
    )


class CountingRunner:
    """Runs commands for real and counts espeak-ng syntheses (calls that read text from stdin)."""

    def __init__(self) -> None:
        self.syntheses = 0

    def __call__(self, argv: Sequence[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
        if "--stdin" in argv:
            self.syntheses += 1
        return run_command(argv, stdin)


@dataclass(frozen=True)
class MixFile:
    samples: np.ndarray  # (channels, samples), -1..1
    rate: int
    channels: int
    sample_width: int  # bytes


def read_mix(path: Path) -> MixFile:
    with wave.open(str(path), "rb") as wav:
        params = wav.getparams()
        data = np.frombuffer(wav.readframes(params.nframes), dtype="<i2").astype(np.float64) / 32768.0
    return MixFile(data.reshape(-1, params.nchannels).T, params.framerate, params.nchannels, params.sampwidth)


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x)))) if x.size else 0.0


def window_rms(mono: np.ndarray, window: int = MIX_RATE * 5 // 1000) -> np.ndarray:
    """RMS over consecutive 5 ms windows."""
    count = mono.size // window
    return np.sqrt(np.mean(np.square(mono[: count * window].reshape(count, window)), axis=1))


def speech_onsets(mono: np.ndarray, threshold: float = 0.005, min_gap_s: float = 0.25) -> list[int]:
    """Samples where the 5 ms RMS rises above `threshold` after at least `min_gap_s` below it: where each
    separate utterance begins (pauses between words inside a line are shorter than the gap)."""
    window = MIX_RATE * 5 // 1000
    loud = window_rms(mono, window) > threshold
    min_gap = int(min_gap_s * MIX_RATE / window)
    onsets: list[int] = []
    quiet_run = min_gap
    for index, is_loud in enumerate(loud):
        if is_loud:
            if quiet_run >= min_gap:
                onsets.append(index * window)
            quiet_run = 0
        else:
            quiet_run += 1
    return onsets


def fundamental_hz(mono: np.ndarray, rate: int = MIX_RATE) -> float:
    """Median pitch of the clearly voiced windows (vowels, not fricatives)."""
    estimates = [rate / lag for lag, strength in _pitch_windows(mono, rate) if strength > 0.4]
    return float(np.median(estimates)) if estimates else 0.0


def periodicity(mono: np.ndarray, rate: int = MIX_RATE) -> float:
    """Mean autocorrelation peak of the louder windows: near 1 for a voiced tone, low for breath noise."""
    strengths = [strength for _, strength in _pitch_windows(mono, rate)]
    return float(np.mean(strengths)) if strengths else 0.0


def _pitch_windows(mono: np.ndarray, rate: int) -> list[tuple[int, float]]:
    """(best lag in 60–500 Hz, normalised autocorrelation there) for each loud 40 ms window."""
    window = int(0.04 * rate)
    loudest = float(np.max(np.abs(mono)))
    low, high = rate // 500, rate // 60
    found = []
    for start in range(0, mono.size - window, window):
        chunk = mono[start : start + window]
        if np.max(np.abs(chunk)) < 0.3 * loudest:
            continue
        chunk = chunk - chunk.mean()
        corr = np.correlate(chunk, chunk, mode="full")[window - 1 :]
        if corr[0] <= 0:
            continue
        lag = low + int(np.argmax(corr[low:high]))
        found.append((lag, float(corr[lag] / corr[0])))
    return found


def spectral_centroid(mono: np.ndarray, rate: int = MIX_RATE) -> float:
    """Power-weighted mean frequency."""
    power = np.abs(np.fft.rfft(mono)) ** 2
    freqs = np.fft.rfftfreq(mono.size, 1.0 / rate)
    return float((power * freqs).sum() / power.sum())
