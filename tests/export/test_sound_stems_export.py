"""Sound stems for the mixer: dialogue, effects and music WAVs of the whole cut next to its mix, laid
out like the mix and adding up to it, also for takes rendered before stems were kept."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from export_helpers import SmallProject, build_small_project

from pipeline.assemble.sequence import sample_at
from pipeline.audio.pcm import read_wav_s16_stereo
from pipeline.backends.registry import create_backend
from pipeline.export.exporter import ExportOptions, ExportReport, export_project
from pipeline.export.formats import ExportFormat, MediaEncoding
from pipeline.progress import CancelToken, no_progress
from pipeline.render.request_builder import build_request
from pipeline.render.shot_render import render_shot
from studio.commands import AddTake, History
from studio.project_file import save_project
from studio.shot import DialogueLine, SoundCue, SoundCueKind, Transition, TransitionType

STEM_FILES = ("Last_Order_dialogue.wav", "Last_Order_effects.wav", "Last_Order_music.wav")


def _voiced(root: Path) -> SmallProject:
    """The small project with real sound, rendered by the engine: the first shot has dialogue only,
    the second effects and ambience, the third music and a line, the fourth dissolves in silently."""
    small = build_small_project(root, durations=(30, 24, 20, 26), takes=False)
    first, second, third, fourth = small.project.shots()
    speaker = first.dialogue[0].character_id if first.dialogue else small.project.characters[0].id
    quiet = -12.0  # nothing reaches the limiter, so the mix is the plain sum of the stems
    first.dialogue = [DialogueLine(speaker, "Closing time.", start=2)]
    second.dialogue = []
    second.sound_cues = [SoundCue(SoundCueKind.SFX, "door bell rings", start=4, gain_db=quiet), SoundCue(SoundCueKind.AMBIENCE, "rain", gain_db=quiet)]
    third.dialogue = [DialogueLine(speaker, "Coffee?", start=1)]
    third.sound_cues = [SoundCue(SoundCueKind.MUSIC, "piano theme", gain_db=quiet)]
    fourth.dialogue = []
    fourth.transition = Transition(TransitionType.DISSOLVE, 6)
    renderer = create_backend("draft")
    for shot in list(small.project.shots()):
        rendered = render_shot(build_request(small.project, small.folder, shot), renderer, small.folder, 1, no_progress, CancelToken())
        History(small.project).execute(AddTake(shot.id, rendered.take))
    save_project(small.project, small.folder)
    return small


@pytest.fixture
def voiced(tmp_path: Path) -> SmallProject:
    return _voiced(tmp_path)


def _export(small: SmallProject, out: Path) -> tuple[ExportReport, Path]:
    options = ExportOptions((ExportFormat.OTIO, ExportFormat.CSV), MediaEncoding.H264, 0, sequence_media=True)
    report = export_project(small.project, small.folder, out, options, no_progress, CancelToken())
    return report, out / "media" / "stems"


def _stems(folder: Path) -> dict[str, np.ndarray]:
    return {name: read_wav_s16_stereo(folder / name).astype(np.int32) for name in STEM_FILES}


def test_the_stems_cover_the_cut_and_add_up_to_the_sequence_mix(voiced: SmallProject, tmp_path: Path) -> None:
    report, folder = _export(voiced, tmp_path / "out")
    stems = _stems(folder)
    mix = read_wav_s16_stereo(folder / "Last_Order_mix.wav").astype(np.int32)
    assert len(mix) == sample_at(voiced.project.duration, voiced.project.format.frame_rate)
    assert np.abs(mix).max() < 0.9 * 32768, "the test case must stay below the limiter's knee"
    for name, samples in stems.items():
        assert samples.shape == mix.shape, name
        assert np.abs(samples).max() > 100, f"{name} is silent"
    assert np.abs(sum(stems.values()) - mix).max() <= 2
    assert not [w for w in report.warnings if "stems" in w]


def test_a_dialogue_only_shot_is_silent_in_the_effects_and_music_stems(voiced: SmallProject, tmp_path: Path) -> None:
    _, folder = _export(voiced, tmp_path / "out")
    stems = _stems(folder)
    rate = voiced.project.format.frame_rate
    first, second, _, fourth = voiced.project.shots()
    span = slice(0, sample_at(first.duration, rate))
    assert np.abs(stems["Last_Order_dialogue.wav"][span]).max() > 100
    assert not stems["Last_Order_effects.wav"][span].any() and not stems["Last_Order_music.wav"][span].any()
    effects_only = slice(sample_at(first.duration, rate), sample_at(first.duration + second.duration, rate))
    assert not stems["Last_Order_dialogue.wav"][effects_only].any() and not stems["Last_Order_music.wav"][effects_only].any()
    # A dissolve is the picture's: the sound cuts, so the silent last shot starts silent in every stem.
    silent = slice(sample_at(voiced.project.duration - fourth.duration, rate), None)
    assert all(not samples[silent].any() for samples in stems.values())


def test_takes_from_before_stems_export_the_same_stems(voiced: SmallProject, tmp_path: Path) -> None:
    _, recorded = _export(voiced, tmp_path / "with")
    for shot in voiced.project.shots():
        shot.takes = [dataclasses.replace(take, stems={}) for take in shot.takes]
    report, remade = _export(voiced, tmp_path / "without")
    assert not [w for w in report.warnings if "stems" in w]
    for name in STEM_FILES:
        assert np.abs(read_wav_s16_stereo(remade / name).astype(np.int32) - read_wav_s16_stereo(recorded / name)).max() <= 1, name


def test_an_old_take_whose_dialogue_changed_since_is_reported_by_shot(voiced: SmallProject, tmp_path: Path) -> None:
    first = next(iter(voiced.project.shots()))
    first.takes = [dataclasses.replace(take, stems={}) for take in first.takes]
    first.dialogue = [dataclasses.replace(first.dialogue[0], text="We are closed, go home.")]
    report, folder = _export(voiced, tmp_path / "out")
    (warning,) = [w for w in report.warnings if "stems" in w]
    assert warning.startswith(f"shot {first.number} take T1") and "re-render the shot" in warning
    assert all(samples.shape == _stems(folder)[STEM_FILES[0]].shape for samples in _stems(folder).values())


def test_a_damaged_stem_file_is_made_again_from_the_document(voiced: SmallProject, tmp_path: Path) -> None:
    _, recorded = _export(voiced, tmp_path / "with")
    take = list(voiced.project.shots())[2].active_take
    assert take.stems["music"] not in (take.audio, take.stems["dialogue"]), "stems are content-addressed: this one must be its own file"
    (voiced.folder / take.stems["music"]).write_bytes(b"not a wav")
    report, remade = _export(voiced, tmp_path / "again")
    assert not [w for w in report.warnings if "stems" in w]
    for name in STEM_FILES:
        assert np.abs(read_wav_s16_stereo(remade / name).astype(np.int32) - read_wav_s16_stereo(recorded / name)).max() <= 1, name


def test_a_damaged_take_mix_gives_that_shot_a_silent_clip_and_a_warning_not_a_crash(voiced: SmallProject, tmp_path: Path) -> None:
    shot = list(voiced.project.shots())[0]
    (voiced.folder / shot.active_take.audio).write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    report, _ = _export(voiced, tmp_path / "out")
    assert any(w.startswith(f"shot {shot.number}: its sound") and "not a readable WAV file" in w and "the clip is silent" in w for w in report.warnings), (
        report.warnings
    )
