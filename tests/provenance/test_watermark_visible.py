"""Issue #9: generated takes carry a visible watermark in the chosen corner; draft takes never do unless asked."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from watermark_helpers import FLAT, FakeGenerator, shot_request, video_frames

from pipeline.backends.base import GenerationRenderer
from pipeline.backends.registry import create_backend
from pipeline.progress import CancelToken, no_progress
from pipeline.render.shot_render import render_shot
from pipeline.watermark import Corner, WatermarkSettings, apply_visible_watermark, watermark_box
from studio.media_store import MediaStore

CODEC_BLEED = 16  # pixels around the mark that the master's compression may touch
NO_INVISIBLE = dict(invisible=False)


def differs(region: np.ndarray, tolerance: int = 12) -> bool:
    return bool((np.abs(region.astype(int) - FLAT).max(axis=2) > tolerance).any())


def assert_mark_only_in(frame: np.ndarray, corner: Corner) -> None:
    x0, y0, x1, y1 = watermark_box(frame.shape, corner)
    assert differs(frame[y0:y1, x0:x1]), f"no mark in the {corner.value} corner"
    rest = np.ones(frame.shape[:2], bool)
    rest[max(0, y0 - CODEC_BLEED) : y1 + CODEC_BLEED, max(0, x0 - CODEC_BLEED) : x1 + CODEC_BLEED] = False
    assert np.abs(frame[rest].astype(int) - FLAT).max() <= 4, "the mark spilled outside its corner"


def render(tmp_path: Path, renderer, settings: WatermarkSettings | None, **request_args):
    return render_shot(shot_request(**request_args), renderer, tmp_path, 1, no_progress, CancelToken(), watermark=settings).take


def test_the_fake_backend_counts_as_a_generation_backend() -> None:
    assert isinstance(FakeGenerator(), GenerationRenderer)
    assert not isinstance(create_backend("draft"), GenerationRenderer)


def test_a_generated_take_carries_the_visible_mark_in_its_corner_and_nowhere_else(tmp_path: Path) -> None:
    take = render(tmp_path, FakeGenerator(), WatermarkSettings(**NO_INVISIBLE))
    frames = video_frames(tmp_path, take)
    assert len(frames) == 6
    for frame in frames:
        assert_mark_only_in(frame, Corner.BOTTOM_RIGHT)
    thumbnail = cv2.cvtColor(cv2.imread(str(MediaStore(tmp_path).resolve(take.thumbnail))), cv2.COLOR_BGR2RGB)
    x0, y0, x1, y1 = watermark_box(thumbnail.shape, Corner.BOTTOM_RIGHT)
    assert differs(thumbnail[y0:y1, x0:x1])
    assert take.provenance["watermark"] == "visible"
    assert take.provenance["model_id"] == "fake/model"


def test_the_last_frame_kept_for_chaining_stays_unmarked(tmp_path: Path) -> None:
    take = render(tmp_path, FakeGenerator(), WatermarkSettings(**NO_INVISIBLE))
    last = cv2.cvtColor(cv2.imread(str(MediaStore(tmp_path).resolve(take.last_frame))), cv2.COLOR_BGR2RGB)
    assert (last == FLAT).all()


def test_a_draft_take_has_no_mark_by_default(tmp_path: Path) -> None:
    settings = WatermarkSettings(**NO_INVISIBLE)
    plain = render(tmp_path / "plain", create_backend("draft"), WatermarkSettings(visible=False, **NO_INVISIBLE))
    draft = render(tmp_path / "draft", create_backend("draft"), settings)
    for expected, seen in zip(video_frames(tmp_path / "plain", plain), video_frames(tmp_path / "draft", draft), strict=True):
        assert np.array_equal(expected, seen)
    assert "watermark" not in draft.provenance


def test_a_draft_take_is_marked_when_asked(tmp_path: Path) -> None:
    plain = render(tmp_path / "plain", create_backend("draft"), WatermarkSettings(visible=False, **NO_INVISIBLE))
    asked = render(tmp_path / "asked", create_backend("draft"), WatermarkSettings(on_drafts=True, **NO_INVISIBLE))
    x0, y0, x1, y1 = watermark_box((180, 320), Corner.BOTTOM_RIGHT)
    expected, seen = video_frames(tmp_path / "plain", plain)[0], video_frames(tmp_path / "asked", asked)[0]
    assert np.abs(expected[y0:y1, x0:x1].astype(int) - seen[y0:y1, x0:x1]).max() > 40
    assert asked.provenance["watermark"] == "visible"


@pytest.mark.parametrize(
    "settings", [WatermarkSettings(opacity=0.0, **NO_INVISIBLE), WatermarkSettings(visible=False, **NO_INVISIBLE)], ids=["opacity-0", "off"]
)
def test_a_generated_take_with_the_mark_turned_off_is_untouched(tmp_path: Path, settings: WatermarkSettings) -> None:
    take = render(tmp_path, FakeGenerator(), settings)
    for frame in video_frames(tmp_path, take):
        assert np.abs(frame.astype(int) - FLAT).max() <= 4
    assert take.provenance["watermark"] == "none"


@pytest.mark.parametrize("corner", list(Corner))
def test_the_corner_setting_moves_the_mark(corner: Corner) -> None:
    frame = np.empty((180, 320, 3), np.uint8)
    frame[:] = FLAT
    assert_mark_only_in(apply_visible_watermark(frame, corner, 0.7), corner)


def test_the_mark_is_in_the_chosen_corner_of_a_rendered_take(tmp_path: Path) -> None:
    take = render(tmp_path, FakeGenerator(), WatermarkSettings(corner=Corner.TOP_LEFT, **NO_INVISIBLE))
    assert_mark_only_in(video_frames(tmp_path, take)[-1], Corner.TOP_LEFT)


def test_opacity_blends_the_mark_with_the_picture() -> None:
    frame = np.empty((180, 320, 3), np.uint8)
    frame[:] = FLAT
    x0, y0, x1, y1 = watermark_box(frame.shape, Corner.BOTTOM_RIGHT)
    change = [np.abs(apply_visible_watermark(frame, Corner.BOTTOM_RIGHT, o)[y0:y1, x0:x1].astype(int) - FLAT).mean() for o in (0.25, 0.5, 1.0)]
    assert 0 < change[0] < change[1] < change[2]


def test_the_mark_scales_with_the_frame_height() -> None:
    small, large = watermark_box((360, 640), Corner.TOP_LEFT), watermark_box((1080, 1920), Corner.TOP_LEFT)
    assert 2.5 < (large[3] - large[1]) / (small[3] - small[1]) < 3.5
    assert (large[2] - large[0]) < 1920 * 0.35, "the mark stays small"


def test_settings_come_from_the_environment() -> None:
    settings = WatermarkSettings.from_environment(
        {
            "STORYBOARD_WATERMARK_CORNER": "top-left",
            "STORYBOARD_WATERMARK_OPACITY": "0.3",
            "STORYBOARD_WATERMARK_DRAFTS": "on",
            "STORYBOARD_WATERMARK_INVISIBLE": "off",
        }
    )
    assert settings == WatermarkSettings(corner=Corner.TOP_LEFT, opacity=0.3, on_drafts=True, invisible=False)
    assert WatermarkSettings.from_environment({}) == WatermarkSettings()
    assert not WatermarkSettings.from_environment({"STORYBOARD_WATERMARK": "off"}).visible
    with pytest.raises(ValueError, match="STORYBOARD_WATERMARK"):
        WatermarkSettings.from_environment({"STORYBOARD_WATERMARK_OPACITY": "2"})
    with pytest.raises(ValueError, match="STORYBOARD_WATERMARK"):
        WatermarkSettings.from_environment({"STORYBOARD_WATERMARK_CORNER": "middle"})
