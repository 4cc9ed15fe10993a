"""The shot mix's stems: dialogue, effects (SFX and ambience) and music, each as long as the shot,
adding up to the mix; and a rendered take keeps them in the project's media store."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sound_helpers import CountingRunner, read_mix, rms, shot_request

from pipeline.audio.espeak import EspeakNg
from pipeline.audio.shot_mix import render_shot_sound
from pipeline.backends.base import ShotRenderRequest
from pipeline.backends.registry import create_backend
from pipeline.progress import CancelToken, no_progress
from pipeline.render.shot_render import render_shot
from studio.media_store import MediaStore
from studio.shot import DialogueLine, SoundCue, SoundCueKind

LSB = 1 / 32768


def render(request: ShotRenderRequest, tmp_path: Path):
    return render_shot_sound(request, tmp_path / "out" / "mix.wav", tmp_path / "voice-cache", CancelToken(), espeak=EspeakNg(runner=CountingRunner()))


def test_the_stems_are_as_long_as_the_shot_and_add_up_to_the_mix(tmp_path: Path) -> None:
    # Quiet cues so nothing reaches the limiter: then the mix is the plain sum of the stems.
    request = shot_request(
        60,
        dialogue=[DialogueLine("maya", "Kitchen closes at nine.", start=3)],
        cues=[
            SoundCue(SoundCueKind.AMBIENCE, "rain on the windows", gain_db=-12),
            SoundCue(SoundCueKind.SFX, "a cup set down", start=30, gain_db=-12),
            SoundCue(SoundCueKind.MUSIC, "warm theme", start=10, gain_db=-12),
        ],
    )
    report = render(request, tmp_path)
    mix = read_mix(report.path)
    assert np.abs(mix.samples).max() < 0.9, "the test case must stay below the limiter's knee"
    assert sorted(report.stems) == ["dialogue", "effects", "music"]
    stems = {name: read_mix(path) for name, path in report.stems.items()}
    for stem in stems.values():
        assert (stem.rate, stem.channels, stem.sample_width) == (48_000, 2, 2)
        assert stem.samples.shape == mix.samples.shape == (2, report.samples)
        assert rms(stem.samples) > 0.001
    total = sum(stem.samples for stem in stems.values())
    assert np.abs(total - mix.samples).max() <= 2 * LSB


def test_the_limiter_acts_on_the_mix_only(tmp_path: Path) -> None:
    loud = [SoundCue(SoundCueKind.AMBIENCE, "storm", gain_db=12), SoundCue(SoundCueKind.MUSIC, "brass fanfare", gain_db=12)]
    report = render(shot_request(48, cues=loud), tmp_path)
    mix = read_mix(report.path).samples
    total = read_mix(report.stems["effects"]).samples + read_mix(report.stems["music"]).samples
    assert np.abs(mix).max() <= 1.0 and np.abs(total).max() > np.abs(mix).max()
    quiet = np.abs(total) < 0.85
    assert np.abs(total[quiet] - mix[quiet]).max() <= 2 * LSB, "below the knee the mix is still the sum"


def test_each_sound_goes_to_its_stem_and_the_others_stay_silent(tmp_path: Path) -> None:
    cases = {
        "dialogue": shot_request(48, dialogue=[DialogueLine("theo", "Not tonight.")]),
        "effects": shot_request(48, cues=[SoundCue(SoundCueKind.SFX, "door slams", start=4), SoundCue(SoundCueKind.AMBIENCE, "traffic")]),
        "music": shot_request(48, cues=[SoundCue(SoundCueKind.MUSIC, "piano")]),
    }
    for expected, request in cases.items():
        report = render(request, tmp_path / expected)
        loud = {name for name, path in report.stems.items() if rms(read_mix(path).samples) > 0}
        assert loud == {expected}


def test_a_rendered_take_keeps_its_stems_in_the_media_store(tmp_path: Path) -> None:
    request = shot_request(12, dialogue=[DialogueLine("maya", "Hi.")], cues=[SoundCue(SoundCueKind.MUSIC, "piano")])
    take = render_shot(request, create_backend("draft"), tmp_path, 1, no_progress, CancelToken()).take
    store = MediaStore(tmp_path)
    assert sorted(take.stems) == ["dialogue", "effects", "music"]
    assert all(store.exists(ref) for ref in take.stems.values())
    assert set(take.stems.values()) <= set(take.media_paths)
    mix = read_mix(store.resolve(take.audio)).samples
    total = sum(read_mix(store.resolve(ref)).samples for ref in take.stems.values())
    assert np.abs(total - mix).max() <= 2 * LSB
    assert rms(read_mix(store.resolve(take.stems["effects"])).samples) == 0
