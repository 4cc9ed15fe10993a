"""The set behind the figures on a generated storyboard card: sky or walls, ground, set pieces.

Everything is placed in world coordinates and the set pieces come from cells of the world, each
seeded by the shot's seed and its cell index, so a pan reveals the same street whatever plate size
the move asks for, and the same request draws the same card.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from pipeline.backends.draft.canvas import Canvas
from pipeline.backends.draft.look import RGB, Celestial, Look, mix
from studio.shot import ShotSize

EXTERIOR_HORIZON = 0.56  # fractions of the frame height
INTERIOR_FLOOR_LINE = 0.66
_BLACK: RGB = (0, 0, 0)
_WHITE: RGB = (255, 255, 255)

# Background softness behind close framings (Gaussian sigma, fraction of frame height): a long lens
# on a face throws the set out of focus, which also keeps it from competing with the figure.
DEPTH_OF_FIELD_SIGMA: dict[ShotSize, float] = {ShotSize.ECU: 0.02, ShotSize.CU: 0.012, ShotSize.MCU: 0.007, ShotSize.MS: 0.003}


def _cell_rng(seed: int, salt: int, index: int) -> np.random.Generator:
    return np.random.default_rng([seed & 0xFFFFFFFF, salt, index & 0xFFFFFFFF, 1 if index < 0 else 0])


def _cells(canvas: Canvas, size: float) -> range:
    rect = canvas.geometry.rect
    return range(math.floor(rect.left / size) - 1, math.ceil(rect.right / size) + 1)


def draw_set(canvas: Canvas, look: Look, width: int, height: int, interior: bool | None, seed: int) -> None:
    """interior None: no location, a neutral studio backdrop in the light of the time of day."""
    if interior is None:
        _studio(canvas, look, width, height)
    elif interior:
        _interior(canvas, look, width, height, seed)
    else:
        _exterior(canvas, look, width, height, seed)


def _studio(canvas: Canvas, look: Look, width: int, height: int) -> None:
    floor = INTERIOR_FLOOR_LINE * height
    paper = mix((206, 208, 214), look.sky_horizon, 0.25)
    canvas.vertical_gradient([floor - height, floor, floor + height], [mix(paper, _BLACK, 0.2), mix(paper, _WHITE, 0.3), mix(paper, _BLACK, 0.25)])
    canvas.line((canvas.geometry.rect.left, floor), (canvas.geometry.rect.right, floor), mix(paper, _BLACK, 0.3), 0.002 * height)


# --- exterior ----------------------------------------------------------------------------------
def _exterior(canvas: Canvas, look: Look, width: int, height: int, seed: int) -> None:
    horizon = EXTERIOR_HORIZON * height
    sky_mid = mix(look.sky_top, look.sky_horizon, 0.55)
    canvas.vertical_gradient([horizon - 1.1 * height, horizon - 0.25 * height, horizon], [look.sky_top, sky_mid, look.sky_horizon], bottom=horizon)
    if not look.weather.overcast:
        _sky_lights(canvas, look, width, height, horizon, seed)  # before the ground, which hides a setting sun's lower half
    canvas.vertical_gradient(
        [horizon, horizon + 0.5 * height, horizon + 1.5 * height], [look.ground_far, look.ground_near, mix(look.ground_near, _BLACK, 0.25)], top=horizon
    )
    _hills(canvas, look, height, horizon, seed)
    for k in _cells(canvas, 0.32 * width):
        _street_piece(canvas, look, k, 0.32 * width, height, horizon, seed)
    _ground_lines(canvas, look, width, height, horizon, spacing=0.35 * width)


def _sky_lights(canvas: Canvas, look: Look, width: int, height: int, horizon: float, seed: int) -> None:
    if look.celestial is Celestial.MOON:
        cell = 0.25 * height
        rect = canvas.geometry.rect
        for cy in range(math.floor(rect.top / cell), math.ceil((horizon - 0.15 * height) / cell)):
            for cx in range(math.floor(rect.left / cell), math.ceil(rect.right / cell)):
                rng = _cell_rng(seed, 11 + (cy & 0xFFFF), cx)
                for sx, sy, bright in rng.random((2, 3)):
                    canvas.ellipse(((cx + sx) * cell, (cy + sy) * cell), (0.0016 * height, 0.0016 * height), mix(look.sky_top, _WHITE, 0.35 + 0.5 * bright))
        centre, radius = (0.8 * width, horizon - 0.72 * height), 0.035 * height
        _glow(canvas, centre, radius, look.sky_top, (236, 236, 222))
        canvas.ellipse((centre[0] + 0.35 * radius, centre[1] - 0.2 * radius), (0.85 * radius, 0.85 * radius), mix(look.sky_top, look.sky_horizon, 0.2))
        return
    if look.celestial is Celestial.LOW_SUN:
        _glow(canvas, (0.7 * width, horizon - 0.01 * height), 0.08 * height, look.sky_horizon, look.light)
        return
    _glow(canvas, (0.78 * width, horizon - 0.45 * height), 0.05 * height, mix(look.sky_top, look.sky_horizon, 0.3), look.light)


def _glow(canvas: Canvas, centre: tuple[float, float], radius: float, sky: RGB, light: RGB) -> None:
    """A disc with a halo, drawn as rings from the outside in (no alpha needed on an RGB plate)."""
    for ring, strength in ((3.2, 0.12), (2.4, 0.22), (1.7, 0.38), (1.25, 0.6), (1.0, 1.0)):
        canvas.ellipse(centre, (radius * ring, radius * ring), mix(sky, light, strength))


def _hills(canvas: Canvas, look: Look, height: int, horizon: float, seed: int) -> None:
    rng = np.random.default_rng([seed & 0xFFFFFFFF, 23])
    phases = rng.uniform(0.0, 2.0 * math.pi, 3)
    xs = np.linspace(canvas.geometry.rect.left, canvas.geometry.rect.right, 200)
    ridge = sum(np.sin(xs / (height * period) + ph) * w for period, w, ph in zip((0.9, 0.37, 0.16), (0.5, 0.3, 0.2), phases, strict=True))
    ys = horizon - height * (0.05 + 0.03 * ridge)
    outline = np.column_stack([xs, ys])
    base = np.array([[xs[-1], horizon + 0.01 * height], [xs[0], horizon + 0.01 * height]])
    canvas.polygon(np.vstack([outline, base]), mix(look.sky_horizon, look.ground_far, 0.6))


def _street_piece(canvas: Canvas, look: Look, k: int, cell: float, height: int, horizon: float, seed: int) -> None:
    rng = _cell_rng(seed, 31, k)
    kind, offset, size_w, size_h = rng.random(4)
    base = horizon + 0.012 * height
    x0 = (k + 0.1 + 0.35 * offset) * cell
    shade = mix(look.ground_far, _BLACK, 0.35 + 0.25 * rng.random())
    if kind < 0.55:
        w, h = (0.4 + 0.4 * size_w) * cell, (0.12 + 0.22 * size_h) * height
        canvas.rectangle(x0, base - h, x0 + w, base, shade)
        canvas.rectangle(x0 - 0.02 * w, base - h - 0.02 * height, x0 + 1.02 * w, base - h, mix(shade, _BLACK, 0.3))
        lit = look.lights_on
        glass = mix(look.sky_horizon, shade, 0.55)
        cols, rows = max(2, round(w / (0.06 * height))), max(2, round(h / (0.07 * height)))
        for i in range(cols):
            for j in range(rows - 1):
                on = lit and rng.random() < 0.45
                wx, wy = x0 + (i + 0.3) * w / cols, base - h + (j + 0.35) * h / rows
                canvas.rectangle(wx, wy, wx + 0.4 * w / cols, wy + 0.45 * h / rows, look.light if on else glass)
    elif kind < 0.85:
        trunk_h, crown = (0.05 + 0.05 * size_h) * height, (0.04 + 0.04 * size_w) * height
        foliage = mix(mix(look.ground_far, (40, 80, 45), 0.5), _BLACK, 0.3 if not look.dark else 0.6)
        canvas.rectangle(x0 - 0.004 * height, base - trunk_h, x0 + 0.004 * height, base, mix(shade, _BLACK, 0.3))
        canvas.ellipse((x0, base - trunk_h - 0.5 * crown), (0.8 * crown, crown), foliage)
        canvas.ellipse((x0 - 0.4 * crown, base - trunk_h), (0.6 * crown, 0.6 * crown), foliage)


def _ground_lines(canvas: Canvas, look: Look, width: int, height: int, horizon: float, spacing: float) -> None:
    """Lines converging on a vanishing point at the centre of the horizon, and receding cross lines."""
    colour = mix(look.ground_near, look.line, 0.35)
    rect = canvas.geometry.rect
    vanishing = 0.5 * width
    bottom = max(rect.bottom, horizon + height)
    depth = bottom - horizon
    # A fan whose lines are `spacing` apart at the frame's bottom edge, wide enough that it still
    # reaches the plate's sides a third of the way down from the horizon.
    spread = spacing * depth / (height - horizon)  # between neighbours at the plate's bottom
    side = max(abs(rect.left - vanishing), abs(rect.right - vanishing))
    count = math.ceil(3.0 * side / spread) + 1
    for j in range(-count, count + 1):
        canvas.line((vanishing, horizon), (vanishing + j * spread, bottom), colour, 0.0015 * height)
    step = 0.02 * height
    while step < depth:
        canvas.line((rect.left, horizon + step), (rect.right, horizon + step), colour, 0.0012 * height)
        step *= 1.7


# --- interior ----------------------------------------------------------------------------------
def _interior(canvas: Canvas, look: Look, width: int, height: int, seed: int) -> None:
    floor = INTERIOR_FLOOR_LINE * height
    ceiling = floor - 1.25 * height
    wall = look.wall
    canvas.vertical_gradient(
        [ceiling - 0.5 * height, ceiling, ceiling + 0.03 * height, floor - 0.6 * height, floor],
        [mix(wall, _BLACK, 0.5), mix(wall, _BLACK, 0.35), mix(wall, _BLACK, 0.18), wall, mix(wall, _BLACK, 0.12)],
        bottom=floor,
    )
    floor_far = mix(look.ground_far, wall, 0.25)
    canvas.vertical_gradient([floor, floor + 0.4 * height, floor + 1.4 * height], [floor_far, look.ground_near, mix(look.ground_near, _BLACK, 0.3)], top=floor)
    canvas.line((canvas.geometry.rect.left, ceiling), (canvas.geometry.rect.right, ceiling), mix(wall, _BLACK, 0.45), 0.004 * height)
    for k in _cells(canvas, 0.42 * width):
        _wall_piece(canvas, look, k, 0.42 * width, height, floor, ceiling, seed)
    canvas.rectangle(canvas.geometry.rect.left, floor - 0.025 * height, canvas.geometry.rect.right, floor, look.trim)
    _ground_lines(canvas, look, width, height, floor, spacing=0.16 * width)


def _wall_piece(canvas: Canvas, look: Look, k: int, cell: float, height: int, floor: float, ceiling: float, seed: int) -> None:
    rng = _cell_rng(seed, 47, k)
    kind, offset, size_w, size_h, lamp = rng.random(5)
    x0 = (k + 0.12 + 0.3 * offset) * cell
    frame = mix(look.trim, _BLACK, 0.2)
    if lamp < 0.5 and look.lights_on:
        lamp_x = (k + 0.5) * cell
        _glow(canvas, (lamp_x, ceiling + 0.32 * height), 0.05 * height, look.wall, look.light)
        canvas.line((lamp_x, ceiling), (lamp_x, ceiling + 0.25 * height), frame, 0.003 * height)
        canvas.polygon(
            [
                (lamp_x - 0.03 * height, ceiling + 0.3 * height),
                (lamp_x + 0.03 * height, ceiling + 0.3 * height),
                (lamp_x + 0.012 * height, ceiling + 0.25 * height),
                (lamp_x - 0.012 * height, ceiling + 0.25 * height),
            ],
            frame,
        )
    if kind < 0.45:
        w, h = (0.35 + 0.2 * size_w) * cell, (0.3 + 0.1 * size_h) * height
        top = floor - 0.3 * height - h
        outside = mix(look.sky_top, look.sky_horizon, 0.4)
        canvas.rectangle(x0, top, x0 + w, top + 0.55 * h, outside)
        canvas.rectangle(x0, top + 0.55 * h, x0 + w, top + h, mix(outside, look.sky_horizon, 0.7))
        if look.weather.rain:
            for _ in range(int(18 + 30 * rng.random())):
                sx, sy = rng.random(2)
                px, py = x0 + sx * w, top + sy * h * 0.85
                canvas.line((px, py), (px - 0.01 * height, py + 0.12 * h), mix(outside, _WHITE, 0.35), 0.0015 * height)
        bar = 0.012 * height
        canvas.rectangle(x0, top, x0 + w, top + h, frame, bar)
        canvas.line((x0 + w / 2, top), (x0 + w / 2, top + h), frame, bar * 0.6)
        canvas.line((x0, top + h / 2), (x0 + w, top + h / 2), frame, bar * 0.6)
        canvas.rectangle(x0 - 0.01 * height, top + h, x0 + w + 0.01 * height, top + h + 0.015 * height, frame)
    elif kind < 0.7:
        w, h = 0.26 * cell, 0.58 * height
        canvas.rectangle(x0, floor - h, x0 + w, floor, look.trim)
        canvas.rectangle(x0 + 0.12 * w, floor - 0.93 * h, x0 + 0.88 * w, floor - 0.55 * h, mix(look.trim, _BLACK, 0.25), 0.003 * height)
        canvas.rectangle(x0 + 0.12 * w, floor - 0.48 * h, x0 + 0.88 * w, floor - 0.06 * h, mix(look.trim, _BLACK, 0.25), 0.003 * height)
        canvas.ellipse((x0 + 0.82 * w, floor - 0.5 * h), (0.007 * height, 0.007 * height), mix(look.light, look.trim, 0.3))
    elif kind < 0.9:
        w, h = (0.18 + 0.14 * size_w) * cell, (0.1 + 0.07 * size_h) * height
        top = floor - 0.62 * height
        canvas.rectangle(x0, top, x0 + w, top + h, mix(look.wall, look.light, 0.25))
        canvas.rectangle(x0, top, x0 + w, top + h, frame, 0.008 * height)


def fog(image: np.ndarray, canvas: Canvas, look: Look, horizon: float, height: int) -> None:
    """Haze that thickens toward the horizon, in place; row bands keep the temporary arrays small."""
    fog_colour = np.array(mix(look.sky_horizon, (200, 204, 210), 0.5), dtype=np.float32)
    ys = canvas.row_world_y()
    strength = (0.6 * np.exp(-(((ys - horizon) / (0.45 * height)) ** 2)) + 0.15).astype(np.float32)
    for start in range(0, image.shape[0], 256):
        band = image[start : start + 256].astype(np.float32)
        weight = strength[start : start + 256, None, None]
        image[start : start + 256] = (band * (1.0 - weight) + fog_colour * weight + 0.5).astype(np.uint8)


def soften(image: np.ndarray, size: ShotSize, height: int, resolution: float) -> np.ndarray:
    """The set out of focus behind a close framing. A wide blur is done on a reduced copy and
    scaled back: the result is smooth either way, and a 90-pixel Gaussian on a 16-megapixel plate
    would take seconds."""
    sigma = DEPTH_OF_FIELD_SIGMA.get(size, 0.0) * height * resolution
    if sigma < 0.5:
        return image
    factor = max(1, int(sigma // 4))
    if factor == 1:
        return cv2.GaussianBlur(image, (0, 0), sigma)
    full = (image.shape[1], image.shape[0])
    small = cv2.resize(image, (max(1, full[0] // factor), max(1, full[1] // factor)), interpolation=cv2.INTER_AREA)
    return cv2.resize(cv2.GaussianBlur(small, (0, 0), sigma / factor), full, interpolation=cv2.INTER_LINEAR)
