"""Placeholder sounds: picked from the cue's words and kind, deterministic, and recognisably what they stand for."""

from __future__ import annotations

import numpy as np
import pytest
from sound_helpers import rms, spectral_centroid

from pipeline.audio.pcm import MIX_RATE
from pipeline.audio.placeholder_sounds import Placeholder, placeholder_for, placeholder_sound
from studio.shot import SoundCue, SoundCueKind

AMBIENCE, SFX, MUSIC = SoundCueKind.AMBIENCE, SoundCueKind.SFX, SoundCueKind.MUSIC
EXAMPLES = {
    Placeholder.ROOM_TONE: SoundCue(AMBIENCE, "kitchen room tone"),
    Placeholder.RAIN: SoundCue(AMBIENCE, "Rain on the window"),
    Placeholder.WIND: SoundCue(AMBIENCE, "wind in the trees"),
    Placeholder.TRAFFIC: SoundCue(AMBIENCE, "distant city traffic"),
    Placeholder.BELL: SoundCue(SFX, "the oven timer dings"),
    Placeholder.DOOR_SLAM: SoundCue(SFX, "the back door slams"),
    Placeholder.POURING: SoundCue(SFX, "coffee pouring into a mug"),
    Placeholder.MUSIC: SoundCue(MUSIC, "a warm piano theme"),
    Placeholder.GENERIC: SoundCue(SFX, "something odd happens"),
}


def sound(placeholder: Placeholder, seconds: float = 8.0) -> np.ndarray:
    return placeholder_sound(EXAMPLES[placeholder], int(seconds * MIX_RATE)).astype(np.float64)


def kurtosis(x: np.ndarray) -> float:
    x = x - x.mean()
    return float(np.mean(x**4) / np.mean(x**2) ** 2)


def tonal_share(x: np.ndarray) -> float:
    """The share of the power in the strongest 0.5% of frequency bins: near 1 for notes, low for noise."""
    power = np.sort(np.abs(np.fft.rfft(x)) ** 2)[::-1]
    return float(power[: power.size // 200].sum() / power.sum())


def half_second_levels(x: np.ndarray) -> np.ndarray:
    window = MIX_RATE // 2
    return np.sqrt(np.mean(np.square(x[: x.size // window * window].reshape(-1, window)), axis=1))


@pytest.mark.parametrize("placeholder", list(Placeholder))
def test_each_description_picks_its_placeholder(placeholder: Placeholder) -> None:
    assert placeholder_for(EXAMPLES[placeholder]) == placeholder


def test_the_cue_kind_decides_between_a_bed_and_a_one_shot() -> None:
    assert placeholder_for(SoundCue(AMBIENCE, "wind rattles the door")) == Placeholder.WIND
    assert placeholder_for(SoundCue(SFX, "wind rattles the door")) == Placeholder.DOOR_SLAM
    assert placeholder_for(SoundCue(MUSIC, "a song about rain")) == Placeholder.MUSIC
    assert placeholder_for(SoundCue(AMBIENCE, "the diner at night")) == Placeholder.ROOM_TONE
    assert placeholder_for(SoundCue(SFX, "the diner at night")) == Placeholder.GENERIC


def test_a_placeholder_is_the_same_every_time_and_differs_between_descriptions() -> None:
    cue = SoundCue(AMBIENCE, "rain on the window")
    again = SoundCue(AMBIENCE, "Rain on  the window", start=12, gain_db=-3, pan=0.4)  # placement is not the sound
    other = SoundCue(AMBIENCE, "rain on the roof")
    np.testing.assert_array_equal(placeholder_sound(cue, 48_000), placeholder_sound(again, 48_000))
    assert not np.array_equal(placeholder_sound(cue, 48_000), placeholder_sound(other, 48_000))


@pytest.mark.parametrize("placeholder", list(Placeholder))
@pytest.mark.parametrize("samples", [1, 1_000, 2 * MIX_RATE + 17])
def test_a_placeholder_has_exactly_the_requested_length_and_a_sane_level(placeholder: Placeholder, samples: int) -> None:
    audio = placeholder_sound(EXAMPLES[placeholder], samples)
    assert audio.shape == (samples,) and audio.dtype == np.float32
    assert np.all(np.isfinite(audio)) and np.max(np.abs(audio)) < 1.0
    if samples > 1_000:
        assert rms(audio) > 0.001, "audible"


def test_room_tone_is_a_low_rumble_and_rain_is_broadband() -> None:
    assert spectral_centroid(sound(Placeholder.ROOM_TONE)) < 300
    assert spectral_centroid(sound(Placeholder.RAIN)) > 1500


def test_rain_and_pouring_have_transients_over_their_noise() -> None:
    assert kurtosis(sound(Placeholder.RAIN)) > 4  # steady noise alone sits at 3
    assert kurtosis(sound(Placeholder.POURING)) > 4
    assert kurtosis(sound(Placeholder.ROOM_TONE)) < 3.5


def test_wind_and_traffic_rise_and_fall_while_room_tone_stays_steady() -> None:
    def variation(x: np.ndarray) -> float:
        levels = half_second_levels(x)
        return float(levels.std() / levels.mean())

    assert variation(sound(Placeholder.WIND, 20)) > 0.1
    assert variation(sound(Placeholder.TRAFFIC, 20)) > 0.1
    assert variation(sound(Placeholder.ROOM_TONE, 20)) < 0.05


@pytest.mark.parametrize(("placeholder", "rings_for"), [(Placeholder.BELL, 3.0), (Placeholder.DOOR_SLAM, 0.5), (Placeholder.GENERIC, 0.6)])
def test_one_shots_sound_at_once_then_fall_silent(placeholder: Placeholder, rings_for: float) -> None:
    audio = sound(placeholder, 5)
    assert rms(audio[: MIX_RATE // 20]) > 0.01, "it starts at the cue's frame"
    assert np.flatnonzero(np.abs(audio) > 1e-6)[-1] < rings_for * MIX_RATE
    if placeholder == Placeholder.BELL:
        assert rms(audio[: MIX_RATE // 4]) > 4 * rms(audio[int(1.5 * MIX_RATE) : 2 * MIX_RATE]), "a bell decays"


def test_music_is_made_of_notes_and_noise_beds_are_not() -> None:
    assert tonal_share(sound(Placeholder.MUSIC)) > 0.9
    for bed in (Placeholder.RAIN, Placeholder.WIND, Placeholder.POURING):
        assert tonal_share(sound(bed)) < 0.5


def test_music_keeps_playing_for_a_long_cue() -> None:
    levels = half_second_levels(placeholder_sound(EXAMPLES[Placeholder.MUSIC], 40 * MIX_RATE))
    assert levels.min() > 0.2 * levels.mean()
