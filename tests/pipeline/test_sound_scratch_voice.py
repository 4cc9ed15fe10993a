"""Scratch voices: a distinct espeak-ng voice per character, delivery from parentheticals, a disk cache."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from sound_helpers import MAYA, THEO, CountingRunner, fundamental_hz, periodicity, rms, speech_onsets

from pipeline.audio.espeak import EspeakNg, install_hint, run_command
from pipeline.audio.pcm import MIX_RATE, SoundError
from pipeline.audio.scratch_voice import ScratchLine, ScratchVoices, delivery_for, espeak_args
from pipeline.progress import CancelToken, RenderCancelled
from studio.character import VoiceSettings

LINE = "Kitchen closes at nine, and nobody stays late."


def voices(tmp_path: Path, runner: CountingRunner | None = None) -> ScratchVoices:
    return ScratchVoices(tmp_path / "voice-cache", EspeakNg(runner=runner or CountingRunner()))


def test_two_characters_speak_with_clearly_different_voices(tmp_path: Path) -> None:
    cast = voices(tmp_path)
    maya = cast.audio(ScratchLine(LINE, MAYA.voice))
    theo = cast.audio(ScratchLine(LINE, THEO.voice))
    assert fundamental_hz(maya) > 1.4 * fundamental_hz(theo) > 0


def test_the_pitch_setting_alone_changes_the_voice(tmp_path: Path) -> None:
    cast = voices(tmp_path)
    low = cast.audio(ScratchLine(LINE, VoiceSettings("en-us", pitch=10)))
    high = cast.audio(ScratchLine(LINE, VoiceSettings("en-us", pitch=90)))
    assert fundamental_hz(high) > 1.3 * fundamental_hz(low) > 0


def test_words_per_minute_sets_how_long_a_line_takes(tmp_path: Path) -> None:
    cast = voices(tmp_path)
    slow = cast.audio(ScratchLine(LINE, VoiceSettings("en-us", words_per_minute=120)))
    fast = cast.audio(ScratchLine(LINE, VoiceSettings("en-us", words_per_minute=240)))
    assert fast.size < 0.7 * slow.size


def test_a_synthesized_line_starts_with_its_first_sound_and_ends_soon_after_its_last(tmp_path: Path) -> None:
    audio = voices(tmp_path).audio(ScratchLine("Seven sandwiches, please.", MAYA.voice))
    one_frame = MIX_RATE // 24
    onsets = speech_onsets(audio)
    assert onsets and onsets[0] < one_frame
    quiet_tail = audio.size - speech_onsets(audio[::-1].copy())[0]
    assert audio.size - quiet_tail < 0.1 * MIX_RATE


def test_a_second_synthesis_of_the_same_line_reads_the_disk_cache(tmp_path: Path) -> None:
    runner = CountingRunner()
    first = voices(tmp_path, runner).audio(ScratchLine(LINE, MAYA.voice, "quietly"))
    assert runner.syntheses == 1
    again = voices(tmp_path, runner).audio(ScratchLine(LINE, MAYA.voice, "quietly"))  # as a fresh process would
    assert runner.syntheses == 1
    np.testing.assert_array_equal(first, again)


def test_a_changed_text_voice_or_delivery_is_synthesized_again(tmp_path: Path) -> None:
    runner = CountingRunner()
    cast = voices(tmp_path, runner)
    cast.audio(ScratchLine(LINE, MAYA.voice))
    cast.audio(ScratchLine(LINE + "!", MAYA.voice))
    cast.audio(ScratchLine(LINE, VoiceSettings(MAYA.voice.voice, MAYA.voice.pitch + 1, MAYA.voice.words_per_minute)))
    cast.audio(ScratchLine(LINE, MAYA.voice, "whispering"))
    assert runner.syntheses == 4
    cast.audio(ScratchLine(LINE, MAYA.voice, "beat"))  # a parenthetical that does not change the reading
    assert runner.syntheses == 4


def test_a_damaged_cache_entry_is_synthesized_again(tmp_path: Path) -> None:
    runner = CountingRunner()
    cast = voices(tmp_path, runner)
    line = ScratchLine(LINE, THEO.voice)
    good = cast.audio(line)
    cast.cache_path(line).write_bytes(b"RIFF, but not really")
    np.testing.assert_array_equal(cast.audio(line), good)
    assert runner.syntheses == 2


def test_whispering_is_breathy_and_quieter(tmp_path: Path) -> None:
    cast = voices(tmp_path)
    normal = cast.audio(ScratchLine(LINE, THEO.voice))
    whisper = cast.audio(ScratchLine(LINE, THEO.voice, "whispering"))
    assert periodicity(whisper) < periodicity(normal) - 0.2
    assert rms(whisper) < rms(normal)


def test_shouting_is_louder_faster_and_higher(tmp_path: Path) -> None:
    cast = voices(tmp_path)
    normal = cast.audio(ScratchLine(LINE, THEO.voice))
    shout = cast.audio(ScratchLine(LINE, THEO.voice, "shouting"))
    assert rms(shout) > 1.3 * rms(normal)
    assert shout.size < normal.size
    assert fundamental_hz(shout) > fundamental_hz(normal)


def test_parentheticals_map_to_deliveries() -> None:
    assert delivery_for("whispering, slowly").whisper
    assert delivery_for("whispering, slowly").speed < 1
    assert delivery_for("yells").loudness > 1 and delivery_for("(SHOUTING)").pitch_shift > 0
    assert delivery_for("under her breath").whisper
    assert delivery_for("to Maya") == delivery_for("")
    assert espeak_args(MAYA.voice, delivery_for("whispers")).voice == "en-us+whisperf"
    assert espeak_args(THEO.voice, delivery_for("whispers")).voice == "en-us+whisper"


def test_text_goes_to_espeak_on_stdin_never_as_an_argument(tmp_path: Path) -> None:
    seen: list[tuple[list[str], bytes]] = []

    def recording(argv: Sequence[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
        seen.append((list(argv), stdin))
        return run_command(argv, stdin)

    text = "-v xx --help $(touch pwned) 'quoted'"
    audio = ScratchVoices(tmp_path, EspeakNg(runner=recording)).audio(ScratchLine(text, MAYA.voice))
    assert audio.size > MIX_RATE // 2, "the whole text was spoken"
    synth_argv, synth_stdin = seen[-1]
    assert synth_stdin.decode() == text
    assert not any("pwned" in arg or "quoted" in arg for arg in synth_argv)
    assert not (Path.cwd() / "pwned").exists()


def test_text_without_anything_to_pronounce_is_silence_without_running_espeak(tmp_path: Path) -> None:
    runner = CountingRunner()
    assert voices(tmp_path, runner).audio(ScratchLine("… — !?", MAYA.voice)).size == 0
    assert runner.syntheses == 0


def test_a_missing_espeak_raises_a_sound_error_that_says_how_to_install_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "espeak-ng"
    cast = ScratchVoices(tmp_path / "cache", EspeakNg(binary=missing))
    with pytest.raises(SoundError) as raised:
        cast.audio(ScratchLine(LINE, MAYA.voice))
    assert str(missing) in str(raised.value)
    assert install_hint() in str(raised.value)
    assert "apt-get install espeak-ng" in install_hint("linux")
    assert "brew install espeak-ng" in install_hint("darwin")


def test_an_unknown_voice_name_raises_a_sound_error_with_espeaks_reason(tmp_path: Path) -> None:
    with pytest.raises(SoundError, match="voice"):
        voices(tmp_path).audio(ScratchLine(LINE, VoiceSettings("xx-nonexistent")))


def test_lines_synthesized_together_match_lines_synthesized_one_by_one(tmp_path: Path) -> None:
    runner = CountingRunner()
    cast = voices(tmp_path, runner)
    lines = [ScratchLine(f"Table {n} wants the check.", (MAYA if n % 2 else THEO).voice) for n in range(6)]
    together = cast.audio_many([*lines, lines[0]], CancelToken())
    assert runner.syntheses == 6, "a repeated line is synthesized once"
    for line, audio in zip([*lines, lines[0]], together, strict=True):
        np.testing.assert_array_equal(audio, cast.audio(line))


def test_synthesis_stops_when_cancelled(tmp_path: Path) -> None:
    runner = CountingRunner()
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(RenderCancelled):
        voices(tmp_path, runner).audio_many([ScratchLine(LINE, MAYA.voice), ScratchLine(LINE, THEO.voice)], cancel)
    assert runner.syntheses == 0
