"""The cut's sound as assembled and exported: built from the takes' stems with the project's mix settings,
-23 LUFS, music ducked under the lines, cues on their picture frames after an editor's trims, and a
fader move that re-assembles the cut without re-rendering a shot."""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import av
import numpy as np
import opentimelineio as otio
import pyloudnorm
import pytest

from pipeline.assemble.clips import cut_clips
from pipeline.assemble.overlays import OverlaySettings
from pipeline.assemble.sequence import assemble_sequence, sample_at, sequence_audio, sequence_tracks
from pipeline.audio.pcm import MIX_RATE, read_wav_s16_stereo
from pipeline.audio.track_mix import mix_tracks
from pipeline.backends.registry import create_backend
from pipeline.encode.codecs import DELIVERY_H264
from pipeline.export.cut_import import read_cut
from pipeline.export.exporter import ExportOptions, export_project
from pipeline.export.formats import ExportFormat, MediaEncoding
from pipeline.progress import CancelToken, no_progress
from pipeline.render.request_builder import build_request
from pipeline.render.shot_render import render_shot
from studio.character import Character, VoiceSettings
from studio.commands import AddTake, History, SetField
from studio.commands.cut import cut_edit
from studio.frame_rate import FrameRate
from studio.mix import Track, TrackMix
from studio.project import Project, Sequence, VideoFormat
from studio.project_file import load_project, save_project
from studio.render_inputs import shot_input_hash, stale_shots
from studio.shot import CharacterInShot, DialogueLine, Shot, SoundCue, SoundCueKind

RATE = FrameRate(24)
SLAM_FRAME = 31
TALK = 144  # frames of the first shot: the line, then two seconds of piano alone
ONE_MS = MIX_RATE // 1000


@dataclass
class Film:
    project: Project
    folder: Path

    def render(self, shot_id: str) -> list[str]:
        """Renders the shot with the draft backend and records the take, as `studio render` does."""
        shot = self.project.shot(shot_id)
        rendered = render_shot(
            build_request(self.project, self.folder, shot), create_backend("draft"), self.folder, shot.next_take_number, no_progress, CancelToken()
        )
        History(self.project).execute(AddTake(shot.id, rendered.take))
        save_project(self.project, self.folder)
        return rendered.warnings

    def sound(self) -> np.ndarray:
        return sequence_audio(self.project, self.folder, cut_clips(self.project, self.folder)).mix


def _film(root: Path) -> Film:
    """Two shots: Maya speaks over a piano theme, then a door slams at frame 31 of the second."""
    maya = Character("maya", "Maya", voice=VoiceSettings("en-us+f3", pitch=75, words_per_minute=165))
    talk = Shot(
        "talk",
        "1",
        TALK,
        characters=[CharacterInShot("maya")],
        dialogue=[DialogueLine("maya", "We are closed. Come back tomorrow.", start=24)],
        sound_cues=[SoundCue(SoundCueKind.MUSIC, "piano theme", gain_db=-6.0)],
    )
    door = Shot("door", "2", 48, sound_cues=[SoundCue(SoundCueKind.SFX, "door slam", start=SLAM_FRAME)])
    project = Project("Mix", format=VideoFormat(320, 180, RATE), characters=[maya], sequences=[Sequence("sc1", "Scene 1", [talk, door])])
    film = Film(project, save_project(project, root / "Mix.storyboard"))
    for shot in list(project.shots()):
        film.render(shot.id)
    return film


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Film:
    return _film(tmp_path_factory.mktemp("mix"))


@pytest.fixture
def film(rendered: Film, tmp_path: Path) -> Film:
    """A copy of the rendered film, media and voice cache included, that a test may change."""
    folder = shutil.copytree(rendered.folder, tmp_path / "Mix.storyboard")
    return Film(load_project(folder), folder)


def _lufs(pcm: np.ndarray) -> float:
    return pyloudnorm.Meter(MIX_RATE).integrated_loudness(pcm.astype(np.float64) / 32768.0)


