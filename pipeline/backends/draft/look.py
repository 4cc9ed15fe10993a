"""The colours of a generated storyboard card: time of day, the location's palette, weather, style.

Colours here are RGB tuples, the order the renderer's frames use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

import cv2
import numpy as np

from pipeline.backends.base import ShotRenderError
from studio.location import TimeOfDay, WorldState
from studio.project import StylePreset

RGB = tuple[int, int, int]

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def parse_colour(text: str, what: str, label: str) -> RGB:
    """'#1a2b3c' or '#abc' as RGB; anything else is the user's to fix, so the message says where."""
    match = _HEX.match(text.strip())
    if not match:
        raise ShotRenderError(f"{label}: {what} {text!r} is not a hex colour like #1a2b3c; correct it")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t)


def luminance(c: RGB) -> float:
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]


class Celestial(StrEnum):
    SUN = "sun"
    LOW_SUN = "low_sun"  # on the horizon at dawn and dusk
    MOON = "moon"


@dataclass(frozen=True)
class Weather:
    rain: bool = False
    snow: bool = False
    fog: bool = False
    overcast: bool = False
    heavy: bool = False

    @classmethod
    def read(cls, text: str) -> Weather:
        words = text.lower()

        def has(*names: str) -> bool:
            return any(name in words for name in names)

        rain = has("rain", "drizzle", "shower", "storm", "downpour")
        snow = has("snow", "blizzard", "sleet")
        return cls(
            rain=rain,
            snow=snow,
            fog=has("fog", "mist", "haze", "smog"),
            overcast=rain or snow or has("cloud", "overcast", "grey", "gray"),
            heavy=has("heavy", "storm", "downpour", "thunder", "blizzard"),
        )


@dataclass(frozen=True)
class Look:
    sky_top: RGB
    sky_horizon: RGB
    ground_far: RGB
    ground_near: RGB
    wall: RGB  # an interior's back wall
    trim: RGB  # doors, frames, skirting
    light: RGB  # lit windows, lamps, the glow round the sun
    celestial: Celestial
    weather: Weather = Weather()

    @property
    def dark(self) -> bool:
        return luminance(self.ground_near) < 60

    @property
    def lights_on(self) -> bool:
        """Windows and lamps glow from dusk to dawn."""
        return self.celestial is not Celestial.SUN

    @property
    def line(self) -> RGB:
        """Ink for set lines: reads on the set at any time of day."""
        return mix(self.ground_near, (0, 0, 0), 0.45) if not self.dark else mix(self.ground_near, self.light, 0.25)


_TIME_OF_DAY: dict[TimeOfDay, Look] = {
    TimeOfDay.DAWN: Look((60, 75, 125), (242, 184, 128), (96, 92, 104), (62, 60, 72), (205, 188, 186), (120, 92, 88), (255, 214, 166), Celestial.LOW_SUN),
    TimeOfDay.MORNING: Look((120, 170, 225), (236, 239, 236), (152, 158, 136), (106, 114, 96), (232, 226, 212), (140, 118, 96), (255, 246, 220), Celestial.SUN),
    TimeOfDay.DAY: Look((95, 150, 215), (216, 232, 245), (150, 160, 140), (110, 120, 100), (228, 222, 207), (132, 112, 92), (255, 250, 228), Celestial.SUN),
    TimeOfDay.AFTERNOON: Look(
        (110, 155, 210), (240, 225, 190), (162, 150, 120), (116, 106, 86), (234, 220, 196), (140, 110, 84), (255, 236, 192), Celestial.SUN
    ),
    TimeOfDay.DUSK: Look((59, 42, 90), (240, 138, 75), (82, 64, 72), (50, 40, 48), (178, 142, 136), (96, 64, 62), (255, 182, 112), Celestial.LOW_SUN),
    TimeOfDay.EVENING: Look((31, 42, 74), (106, 90, 138), (50, 46, 60), (32, 30, 40), (124, 112, 122), (70, 56, 60), (255, 202, 132), Celestial.MOON),
    TimeOfDay.NIGHT: Look((11, 16, 38), (30, 44, 76), (22, 26, 36), (12, 14, 22), (74, 76, 94), (44, 40, 48), (255, 206, 122), Celestial.MOON),
}
_TIME_OF_DAY[TimeOfDay.CONTINUOUS] = _TIME_OF_DAY[TimeOfDay.DAY]

