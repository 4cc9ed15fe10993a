"""Where the camera looks in each frame of a shot: one view-to-world matrix per frame.

World coordinates are the storyboard's: the shot as composed (the panel) covers [0, width] x
[0, height] in output pixels, y down. A frame's matrix maps a continuous output position (pixel
centres at i + 0.5) to the world position it shows, so a plate drawn anywhere in the world can be
framed by one warp. Travelling moves are centred on the composition: a pan starts half its travel
to one side and ends half to the other, so the panel as drawn is the middle of the move and each
side of the plate needs only half the travel as margin.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.backends.base import ShotRenderError
from studio.camera import CameraMove, CameraMoveType, Direction, ease

# Figures stand nearer the camera than the set, so a camera that travels moves them further.
TRUCK_FOREGROUND_PARALLAX = 1.4
# A dolly enlarges near things faster than far ones: figure scale = set scale ** this.
DOLLY_FOREGROUND_EXPONENT = 1.5
# A rising crane also reveals more of the set (a little wider), a falling one pushes in.
CRANE_SCALE_PER_AMOUNT = 0.05
# An orbit sweeps the backdrop sideways behind the subject: frame widths per degree of orbit.
ORBIT_TRAVEL_PER_DEGREE = 1.0 / 90.0
# A flat plate turned by the full orbit angle would vanish edge-on at 90 degrees; the draft shows
# this share of the angle as perspective and lets the sideways sweep carry the rest.
ORBIT_KEYSTONE_SHARE = 0.3
# Handheld roll, degrees at its peak per unit of shake amount (0.1 amount -> 0.3 degrees).
HANDHELD_ROLL_DEG_PER_AMOUNT = 3.0
# 35 mm still-frame width, for turning the shot's lens into a focal length in pixels.
_FULL_FRAME_WIDTH_MM = 36.0


@dataclass(frozen=True)
class WorldRect:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def is_empty(self) -> bool:
        return self.width <= 0 or self.height <= 0

    def union(self, other: WorldRect) -> WorldRect:
        return WorldRect(min(self.left, other.left), min(self.top, other.top), max(self.right, other.right), max(self.bottom, other.bottom))

    def intersection(self, other: WorldRect) -> WorldRect:
        return WorldRect(max(self.left, other.left), max(self.top, other.top), min(self.right, other.right), min(self.bottom, other.bottom))

    def corners(self) -> np.ndarray:
        return np.array([[self.left, self.top], [self.right, self.top], [self.right, self.bottom], [self.left, self.bottom]], dtype=np.float64)


@dataclass(frozen=True)
class FrameView:
    """What one frame shows: view-to-world matrices for the set and for the figures in front of it."""

    background: np.ndarray  # 3x3 float64
    foreground: np.ndarray  # 3x3 float64; differs from background only for moves with parallax

    @property
    def has_parallax(self) -> bool:
        return not np.array_equal(self.background, self.foreground)


def check_camera_move(move: CameraMove, label: str) -> None:
    problems = move.problems()
    if problems:
        raise ShotRenderError(f"{label}: the camera move cannot be rendered: {'; '.join(problems)}. Fix the shot's camera move.")


def move_progress(move: CameraMove, frame: int, frame_count: int) -> float:
    """Eased progress 0..1 of the move at a frame; a one-frame shot shows the move's start."""
    t = frame / (frame_count - 1) if frame_count > 1 else 0.0
    return ease(move.easing, t)


def plan_camera_path(move: CameraMove, width: int, height: int, frame_count: int, fps: float, seed: int, lens_mm: float) -> tuple[FrameView, ...]:
    """The view of every frame of a shot; the move must be valid (see check_camera_move)."""
    centre = (width / 2.0, height / 2.0)
    if move.type is CameraMoveType.HANDHELD:
        return _handheld_path(move.amount, width, height, frame_count, fps, seed)
    views = []
    for i in range(frame_count):
        p = move_progress(move, i, frame_count)
        views.append(_travelling_view(move, p, width, height, centre, lens_mm))
    return tuple(views)


def _travelling_view(move: CameraMove, p: float, width: int, height: int, centre: tuple[float, float], lens_mm: float) -> FrameView:
    kind, a = move.type, move.amount
    identity = np.eye(3)
    if kind in (CameraMoveType.PAN, CameraMoveType.TRUCK):
        travel = _sign(move.direction) * a * width * (p - 0.5)
        parallax = TRUCK_FOREGROUND_PARALLAX if kind is CameraMoveType.TRUCK else 1.0
        return FrameView(_about_centre(identity, (travel, 0.0), centre), _about_centre(identity, (travel * parallax, 0.0), centre))
    if kind in (CameraMoveType.TILT, CameraMoveType.PEDESTAL, CameraMoveType.CRANE):
        travel = _sign(move.direction) * a * height * (p - 0.5)
        scale = 1.0
        if kind is CameraMoveType.CRANE:
            scale, travel = _crane(move, p, height)
        parallax = 1.0 if kind is CameraMoveType.TILT else TRUCK_FOREGROUND_PARALLAX
        shrink = _scaling(1.0 / scale)
        return FrameView(_about_centre(shrink, (0.0, travel), centre), _about_centre(shrink, (0.0, travel * parallax), centre))
    if kind in (CameraMoveType.ZOOM, CameraMoveType.DOLLY_IN, CameraMoveType.DOLLY_OUT):
        inward = move.direction is Direction.IN
        scale = (1.0 + a) ** (p if inward else -p)
        background = _about_centre(_scaling(1.0 / scale), (0.0, 0.0), centre)
        if kind is CameraMoveType.ZOOM:
            return FrameView(background, background)  # a zoom magnifies near and far alike
        return FrameView(background, _about_centre(_scaling(scale**-DOLLY_FOREGROUND_EXPONENT), (0.0, 0.0), centre))
    if kind is CameraMoveType.ORBIT:
        # Signed orbit angle: positive while the camera is to the left of where the panel was drawn.
        theta = a * (p - 0.5) * (1.0 if move.direction is Direction.LEFT else -1.0)
        focal = max(lens_mm, 1.0) / _FULL_FRAME_WIDTH_MM * width
        phi = math.radians(theta * ORBIT_KEYSTONE_SHARE)
        # Beyond this turn the far edge of the frame would look past the plate's horizon.
        limit = math.atan(1.2 * focal / width)
        phi = max(-limit, min(limit, phi))
        turn = np.array([[math.cos(phi), 0.0, 0.0], [0.0, 1.0, 0.0], [math.sin(phi) / focal, 0.0, 1.0]])
        sweep = theta * ORBIT_TRAVEL_PER_DEGREE * width
        return FrameView(_about_centre(np.linalg.inv(turn), (sweep, 0.0), centre), identity.copy())
    return FrameView(identity.copy(), identity.copy())


