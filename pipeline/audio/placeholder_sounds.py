"""Placeholder sounds for cues that have no file yet: filtered noise and simple tones made with numpy.

A placeholder only has to say "rain here", "a door slams now", "music under this" well enough to judge
timing in an animatic. Each is deterministic — seeded from the cue's kind and description — so a
re-render sounds the same and a cached mix stays valid. The generator is picked from keywords in the
description, with the cue's kind deciding between a bed (ambience) and a one-shot (effect) reading.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from enum import StrEnum

import numpy as np

from pipeline.audio.pcm import MIX_RATE, db_to_gain
from studio.shot import SoundCue, SoundCueKind


class Placeholder(StrEnum):
    ROOM_TONE = "room tone"
    RAIN = "rain"
    WIND = "wind"
    TRAFFIC = "traffic"
    BELL = "bell"
    DOOR_SLAM = "door slam"
    POURING = "pouring"
    MUSIC = "music"
    GENERIC = "generic"


_KEYWORDS: dict[Placeholder, frozenset[str]] = {
    Placeholder.RAIN: frozenset({"rain", "raining", "rainy", "drizzle", "downpour", "storm", "thunderstorm", "rainfall"}),
    Placeholder.WIND: frozenset({"wind", "windy", "gust", "gusts", "breeze", "gale", "howling", "blustery"}),
    Placeholder.TRAFFIC: frozenset({"traffic", "street", "streets", "car", "cars", "road", "highway", "city", "horn", "horns", "engine", "bus"}),
    Placeholder.POURING: frozenset({"pour", "pours", "pouring", "poured", "water", "tap", "faucet", "sink", "splash", "gurgle", "kettle", "liquid"}),
    Placeholder.ROOM_TONE: frozenset({"room", "tone", "hum", "interior", "indoor", "indoors", "quiet", "silence", "kitchen", "office", "hall"}),
    Placeholder.BELL: frozenset({"bell", "bells", "ding", "dings", "chime", "chimes", "doorbell", "ring", "rings", "ringing", "timer"}),
    Placeholder.DOOR_SLAM: frozenset({"door", "slam", "slams", "slammed", "knock", "knocks", "thump", "thud", "bang"}),
}
# Which reading wins when a description matches several: "wind rattles the door" is wind as ambience but a
# door as an effect.
_AMBIENCE_ORDER = (Placeholder.RAIN, Placeholder.WIND, Placeholder.TRAFFIC, Placeholder.POURING, Placeholder.ROOM_TONE, Placeholder.BELL, Placeholder.DOOR_SLAM)
_SFX_ORDER = (Placeholder.BELL, Placeholder.DOOR_SLAM, Placeholder.POURING, Placeholder.RAIN, Placeholder.WIND, Placeholder.TRAFFIC, Placeholder.ROOM_TONE)
_MINOR_MOODS = frozenset({"tense", "sad", "dark", "sombre", "somber", "melancholy", "melancholic", "minor", "eerie", "suspense", "ominous", "grim"})


def placeholder_for(cue: SoundCue) -> Placeholder:
    if cue.kind == SoundCueKind.MUSIC:
        return Placeholder.MUSIC
    words = set(re.findall(r"[a-z]+", cue.description.lower()))
    order = _AMBIENCE_ORDER if cue.kind == SoundCueKind.AMBIENCE else _SFX_ORDER
    for candidate in order:
        if words & _KEYWORDS[candidate]:
            return candidate
    return Placeholder.ROOM_TONE if cue.kind == SoundCueKind.AMBIENCE else Placeholder.GENERIC


def placeholder_sound(cue: SoundCue, samples: int) -> np.ndarray:
    """The cue's placeholder as `samples` of mono float32 at MIX_RATE; one-shots are followed by silence."""
    if samples <= 0:
        return np.zeros(0, dtype=np.float32)
    digest = hashlib.sha256(f"{cue.kind}\n{' '.join(cue.description.lower().split())}".encode()).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
    kind = placeholder_for(cue)
    if kind == Placeholder.MUSIC:
        return _music(samples, rng, minor=bool(set(re.findall(r"[a-z]+", cue.description.lower())) & _MINOR_MOODS))
    return _GENERATORS[kind](samples, rng).astype(np.float32)


