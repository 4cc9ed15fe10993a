"""Phoneme and word timings from a VITS model's per-token durations.

VITS predicts how many spectrogram frames each input token lasts and the decoder turns every frame into
exactly `hop` samples, so token durations give timings to the sample, not estimates. The tokens are the
phoneme string's characters, usually with a blank token between each two ("add_blank"). Here:
- a phoneme is a sounding character; a stress mark (ˈ ˌ) joins the phoneme after it, a length or other
  modifier mark (ː ʰ ̩) the one before it;
- a phoneme runs until the next token after it that is not a blank starts, so phonemes tile each word;
- spaces and punctuation are pauses: they belong to no phoneme or word;
- words are the runs of phonemes between pauses, labelled with the text's words when espeak-ng kept
  as many words as the text has (it joins some, "of the" -> "ʌvðə"), else with their phonemes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.audio.speech.base import LineTimings, TimedUnit

_PREFIX_MARKS = frozenset("ˈˌ")
_TEXT_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass
class _Phoneme:
    label: str
    start: int  # frames
    end: int
    word: int  # index of the word it belongs to


def token_timings(tokens: Sequence[str], frames: Sequence[int], *, add_blank: bool, seconds_per_frame: float, text: str) -> LineTimings:
    """Timings of the phonemes and words in `tokens` (the model's input, blanks included) whose durations
    in frames are `frames`; `text` is the line as written, for the words' labels."""
    if len(tokens) != len(frames):
        raise ValueError(f"{len(tokens)} tokens but {len(frames)} durations")
    starts = [0]
    for count in frames:
        starts.append(starts[-1] + int(count))
    real = [i for i in range(len(tokens)) if not (add_blank and i % 2 == 0)]

    phonemes: list[_Phoneme] = []
    word = 0
    pending: tuple[str, int] | None = None  # a stress mark waiting for its phoneme: (mark, start frame)
    after_pause = True
    for position, index in enumerate(real):
        token = tokens[index]
        following = real[position + 1] if position + 1 < len(real) else len(tokens)
        end = starts[following]  # through the blank after it
        if _is_pause(token):
            if not after_pause:
                word += 1
            after_pause, pending = True, None
            continue
        if token in _PREFIX_MARKS:
            pending = (token, starts[index])
            continue
        if _is_modifier(token) and phonemes and not after_pause:
            phonemes[-1].label += token
            phonemes[-1].end = end
            continue
        start = pending[1] if pending else starts[index]
        phonemes.append(_Phoneme(token, start, end, word))
        pending, after_pause = None, False

    words: dict[int, list[_Phoneme]] = {}
    for phoneme in phonemes:
        words.setdefault(phoneme.word, []).append(phoneme)
    text_words = _TEXT_WORD.findall(text)
    labels = text_words if len(text_words) == len(words) else ["".join(p.label for p in run) for run in words.values()]

    def seconds(frame: int) -> float:
        return frame * seconds_per_frame

    return LineTimings(
        phonemes=tuple(TimedUnit(p.label, seconds(p.start), seconds(p.end)) for p in phonemes),
        words=tuple(TimedUnit(label, seconds(run[0].start), seconds(run[-1].end)) for label, run in zip(labels, words.values(), strict=True)),
    )


def shifted(timings: LineTimings, offset: float, duration: float) -> LineTimings:
    """The timings of a line whose first `offset` seconds were cut and which now lasts `duration`: moved
    earlier and clipped to the line; a unit left with no time at all is dropped."""

    def move(units: tuple[TimedUnit, ...]) -> tuple[TimedUnit, ...]:
        moved = []
        for unit in units:
            start, end = max(0.0, unit.start - offset), min(duration, unit.end - offset)
            if end > start:
                moved.append(TimedUnit(unit.label, start, end))
        return tuple(moved)

    return LineTimings(phonemes=move(timings.phonemes), words=move(timings.words))


def is_sound(token: str) -> bool:
    """Whether a model token is something said (a phoneme or letter), not a pause or a mark."""
    return not _is_pause(token) and token not in _PREFIX_MARKS and not _is_modifier(token)


def _is_pause(token: str) -> bool:
    return token.isspace() or all(unicodedata.category(ch).startswith(("P", "S")) and ch not in _PREFIX_MARKS for ch in token)


def _is_modifier(token: str) -> bool:
    return all(unicodedata.category(ch) in ("Lm", "Mn", "Sk") for ch in token)
