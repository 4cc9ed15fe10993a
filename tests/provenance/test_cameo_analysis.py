"""Cameo clip analysis: which frames are kept. A fake detector that "finds" the squares drawn into
the clip makes the frame choice exact; test_cameo_real_faces.py runs OpenCV's real cascade on a photo."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from pipeline.cameo import FaceCandidate, NoFaceError, SeveralFacesError, UnreadableClipError, analyse_clip
from tests.fixtures.cameo_clips import mux_tone


def write_clip(path: Path, faces: int = 1, frames: int = 24, audio: bool = True) -> Path:
    """A 64x64 clip; each 'face' is a white square with a noisy (sharp) inside, its blur varying over time."""
    rng = np.random.default_rng(0)
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=12)
        video.width, video.height, video.pix_fmt = 64, 64, "yuv420p"
        sound = out.add_stream("aac", rate=16000) if audio else None
        for index in range(frames):
            frame = np.full((64, 64, 3), 40, np.uint8)
            for face in range(faces):
                x = 4 + face * 32
                patch = rng.integers(0, 256, (20, 20, 3), dtype=np.uint8) if index % 3 == 0 else np.full((20, 20, 3), 200, np.uint8)
                frame[20:40, x : x + 20] = patch
            out.mux(video.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        out.mux(video.encode(None))
        if sound is not None:
            mux_tone(out, sound, 2.0)
    return path


def squares(frame: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The fake detector: a face wherever a drawn square is (the clip's layout is known)."""
    return [(x, 20, 20, 20) for x in (4, 36) if frame[30, x : x + 20].mean() > 90]


def test_an_unreadable_clip_is_reported(tmp_path):
    clip = tmp_path / "broken.mp4"
    clip.write_bytes(b"not a video at all")
    with pytest.raises(UnreadableClipError, match="broken.mp4: cannot be read"):
        analyse_clip(clip, tmp_path / "out")


def test_a_clip_without_a_face_is_reported(tmp_path):
    clip = write_clip(tmp_path / "empty.mp4", faces=0)
    with pytest.raises(NoFaceError, match="no face found"):
        analyse_clip(clip, tmp_path / "out", detector=squares)


def test_the_sharpest_single_face_frames_spread_over_the_clip_and_the_voice_are_kept(tmp_path):
    clip = write_clip(tmp_path / "one.mp4", faces=1)

    analysis = analyse_clip(clip, tmp_path / "out", count=3, detector=squares)

    assert len(analysis.frames) == 3
    assert all(f.frame_index % 3 == 0 for f in analysis.frames)  # the noisy (sharp) frames win
    assert [f.frame_index for f in analysis.frames] == sorted({f.frame_index for f in analysis.frames})
    assert all(f.path.is_file() for f in analysis.frames)
    with av.open(str(analysis.voice)) as wav:
        assert wav.streams.audio[0].rate == 16000


def test_several_faces_return_the_candidates_and_a_chosen_one_is_followed(tmp_path):
    clip = write_clip(tmp_path / "two.mp4", faces=2, audio=False)

    with pytest.raises(SeveralFacesError) as raised:
        analyse_clip(clip, tmp_path / "out", detector=squares)
    candidates = raised.value.candidates
    assert [c.box for c in candidates] == [(4, 20, 20, 20), (36, 20, 20, 20)]

    analysis = analyse_clip(clip, tmp_path / "out", face=candidates[1], detector=squares)
    assert {f.box for f in analysis.frames} == {(36, 20, 20, 20)} and analysis.voice is None
    assert isinstance(candidates[0], FaceCandidate)
