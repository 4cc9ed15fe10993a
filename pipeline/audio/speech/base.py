"""What every speech engine takes and gives back: a line in a character's voice, and the spoken line.

Engines differ in what they can do (espeak-ng knows no timings, a VITS model knows no pitch setting) but
not in their shape: lines in, mono float32 at the mix rate out, so the shot mix never asks which engine
spoke. Timings, where an engine has them, come in seconds from the first sample of the returned audio.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from pipeline.audio.espeak import speakable_text
from pipeline.audio.pcm import SoundError
from pipeline.audio.scratch_voice import Delivery, delivery_for, is_pronounceable
from pipeline.progress import CancelToken
from studio.character import VoiceSettings


class SpeechError(SoundError):
    """A line that an engine cannot speak as things stand; the message names the character, the line and the fix."""


class UnspeakableLineError(SpeechError):
    """A line with nothing to pronounce: only punctuation ("...", "—"), or only characters the voice cannot read."""


class VoiceModelError(SpeechError):
    """A neural voice model that is not on this machine or cannot be used; the message says how to get or fix it."""


@dataclass(frozen=True)
class SpeechLine:
    """One line to speak: what is said, by whom, in which voice, how (the parenthetical), and the seed that
    makes a neural reading repeatable."""

    text: str
    voice: VoiceSettings
    parenthetical: str = ""
    speaker: str = "A character"  # the character's name as messages show it ("MAYA")
    seed: int = 0

    @property
    def delivery(self) -> Delivery:
        return delivery_for(self.parenthetical)


@dataclass(frozen=True)
class TimedUnit:
    """A phoneme or word of a spoken line and when it sounds, in seconds from the line's first sample."""

    label: str
    start: float
    end: float


@dataclass(frozen=True)
class LineTimings:
    """When each phoneme and word of a line sounds, for the lip-sync pass. Gaps between units are pauses
    (a comma, the space between words); a phoneme runs until the next one starts within its word."""

    phonemes: tuple[TimedUnit, ...]
    words: tuple[TimedUnit, ...]


@dataclass(frozen=True)
class SpokenLine:
    """A line as spoken: mono float32 at MIX_RATE from its first sound to just after its last."""

    audio: np.ndarray
    engine: str  # which engine spoke it: "espeak", or "vits" (a fallback reports "espeak")
    timings: LineTimings | None = None  # None where the engine cannot tell (espeak-ng)


class SpeechBackend(Protocol):
    """A speech engine. `speak` returns one SpokenLine per line, in order, and raises UnspeakableLineError
    for a line with nothing to pronounce and SpeechError for anything else the user must fix."""

    engine: str

    def speak(self, lines: Sequence[SpeechLine], cancel: CancelToken) -> list[SpokenLine]: ...


def quote(text: str, limit: int = 24) -> str:
    """The start of a line as messages quote it: 'Kitchen closes at…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return f"'{text}'"
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return f"'{cut.rstrip(',.;:!?')}…'"


def check_pronounceable(line: SpeechLine) -> str:
    """The line's text as engines read it; raises UnspeakableLineError when there is nothing to say."""
    text = speakable_text(line.text)
    if not is_pronounceable(text):
        raise UnspeakableLineError(
            f"{line.speaker}'s line {quote(line.text) if line.text.strip() else '(empty)'} has nothing to pronounce; "
            "write the words to say, or delete the line and leave the pause in the shot's timing"
        )
    return text
