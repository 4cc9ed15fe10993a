"""Frames reach the encoder as 4:2:0 YCbCr made by OpenCV instead of rgb24 converted by FFmpeg:
the same luma as FFmpeg's conversion to a level, chroma to a level on average (its chroma filter
is wider than a 2x2 mean, so fine coloured detail differs by a few levels), in the right range, read back close
to the source; sizes 4:2:0 cannot hold go through FFmpeg as before."""

from __future__ import annotations

from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from pipeline.encode.codecs import DELIVERY_H264, TAKE_MASTER
from pipeline.encode.video_writer import VideoWriter, read_video_frames
from pipeline.encode.yuv420 import FULL_RANGE, LIMITED_RANGE, converts, yuv420_frame
from studio.frame_rate import FrameRate

FIXTURE = Path(__file__).parents[1] / "fixtures" / "faces" / "astronaut.jpg"


def photo(width: int, height: int) -> np.ndarray:
    return np.ascontiguousarray(cv2.resize(cv2.imread(str(FIXTURE)), (width, height), interpolation=cv2.INTER_AREA)[:, :, ::-1])


def planes(frame: av.VideoFrame) -> list[np.ndarray]:
    out = []
    for index, plane in enumerate(frame.planes):
        rows = frame.height if index == 0 else frame.height // 2
        columns = frame.width if index == 0 else frame.width // 2
        out.append(np.frombuffer(plane, np.uint8).reshape(rows, plane.line_size)[:, :columns].astype(int))
    return out


@pytest.mark.parametrize("pix_fmt", [FULL_RANGE, LIMITED_RANGE])
@pytest.mark.parametrize("size", [(640, 360), (854, 480), (96, 54)])
def test_the_planes_match_ffmpegs_conversion(pix_fmt, size):
    rgb = photo(*size)
    ours = planes(yuv420_frame(rgb, pix_fmt))
    ffmpegs = planes(av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format=pix_fmt))
    assert [plane.shape for plane in ours] == [plane.shape for plane in ffmpegs]
    assert np.abs(ours[0] - ffmpegs[0]).max() <= 1
    for mine, theirs in zip(ours[1:], ffmpegs[1:], strict=True):
        assert np.abs(mine - theirs).mean() < 1.0 and np.percentile(np.abs(mine - theirs), 99) <= 5
    ours_back = yuv420_frame(rgb, pix_fmt).to_ndarray(format="rgb24").astype(int)
    ffmpegs_back = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format=pix_fmt).to_ndarray(format="rgb24").astype(int)
    assert np.abs(ours_back - rgb).mean() < np.abs(ffmpegs_back - rgb).mean() + 0.1  # as close to the source


def test_limited_range_keeps_black_and_white_inside_16_to_235():
    extremes = np.zeros((36, 64, 3), np.uint8)
    extremes[:, 32:] = 255
    luma, cb, cr = planes(yuv420_frame(extremes, LIMITED_RANGE))
    assert luma[:, :32].max() == 16 and luma[:, 32:].min() == 235
    assert {int(cb.min()), int(cb.max()), int(cr.min()), int(cr.max())} == {128}
    full_luma, *_ = planes(yuv420_frame(extremes, FULL_RANGE))
    assert full_luma[:, :32].max() == 0 and full_luma[:, 32:].min() == 255


def test_colours_land_on_their_chroma_planes():
    red = np.zeros((16, 16, 3), np.uint8)
    red[..., 0] = 255
    _, cb, cr = planes(yuv420_frame(red, FULL_RANGE))
    assert cr.min() == 255 and cb.max() < 100  # JFIF red: Cr at the top, Cb below neutral


def test_odd_sizes_and_other_formats_are_left_to_ffmpeg(tmp_path):
    assert converts(FULL_RANGE, 64, 36) and converts(LIMITED_RANGE, 64, 36)
    assert not converts(FULL_RANGE, 63, 36) and not converts(FULL_RANGE, 64, 35) and not converts("yuv422p10le", 64, 36)
    rgb = photo(63, 35)
    with VideoWriter(tmp_path / "odd.mov", 63, 35, FrameRate(24), TAKE_MASTER) as writer:
        writer.write(rgb)
    (back,) = list(read_video_frames(tmp_path / "odd.mov"))
    assert back.shape == (35, 63, 3) and np.abs(back.astype(int) - rgb).mean() < 8


def written_and_read_back(path: Path, codec, frames: list[np.ndarray], by_ffmpeg: bool) -> list[np.ndarray]:
    with VideoWriter(path, frames[0].shape[1], frames[0].shape[0], FrameRate(24), codec) as writer:
        writer._yuv420 = not by_ffmpeg  # the conversion this module replaced, for comparison
        for frame in frames:
            writer.write(frame)
    return list(read_video_frames(path))


@pytest.mark.parametrize("codec", [TAKE_MASTER, DELIVERY_H264])
def test_written_frames_read_back_as_close_to_the_source_as_through_ffmpegs_conversion(tmp_path, codec):
    frames = [np.roll(photo(320, 180), 8 * n, axis=1) for n in range(6)]
    ours = written_and_read_back(tmp_path / f"ours{codec.container_suffix}", codec, frames, by_ffmpeg=False)
    ffmpegs = written_and_read_back(tmp_path / f"ffmpeg{codec.container_suffix}", codec, frames, by_ffmpeg=True)
    assert len(ours) == len(ffmpegs) == len(frames)
    for source, mine, theirs in zip(frames, ours, ffmpegs, strict=True):
        assert cv2.PSNR(source, mine) > 27 and cv2.PSNR(source, mine) > cv2.PSNR(source, theirs) - 0.3
