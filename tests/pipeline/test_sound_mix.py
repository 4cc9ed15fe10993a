"""The shot mix: exact length, lines on their frames, cues with gain and pan, and errors a user can fix."""

from __future__ import annotations

import math
import wave
from pathlib import Path

import numpy as np
import pytest
from sound_helpers import MAYA, CountingRunner, read_mix, rms, shot_request, speech_onsets

from pipeline.audio.espeak import EspeakNg, install_hint
from pipeline.audio.pcm import MIX_RATE, SoundError
from pipeline.audio.shot_mix import dialogue_overruns, render_shot_sound, speech_frames
from pipeline.backends.base import ShotRenderRequest
from pipeline.progress import CancelToken, RenderCancelled
from studio.frame_rate import FrameRate
from studio.shot import DialogueLine, SoundCue, SoundCueKind

NTSC_FILM = FrameRate(24000, 1001)


def render(request: ShotRenderRequest, tmp_path: Path, espeak: EspeakNg | None = None, name: str = "mix.wav"):
    return render_shot_sound(request, tmp_path / "out" / name, tmp_path / "voice-cache", CancelToken(), espeak=espeak or EspeakNg(runner=CountingRunner()))


def frame_start(rate: FrameRate, frame: int) -> float:
    return frame * MIX_RATE * rate.denominator / rate.numerator


@pytest.mark.parametrize(
    ("rate", "frames", "samples"),
    [(FrameRate(24), 100, 200_000), (NTSC_FILM, 100, 200_200), (FrameRate(24), 1, 2_000), (NTSC_FILM, 1439, 2_880_878), (FrameRate(25), 7, 13_440)],
)
def test_the_mix_is_exactly_as_long_as_the_shot(tmp_path: Path, rate: FrameRate, frames: int, samples: int) -> None:
    request = shot_request(
        frames,
        frame_rate=rate,
        dialogue=[DialogueLine("maya", "Kitchen closes at nine.", start=0)],
        cues=[SoundCue(SoundCueKind.AMBIENCE, "rain on the windows"), SoundCue(SoundCueKind.MUSIC, "warm theme", start=0, duration=frames * 3)],
    )
    report = render(request, tmp_path)
    mix = read_mix(report.path)
    assert (mix.rate, mix.channels, mix.sample_width) == (48_000, 2, 2)
    assert mix.samples.shape[1] == samples == report.samples


@pytest.mark.parametrize("rate", [FrameRate(24), NTSC_FILM])
def test_each_line_starts_on_its_frame(tmp_path: Path, rate: FrameRate) -> None:
    cache = tmp_path / "voice-cache"
    first = DialogueLine("maya", "Seven tables tonight.", start=6)
    probe = shot_request(1000, frame_rate=rate, dialogue=[first])
    second_start = first.start + speech_frames(probe, first, cache) + 12  # a clear pause between the two lines
    second = DialogueLine("theo", "Hold the last one.", start=second_start)
    duration = second_start + speech_frames(probe, second, cache) + 12
    request = shot_request(duration, frame_rate=rate, dialogue=[first, second])

    report = render_shot_sound(request, tmp_path / "mix.wav", cache, CancelToken())
    mono = read_mix(report.path).samples.mean(axis=0)
    onsets = speech_onsets(mono)
    frame = MIX_RATE * rate.denominator / rate.numerator
    assert len(onsets) == 2
    for onset, line in zip(onsets, [first, second], strict=True):
        assert abs(onset - frame_start(rate, line.start)) <= frame
    for (start, _end), line in zip(report.dialogue_spans, [first, second], strict=True):
        assert abs(start - frame_start(rate, line.start)) <= 1


def test_dialogue_is_centred(tmp_path: Path) -> None:
    report = render(shot_request(72, dialogue=[DialogueLine("theo", "Not tonight.", start=4)]), tmp_path)
    left, right = read_mix(report.path).samples
    assert rms(left) > 0.01
    np.testing.assert_array_equal(left, right)


