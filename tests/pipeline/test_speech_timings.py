"""Phoneme and word timings from a VITS model's token durations, and the delivery a parenthetical asks of
a neural voice: pure functions, no model needed."""

from __future__ import annotations

import pytest

from pipeline.audio.scratch_voice import delivery_for
from pipeline.audio.speech.neural import delivery_gain, vits_controls
from pipeline.audio.speech.timings import shifted, token_timings
from studio.character import VoiceSettings

# "hˈɛloʊ, wˈɜːld" with a blank ("_") before, between and after every character, as add_blank makes it.
PHONEMES = "hˈɛloʊ, wˈɜːld"
TOKENS = ["_"] + [t for ch in PHONEMES for t in (ch, "_")]


def frames_for(tokens: list[str], real: int = 4, blank: int = 1) -> list[int]:
    return [blank if index % 2 == 0 else real for index in range(len(tokens))]


def test_stress_marks_join_the_phoneme_after_and_length_marks_the_one_before() -> None:
    timings = token_timings(TOKENS, frames_for(TOKENS), add_blank=True, seconds_per_frame=0.01, text="Hello, world")
    assert [p.label for p in timings.phonemes] == ["h", "ɛ", "l", "o", "ʊ", "w", "ɜː", "l", "d"]
    stressed = timings.phonemes[1]
    assert stressed.start == pytest.approx(0.06)  # at the stress mark: blank, h, blank, then ˈ starts at frame 6
    assert timings.phonemes[6].end - timings.phonemes[6].start == pytest.approx(0.15)  # ˈ ɜ ː and their blanks


def test_words_are_the_phonemes_between_pauses_labelled_with_the_text() -> None:
    timings = token_timings(TOKENS, frames_for(TOKENS), add_blank=True, seconds_per_frame=0.01, text="Hello, world")
    hello, world = timings.words
    assert (hello.label, world.label) == ("Hello", "world")
    assert hello.start == timings.phonemes[0].start and hello.end == timings.phonemes[4].end
    assert world.start - hello.end == pytest.approx(0.10)  # "," and " " with their blanks: the pause
    assert world.end == pytest.approx(sum(frames_for(TOKENS)) * 0.01)


def test_words_espeak_ng_joined_are_labelled_with_their_phonemes() -> None:
    tokens = ["_"] + [t for ch in "ʌvðə pˈiːpəl" for t in (ch, "_")]
    timings = token_timings(tokens, frames_for(tokens), add_blank=True, seconds_per_frame=0.01, text="of the people")
    assert [w.label for w in timings.words] == ["ʌvðə", "piːpəl"]


def test_without_blanks_every_token_is_a_character() -> None:
    tokens = list("hi yo")
    timings = token_timings(tokens, [2, 3, 5, 1, 1], add_blank=False, seconds_per_frame=0.1, text="hi yo")
    assert [(w.label, w.start, w.end) for w in timings.words] == [("hi", 0.0, pytest.approx(0.5)), ("yo", pytest.approx(1.0), pytest.approx(1.2))]


def test_trimming_the_lines_start_moves_and_clips_its_timings() -> None:
    timings = token_timings(TOKENS, frames_for(TOKENS), add_blank=True, seconds_per_frame=0.01, text="Hello, world")
    moved = shifted(timings, offset=0.05, duration=0.3)
    assert moved.phonemes[0].start == 0.0 and moved.phonemes[0].end == pytest.approx(timings.phonemes[0].end - 0.05)
    assert all(u.end <= 0.3 for u in moved.phonemes) and len(moved.phonemes) < len(timings.phonemes)
    assert [w.label for w in moved.words] == ["Hello"]


def test_the_parenthetical_sets_pace_breath_and_level_of_a_neural_voice() -> None:
    voice = VoiceSettings(words_per_minute=160)
    normal, whisper, shout = (vits_controls(voice, delivery_for(p)) for p in ("", "(whispering)", "(SHOUTING)"))
    assert normal.speaking_rate == 1.0 and normal.noise == 1.0
    assert whisper.speaking_rate < 1.0 < shout.speaking_rate
    assert whisper.noise > shout.noise > normal.noise  # a whisper is the breathiest
    assert delivery_gain(delivery_for("whispering")) < delivery_gain(delivery_for("")) < delivery_gain(delivery_for("shouting"))
    assert vits_controls(VoiceSettings(words_per_minute=240), delivery_for("")).speaking_rate == 1.5


def test_emotions_in_parentheticals_change_the_delivery() -> None:
    angry, sad, deadpan = delivery_for("(angrily)"), delivery_for("(sadly)"), delivery_for("(deadpan)")
    assert angry.loudness > 1 and angry.speed > 1 and angry.pitch_shift > 0
    assert sad.loudness < 1 and sad.speed < 1 and sad.pitch_shift < 0
    assert deadpan.variation < 1 < angry.variation
    assert delivery_for("(beat)") == delivery_for("")
