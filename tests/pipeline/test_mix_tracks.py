"""Mixing the cut's stems: faders (gain, balance, mute, solo), music ducked under dialogue, and the
loudness gain that brings the sum to -23 LUFS without letting its true peak past the ceiling."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pyloudnorm
import pytest

from pipeline.audio.ducking import HOLD_MS, ducking_gain_db
from pipeline.audio.loudness import true_peak_dbtp
from pipeline.audio.pcm import MIX_RATE, db_to_gain
from pipeline.audio.track_mix import TrackBuffers, mix_tracks
from studio.mix import Ducking, MixError, MixSettings, Track, TrackMix

SECONDS = 6
FREQUENCIES = {"dialogue": 300.0, "effects": 700.0, "music": 1100.0}  # each track its own tone, told apart in the mix
NO_DUCKING = Ducking(depth_db=0.0)


def _tone(frequency: float, amplitude: float, begin_s: float = 0.0, end_s: float = SECONDS) -> np.ndarray:
    t = np.arange(SECONDS * MIX_RATE) / MIX_RATE
    mono = amplitude * np.sin(2 * math.pi * frequency * t) * ((t >= begin_s) & (t < end_s))
    return np.stack([mono, mono]).astype(np.float32)


def _buffers(**amplitudes: float) -> TrackBuffers:
    return TrackBuffers({name: _tone(FREQUENCIES[name], amplitudes.get(name, 0.1)) for name in FREQUENCIES})


def _level_db(channel: np.ndarray, frequency: float) -> float:
    """The amplitude of one tone in a signal (a matched filter over whole periods), in dB; -inf when absent."""
    t = np.arange(channel.size) / MIX_RATE
    amplitude = 2 * abs(np.mean(channel * np.exp(-2j * math.pi * frequency * t)))
    return 20 * math.log10(amplitude) if amplitude > 1e-6 else -math.inf


def _levels(mix: np.ndarray, channel: int = 0) -> dict[str, float]:
    return {name: _level_db(mix[channel], frequency) for name, frequency in FREQUENCIES.items()}


def _mix(settings: MixSettings, **amplitudes: float):
    return mix_tracks(_buffers(**amplitudes), settings, "the test mix")


def _lufs(stereo: np.ndarray) -> float:
    return pyloudnorm.Meter(MIX_RATE).integrated_loudness(stereo.T.astype(np.float64))


def test_a_fader_gain_changes_its_track_by_that_many_db_against_the_others() -> None:
    flat = _levels(_mix(MixSettings(ducking=NO_DUCKING)).mix)
    settings = MixSettings(effects=TrackMix(gain_db=-6.0), music=TrackMix(gain_db=4.5), ducking=NO_DUCKING)
    moved = _levels(_mix(settings).mix)
    # The loudness gain moves everything together, so the tracks are compared with the dialogue.
    assert moved["effects"] - moved["dialogue"] == pytest.approx(flat["effects"] - flat["dialogue"] - 6.0, abs=0.01)
    assert moved["music"] - moved["dialogue"] == pytest.approx(flat["music"] - flat["dialogue"] + 4.5, abs=0.01)


def test_muting_a_track_takes_it_out_of_the_mix_and_its_stem() -> None:
    mixed = _mix(MixSettings(music=TrackMix(mute=True), ducking=NO_DUCKING))
    levels = _levels(mixed.mix)
    assert levels["music"] == -math.inf and not mixed.tracks["music"].any()
    assert levels["dialogue"] > -40 and levels["effects"] > -40


def test_soloing_plays_only_the_soloed_tracks_and_mute_wins_over_solo() -> None:
    solo = _levels(_mix(MixSettings(dialogue=TrackMix(solo=True), ducking=NO_DUCKING)).mix)
    assert solo["dialogue"] > -40 and solo["effects"] == -math.inf and solo["music"] == -math.inf
    two = _levels(_mix(MixSettings(dialogue=TrackMix(solo=True), music=TrackMix(solo=True), ducking=NO_DUCKING)).mix)
    assert two["effects"] == -math.inf and two["dialogue"] > -40 and two["music"] > -40
    muted_solo = _mix(MixSettings(dialogue=TrackMix(solo=True, mute=True), ducking=NO_DUCKING))
    assert not muted_solo.mix.any(), "a soloed track that is also muted is silent, and so is everything else"


def test_panning_a_stereo_stem_turns_down_the_far_side_only() -> None:
    mixed = _mix(MixSettings(music=TrackMix(pan=-1.0), effects=TrackMix(pan=0.5), ducking=NO_DUCKING))
    left, right = _levels(mixed.mix, 0), _levels(mixed.mix, 1)
    assert right["music"] == -math.inf and left["music"] == pytest.approx(left["dialogue"], abs=0.01)
    assert left["effects"] - right["effects"] == pytest.approx(20 * math.log10(0.5), abs=0.01)
    assert left["dialogue"] == pytest.approx(right["dialogue"], abs=0.01)


def test_the_mixed_tracks_add_up_to_the_mix() -> None:
    mixed = _mix(MixSettings(effects=TrackMix(gain_db=-3.0, pan=0.3)))
    assert np.abs(sum(mixed.tracks.values()) - mixed.mix).max() < 1e-6


def test_the_mix_is_brought_to_minus_23_lufs() -> None:
    for amplitude in (0.01, 0.5):  # far too quiet, and too loud
        mixed = _mix(MixSettings(), dialogue=amplitude, effects=amplitude, music=amplitude)
        assert _lufs(mixed.mix) == pytest.approx(-23.0, abs=0.1)
        assert mixed.warnings == []


def test_another_loudness_target_is_met_too() -> None:
    mixed = _mix(MixSettings(loudness_lufs=-16.0))
    assert _lufs(mixed.mix) == pytest.approx(-16.0, abs=0.1)


def test_a_loud_peak_in_a_quiet_mix_stops_the_gain_at_the_ceiling_and_says_so() -> None:
    buffers = _buffers(dialogue=0.003, effects=0.0, music=0.003)
    buffers.stems["effects"][:, MIX_RATE] = 0.5  # one click, far above the rest
    mixed = mix_tracks(buffers, MixSettings(), "the sequence mix")
    assert true_peak_dbtp(mixed.mix) <= -1.0 + 1e-3
    reached = _lufs(mixed.mix)
    assert reached < -24
    (warning,) = mixed.warnings
    assert warning.startswith(f"the sequence mix reaches {reached:.1f} LUFS, not the -23 LUFS target")
    assert "-1 dBTP ceiling" in warning and "turn down the loudest cue" in warning


def test_music_ducks_by_the_set_depth_under_dialogue_and_nowhere_else() -> None:
    start, end = 2.0, 4.0
    ducking = Ducking(depth_db=10.0, attack_ms=80.0, release_ms=400.0)
    buffers = _buffers()
    buffers.stems["dialogue"] = _tone(FREQUENCIES["dialogue"], 0.1, start, end)
    music_in = buffers.stems["music"].copy()
    mixed = mix_tracks(buffers, MixSettings(ducking=ducking), "the test mix")
    loudness_gain = mixed.loudness.gain_db

    def change_db(begin_s: float, end_s: float) -> float:
        span = slice(int(begin_s * MIX_RATE), int(end_s * MIX_RATE))
        return _level_db(mixed.tracks["music"][0, span], FREQUENCIES["music"]) - _level_db(music_in[0, span], FREQUENCIES["music"]) - loudness_gain

    assert change_db(start, end) == pytest.approx(-10.0, abs=0.5), "under the dialogue, from its first sample to its last"
    assert change_db(0.0, start - 0.1) == pytest.approx(0.0, abs=0.05), "before the look-ahead"
    released = end + (HOLD_MS + 400 + 20) / 1000
    assert change_db(released, SECONDS) == pytest.approx(0.0, abs=0.05), "after the hold and release"
    # The dialogue and effects are not ducked.
    levels = _levels(mixed.mix)
    assert levels["effects"] - loudness_gain == pytest.approx(-20.0, abs=0.01)


def test_the_music_is_down_before_the_first_word_and_ramps_no_faster_than_attack_and_release() -> None:
    depth, attack, release = 12.0, 0.1, 0.3
    gain = ducking_gain_db(_tone(300.0, 0.1, 2.0, 3.0), Ducking(depth_db=depth, attack_ms=attack * 1000, release_ms=release * 1000))
    sample = lambda seconds: int(seconds * MIX_RATE)  # noqa: E731
    held = 3.0 + HOLD_MS / 1000
    assert np.all(gain[sample(2.0) : sample(held)] == -depth), "fully down from the first word to the end of the hold"
    assert np.all(gain[: sample(2.0 - attack - 0.03)] == 0.0) and np.all(gain[sample(held + release + 0.03) :] == 0.0)
    steps = np.diff(gain.astype(np.float64))
    assert steps.min() >= -depth / (attack * MIX_RATE) * 1.01 and steps.max() <= depth / (release * MIX_RATE) * 1.01, "no jumps: ramps as set"
    assert np.all(steps[: sample(2.0)] <= 0) and np.all(steps[sample(2.0) :] >= 0), "one ramp down, one ramp up"


def test_short_pauses_between_words_keep_the_music_down() -> None:
    words = _tone(300.0, 0.1, 2.0, 2.5) + _tone(300.0, 0.1, 2.8, 3.3)  # a 300 ms pause, shorter than the hold
    gain = ducking_gain_db(words, Ducking())
    assert np.all(gain[int(2.0 * MIX_RATE) : int(3.3 * MIX_RATE)] == -10.0)


def test_ducking_follows_the_dialogue_as_recorded_whatever_its_fader() -> None:
    def music_before_the_loudness_gain(settings: MixSettings) -> np.ndarray:
        buffers = _buffers()
        buffers.stems["dialogue"] = _tone(FREQUENCIES["dialogue"], 0.1, 2.0, 4.0)
        mixed = mix_tracks(buffers, settings, "the test mix")
        return mixed.tracks["music"] / np.float32(db_to_gain(mixed.loudness.gain_db))

    heard = music_before_the_loudness_gain(MixSettings())
    assert _level_db(heard[0, 2 * MIX_RATE : 4 * MIX_RATE], FREQUENCIES["music"]) == pytest.approx(-30.0, abs=0.1), "ducked 10 dB"
    for settings in (MixSettings(dialogue=TrackMix(mute=True)), MixSettings(dialogue=TrackMix(gain_db=-30.0)), MixSettings(music=TrackMix(solo=True))):
        assert np.allclose(music_before_the_loudness_gain(settings), heard, atol=1e-5), settings


def test_silence_and_a_cut_too_short_to_measure_stay_as_they_are() -> None:
    silent = mix_tracks(TrackBuffers.silent(MIX_RATE * 2), MixSettings(), "the sequence mix")
    assert not silent.mix.any() and silent.warnings == []
    short = mix_tracks(TrackBuffers({name: _tone(FREQUENCIES[name], 0.1)[:, : MIX_RATE // 5] for name in FREQUENCIES}), MixSettings(), "the sequence mix")
    assert short.loudness.gain_db == 0.0
    assert short.warnings == ["the sequence mix is shorter than 0.4 s, too short to measure its loudness; it was left at its level"]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: TrackMix(gain_db=30.0), "a track's gain (dB) must be from -60 to 24, got 30.0: mute the track instead"),
        (lambda: TrackMix(pan=1.5), "a track's pan must be from -1 to 1, got 1.5"),
        (lambda: Ducking(depth_db=-3.0), "the music ducking depth (dB) must be from 0 to 60, got -3.0: 0 turns ducking off"),
        (lambda: MixSettings(peak_ceiling_dbtp=1.0), "the true-peak ceiling (dBTP) must be from -20 to 0, got 1.0: EBU R128 allows at most -1"),
        (lambda: MixSettings(loudness_lufs=float("nan")), "the target loudness (LUFS) must be from -50 to -5, got nan"),
    ],
)
def test_a_setting_out_of_range_is_refused_with_the_fix(build, message: str) -> None:
    with pytest.raises(MixError) as raised:
        build()
    assert str(raised.value).startswith(message)


def test_a_track_strip_is_replaced_without_touching_the_others() -> None:
    settings = MixSettings().with_track(Track.MUSIC, TrackMix(gain_db=-6.0))
    assert settings.music.gain_db == -6.0 and settings.dialogue == TrackMix() and settings.effects == TrackMix()
    assert replace(settings, music=TrackMix()).faders_neutral and not settings.faders_neutral
