"""Neural speech: a character's lines read by a local VITS model (a tiny random one here), at the mix rate,
repeatable by seed, with the parenthetical's delivery and phoneme and word timings, resident and cached."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sound_helpers import MAYA, THEO, read_mix, rms, shot_request
from tiny_tts import FRAMES_PER_TOKEN, HOP, RATE, build_tiny_vits

from pipeline.audio.espeak import EspeakNg
from pipeline.audio.pcm import MIX_RATE
from pipeline.audio.shot_mix import render_shot_sound, speech_frames
from pipeline.audio.speech import NeuralSpeech, SpeechLine, UnspeakableLineError, VitsVoiceModel
from pipeline.progress import CancelToken, RenderCancelled
from studio.character import Character, VoiceEngine, VoiceSettings
from studio.shot import DialogueLine

pytest.importorskip("transformers", reason="neural voices need transformers")
LINE = "Kitchen closes at nine, and nobody stays late."


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread() -> Iterator[None]:
    """Two busy shared cores make torch's default two threads spin against each other (a tiny model's
    line then takes a second instead of milliseconds); the app's worker sizes its own threads."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def tiny_vits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_vits(tmp_path_factory.mktemp("voices") / "tiny-vits")


def neural_voice(model_dir: Path, **changes: object) -> VoiceSettings:
    return replace(VoiceSettings("en-us+f3", pitch=75, words_per_minute=160, engine=VoiceEngine.VITS, model=str(model_dir)), **changes)


def speech(model_dir: Path, cache_dir: Path | None = None) -> NeuralSpeech:
    return NeuralSpeech(VitsVoiceModel(model_dir), EspeakNg(), cache_dir)


def say(model_dir: Path, parenthetical: str = "", *, seed: int = 7, text: str = LINE, **voice: object) -> np.ndarray:
    return speech(model_dir).speak_line(SpeechLine(text, neural_voice(model_dir, **voice), parenthetical, "MAYA", seed)).audio


