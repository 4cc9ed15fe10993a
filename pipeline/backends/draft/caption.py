"""The caption band of a generated storyboard card: the shot's description and its framing.

Like the text under a panel on a storyboard sheet, the band stays put on the frame while the camera
moves over the picture, so it is drawn once per shot in frame pixels and laid on every frame.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.backends.base import ShotRenderRequest
from pipeline.backends.draft.canvas import FONT, font_scale_for
from pipeline.text_drawing import wrap_text

PAPER = (240, 236, 226)
INK = (38, 38, 44)
_RULE = (150, 146, 138)
# Two lines keep the band under a tenth of the frame's height from 720p up, below where the
# assembly sets its subtitles (their baseline sits 78/720 of the height above the bottom).
MAX_LINES = 2


def caption_cap_height(height: int) -> float:
    return max(7.0, 0.022 * height)


def framing_label(request: ShotRenderRequest) -> str:
    """'MS  35mm': shot size and lens, as a storyboard artist notes them beside a panel."""
    return f"{request.shot.size.value}  {request.shot.lens_mm:g}mm"


def caption_band(request: ShotRenderRequest) -> np.ndarray:
    """The band as an RGB image the frame's width wide, to lay over the bottom of every frame."""
    width, height = request.width, request.height
    cap = caption_cap_height(height)
    scale = font_scale_for(cap)
    weight = max(1, round(scale * 1.6))
    pad = round(0.8 * cap)
    line_step = round(1.75 * cap)
    label = framing_label(request)
    label_w = cv2.getTextSize(label, FONT, scale, weight)[0][0]
    text_width = width - 4 * pad - label_w
    lines = wrap_text(request.shot.description, text_width, scale, weight, MAX_LINES, font=FONT) if text_width > 0 else []
    band_h = min(height, 2 * pad + round(cap) + (max(1, len(lines)) - 1) * line_step)
    band = np.empty((band_h, width, 3), dtype=np.uint8)
    band[:] = PAPER
    cv2.line(band, (0, 0), (width - 1, 0), _RULE, max(1, round(height / 720)), cv2.LINE_AA)
    baseline = pad + round(cap)
    for line in lines:
        cv2.putText(band, line, (pad, baseline), FONT, scale, INK, weight, cv2.LINE_AA)
        baseline += line_step
    cv2.putText(band, label, (width - pad - label_w, pad + round(cap)), FONT, scale, INK, weight, cv2.LINE_AA)
    return band
