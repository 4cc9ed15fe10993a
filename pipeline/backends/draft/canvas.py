"""Drawing on a plate in world coordinates, anti-aliased and at sub-pixel positions.

Card and figure code speak world units (output pixels of the composed frame); the canvas turns
them into plate pixels at the plate's resolution, so the same card draws sharp on a 4x plate for a
zoom and plain on a 1x plate for a static shot.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from pipeline.backends.draft.plate import PlateGeometry
from pipeline.text_drawing import ascii_text

_SHIFT = 4  # cv2 fixed-point bits: positions to 1/16 pixel
_ONE = 1 << _SHIFT
FONT = cv2.FONT_HERSHEY_SIMPLEX
_FONT_CAP_HEIGHT = 22.0  # pixels of a capital at font scale 1


def font_scale_for(cap_height_px: float) -> float:
    return cap_height_px / _FONT_CAP_HEIGHT


def text_width(text: str, cap_height: float) -> float:
    """World width of text drawn with capitals cap_height tall (Hershey glyphs scale linearly)."""
    scale = font_scale_for(cap_height)
    (w, _), _ = cv2.getTextSize(ascii_text(text), FONT, scale, max(1, round(scale * 1.6)))
    return float(w)


Colour = tuple[int, ...]  # RGB, or RGBA on a layer


class Canvas:
    def __init__(self, image: np.ndarray, geometry: PlateGeometry) -> None:
        self.image = image
        self.geometry = geometry
        self.scale = geometry.resolution
        self._left = geometry.rect.left
        self._top = geometry.rect.top

    # --- coordinates ---------------------------------------------------------------------
    def px(self, x: float, y: float) -> tuple[int, int]:
        """A world point as fixed-point plate coordinates for cv2 calls with shift=_SHIFT."""
        return round(((x - self._left) * self.scale - 0.5) * _ONE), round(((y - self._top) * self.scale - 0.5) * _ONE)

    def pixel(self, x: float, y: float) -> tuple[int, int]:
        """A world point as whole plate pixels (for calls without sub-pixel positions)."""
        return round((x - self._left) * self.scale - 0.5), round((y - self._top) * self.scale - 0.5)

    def thickness(self, world: float) -> int:
        return max(1, round(world * self.scale))

    def row_world_y(self) -> np.ndarray:
        return self._top + (np.arange(self.image.shape[0]) + 0.5) / self.scale

    # --- drawing -------------------------------------------------------------------------
    def polygon(self, points: Sequence[tuple[float, float]] | np.ndarray, colour: Colour) -> None:
        pts = np.array([self.px(x, y) for x, y in points], dtype=np.int32)
        cv2.fillPoly(self.image, [pts], colour, cv2.LINE_AA, _SHIFT)

    def polyline(self, points: Sequence[tuple[float, float]] | np.ndarray, colour: Colour, width: float, closed: bool = False) -> None:
        pts = np.array([self.px(x, y) for x, y in points], dtype=np.int32)
        cv2.polylines(self.image, [pts], closed, colour, self.thickness(width), cv2.LINE_AA, _SHIFT)

    def rectangle(self, x0: float, y0: float, x1: float, y1: float, colour: Colour, width: float | None = None) -> None:
        """Filled when width is None, else outlined with a line of that world width."""
        corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        if width is None:
            self.polygon(corners, colour)
        else:
            self.polyline(corners, colour, width, closed=True)

    def line(self, a: tuple[float, float], b: tuple[float, float], colour: Colour, width: float) -> None:
        cv2.line(self.image, self.px(*a), self.px(*b), colour, self.thickness(width), cv2.LINE_AA, _SHIFT)

    def ellipse(
        self, centre: tuple[float, float], axes: tuple[float, float], colour: Colour, width: float | None = None, start: float = 0.0, end: float = 360.0
    ) -> None:
        axes_px = (max(1, round(axes[0] * self.scale * _ONE)), max(1, round(axes[1] * self.scale * _ONE)))
        thickness = -1 if width is None else self.thickness(width)
        cv2.ellipse(self.image, self.px(*centre), axes_px, 0.0, start, end, colour, thickness, cv2.LINE_AA, _SHIFT)

    def text(self, text: str, x: float, baseline: float, cap_height: float, colour: Colour, centred: bool = True) -> tuple[float, float]:
        """Draws text whose capitals are cap_height world units tall; returns its world (width, height)."""
        text = ascii_text(text)
        scale = font_scale_for(cap_height * self.scale)
        weight = max(1, round(scale * 1.6))
        (w, h), _ = cv2.getTextSize(text, FONT, scale, weight)
        left = x - (w / self.scale) / 2.0 if centred else x
        cv2.putText(self.image, text, self.pixel(left, baseline), FONT, scale, colour, weight, cv2.LINE_AA)
        return w / self.scale, h / self.scale

    def vertical_gradient(self, y_stops: Sequence[float], colours: Sequence[Colour], top: float = -math.inf, bottom: float = math.inf) -> None:
        """Fills the rows between world y top and bottom with colours interpolated between y_stops."""
        ys = self.row_world_y()
        rows = np.nonzero((ys >= top) & (ys < bottom))[0]
        if rows.size == 0:
            return
        stops = np.asarray(y_stops, dtype=np.float64)
        table = np.asarray(colours, dtype=np.float64)
        colour_rows = np.stack([np.interp(ys[rows], stops, table[:, k]) for k in range(3)], axis=1)
        self.image[rows[0] : rows[-1] + 1] = np.round(colour_rows)[:, None, :].astype(np.uint8)