def _crane(move: CameraMove, p: float, height: int) -> tuple[float, float]:
    """Scale and vertical travel of a crane at progress p. The picture slides past by amount x
    height frame pixels in all, as a tilt's does, although the scale changes on the way: the world
    travels at that rate divided by the scale of the moment, integrated in closed form for a scale
    of exp(sigma * growth * p), and centred on the composition at p = 0.5."""
    growth = math.log(1.0 + CRANE_SCALE_PER_AMOUNT * move.amount)
    rising = move.direction is Direction.UP
    sigma = -1.0 if rising else 1.0
    scale = math.exp(sigma * growth * p)

    def travelled(q: float) -> float:
        if growth == 0.0:
            return q
        return (1.0 - math.exp(-sigma * growth * q)) / (sigma * growth)

    travel = _sign(move.direction) * move.amount * height * (travelled(p) - travelled(0.5))
    return scale, travel


def _handheld_path(amount: float, width: int, height: int, frame_count: int, fps: float, seed: int) -> tuple[FrameView, ...]:
    """Smooth seeded shake whose peak offset on each axis over the shot is `amount` x height."""
    rng = np.random.default_rng([seed & 0xFFFFFFFF, 0x48484844])
    seconds = np.arange(frame_count, dtype=np.float64) / fps

    def wobble(peak: float) -> np.ndarray:
        freqs = rng.uniform([0.3, 0.8, 1.7], [0.6, 1.4, 2.6])
        phases = rng.uniform(0.0, 2.0 * math.pi, 3)
        signal = sum(w * np.sin(2.0 * math.pi * f * seconds + ph) for w, f, ph in zip((1.0, 0.5, 0.25), freqs, phases, strict=True))
        top = float(np.max(np.abs(signal))) if frame_count else 0.0
        return signal * (peak / top) if top > 1e-9 else np.zeros(frame_count)

    dx = wobble(amount * height)
    dy = wobble(amount * height)
    roll = np.radians(wobble(amount * HANDHELD_ROLL_DEG_PER_AMOUNT))
    centre = (width / 2.0, height / 2.0)
    views = []
    for x, y, r in zip(dx, dy, roll, strict=True):
        c, s = math.cos(r), math.sin(r)
        matrix = _about_centre(np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]]), (float(x), float(y)), centre)
        views.append(FrameView(matrix, matrix))
    return tuple(views)


def _sign(direction: Direction) -> float:
    """+1 where the view travels towards +x or -y (right, up), -1 the other way."""
    if direction is Direction.RIGHT:
        return 1.0
    if direction is Direction.LEFT:
        return -1.0
    if direction is Direction.UP:
        return -1.0
    return 1.0


def _scaling(factor: float) -> np.ndarray:
    return np.diag([factor, factor, 1.0])


def _about_centre(linear: np.ndarray, offset: tuple[float, float], centre: tuple[float, float]) -> np.ndarray:
    """View -> world: `linear` about the frame centre, then the centre moved by `offset`."""
    to_origin = np.array([[1.0, 0.0, -centre[0]], [0.0, 1.0, -centre[1]], [0.0, 0.0, 1.0]])
    back = np.array([[1.0, 0.0, centre[0] + offset[0]], [0.0, 1.0, centre[1] + offset[1]], [0.0, 0.0, 1.0]])
    matrix = back @ linear @ to_origin
    return matrix / matrix[2, 2]


def map_points(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Applies a 3x3 projective matrix to an (N, 2) array of points."""
    homogeneous = np.hstack([points, np.ones((len(points), 1))]) @ matrix.T
    return homogeneous[:, :2] / homogeneous[:, 2:3]


def view_bounds(matrices: Sequence[np.ndarray], width: int, height: int) -> WorldRect:
    """The world rectangle every frame's view falls inside. The views stay clear of the horizon, so
    each is a convex quadrilateral and its four corners bound it."""
    corners = np.array([[0.0, 0.0], [width, 0.0], [width, height], [0.0, height]])
    mapped = np.vstack([map_points(m, corners) for m in matrices])
    return WorldRect(float(mapped[:, 0].min()), float(mapped[:, 1].min()), float(mapped[:, 0].max()), float(mapped[:, 1].max()))


def centre_scale(matrix: np.ndarray, width: int, height: int) -> float:
    """How many output pixels one world unit covers at the frame centre (2 = magnified twice)."""
    cx, cy = width / 2.0, height / 2.0
    p = map_points(matrix, np.array([[cx, cy], [cx + 1.0, cy], [cx, cy + 1.0]]))
    jacobian = np.array([p[1] - p[0], p[2] - p[0]])
    return 1.0 / math.sqrt(abs(float(np.linalg.det(jacobian))))
