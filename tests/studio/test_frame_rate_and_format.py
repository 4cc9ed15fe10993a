"""Frame rates, timecode and picture formats."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.frame_rate import FrameRate
from studio.project import VideoFormat


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("23.976", FrameRate(24000, 1001)),
        ("29.97", FrameRate(30000, 1001)),
        ("59.94", FrameRate(60000, 1001)),
        ("24000/1001", FrameRate(24000, 1001)),
        ("24", FrameRate(24)),
        (" 25 ", FrameRate(25)),
        ("30/1", FrameRate(30)),
        ("50.0", FrameRate(50)),
    ],
)
def test_frame_rate_reads_the_names_editors_use(text: str, rate: FrameRate) -> None:
    assert FrameRate.parse(text) == rate


def test_23_976_is_exactly_24000_over_1001_not_a_float() -> None:
    rate = FrameRate.parse("23.976")
    assert rate.fraction == Fraction(24000, 1001)
    assert str(rate) == "24000/1001"
    assert rate.frames_to_seconds(24) == pytest.approx(1.001)
    assert rate.seconds_to_frames(1.001) == 24


@pytest.mark.parametrize("text", ["", "fast", "23.5", "24/0", "0", "-24", "24/x", "0/1"])
def test_frame_rate_refuses_text_that_is_no_rate(text: str) -> None:
    with pytest.raises((ValueError, ZeroDivisionError)):
        FrameRate.parse(text)


@pytest.mark.parametrize(
    ("frames", "timecode"),
    [
        (0, "00:00:00:00"),
        (23, "00:00:00:23"),
        (24, "00:00:01:00"),
        (24 * 60 + 5, "00:01:00:05"),
        (24 * 3600, "01:00:00:00"),
        (24 * 3661 + 12, "01:01:01:12"),
        (-24, "-00:00:01:00"),
    ],
)
def test_timecode_at_24_fps(frames: int, timecode: str) -> None:
    assert FrameRate(24).timecode(frames) == timecode


@pytest.mark.parametrize(("frames", "timecode"), [(24, "00:00:00:24"), (25, "00:00:01:00"), (25 * 61 + 3, "00:01:01:03"), (25 * 36000, "10:00:00:00")])
def test_timecode_at_25_fps(frames: int, timecode: str) -> None:
    assert FrameRate(25).timecode(frames) == timecode


def test_timecode_at_23_976_counts_24_frames_a_second_without_dropping() -> None:
    rate = FrameRate(24000, 1001)
    assert rate.timecode_base == 24
    assert rate.timecode(24 * 3600) == "01:00:00:00"  # non-drop: an hour of timecode is 3603.6 s of real time
    assert rate.frames_to_seconds(24 * 3600) == pytest.approx(3603.6)


@given(frames=st.integers(0, 10**7), fps=st.sampled_from([24, 25, 30, 50, 60]))
def test_timecode_reads_back_to_the_same_frame(frames: int, fps: int) -> None:
    hh, mm, ss, ff = map(int, FrameRate(fps).timecode(frames).split(":"))
    assert 0 <= mm < 60 and 0 <= ss < 60 and 0 <= ff < fps
    assert ((hh * 60 + mm) * 60 + ss) * fps + ff == frames


@pytest.mark.parametrize(
    ("width", "height", "aspect"),
    [
        (1280, 720, "16:9"),
        (1920, 1080, "16:9"),
        (3840, 2160, "16:9"),
        (1080, 1920, "9:16"),
        (1024, 1024, "1:1"),
        (720, 480, "3:2"),
        (2048, 858, "1024:429"),
        (640, 480, "4:3"),
    ],
)
def test_video_format_names_its_aspect_ratio_in_lowest_terms(width: int, height: int, aspect: str) -> None:
    fmt = VideoFormat(width, height)
    assert fmt.aspect == aspect
    assert fmt.size_text == f"{width}x{height}"


def test_video_format_defaults_to_720p_at_24_fps() -> None:
    assert VideoFormat() == VideoFormat(1280, 720, FrameRate(24))