# --- building blocks -------------------------------------------------------------------------------------


def _band_noise(n: int, rng: np.random.Generator, low_hz: float, high_hz: float, tilt_db_per_octave: float = 0.0) -> np.ndarray:
    """White noise through gentle (second-order-like) band edges and a spectral tilt, at unit RMS. Filtering
    in the frequency domain wraps around, which for stationary noise means no start-up transient."""
    size = _fft_friendly(n)  # a shot's length in samples can be twice a large prime, which FFTs slowly
    spectrum = np.fft.rfft(rng.standard_normal(size))
    freqs = np.maximum(np.fft.rfftfreq(size, 1.0 / MIX_RATE), 1.0)
    shape = 1.0 / np.sqrt(1.0 + (low_hz / freqs) ** 4) / np.sqrt(1.0 + (freqs / high_hz) ** 4)
    shape *= (freqs / 1000.0) ** (tilt_db_per_octave / 6.02)
    return _unit_rms(np.fft.irfft(spectrum * shape, size)[:n])


def _fft_friendly(n: int) -> int:
    """The smallest 2**a * 3**b * 5**c >= n; cutting stationary noise made that long loses nothing."""
    best = 1 << max(0, (n - 1).bit_length())
    power3 = 1
    while power3 < best:
        power35 = power3
        while power35 < best:
            candidate = power35 << max(0, (-(-n // power35) - 1).bit_length())
            best = min(best, candidate)
            power35 *= 5
        power3 *= 3
    return best


def _unit_rms(x: np.ndarray) -> np.ndarray:
    rms = float(np.sqrt(np.mean(np.square(x)))) if x.size else 0.0
    return x / rms if rms > 0 else x


def _at_rms(x: np.ndarray, dbfs: float) -> np.ndarray:
    return _unit_rms(x) * db_to_gain(dbfs)


def _at_peak(x: np.ndarray, dbfs: float) -> np.ndarray:
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    return x * (db_to_gain(dbfs) / peak) if peak > 0 else x


def _wobble(n: int, rng: np.random.Generator, rate_hz: float) -> np.ndarray:
    """A smooth, non-repeating 0..1 modulation around `rate_hz`: three sines at unrelated rates."""
    t = np.arange(n) / MIX_RATE
    total = sum(np.sin(2 * math.pi * rate_hz * rng.uniform(0.6, 1.4) * t + rng.uniform(0, 2 * math.pi)) for _ in range(3))
    return 0.5 + total / 6.0


def _one_shot(n: int, sound: np.ndarray) -> np.ndarray:
    out = np.zeros(n)
    length = min(n, sound.size)
    out[:length] = sound[:length]
    return out


def _decaying_tone(length: int, freq_hz: float | np.ndarray, tau_s: float) -> np.ndarray:
    t = np.arange(length) / MIX_RATE
    phase = 2 * math.pi * (np.cumsum(freq_hz) / MIX_RATE if isinstance(freq_hz, np.ndarray) else freq_hz * t)
    return np.sin(phase) * np.exp(-t / tau_s)


def _scatter(out: np.ndarray, rng: np.random.Generator, per_second: float, make: Callable[[np.random.Generator], np.ndarray]) -> None:
    """Adds Poisson-timed events (rain drops, bubbles) made by `make` into `out`."""
    for start in np.sort(rng.integers(0, out.size, rng.poisson(per_second * out.size / MIX_RATE))):
        event = make(rng)
        end = min(out.size, start + event.size)
        out[start:end] += event[: end - start]


# --- the generators --------------------------------------------------------------------------------------


def _room_tone(n: int, rng: np.random.Generator) -> np.ndarray:
    return _at_rms(_band_noise(n, rng, 25, 180), -36) + _at_rms(_band_noise(n, rng, 120, 2500, -6), -52)


def _rain(n: int, rng: np.random.Generator) -> np.ndarray:
    bed = _at_rms(_band_noise(n, rng, 400, 9000, -3), -30)

    def drop(r: np.random.Generator) -> np.ndarray:
        return _decaying_tone(int(r.uniform(0.005, 0.012) * MIX_RATE), r.uniform(1500, 5000), r.uniform(0.0015, 0.004)) * r.uniform(0.05, 0.25)

    _scatter(bed, rng, 40, drop)
    return bed


def _wind(n: int, rng: np.random.Generator) -> np.ndarray:
    # The band slides between a low moan and a higher whistle as the gusts rise and fall.
    gust = _wobble(n, rng, 0.15)
    colour = _wobble(n, rng, 0.08)
    body = colour * _band_noise(n, rng, 80, 500) + (1 - colour) * _band_noise(n, rng, 300, 1500)
    return _at_rms(body * (0.3 + 0.7 * gust), -28)


def _traffic(n: int, rng: np.random.Generator) -> np.ndarray:
    rumble = _at_rms(_band_noise(n, rng, 30, 250), -34)
    t = np.arange(n) / MIX_RATE
    passes = np.zeros(n)
    at = rng.uniform(-1.0, 2.0)
    while at < n / MIX_RATE + 2.0:
        passes += rng.uniform(0.4, 1.0) * np.exp(-0.5 * ((t - at) / rng.uniform(0.6, 1.2)) ** 2)
        at += rng.uniform(2.5, 6.0)
    return rumble + _at_rms(_band_noise(n, rng, 100, 2500, -3) * (0.15 + passes), -28)


def _bell(n: int, rng: np.random.Generator) -> np.ndarray:
    # Inharmonic partials of a struck bell, the higher ones dying first.
    f0 = rng.uniform(650, 1000)
    length = min(n, 3 * MIX_RATE)
    partials = ((1.0, 1.0, 1.2), (2.0, 0.5, 0.8), (2.76, 0.35, 0.5), (5.40, 0.2, 0.3), (8.93, 0.1, 0.15))
    tone = sum(amp * _decaying_tone(length, f0 * ratio, tau) for ratio, amp, tau in partials)
    attack = np.minimum(1.0, np.arange(length) / (0.002 * MIX_RATE))
    return _one_shot(n, _at_peak(tone * attack, -8))


def _door_slam(n: int, rng: np.random.Generator) -> np.ndarray:
    length = min(n, MIX_RATE // 2)
    t = np.arange(length) / MIX_RATE
    thump = _decaying_tone(length, 45 + 65 * np.exp(-t / 0.04), 0.07)  # a falling low thud: the door's mass
    latch = _band_noise(length, rng, 500, 4000) * np.exp(-t / 0.004) * 0.5  # the click of the latch
    rattle = _band_noise(length, rng, 150, 1500) * np.exp(-t / 0.12) * 0.12  # the frame and the room
    return _one_shot(n, _at_peak(thump + latch + rattle, -3))


def _pouring(n: int, rng: np.random.Generator) -> np.ndarray:
    flutter = 0.5 + 0.5 * np.tanh(_band_noise(n, rng, 1, 12))
    stream = _at_rms(_band_noise(n, rng, 400, 3500) * flutter, -30)

    def bubble(r: np.random.Generator) -> np.ndarray:
        # A bubble rings at a pitch that rises as it nears the surface.
        length = int(r.uniform(0.015, 0.04) * MIX_RATE)
        f0 = r.uniform(400, 1500)
        return _decaying_tone(length, f0 * (1 + 0.3 * np.arange(length) / length), length / MIX_RATE / 3) * r.uniform(0.02, 0.1)

    _scatter(stream, rng, 25, bubble)
    return stream


def _generic(n: int, rng: np.random.Generator) -> np.ndarray:
    """A soft noise burst that marks the frame on which an unrecognised effect happens: it peaks at once
    (a swell would put the moment late) and dies away within 0.6 s."""
    length = min(n, int(0.6 * MIX_RATE))
    t = np.arange(length) / MIX_RATE
    envelope = np.minimum(1.0, t / 0.01) * np.exp(-t / 0.12)
    return _one_shot(n, _at_peak(_band_noise(length, rng, 200, 3000) * envelope, -12))


def _music(n: int, rng: np.random.Generator, *, minor: bool) -> np.ndarray:
    """A soft pad with a piano-like arpeggio over a four-chord loop in a key chosen by the seed."""
    root = 48 + int(rng.integers(0, 8))  # C3..G3
    chord_len = int(rng.uniform(1.6, 2.4) * MIX_RATE)
    progression = ((0, "m"), (8, "M"), (3, "M"), (10, "M")) if minor else ((0, "M"), (7, "M"), (9, "m"), (5, "M"))
    # The loop repeats, so each chord is synthesized once, when first needed, and laid down again after:
    # a minute costs what four bars do, and a short cue sounds like the start of a long one.
    blocks: list[np.ndarray] = []
    out = np.zeros(n + 2 * chord_len + MIX_RATE)
    for index, start in enumerate(range(0, n, chord_len)):
        if index < len(progression):
            offset, quality = progression[index]
            blocks.append(_chord(root + offset, quality, chord_len, rng))
        block = blocks[index % len(progression)]
        out[start : start + block.size] += block
    return _at_rms(out[:n], -24).astype(np.float32)


def _chord(root: int, quality: str, chord_len: int, rng: np.random.Generator) -> np.ndarray:
    """One bar: the pad holding the triad over its bass note, and a four-note arpeggio an octave up; the
    block runs past the bar by the pad's release and the last note's ring."""
    release = int(0.6 * MIX_RATE)
    triad = [root, root + (3 if quality == "m" else 4), root + 7]
    block = np.zeros(2 * chord_len + release)
    for note in [triad[0] - 12, *triad]:
        block[: chord_len + release] += _pad_note(note, chord_len, release, rng)
    step = chord_len // 4
    for beat, note in enumerate([triad[0] + 12, triad[1] + 12, triad[2] + 12, triad[1] + 12]):
        block[beat * step : beat * step + chord_len] += 0.6 * _piano_note(note, chord_len)
    return block


def _midi_hz(note: int) -> float:
    return 440.0 * 2.0 ** ((note - 69) / 12)


def _pad_note(note: int, hold: int, release: int, rng: np.random.Generator) -> np.ndarray:
    length = hold + release
    t = np.arange(length, dtype=np.float32) / np.float32(MIX_RATE)  # float32 halves the cost; its phase error stays far below audible
    envelope = np.minimum(1.0, t / 0.4) * np.where(t * MIX_RATE < hold, 1.0, np.exp(-(t - hold / MIX_RATE) / 0.2))
    tone = np.zeros(length, dtype=np.float32)
    for detune in (-0.002, 0.002):  # two slightly detuned voices beat slowly, which is what makes a pad soft
        freq = _midi_hz(note) * (1 + detune)
        phase = rng.uniform(0, 2 * math.pi)
        tone += sum(np.sin(2 * math.pi * freq * k * t + phase) / k**1.5 for k in range(1, 4))
    return 0.15 * envelope * tone


def _piano_note(note: int, length: int) -> np.ndarray:
    return sum(_decaying_tone(length, _midi_hz(note) * k, 0.6 / k) / k**2 for k in range(1, 5)) * 0.25


_GENERATORS: dict[Placeholder, Callable[[int, np.random.Generator], np.ndarray]] = {
    Placeholder.ROOM_TONE: _room_tone,
    Placeholder.RAIN: _rain,
    Placeholder.WIND: _wind,
    Placeholder.TRAFFIC: _traffic,
    Placeholder.BELL: _bell,
    Placeholder.DOOR_SLAM: _door_slam,
    Placeholder.POURING: _pouring,
    Placeholder.GENERIC: _generic,
}