def test_a_vits_character_is_heard_in_the_shot_mix_with_neural_speech(tmp_path: Path, tiny_vits: Path) -> None:
    maya = Character(id="maya", name="Maya", voice=neural_voice(tiny_vits))
    line = DialogueLine("maya", LINE, start=12)
    request = shot_request(400, dialogue=[line], characters=(maya, THEO))
    report = render_shot_sound(request, tmp_path / "mix.wav", tmp_path / "voice-cache", CancelToken())

    assert not report.warnings
    neural = say(tiny_vits, seed=0, text=LINE)  # the seed does not matter for the length: durations are pinned
    [(begin, end)] = report.dialogue_spans
    assert begin == 12 * MIX_RATE // 24
    assert end - begin == neural.size  # the neural line, not the scratch voice's
    scratch = render_shot_sound(shot_request(400, dialogue=[line], characters=(MAYA, THEO)), tmp_path / "scratch.wav", tmp_path / "voice-cache", CancelToken())
    assert scratch.dialogue_spans[0][1] - scratch.dialogue_spans[0][0] != neural.size
    mix = read_mix(report.path)
    assert mix.rate == 48_000
    assert rms(mix.samples[:, begin:end]) > 0.02 and rms(mix.samples[:, end + MIX_RATE // 10 :]) == 0
    # The editor's overrun check measures the same voice the mix plays.
    assert speech_frames(request, line, tmp_path / "voice-cache") == -(-neural.size * 24 // MIX_RATE)


def test_a_line_lasts_as_long_as_its_phonemes(tiny_vits: Path) -> None:
    spoken = speech(tiny_vits).speak_line(SpeechLine(LINE, neural_voice(tiny_vits), "", "MAYA", 1))
    phoneme_count = len(spoken.timings.phonemes)
    token_seconds = FRAMES_PER_TOKEN * HOP / RATE
    assert spoken.audio.dtype == np.float32 and spoken.audio.ndim == 1 and spoken.engine == "vits"
    # Each phoneme is two tokens (itself and the blank after it), pauses add a few more; the edges are trimmed.
    assert 2 * phoneme_count * token_seconds * 0.8 < spoken.audio.size / MIX_RATE < 2 * phoneme_count * token_seconds * 1.6
    assert 1.5 < spoken.audio.size / MIX_RATE < 6.0  # an actor takes about 2.5 s for this line


def test_the_same_seed_gives_the_same_reading_and_another_seed_another(tiny_vits: Path) -> None:
    first = say(tiny_vits, seed=11)
    again = say(tiny_vits, seed=11)  # a freshly loaded model, as another process would have
    other = say(tiny_vits, seed=12)
    assert np.array_equal(first, again)
    assert first.size == other.size and not np.array_equal(first, other)


def test_a_reading_does_not_depend_on_the_lines_before_it(tiny_vits: Path) -> None:
    voices = speech(tiny_vits)
    alone = voices.speak_line(SpeechLine(LINE, neural_voice(tiny_vits), "", "MAYA", 5)).audio
    voices.speak_line(SpeechLine("Hold the last table.", neural_voice(tiny_vits), "", "MAYA", 9))
    after = voices.speak_line(SpeechLine(LINE, neural_voice(tiny_vits), "", "MAYA", 5)).audio
    assert np.array_equal(alone, after)


def test_whispering_is_quieter_and_shouting_louder_and_faster_than_a_normal_line(tiny_vits: Path) -> None:
    normal, whispered, shouted = (say(tiny_vits, p) for p in ("", "whispering", "shouting"))
    assert rms(whispered) < 0.6 * rms(normal)
    assert rms(shouted) > 1.2 * rms(normal)
    assert shouted.size < 0.95 * normal.size < whispered.size


def test_words_per_minute_sets_the_pace_of_a_neural_voice(tiny_vits: Path) -> None:
    slow, fast = say(tiny_vits, words_per_minute=120), say(tiny_vits, words_per_minute=240)
    assert fast.size < 0.7 * slow.size


def test_phoneme_and_word_timings_tile_the_line_in_order(tiny_vits: Path) -> None:
    text = "Seven tables, please."
    spoken = speech(tiny_vits).speak_line(SpeechLine(text, neural_voice(tiny_vits), "", "MAYA", 3))
    duration = spoken.audio.size / MIX_RATE
    words, phonemes = spoken.timings.words, spoken.timings.phonemes
    assert [w.label for w in words] == ["Seven", "tables", "please"]  # espeak-ng kept the three words apart
    assert all(0 <= u.start < u.end <= duration for u in (*words, *phonemes))
    assert all(a.end <= b.start for a, b in zip(words, words[1:], strict=False))
    assert words[1].start - words[0].end >= FRAMES_PER_TOKEN * HOP / RATE  # the space between them is a pause
    assert words[2].start - words[1].end > words[1].start - words[0].end  # the comma is a longer one
    first_word = [p for p in phonemes if p.end <= words[0].end + 1e-9]
    assert "".join(p.label for p in first_word) == "sɛvən"
    assert first_word[0].start == pytest.approx(words[0].start) and first_word[-1].end == pytest.approx(words[0].end)
    assert all(a.end == pytest.approx(b.start) for a, b in zip(first_word, first_word[1:], strict=False))  # no gaps inside a word


def test_the_published_checkpoints_stochastic_durations_give_timings_too(tmp_path: Path) -> None:
    folder = build_tiny_vits(tmp_path / "tiny-stochastic", stochastic=True)
    spoken = speech(folder).speak_line(SpeechLine("Seven tables, please.", neural_voice(folder), "", "MAYA", 3))
    assert len(spoken.timings.words) == 3 and spoken.timings.words[-1].end <= spoken.audio.size / MIX_RATE


def test_a_cached_line_comes_back_identical_without_loading_the_model(tmp_path: Path, tiny_vits: Path) -> None:
    line = SpeechLine(LINE, neural_voice(tiny_vits), "quietly", "MAYA", 4)
    first = speech(tiny_vits, tmp_path).speak_line(line)
    model = VitsVoiceModel(tiny_vits)
    again = NeuralSpeech(model, EspeakNg(), tmp_path).speak_line(line)
    assert np.array_equal(first.audio, again.audio) and again.timings == first.timings
    assert not model.loaded
    other = NeuralSpeech(model, EspeakNg(), tmp_path).speak_line(replace(line, parenthetical="shouting"))
    assert model.loaded and other.audio.size != first.audio.size


def test_a_model_is_loaded_once_and_kept_between_lines(tiny_vits: Path) -> None:
    model = VitsVoiceModel(tiny_vits)
    voices = NeuralSpeech(model, EspeakNg())
    voices.speak_line(SpeechLine(LINE, neural_voice(tiny_vits), "", "MAYA", 1))
    resident = model._model
    voices.speak_line(SpeechLine("Hold the last table.", neural_voice(tiny_vits), "", "MAYA", 2))
    assert model._model is resident


def test_a_multi_speaker_model_gives_each_speaker_its_own_voice(tmp_path: Path) -> None:
    folder = build_tiny_vits(tmp_path / "tiny-vctk", speakers=4)
    one, two = say(folder, speaker=1), say(folder, speaker=2)
    assert one.size == two.size and not np.array_equal(one, two)


def test_a_line_with_nothing_to_pronounce_is_refused_naming_the_character(tiny_vits: Path) -> None:
    with pytest.raises(UnspeakableLineError, match=r"MAYA's line '\.\.\. —' has nothing to pronounce; write the words"):
        speech(tiny_vits).speak_line(SpeechLine("... —", neural_voice(tiny_vits), "", "MAYA", 1))


def test_a_line_in_an_alphabet_the_model_cannot_read_is_refused_naming_the_character(tmp_path: Path) -> None:
    letters = build_tiny_vits(tmp_path / "tiny-letters", phonemes=False)
    with pytest.raises(UnspeakableLineError, match="MAYA's line 'Привет' has nothing the voice model tiny-letters can pronounce"):
        speech(letters).speak_line(SpeechLine("Привет", neural_voice(letters), "", "MAYA", 1))
    assert say(letters, text="Kitchen closes.").size > 0  # a letter model reads the text itself, no phonemes


def test_cancelling_stops_before_the_next_neural_line(tiny_vits: Path) -> None:
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(RenderCancelled):
        speech(tiny_vits).speak([SpeechLine(LINE, neural_voice(tiny_vits), "", "MAYA", 1)], cancel)


def test_a_neural_lines_word_and_phoneme_timings_are_kept_in_shot_time_for_the_lip_sync_pass(tmp_path: Path, tiny_vits: Path) -> None:
    maya = Character(id="maya", name="Maya", voice=neural_voice(tiny_vits))
    line = DialogueLine("maya", LINE, start=12)
    report = render_shot_sound(shot_request(400, dialogue=[line], characters=(maya, THEO)), tmp_path / "mix.wav", tmp_path / "cache", CancelToken())
    (entry,) = report.lip_sync
    alone = speech(tiny_vits).speak_line(SpeechLine(LINE, neural_voice(tiny_vits), "", "Maya", 0)).timings
    assert entry["character_id"] == "maya" and entry["start_frame"] == 12 and len(entry["words"]) == len(alone.words)
    offset = 12 / 24
    for (label, start, end), unit in zip(entry["words"], alone.words, strict=True):
        assert label == unit.label and abs(start - (offset + unit.start)) < 1e-3 and abs(end - (offset + unit.end)) < 1e-3
    [(begin, end)] = report.dialogue_spans
    assert begin / MIX_RATE <= entry["phonemes"][0][1] and entry["phonemes"][-1][2] <= end / MIX_RATE + 1e-3

    scratch = render_shot_sound(shot_request(400, dialogue=[line], characters=(MAYA, THEO)), tmp_path / "scratch.wav", tmp_path / "cache", CancelToken())
    assert scratch.lip_sync == [], "espeak-ng cannot time its phonemes: nothing is recorded rather than a guess"


def test_a_take_keeps_its_dialogue_timings_in_the_project_media(tmp_path: Path, tiny_vits: Path) -> None:
    import json

    from pipeline.backends.draft.renderer import DraftRenderer
    from pipeline.progress import no_progress
    from pipeline.render.shot_render import render_shot
    from studio.media_store import MediaStore

    maya = Character(id="maya", name="Maya", voice=neural_voice(tiny_vits))
    request = replace(
        shot_request(48, dialogue=[DialogueLine("maya", "Nine.", start=6)], characters=(maya, THEO)), width=64, height=36, cache_dir=tmp_path / "cache"
    )
    take = render_shot(request, DraftRenderer(), tmp_path, 1, no_progress, CancelToken()).take
    assert take.lip_sync is not None and take.lip_sync in take.media_paths
    (entry,) = json.loads(MediaStore(tmp_path).resolve(take.lip_sync).read_text(encoding="utf-8"))
    assert entry["character_id"] == "maya" and entry["words"] and entry["words"][0][1] >= 6 / 24