def test_a_cue_is_panned_by_constant_power_and_scaled_by_its_gain(tmp_path: Path) -> None:
    def middle(cue: SoundCue, name: str) -> np.ndarray:
        samples = read_mix(render(shot_request(96, cues=[cue]), tmp_path, name=name).path).samples
        return samples[:, MIX_RATE // 2 : -MIX_RATE // 2]  # clear of the edge fades

    centred = middle(SoundCue(SoundCueKind.AMBIENCE, "rain on the roof"), "centre.wav")
    panned = middle(SoundCue(SoundCueKind.AMBIENCE, "rain on the roof", pan=0.5), "right.wav")
    quieter = middle(SoundCue(SoundCueKind.AMBIENCE, "rain on the roof", gain_db=-6.0), "quiet.wav")
    hard_left = middle(SoundCue(SoundCueKind.AMBIENCE, "rain on the roof", pan=-1.0), "left.wav")

    assert rms(centred[0]) == pytest.approx(rms(centred[1]), rel=0.01)
    assert rms(panned[0]) / rms(panned[1]) == pytest.approx(math.tan(math.pi / 8), rel=0.02)
    assert rms(panned) == pytest.approx(rms(centred), rel=0.02), "panning keeps the loudness"
    assert rms(quieter) / rms(centred) == pytest.approx(10 ** (-6 / 20), rel=0.02)
    assert rms(hard_left[1]) < 1e-4 < rms(hard_left[0])


def test_a_cue_plays_from_its_start_for_its_duration_with_soft_edges(tmp_path: Path) -> None:
    cue = SoundCue(SoundCueKind.AMBIENCE, "wind across the rooftops", start=24, duration=24, gain_db=6.0)
    left = read_mix(render(shot_request(96, cues=[cue]), tmp_path).path).samples[0]
    start, end = 24 * 2000, 48 * 2000
    assert rms(left[:start]) == 0
    assert rms(left[end:]) == 0
    assert rms(left[start:end]) > 0.01
    edge = np.abs(np.diff(left[start - 5 : start + 50]))
    body = np.abs(np.diff(left[start + 2000 : end - 2000]))
    assert edge.max() <= body.max(), "no click where the cue begins"
    assert abs(left[end - 1]) < 0.01 and abs(left[start]) < 0.01


def test_a_cue_that_starts_after_the_shot_ends_is_left_out_with_a_warning(tmp_path: Path) -> None:
    report = render(shot_request(48, cues=[SoundCue(SoundCueKind.SFX, "door slams", start=60)]), tmp_path)
    assert any("shot 4" in w and "door slams" in w and "frame 60" in w for w in report.warnings)
    assert rms(read_mix(report.path).samples) == 0


def test_a_one_shot_effect_lands_on_its_frame(tmp_path: Path) -> None:
    report = render(shot_request(72, cues=[SoundCue(SoundCueKind.SFX, "the front door slams", start=30)]), tmp_path)
    mono = read_mix(report.path).samples.mean(axis=0)
    onsets = speech_onsets(mono, threshold=0.01)
    assert len(onsets) == 1 and abs(onsets[0] - 30 * 2000) <= 2000


@pytest.mark.parametrize("channels", [1, 2])
def test_a_cue_file_in_another_format_and_rate_is_decoded_and_placed(tmp_path: Path, channels: int) -> None:
    beep = tmp_path / "media" / "beep.wav"
    write_sine_wav(beep, hz=440.0, seconds=0.5, rate=44_100, amplitude=0.5, channels=channels)
    cue = SoundCue(SoundCueKind.SFX, "oven timer", start=12, media="media/beep.wav")
    report = render(shot_request(72, cues=[cue], sound_media={"media/beep.wav": beep}), tmp_path)
    left = read_mix(report.path).samples[0]
    start = 12 * 2000
    assert rms(left[: start - 10]) == 0
    body = left[start + 2400 : start + 21600]
    # A stereo file plays as recorded; a mono one is centred like every mono sound, -3 dB a side.
    expected = 0.5 / math.sqrt(2) * (1 / math.sqrt(2) if channels == 1 else 1.0)
    assert rms(body) == pytest.approx(expected, rel=0.02)
    spectrum = np.abs(np.fft.rfft(body))
    assert np.fft.rfftfreq(body.size, 1 / MIX_RATE)[np.argmax(spectrum)] == pytest.approx(440, abs=5)
    assert rms(left[start + MIX_RATE // 2 + 100 :]) == 0, "an effect plays once"


def test_a_short_ambience_file_loops_to_fill_its_cue(tmp_path: Path) -> None:
    tone = tmp_path / "media" / "hum.wav"
    write_sine_wav(tone, hz=120.0, seconds=0.5, rate=48_000, amplitude=0.3, channels=1)
    cue = SoundCue(SoundCueKind.AMBIENCE, "fridge hum", media="media/hum.wav")
    left = read_mix(render(shot_request(96, cues=[cue], sound_media={"media/hum.wav": tone}), tmp_path).path).samples[0]
    quarters = [rms(left[s : s + MIX_RATE // 4]) for s in range(0, 4 * MIX_RATE, MIX_RATE // 4)]
    assert min(quarters) > 0.8 * max(quarters), "no drop-outs over the four seconds"


def test_a_cue_file_that_is_not_audio_raises_a_sound_error_naming_the_shot_and_the_file(tmp_path: Path) -> None:
    notes = tmp_path / "media" / "rain.wav"
    notes.parent.mkdir(parents=True)
    notes.write_text("INT. KITCHEN - NIGHT\nRain on the window.\n")
    cue = SoundCue(SoundCueKind.AMBIENCE, "rain", media="media/rain.wav")
    with pytest.raises(SoundError) as raised:
        render(shot_request(48, cues=[cue], sound_media={"media/rain.wav": notes}), tmp_path)
    assert "shot 4" in str(raised.value) and "rain.wav" in str(raised.value) and "audio file" in str(raised.value)


def test_a_cue_whose_media_is_not_resolved_raises_a_sound_error(tmp_path: Path) -> None:
    cue = SoundCue(SoundCueKind.SFX, "glass breaks", media="media/glass.wav")
    with pytest.raises(SoundError, match=r"shot 4.*glass breaks.*media/glass.wav"):
        render(shot_request(48, cues=[cue]), tmp_path)


def test_a_line_that_runs_past_the_end_is_reported_and_cut_at_the_end(tmp_path: Path) -> None:
    line = DialogueLine("maya", "Kitchen closes at nine, so order the special now or go hungry.", start=6)
    request = shot_request(30, dialogue=[line])
    needed = line.start + speech_frames(request, line, tmp_path / "voice-cache")
    overruns = dialogue_overruns(request, tmp_path / "voice-cache")
    assert [o.line for o in overruns] == [line]
    assert overruns[0].needed_frames == needed > 30
    assert overruns[0].message.startswith(f"shot 4: MAYA's line 'Kitchen closes at nine…' runs {needed - 30} frames past the end of the shot")
    assert "lengthen the shot or allow dialogue to extend it" in overruns[0].message

    report = render(request, tmp_path)
    assert read_mix(report.path).samples.shape[1] == 30 * 2000
    assert report.dialogue_spans == [(6 * 2000, 30 * 2000)]
    assert any(overruns[0].message in w for w in report.warnings)


def test_lines_that_fit_are_not_overruns(tmp_path: Path) -> None:
    request = shot_request(120, dialogue=[DialogueLine("theo", "Fine.", start=0), DialogueLine("maya", "Good.", start=60)])
    assert dialogue_overruns(request, tmp_path) == []


def test_an_empty_line_is_skipped_with_a_warning_naming_the_shot_and_the_character(tmp_path: Path) -> None:
    request = shot_request(48, dialogue=[DialogueLine("theo", "   ", start=3), DialogueLine("maya", "...", start=10)])
    report = render(request, tmp_path)
    assert any("shot 4" in w and "THEO" in w and "empty" in w for w in report.warnings)
    assert any("shot 4" in w and "MAYA" in w and "nothing to pronounce" in w for w in report.warnings)
    assert report.dialogue_spans == []
    assert rms(read_mix(report.path).samples) == 0


def test_a_speaker_outside_the_cast_gets_the_default_voice_and_a_warning(tmp_path: Path) -> None:
    request = shot_request(72, dialogue=[DialogueLine("waiter", "Table for two?", start=0)], characters=[MAYA])
    report = render(request, tmp_path)
    assert len(report.dialogue_spans) == 1
    assert any("WAITER" in w and "not in the shot's cast" in w for w in report.warnings)


def test_a_missing_espeak_raises_a_sound_error_with_the_install_hint(tmp_path: Path) -> None:
    missing = EspeakNg(binary=tmp_path / "no-such-dir" / "espeak-ng")
    with pytest.raises(SoundError) as raised:
        render(shot_request(48, dialogue=[DialogueLine("maya", "Hello.")]), tmp_path, espeak=missing)
    assert install_hint() in str(raised.value)
    assert not (tmp_path / "out" / "mix.wav").exists()
    report = render(shot_request(48, cues=[SoundCue(SoundCueKind.AMBIENCE, "room tone")]), tmp_path, espeak=missing)
    assert report.path.exists(), "a shot without dialogue does not need espeak-ng"


def test_re_rendering_a_shot_does_not_run_espeak_again(tmp_path: Path) -> None:
    runner = CountingRunner()
    request = shot_request(96, dialogue=[DialogueLine("maya", "Two coffees.", start=0), DialogueLine("theo", "Make it three.", start=48)])
    first = render(request, tmp_path, espeak=EspeakNg(runner=runner), name="a.wav")
    assert runner.syntheses == 2
    second = render(request, tmp_path, espeak=EspeakNg(runner=runner), name="b.wav")
    assert runner.syntheses == 2
    assert first.path.read_bytes() == second.path.read_bytes()


def test_the_mix_replaces_an_old_one_atomically_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    out = tmp_path / "out" / "mix.wav"
    out.parent.mkdir()
    out.write_bytes(b"an older mix")
    render(shot_request(24, cues=[SoundCue(SoundCueKind.SFX, "bell")]), tmp_path)
    assert sorted(p.name for p in out.parent.iterdir()) == ["mix.dialogue.wav", "mix.effects.wav", "mix.music.wav", "mix.wav"]
    assert read_mix(out).samples.shape == (2, 48_000)


def test_a_cancelled_render_writes_nothing(tmp_path: Path) -> None:
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(RenderCancelled):
        render_shot_sound(shot_request(48, dialogue=[DialogueLine("maya", "Hi.")]), tmp_path / "mix.wav", tmp_path / "cache", cancel)
    assert not (tmp_path / "mix.wav").exists()


def write_sine_wav(path: Path, *, hz: float, seconds: float, rate: int, amplitude: float, channels: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * rate)) / rate
    pcm = np.repeat(np.round(amplitude * np.sin(2 * math.pi * hz * t) * 32767).astype("<i2"), channels)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())
