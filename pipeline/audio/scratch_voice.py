"""Scratch voices: each character's espeak-ng voice, the delivery a parenthetical asks for, cached per line.

A scratch voice is a timing and blocking aid, not a performance: what matters is that each character is
recognisable, that a whispered line sounds whispered and a shouted one loud, and that a line lasts about
as long as an actor would take. Synthesized lines are cached on disk, keyed by everything that changes
the sound, so re-rendering a shot after a picture edit never re-runs espeak-ng.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import wave
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from pipeline.audio.espeak import ESPEAK_RATE, EspeakArgs, EspeakNg, speakable_text
from pipeline.audio.pcm import MIX_RATE, fade_edges, read_mono_wav, resample, trim_silence, write_mono_wav
from pipeline.progress import CancelToken
from studio.character import VoiceSettings

# Bump when the cached bytes would differ for the same espeak-ng call (e.g. another cache file format).
_CACHE_FORMAT = 1
_ONSET_THRESHOLD = 0.02  # of the line's own peak: quiet enough to keep an "s" or "f" onset, above the noise floor
_PRE_ROLL = MIX_RATE * 2 // 1000  # 2 ms, well inside the ±1 frame a line may start off its mark
_TAIL = MIX_RATE * 40 // 1000  # keeps a final consonant's release
_FADE = MIX_RATE * 5 // 1000
_FEMALE_VARIANTS = frozenset(
    {"alicia", "andrea", "annie", "aunty", "belinda", "linda", "steph", "steph2", "steph3", "anika", "anikarobot", "grandma", "whisperf"}
)


@dataclass(frozen=True)
class Delivery:
    """How a parenthetical changes the reading, as factors and offsets on the character's own voice."""

    whisper: bool = False
    loudness: float = 1.0  # times espeak-ng's amplitude
    speed: float = 1.0  # times the character's words per minute
    pitch_shift: int = 0  # added to the character's pitch (0..99 scale)
    # Times a neural voice's sampling noise: livelier or breathier above 1, flatter below. espeak-ng has
    # no such control, so it leaves the scratch voice (and its cache keys) unchanged.
    variation: float = 1.0

    def combined(self, other: Delivery) -> Delivery:
        return Delivery(
            whisper=self.whisper or other.whisper,
            loudness=self.loudness * other.loudness,
            speed=self.speed * other.speed,
            pitch_shift=self.pitch_shift + other.pitch_shift,
            variation=self.variation * other.variation,
        )


# Screenplay parentheticals that change how a line sounds; anything else ("beat", "to Maya") reads normally.
_DELIVERIES: tuple[tuple[frozenset[str], Delivery], ...] = (
    (
        frozenset({"whisper", "whispers", "whispered", "whispering", "under her breath", "under his breath", "sotto voce"}),
        Delivery(whisper=True, loudness=0.7, speed=0.9, variation=1.3),
    ),
    (
        frozenset({"shout", "shouts", "shouted", "shouting", "yell", "yells", "yelled", "yelling", "scream", "screams", "screaming"}),
        Delivery(loudness=1.5, speed=1.15, pitch_shift=15, variation=1.2),
    ),
    (frozenset({"quietly", "softly", "murmurs", "murmuring", "mutters", "muttering"}), Delivery(loudness=0.6, speed=0.95)),
    (frozenset({"fast", "quickly", "hurried", "hurriedly", "rapid", "rapidly"}), Delivery(speed=1.25)),
    (frozenset({"slowly", "hesitant", "hesitantly", "drawls"}), Delivery(speed=0.8)),
    # Emotions: a scratch or neural voice cannot act, but pace, level, pitch and liveliness go the right way.
    (frozenset({"angry", "angrily", "furious", "furiously", "snaps", "snapping"}), Delivery(loudness=1.3, speed=1.1, pitch_shift=8, variation=1.2)),
    (frozenset({"excited", "excitedly", "thrilled", "delighted", "beaming"}), Delivery(loudness=1.2, speed=1.15, pitch_shift=12, variation=1.3)),
    (frozenset({"nervous", "nervously", "anxious", "anxiously", "scared", "afraid", "trembling"}), Delivery(speed=1.1, pitch_shift=6, variation=1.4)),
    (frozenset({"sad", "sadly", "tearful", "tearfully", "crying", "sobbing", "devastated"}), Delivery(loudness=0.8, speed=0.85, pitch_shift=-8, variation=0.8)),
    (frozenset({"flat", "flatly", "deadpan", "monotone", "bored"}), Delivery(speed=0.95, pitch_shift=-4, variation=0.5)),
)


