"""The visible mark on generated frames: a small "AI-generated" label with a glyph, in one corner,
alpha-blended at a chosen opacity and scaled to the frame height.

Settings live here, not in the project document: a frozen WatermarkSettings with safe defaults (on
for generated takes, never on drafts), overridable from the environment (STORYBOARD_WATERMARK_*) or
passed to the renderer explicitly. Changing them never changes a project file or its schema.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

import cv2
import numpy as np

from pipeline.text_drawing import FONT, ascii_text

MARK_TEXT = "AI-generated - Storyboard Studio"
MARK_HEIGHT_FRACTION = 0.02  # the label's text height as a share of the frame height
MIN_TEXT_HEIGHT = 7  # pixels: below this the Hershey font is unreadable anyway
MARGIN_FRACTION = 0.02


class Corner(Enum):
    TOP_LEFT = "top-left"
    TOP_RIGHT = "top-right"
    BOTTOM_LEFT = "bottom-left"
    BOTTOM_RIGHT = "bottom-right"


@dataclass(frozen=True)
class WatermarkSettings:
    visible: bool = True  # the visible mark on generated takes
    corner: Corner = Corner.BOTTOM_RIGHT
    opacity: float = 0.7  # 0 (none) .. 1 (opaque)
    on_drafts: bool = False  # draft animatics are marked only when asked
    # The invisible take-id mark: off unless asked. It costs ~0.1 s a 720p frame and does not survive
    # the take master's compression (see invisible.py); the C2PA manifest is the record that lasts.
    invisible: bool = False

    def __post_init__(self) -> None:
        if not 0.0 <= self.opacity <= 1.0:
            raise ValueError(f"watermark opacity {self.opacity} is out of range; give a value from 0 to 1")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> WatermarkSettings:
        """The defaults, overridden by STORYBOARD_WATERMARK (on/off), STORYBOARD_WATERMARK_CORNER (top-left, top-right,
        bottom-left, bottom-right), STORYBOARD_WATERMARK_OPACITY (0..1), STORYBOARD_WATERMARK_DRAFTS (on/off) and
        STORYBOARD_WATERMARK_INVISIBLE (on/off)."""
        env = os.environ if environ is None else environ
        default = cls()
        try:
            return cls(
                visible=_flag(env.get("STORYBOARD_WATERMARK"), default.visible),
                corner=Corner(env["STORYBOARD_WATERMARK_CORNER"].strip().lower()) if env.get("STORYBOARD_WATERMARK_CORNER") else default.corner,
                opacity=float(env["STORYBOARD_WATERMARK_OPACITY"]) if env.get("STORYBOARD_WATERMARK_OPACITY") else default.opacity,
                on_drafts=_flag(env.get("STORYBOARD_WATERMARK_DRAFTS"), default.on_drafts),
                invisible=_flag(env.get("STORYBOARD_WATERMARK_INVISIBLE"), default.invisible),
            )
        except ValueError as error:
            raise ValueError(f"STORYBOARD_WATERMARK_* settings: {error}") from None

    def marks_visibly(self, generated: bool) -> bool:
        return self.visible and self.opacity > 0 and (generated or self.on_drafts)


def _flag(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    text = value.strip().lower()
    if text in ("1", "on", "true", "yes"):
        return True
    if text in ("0", "off", "false", "no"):
        return False
    raise ValueError(f"{value!r} is not on or off")


@dataclass(frozen=True)
class _Layout:
    scale: float
    thickness: int
    text_size: tuple[int, int]
    baseline: int
    pad: int
    glyph: int  # the glyph's side in pixels

    @property
    def size(self) -> tuple[int, int]:
        w, h = self.text_size
        return self.glyph + self.pad + w + 2 * self.pad, max(h + self.baseline, self.glyph) + 2 * self.pad


def _layout(frame_height: int, text: str) -> _Layout:
    target = max(MIN_TEXT_HEIGHT, round(frame_height * MARK_HEIGHT_FRACTION))
    unit_height = cv2.getTextSize(text, FONT, 1.0, 1)[0][1]
    scale = target / unit_height
    thickness = max(1, round(target / 14))
    (w, h), baseline = cv2.getTextSize(text, FONT, scale, thickness)
    pad = max(2, round(h * 0.35))
    return _Layout(scale, thickness, (w, h), baseline, pad, glyph=h + baseline)


def watermark_box(shape: tuple[int, ...], corner: Corner, text: str = MARK_TEXT) -> tuple[int, int, int, int]:
    """The (x0, y0, x1, y1) box the mark covers on a frame of `shape`, clipped to the frame."""
    height, width = shape[:2]
    layout = _layout(height, ascii_text(text))
    box_w, box_h = layout.size
    margin = max(1, round(height * MARGIN_FRACTION))
    x0 = margin if corner in (Corner.TOP_LEFT, Corner.BOTTOM_LEFT) else width - margin - box_w
    y0 = margin if corner in (Corner.TOP_LEFT, Corner.TOP_RIGHT) else height - margin - box_h
    x0, y0 = max(0, x0), max(0, y0)
    return x0, y0, min(width, x0 + box_w), min(height, y0 + box_h)


def apply_visible_watermark(frame: np.ndarray, corner: Corner, opacity: float, text: str = MARK_TEXT) -> np.ndarray:
    """A copy of the RGB uint8 `frame` with the mark blended in at `opacity`; the rest of the frame is untouched."""
    if opacity <= 0:
        return frame
    text = ascii_text(text)
    layout = _layout(frame.shape[0], text)
    x0, y0, x1, y1 = watermark_box(frame.shape, corner, text)
    if x1 <= x0 or y1 <= y0:
        return frame
    # Draw the opaque mark on a patch of its own, then blend the patch into the frame at `opacity`.
    box_w, box_h = layout.size
    patch = np.zeros((box_h, box_w, 3), np.uint8)
    patch[:] = (24, 24, 24)
    pad, glyph = layout.pad, layout.glyph
    _draw_glyph(patch, pad, (box_h - glyph) // 2, glyph, layout.thickness)
    text_y = (box_h + layout.text_size[1] - layout.baseline) // 2
    cv2.putText(patch, text, (pad + glyph + pad, text_y), FONT, layout.scale, (245, 245, 245), layout.thickness, cv2.LINE_AA)
    marked = frame.copy()
    region = marked[y0:y1, x0:x1].astype(np.float32)
    blended = region * (1 - opacity) + patch[: y1 - y0, : x1 - x0].astype(np.float32) * opacity
    marked[y0:y1, x0:x1] = np.clip(np.rint(blended), 0, 255).astype(np.uint8)
    return marked


def _draw_glyph(patch: np.ndarray, x: int, y: int, size: int, thickness: int) -> None:
    """A four-pointed spark: the common shorthand for "made by AI"."""
    cx, cy, r = x + size / 2, y + size / 2, size / 2
    k = 0.28 * r
    points = [(cx, cy - r), (cx + k, cy - k), (cx + r, cy), (cx + k, cy + k), (cx, cy + r), (cx - k, cy + k), (cx - r, cy), (cx - k, cy - k)]
    polygon = np.array([[round(px * 16), round(py * 16)] for px, py in points], np.int32)
    cv2.fillPoly(patch, [polygon], (255, 210, 80), cv2.LINE_AA, shift=4)
