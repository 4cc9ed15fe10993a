"""A sound cue spanning several shots (SoundCue.span_shots): its sound is made once for the whole run and
each shot plays its slice, so music laid shot after shot is exactly the music of one long shot, with no
restart and no fade at the cuts; the span is part of each of its shots' render inputs; old files load."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tiny_stable_audio import rms

from pipeline.audio.generation.cue_sounds import CueSounds
from pipeline.audio.generation.stable_audio import StableAudioModel
from pipeline.audio.pcm import MIX_RATE, frame_to_sample, write_wav_atomic
from pipeline.audio.shot_mix import MUSIC, mix_shot_stems
from pipeline.progress import CancelToken
from pipeline.render.request_builder import build_request
from studio.frame_rate import FrameRate
from studio.media_store import MediaStore
from studio.project import Project, Sequence
from studio.project_file import PROJECT_FILE, load_project, save_project
from studio.render_inputs import shot_input_hash, stale_shots
from studio.shot import Shot, SoundCue, SoundCueKind
from studio.sound_spans import cue_runs
from studio.take import Take

THEME = "lonely piano theme"


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """Two shared cores: torch's thread pool spinning against other processes makes a 60 ms clip take 2 s."""
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def scene(durations: list[int], cue: SoundCue) -> Project:
    shots = [Shot(id=f"s{index + 1}", number=str(index + 1), duration=frames) for index, frames in enumerate(durations)]
    shots[0].sound_cues = [cue]
    return Project(title="Span", sequences=[Sequence(id="scene", name="Diner", shots=shots)])


def music_stem(project: Project, folder: Path, shot: Shot, sounds: CueSounds, warnings: list[str] | None = None) -> np.ndarray:
    stems = mix_shot_stems(build_request(project, folder, shot), folder / "cache" / "voices", CancelToken(), cue_sounds=sounds)
    if warnings is not None:
        warnings.extend(stems.warnings)
    return stems.buffers[MUSIC]


def test_a_spanning_cue_runs_over_the_following_shots_until_the_cut_or_its_duration_ends() -> None:
    project = scene([24, 12, 18, 30], SoundCue(SoundCueKind.MUSIC, THEME, start=6, span_shots=3))
    first, second, third, fourth = project.shots()
    assert [(r.offset, r.length, r.shots) for r in cue_runs(project, first)] == [(0, 48, 3)]  # 24 - 6 + 12 + 18
    assert [(r.shot_number, r.offset, r.length) for r in cue_runs(project, second)] == [("1", 24, 48)]
    assert [(r.shot_number, r.offset, r.length) for r in cue_runs(project, third)] == [("1", 36, 48)]
    assert cue_runs(project, fourth) == ()

    short = scene([24, 12, 18], SoundCue(SoundCueKind.MUSIC, THEME, start=6, duration=30, span_shots=3))  # ends in shot 2, at frame 36
    assert [(r.offset, r.length, r.shots) for r in cue_runs(short, list(short.shots())[1])] == [(24, 30, 2)]
    assert cue_runs(short, list(short.shots())[2]) == ()


@pytest.mark.parametrize("source", ["generated", "placeholder", "file"])
def test_music_laid_shot_after_shot_is_the_music_of_one_long_shot(source: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    folder = tmp_path / "Span.storyboard"
    media = None
    if source == "file":
        rng = np.random.default_rng(1)
        write_wav_atomic(tmp_path / "theme.wav", (0.1 * rng.standard_normal((2, 3 * MIX_RATE))).astype(np.float32))
        media = MediaStore(folder).add_file(tmp_path / "theme.wav")
    model = StableAudioModel(request.getfixturevalue("tiny_stable_audio_dir"), steps=2) if source == "generated" else None
    sounds = CueSounds(model)

    durations = [24, 12, 18]  # 2.25 s in all: the cue's 2 s fit the tiny model's 2.048 s in one clip
    spanning = scene(durations, SoundCue(SoundCueKind.MUSIC, THEME, start=6, media=media, span_shots=3, gain_db=-3.0))
    laid = np.concatenate([music_stem(spanning, folder, shot, sounds) for shot in spanning.shots()], axis=1)

    one_shot = scene([sum(durations)], SoundCue(SoundCueKind.MUSIC, THEME, start=6, media=media, gain_db=-3.0))
    whole = music_stem(one_shot, folder, next(one_shot.shots()), sounds)
    np.testing.assert_array_equal(laid, whole)  # no restart, no dip at frames 24 and 36
    cut = frame_to_sample(FrameRate(24), 24)
    assert rms(laid[:, cut - 480 : cut + 480]) > 0.5 * rms(laid[:, frame_to_sample(FrameRate(24), 6) : cut])
    if model is not None:
        assert model.calls == 1, "generated once for the whole run; every other shot read the project's cache"


def test_a_span_longer_than_the_cut_ends_with_the_last_shot_and_says_so(tmp_path: Path) -> None:
    project = scene([24, 12], SoundCue(SoundCueKind.MUSIC, THEME, span_shots=4))
    first, second = project.shots()
    warnings: list[str] = []
    music_stem(project, tmp_path, first, CueSounds(None), warnings)
    assert any(w.startswith("shot 1: sound cue music 'lonely piano theme' spans 4 shots, but the cut has only 2 from here") for w in warnings)
    tail = music_stem(project, tmp_path, second, CueSounds(None))
    assert rms(tail[:, -480:]) < rms(tail[:, :4800]), "faded out at the end of the last shot"


def test_changing_a_shot_in_the_span_makes_every_shot_of_the_span_stale_and_no_other(tmp_path: Path) -> None:
    project = scene([24, 12, 18, 30], SoundCue(SoundCueKind.MUSIC, THEME, start=6, span_shots=3))
    for shot in project.shots():
        shot.takes = [Take(id=f"t{shot.id}", number=1, input_hash=shot_input_hash(project, shot), backend="draft")]
        shot.active_take_id = f"t{shot.id}"
    assert stale_shots(project) == []
    project.shot("s2").duration = 16
    assert [shot.id for shot in stale_shots(project)] == ["s1", "s2", "s3"]  # s3's slice starts later; s4 never hears the cue

    plain = scene([24, 12], SoundCue(SoundCueKind.MUSIC, THEME))
    before = shot_input_hash(plain, plain.shot("s2"))
    plain.shot("s1").sound_cues = [SoundCue(SoundCueKind.MUSIC, THEME, span_shots=2)]
    assert shot_input_hash(plain, plain.shot("s2")) != before, "the next shot now plays the cue"


def test_a_cue_saved_before_spans_existed_loads_as_a_cue_of_its_own_shot(tmp_path: Path) -> None:
    project = scene([24, 12], SoundCue(SoundCueKind.MUSIC, THEME, gain_db=-6.0))
    hash_before = shot_input_hash(project, project.shot("s1"))
    folder = save_project(project, tmp_path / "Old.storyboard")
    data = json.loads((folder / PROJECT_FILE).read_text(encoding="utf-8"))
    cue = data["project"]["sequences"][0]["shots"][0]["sound_cues"][0]
    assert cue.pop("span_shots") == 1 and cue["schema"] == "SoundCue.2"
    cue["schema"] = "SoundCue.1"  # as the previous version of the app wrote it
    (folder / PROJECT_FILE).write_text(json.dumps(data), encoding="utf-8")

    loaded = load_project(folder)
    assert loaded.shot("s1").sound_cues == [SoundCue(SoundCueKind.MUSIC, THEME, gain_db=-6.0, span_shots=1)]
    assert shot_input_hash(loaded, loaded.shot("s1")) == hash_before