def delivery_for(parenthetical: str) -> Delivery:
    """The delivery a parenthetical asks for; "(whispering, slowly)" combines both."""
    lowered = parenthetical.lower()
    words = set(re.findall(r"[a-z]+", lowered))
    delivery = Delivery()
    for cues, effect in _DELIVERIES:
        if any((cue in lowered) if " " in cue else (cue in words) for cue in cues):
            delivery = delivery.combined(effect)
    return delivery


def espeak_args(voice: VoiceSettings, delivery: Delivery) -> EspeakArgs:
    name = voice.voice.strip() or "en-us"
    if delivery.whisper:
        # espeak-ng takes one variant per voice, so the whisper replaces the character's variant; the
        # character's pitch and speed still carry over, which keeps two whispering characters apart.
        language, _, variant = name.partition("+")
        female = variant.lower() in _FEMALE_VARIANTS or re.fullmatch(r"f\d+", variant.lower()) is not None
        name = f"{language}+{'whisperf' if female else 'whisper'}"
    return EspeakArgs(
        voice=name,
        pitch=voice.pitch + delivery.pitch_shift,
        words_per_minute=round(voice.words_per_minute * delivery.speed),
        amplitude=round(100 * delivery.loudness),
    )


def is_pronounceable(text: str) -> bool:
    """Whether espeak-ng would say anything: "..." or "—" alone is a pause, not a line."""
    return any(ch.isalnum() for ch in text)


@dataclass(frozen=True)
class ScratchLine:
    """One line to synthesize: what is said, in whose voice, and how."""

    text: str
    voice: VoiceSettings
    parenthetical: str = ""


class ScratchVoices:
    """Synthesizes lines at the mix rate with an on-disk cache. Safe to use from several threads."""

    def __init__(self, cache_dir: Path, espeak: EspeakNg, *, workers: int | None = None) -> None:
        self.cache_dir = cache_dir
        self.espeak = espeak
        # espeak-ng is single-threaded and most of a line's cost is its process start, so one process per
        # core keeps every core busy without oversubscribing a small machine.
        self.workers = workers if workers is not None else max(1, min(8, os.cpu_count() or 1))

    def cache_path(self, line: ScratchLine) -> Path:
        """Keyed by the exact text and espeak-ng options (which derive from the character's voice settings and
        the parenthetical) and espeak-ng's version, so a changed voice or a new espeak-ng never reuses a line."""
        payload = {
            "text": speakable_text(line.text),
            "espeak": asdict(espeak_args(line.voice, delivery_for(line.parenthetical))),
            "version": self.espeak.version(),
            "format": _CACHE_FORMAT,
        }
        key = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
        return self.cache_dir / f"{key}.wav"

    def audio(self, line: ScratchLine) -> np.ndarray:
        """The line as mono float32 at MIX_RATE, starting at its first sound and ending just after its last;
        empty for text with nothing to pronounce."""
        text = speakable_text(line.text)
        if not is_pronounceable(text):
            return np.zeros(0, dtype=np.float32)
        raw = self._raw(line, text)
        spoken = trim_silence(resample(raw, ESPEAK_RATE), relative_threshold=_ONSET_THRESHOLD, pre_roll=_PRE_ROLL, tail=_TAIL)
        return fade_edges(spoken, fade_in=min(_PRE_ROLL, spoken.size), fade_out=min(_FADE, spoken.size))

    def audio_many(self, lines: list[ScratchLine], cancel: CancelToken) -> list[np.ndarray]:
        """`audio` for each line, synthesized in parallel; identical lines are synthesized once."""
        unique = list(dict.fromkeys(lines))
        if not unique:
            return []
        self.espeak.version()  # asked once up front rather than by every worker at once

        def one(line: ScratchLine) -> np.ndarray:
            cancel.raise_if_cancelled()
            return self.audio(line)

        if len(unique) == 1 or self.workers == 1:
            results = [one(line) for line in unique]
        else:
            with ThreadPoolExecutor(max_workers=min(self.workers, len(unique)), thread_name_prefix="scratch-voice") as pool:
                results = list(pool.map(one, unique))
        by_line = dict(zip(unique, results, strict=True))
        return [by_line[line] for line in lines]

    def _raw(self, line: ScratchLine, text: str) -> np.ndarray:
        path = self.cache_path(line)
        if path.is_file():
            try:
                samples, rate = read_mono_wav(path)
                if rate == ESPEAK_RATE:
                    return samples
            except (OSError, ValueError, EOFError, wave.Error):
                pass  # a damaged cache entry is simply made again
        samples = self.espeak.synthesize(text, espeak_args(line.voice, delivery_for(line.parenthetical)))
        write_mono_wav(path, samples, ESPEAK_RATE)
        return samples
