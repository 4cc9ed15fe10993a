"""Cameo analysis with OpenCV's real Haar cascade on a photographed face (tests/fixtures/faces):
one person is found and followed, two people are offered as candidates, an empty room has none."""

from __future__ import annotations

from pathlib import Path

import av
import cv2
import pytest

from pipeline.cameo import NoFaceError, SeveralFacesError, analyse_clip
from tests.fixtures.cameo_clips import FACE_IN_PHOTO, SIZE, backdrop, write_cameo_clip


def centre(box: tuple[int, int, int, int]) -> tuple[float, float]:
    x, y, w, h = box
    return x + w / 2, y + h / 2


def test_one_person_gives_reference_frames_framing_their_face_and_the_voice(tmp_path: Path) -> None:
    clip = write_cameo_clip(tmp_path / "one.mp4", people=1, audio=True)

    analysis = analyse_clip(clip, tmp_path / "out", count=3)

    assert len(analysis.frames) == 3
    fx, fy, fw, fh = FACE_IN_PHOTO
    for frame in analysis.frames:
        cx, cy = centre(frame.box)
        shift = frame.frame_index  # the photo moves one pixel a frame
        assert abs(cx - (fx + fw / 2 + shift)) < 12 and abs(cy - (fy + fh / 2)) < 12, (frame.frame_index, frame.box)
        assert cv2.imread(str(frame.path)).shape == (SIZE, 2 * SIZE, 3)
    with av.open(str(analysis.voice)) as wav:
        assert wav.streams.audio[0].rate == 16000


def test_two_people_are_offered_as_candidates_and_the_chosen_one_is_followed(tmp_path: Path) -> None:
    clip = write_cameo_clip(tmp_path / "two.mp4", people=2)

    with pytest.raises(SeveralFacesError, match="2 faces; choose") as raised:
        analyse_clip(clip, tmp_path / "out")
    candidates = sorted(raised.value.candidates, key=lambda c: c.box[0])
    assert len(candidates) == 2
    assert candidates[0].box[0] < SIZE <= candidates[1].box[0]  # one face in each half

    analysis = analyse_clip(clip, tmp_path / "out", face=candidates[1])
    assert analysis.frames and all(frame.box[0] >= SIZE for frame in analysis.frames)


def test_a_clip_of_an_empty_room_has_no_face(tmp_path: Path) -> None:
    clip = tmp_path / "room.mp4"
    with av.open(str(clip), "w") as out:
        stream = out.add_stream("libx264", rate=12)
        stream.width, stream.height, stream.pix_fmt = 2 * SIZE, SIZE, "yuv420p"
        for _ in range(12):
            out.mux(stream.encode(av.VideoFrame.from_ndarray(backdrop(2 * SIZE, SIZE), format="rgb24")))
        out.mux(stream.encode(None))

    with pytest.raises(NoFaceError, match="room.mp4: no face found"):
        analyse_clip(clip, tmp_path / "out")
