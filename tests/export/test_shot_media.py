"""Per-shot media for editorial: named 12A_T3, in the chosen codec, with handles made of the take's
own frames where it has them and held first/last frames where it does not."""

from __future__ import annotations

import wave

import av
import numpy as np
import opentimelineio as otio
from export_helpers import add_encoded_take, frame_number, shot_index_of

from pipeline.assemble.sequence import sample_at
from pipeline.audio.pcm import read_wav_s16_stereo
from pipeline.encode.video_writer import read_video_frames
from pipeline.export.exporter import ExportOptions, export_project
from pipeline.export.formats import ExportFormat, MediaEncoding
from pipeline.progress import CancelToken, no_progress


def export(small, out, **options):
    defaults = {"formats": (ExportFormat.OTIO,), "media": MediaEncoding.H264, "handles": 0, "sequence_media": False}
    return export_project(small.project, small.folder, out, ExportOptions(**(defaults | options)), no_progress, CancelToken())


def test_prores_shot_files_are_named_by_shot_and_take_with_pcm_sound(small, tmp_path):
    export(small, tmp_path / "cut.otio", media=MediaEncoding.PRORES)
    shots = tmp_path / "cut_media" / "shots"
    assert sorted(p.name for p in shots.iterdir()) == sorted(f"{s.number}_T1.mov" for s in small.project.shots())
    with av.open(str(shots / "2A_T1.mov")) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert (video.codec_context.name, video.codec_context.pix_fmt) == ("prores", "yuv422p10le")
        assert audio.codec_context.name == "pcm_s16le"
        assert (video.width, video.height) == (small.project.format.width, small.project.format.height)


def test_handles_hold_the_first_and_last_frame_of_a_take_as_long_as_its_shot(small, tmp_path):
    handles = 5
    export(small, tmp_path / "cut.otio", handles=handles)
    for index, shot in enumerate(small.project.shots()):
        frames = list(read_video_frames(tmp_path / "cut_media" / "shots" / f"{shot.number}_T1.mp4"))
        assert len(frames) == shot.duration + 2 * handles
        numbers = [frame_number(f) for f in frames]
        assert numbers == [0] * handles + list(range(shot.duration)) + [shot.duration - 1] * handles
        assert {shot_index_of(f) for f in frames} == {index}


def test_a_take_longer_than_its_trimmed_shot_gives_real_frames_for_the_tail_handle(small, tmp_path):
    shot = next(iter(small.project.shots()))
    add_encoded_take(small.project, small.folder, shot.id, 0, frames=shot.duration + 10)
    export(small, tmp_path / "cut.otio", handles=4)
    numbers = [frame_number(f) for f in read_video_frames(tmp_path / "cut_media" / "shots" / f"{shot.number}_T2.mp4")]
    assert numbers[-4:] == list(range(shot.duration, shot.duration + 4))


def test_the_timeline_cut_sits_inside_the_handles_of_each_file(small, tmp_path):
    export(small, tmp_path / "cut.otio", handles=6)
    timeline = otio.adapters.read_from_file(str(tmp_path / "cut.otio"))
    for clip, shot in zip(timeline.video_tracks()[0].find_clips(), small.project.shots(), strict=True):
        assert clip.source_range == otio.opentime.TimeRange(otio.opentime.RationalTime(6, 24), otio.opentime.RationalTime(shot.duration, 24))
        assert clip.available_range().duration.value == shot.duration + 12


def test_shot_sound_is_silent_under_the_head_handle_and_keeps_sync(small, tmp_path):
    handles = 4
    export(small, tmp_path / "cut.otio", handles=handles)
    rate = small.project.format.frame_rate
    shot = next(iter(small.project.shots()))
    sound = read_wav_s16_stereo(tmp_path / "cut_media" / "sound" / f"{shot.number}_T1.wav")
    take_sound = read_wav_s16_stereo(small.folder / shot.active_take.audio)
    head = sample_at(handles, rate)
    assert len(sound) == sample_at(shot.duration + 2 * handles, rate)
    assert not sound[:head].any()
    assert np.array_equal(sound[head : head + len(take_sound)], take_sound)


def test_the_animatic_and_the_mix_stem_cover_the_whole_cut(small, tmp_path):
    report = export(small, tmp_path / "out", formats=(ExportFormat.OTIO, ExportFormat.CSV), sequence_media=True)
    media = tmp_path / "out" / "media"
    assert tmp_path / "out" / "media" in report.files
    animatic = media / "Last_Order_animatic.mp4"
    assert len(list(read_video_frames(animatic))) == small.project.duration
    with wave.open(str(media / "stems" / "Last_Order_mix.wav")) as wav:
        assert wav.getnframes() == sample_at(small.project.duration, small.project.format.frame_rate)