def _onset(stereo: np.ndarray, threshold: float = 1e-3) -> int:
    """The first sample where a (2, samples) buffer rises above `threshold`."""
    return int(np.flatnonzero(np.abs(stereo).max(axis=0) > threshold)[0])


def _decode_audio(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        frames = [frame.to_ndarray() for frame in container.decode(container.streams.audio[0])]
    return np.concatenate(frames, axis=1).T  # (samples, 2) float


def test_the_sequence_mix_is_at_minus_23_lufs_in_the_assembly_and_the_animatic(film: Film, tmp_path: Path) -> None:
    assert _lufs(film.sound()) == pytest.approx(-23.0, abs=0.5)
    out = tmp_path / "cut.mp4"
    assembly = assemble_sequence(film.project, film.folder, out, DELIVERY_H264, OverlaySettings(), no_progress, CancelToken())
    assert assembly.warnings == ()
    decoded = _decode_audio(out)
    assert pyloudnorm.Meter(MIX_RATE).integrated_loudness(decoded.astype(np.float64)) == pytest.approx(-23.0, abs=0.5)


def test_the_exported_mix_is_at_minus_23_lufs_and_its_stems_add_up_to_it(film: Film, tmp_path: Path) -> None:
    report = export_project(
        film.project, film.folder, tmp_path / "out", ExportOptions((ExportFormat.OTIO, ExportFormat.CSV), MediaEncoding.H264, 0), no_progress, CancelToken()
    )
    stems = tmp_path / "out" / "media" / "stems"
    mix = read_wav_s16_stereo(stems / "Mix_mix.wav")
    assert len(mix) == sample_at(film.project.duration, RATE)
    assert _lufs(mix) == pytest.approx(-23.0, abs=0.5)
    parts = [read_wav_s16_stereo(stems / f"Mix_{name}.wav").astype(np.int32) for name in ("dialogue", "effects", "music")]
    assert np.abs(sum(parts) - mix).max() <= 2
    assert not [w for w in report.warnings if "LUFS" in w]


def test_music_is_ducked_by_the_set_depth_under_the_line_and_nowhere_else(film: Film) -> None:
    buffers, _ = sequence_tracks(film.folder, cut_clips(film.project, film.folder), RATE)
    music_before = buffers.stems["music"].copy()
    speech = np.flatnonzero(np.abs(buffers.stems["dialogue"]).max(axis=0) > 1e-3)
    first_word, last_word = int(speech[0]), int(speech[-1])
    mixed = mix_tracks(buffers, film.project.mix, "the sequence mix")

    def ducked_db(begin: int, end: int) -> float:
        before, after = music_before[:, begin:end], mixed.tracks["music"][:, begin:end]
        return 10 * math.log10(np.mean(after.astype(np.float64) ** 2) / np.mean(before.astype(np.float64) ** 2)) - mixed.loudness.gain_db

    assert ducked_db(first_word, last_word) == pytest.approx(-10.0, abs=0.5)
    assert ducked_db(0, first_word - MIX_RATE // 5) == pytest.approx(0.0, abs=0.05), "before the line"
    assert ducked_db(last_word + MIX_RATE, sample_at(TALK, RATE)) == pytest.approx(0.0, abs=0.05), "after the line and the release"


def test_a_cue_anchored_at_frame_n_starts_at_n_over_fps_after_the_editor_trims_head_and_tail(film: Film, tmp_path: Path) -> None:
    """The editor takes 7 frames off the door shot's head and 5 off its tail in an OTIO round trip: the slam,
    at frame 31 of the shot as rendered, is now at frame 24 of the shot, and plays at 24/24 s into it."""
    path = tmp_path / "cut.otio"
    export_project(film.project, film.folder, path, ExportOptions((ExportFormat.OTIO,)), no_progress, CancelToken())
    timeline = otio.adapters.read_from_file(str(path))
    clip = timeline.video_tracks()[0].find_clips()[1]
    start, rate = clip.source_range.start_time, clip.source_range.duration.rate
    clip.source_range = otio.opentime.TimeRange(start + otio.opentime.RationalTime(7, rate), otio.opentime.RationalTime(36, rate))
    otio.adapters.write_to_file(timeline, str(path))

    cut = read_cut(path, film.project)
    assert [(entry.duration, entry.head) for entry in cut.entries] == [(TALK, 0), (36, 7)]
    History(film.project).execute(cut_edit(film.project, cut.entries).command)
    door = film.project.shot("door")
    (slam,) = door.sound_cues
    assert (door.duration, slam.start) == (36, SLAM_FRAME - 7)
    assert [shot.id for shot in stale_shots(film.project)] == ["door"]
    film.render("door")

    buffers, _ = sequence_tracks(film.folder, cut_clips(film.project, film.folder), RATE)
    expected = (TALK + SLAM_FRAME - 7) / RATE.fps * MIX_RATE
    assert abs(_onset(buffers.stems["effects"]) - expected) <= ONE_MS, "in the effects stem"
    mixed = mix_tracks(buffers, film.project.mix, "the sequence mix")
    assert abs(_onset(mixed.mix[:, sample_at(TALK, RATE) :]) + sample_at(TALK, RATE) - expected) <= ONE_MS, "in the mix"
    assert len(mixed.mix[0]) == sample_at(TALK + 36, RATE)


def test_moving_a_fader_re_assembles_the_cut_but_makes_no_shot_stale(film: Film, tmp_path: Path) -> None:
    out = tmp_path / "cut.mp4"
    first = assemble_sequence(film.project, film.folder, out, DELIVERY_H264, OverlaySettings(), no_progress, CancelToken())
    assert not first.reused
    hashes = {shot.id: shot_input_hash(film.project, shot) for shot in film.project.shots()}
    takes = {shot.id: shot.active_take_id for shot in film.project.shots()}
    quiet = film.sound()

    History(film.project).execute(SetField("project", None, "mix", film.project.mix.with_track(Track.MUSIC, TrackMix(mute=True))))
    assert stale_shots(film.project) == []
    assert {shot.id: shot_input_hash(film.project, shot) for shot in film.project.shots()} == hashes
    again = assemble_sequence(film.project, film.folder, out, DELIVERY_H264, OverlaySettings(), no_progress, CancelToken())
    assert not again.reused, "the sound changed, so the cut is assembled again"
    assert {shot.id: shot.active_take_id for shot in film.project.shots()} == takes
    before_line = slice(0, sample_at(20, RATE))  # only the piano plays here
    assert np.abs(quiet[before_line]).max() > 100 and not film.sound()[before_line].any()
    assert assemble_sequence(film.project, film.folder, out, DELIVERY_H264, OverlaySettings(), no_progress, CancelToken()).reused


def test_takes_without_stems_play_their_recorded_mix_and_are_named(film: Film) -> None:
    talk = film.project.shot("talk")
    talk.takes = [replace(take, stems={}) for take in talk.takes]
    sound = sequence_audio(film.project, film.folder, cut_clips(film.project, film.folder))
    assert np.abs(sound.mix[: sample_at(TALK, RATE)]).max() > 1000
    assert sound.warnings == [
        "shot(s) 1: their takes were rendered before sound stems were kept, so they play their recorded mix, untouched by the track faders "
        "and music ducking (the loudness target still applies): re-render them to mix them"
    ]
    assert _lufs(sound.mix) == pytest.approx(-23.0, abs=0.5)


def test_a_cue_past_the_end_of_the_shot_is_reported_by_shot_and_cue(film: Film) -> None:
    door = film.project.shot("door")
    door.sound_cues = [SoundCue(SoundCueKind.SFX, "door slam", start=60)]
    assert (
        "shot 2: sound cue sfx 'door slam' starts at frame 60, after the shot ends (48 frames); it was not placed: move it into the shot or onto the next one"
        in (film.render("door"))
    )
