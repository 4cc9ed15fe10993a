"""Issue #9 (optional part): a generated take can carry an invisible mark made from its take id, read back
from the frames. Needs invisible-watermark and PyWavelets (scripts/setup.sh installs them --no-deps).

Best effort: dwtDct reads back from the raw frames of a 720p natural-looking picture, but the take
master's 4:2:0 JPEG compression loses it at these sizes, so the tests read the frames before encoding."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from watermark_helpers import FakeGenerator, shot_request, video_frames

from pipeline.backends.base import ShotRenderRequest
from pipeline.backends.registry import create_backend
from pipeline.progress import CancelToken, no_progress
from pipeline.render.shot_render import render_shot
from pipeline.watermark import WatermarkSettings, embed_take_mark, invisible_watermark_available, read_take_mark, take_mark
from pipeline.watermark.take_marker import TakeMarker

pytestmark = pytest.mark.skipif(not invisible_watermark_available(), reason="invisible-watermark is not installed (scripts/setup.sh)")


def natural_frame(request: ShotRenderRequest) -> np.ndarray:
    """Smooth colour variation with soft detail, closer to a photograph than a flat or hard-edged frame."""
    rng = np.random.default_rng(3)
    coarse_size = (request.height // 20, request.width // 20, 3)
    coarse = cv2.resize(rng.integers(30, 225, coarse_size, dtype=np.uint8), (request.width, request.height), interpolation=cv2.INTER_CUBIC)
    detail = cv2.GaussianBlur(rng.normal(0, 12, (request.height, request.width, 3)), (0, 0), 1.5)
    return np.clip(coarse + detail, 0, 255).astype(np.uint8)


def test_the_mark_round_trips_on_a_raw_frame() -> None:
    frame = natural_frame(shot_request(1280, 720))
    marked = embed_take_mark(frame, "take-123")
    assert read_take_mark(marked) == take_mark("take-123") != take_mark("take-124")
    assert np.abs(marked.astype(int) - frame).mean() < 3, "invisible means a small change"


def test_frames_too_small_to_carry_a_mark_are_left_alone() -> None:
    frame = natural_frame(shot_request(160, 90))
    assert embed_take_mark(frame, "take-1") is frame
    assert read_take_mark(frame) is None


def test_a_generated_take_records_the_invisible_mark_in_its_provenance(tmp_path: Path) -> None:
    request = shot_request(384, 256, duration=3)
    take = render_shot(request, FakeGenerator(natural_frame), tmp_path, 1, no_progress, CancelToken(), watermark=WatermarkSettings(invisible=True)).take
    assert take.provenance["watermark"] == "visible+invisible"
    assert len(video_frames(tmp_path, take)) == 3


def test_the_frames_of_a_generated_take_carry_its_id_before_encoding() -> None:
    frame = natural_frame(shot_request(1280, 720))
    marker = TakeMarker("take-42", True, 1280, 720, WatermarkSettings(invisible=True))
    assert marker.invisible and marker.visible
    assert read_take_mark(marker.mark(frame)) == take_mark("take-42")


def test_the_invisible_mark_can_be_turned_off() -> None:
    marker = TakeMarker("take-42", True, 1280, 720, WatermarkSettings(invisible=False))
    assert not marker.invisible
    assert marker.provenance() == {"watermark": "visible"}


def test_a_draft_take_carries_no_invisible_mark(tmp_path: Path) -> None:
    take = render_shot(shot_request(384, 256, duration=3), create_backend("draft"), tmp_path, 1, no_progress, CancelToken(), watermark=WatermarkSettings()).take
    assert "watermark" not in take.provenance
    assert read_take_mark(video_frames(tmp_path, take)[0]) != take_mark(take.id)