# How far a location's palette pulls the time-of-day colours: enough to carry the art direction,
# not so far that a night palette with a bright accent turns the sky to day.
_PALETTE_PULL = 0.55


def _tint(base: RGB, colour: RGB, pull: float) -> RGB:
    """Pulls base toward colour's hue, but only partly toward its lightness: a bright palette
    accent warms a night wall without lighting it up."""
    target = luminance(base) * 0.75 + luminance(colour) * 0.25
    gain = target / max(luminance(colour), 1.0)
    relit = (min(255, round(colour[0] * gain)), min(255, round(colour[1] * gain)), min(255, round(colour[2] * gain)))
    return mix(base, relit, pull)


def world_look(world: WorldState | None, label: str) -> Look:
    if world is None:
        return _TIME_OF_DAY[TimeOfDay.DAY]
    look = _TIME_OF_DAY[world.time_of_day]
    palette = [parse_colour(c, "palette colour", label) for c in world.palette]
    if palette:
        n = len(palette)
        darkest, lightest, middle = palette[0], palette[-1], palette[n // 2]
        second = palette[min(1, n - 1)]
        look = replace(
            look,
            sky_top=_tint(look.sky_top, second, _PALETTE_PULL * 0.7),
            sky_horizon=_tint(look.sky_horizon, middle, _PALETTE_PULL),
            ground_far=_tint(look.ground_far, mix(darkest, middle, 0.3), _PALETTE_PULL),
            ground_near=_tint(look.ground_near, darkest, _PALETTE_PULL),
            wall=_tint(look.wall, middle, _PALETTE_PULL),
            trim=_tint(look.trim, second, _PALETTE_PULL),
            light=mix(look.light, lightest, _PALETTE_PULL),
        )
    weather = Weather.read(world.weather)
    if weather.overcast:
        grey_top = mix(look.sky_top, (128, 132, 140), 0.5 if not weather.heavy else 0.65)
        grey_top = mix(grey_top, (0, 0, 0), 0.25 if weather.heavy else 0.1)
        look = replace(look, sky_top=grey_top, sky_horizon=mix(look.sky_horizon, (150, 154, 160), 0.45))
    return replace(look, weather=weather)


def _curve(points: list[tuple[float, float]]) -> np.ndarray:
    xs, ys = zip(*points, strict=True)
    return np.clip(np.interp(np.arange(256), xs, ys), 0, 255).astype(np.uint8)


_GREY_CURVES = {
    StylePreset.NOIR: _curve([(0, 0), (60, 20), (128, 118), (200, 228), (255, 255)]),
    StylePreset.INK: _curve([(0, 10), (90, 24), (150, 236), (255, 250)]),
    StylePreset.PENCIL: _curve([(0, 72), (255, 246)]),
}


def apply_style(image: np.ndarray, style: StylePreset) -> np.ndarray:
    """The project's look on an RGB card: grey and paper-like for pencil, hard black for noir and ink."""
    if style in _GREY_CURVES:
        grey = cv2.LUT(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), _GREY_CURVES[style])
        out = cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB)
        if style is StylePreset.PENCIL:
            # Warm paper: a touch less blue than grey.
            out[:, :, 2] = cv2.LUT(out[:, :, 2], _curve([(0, 0), (255, 236)]))
        return out
    if style is StylePreset.ANIMATION:
        hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
        hsv[:, :, 1] = cv2.LUT(hsv[:, :, 1], _curve([(0, 0), (200, 255), (255, 255)]))
        return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
    if style is StylePreset.CINEMATIC:
        return cv2.LUT(image, _curve([(0, 6), (64, 52), (192, 206), (255, 250)]))
    return image
