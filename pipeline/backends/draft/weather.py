"""Falling rain and snow over an exterior card, animated in frame space.

Precipitation falls past the lens whatever the camera does, so it is not part of the plate: one
seeded tile of streaks or flakes, twice the frame's height so it wraps, slides down a little each
frame and is added onto the picture (a saturating add costs about a millisecond at 720p).
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.backends.draft.look import Look

_RAIN_PER_MEGAPIXEL = {False: 260, True: 520}  # by heavy
_SNOW_PER_MEGAPIXEL = {False: 380, True: 760}
_RAIN_FALL = 0.11  # frame heights per frame at 24 fps
_SNOW_FALL = 0.008
_WIND = 0.18  # horizontal drift of a rain streak per unit of fall


class Precipitation:
    def __init__(self, tile: np.ndarray, fall_px_per_frame: float) -> None:
        self._tile = np.vstack([tile, tile])  # a window of frame height slides over it and wraps
        self._height = tile.shape[0]
        self._fall = fall_px_per_frame

    @classmethod
    def for_look(cls, look: Look, width: int, height: int, fps: float, seed: int) -> Precipitation | None:
        """Rain or snow for an exterior whose weather calls for it; None when the sky is dry."""
        weather = look.weather
        if not (weather.rain or weather.snow):
            return None
        rng = np.random.default_rng([seed & 0xFFFFFFFF, 0x5241494E])
        tile = np.zeros((height, width, 3), dtype=np.uint8)
        megapixels = width * height / 1e6
        weight = max(1, round(height / 720))
        if weather.snow:
            for x, y, size in rng.random((round(_SNOW_PER_MEGAPIXEL[weather.heavy] * megapixels), 3)):
                radius = max(1, round((0.0025 + 0.004 * size) * height))
                for dy in (0, -height):
                    cv2.circle(tile, (int(x * width), int(y * height) + dy), radius, (170, 170, 170), -1, cv2.LINE_AA)
            fall = _SNOW_FALL
        else:
            level = (70, 74, 84) if not look.dark else (52, 58, 72)
            for x, y, length in rng.random((round(_RAIN_PER_MEGAPIXEL[weather.heavy] * megapixels), 3)):
                drop = (0.04 + 0.05 * length) * height
                x0, y0 = x * width, y * height
                for dy in (0.0, -float(height)):
                    start = (round(x0), round(y0 + dy))
                    end = (round(x0 - _WIND * drop), round(y0 + dy + drop))
                    cv2.line(tile, start, end, level, weight, cv2.LINE_AA)
            fall = _RAIN_FALL
        return cls(tile, fall * height * 24.0 / fps)

    def apply(self, frame: np.ndarray, index: int) -> None:
        """Adds the precipitation of frame `index` onto the frame, in place."""
        offset = round(index * self._fall) % self._height
        window = self._tile[self._height - offset : 2 * self._height - offset]
        cv2.add(frame, window, dst=frame)
