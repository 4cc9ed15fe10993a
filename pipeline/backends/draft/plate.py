"""A picture of part of the world, drawn once per shot and framed by one warp per frame.

The plate covers every world position any frame samples (plus a margin for interpolation), at a
resolution that serves the closest view of the shot. A pyramid of halved copies serves the wider
views, so a zoom out samples a plate near its own scale instead of aliasing a sharp one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.backends.draft.camera_path import WorldRect, map_points

# The largest level-0 plate (pixels) a shot may allocate; 16 M RGB pixels is 48 MB. Beyond it
# the plate is drawn at a lower resolution: the closest views soften, nothing else changes.
MAX_PLATE_PIXELS = 16_000_000
_MAX_LEVELS = 5
# Margin, in pixels of the coarsest level, between the sampled area and the plate's edge: bilinear
# sampling reads one pixel beyond the sample position, the second keeps fixed-point rounding inside.
_PAD_COARSEST_PX = 2
# Sample positions must stay this far (pixels of the sampled level) inside the plate's edge pixels.
_COVERAGE_SLACK_PX = 0.5


class PlateCoverageError(AssertionError):
    """A frame would sample outside its plate: a bug in the plate's sizing, never a user error."""


@dataclass(frozen=True)
class PlateGeometry:
    rect: WorldRect  # the world area level 0 covers exactly
    resolution: float  # level-0 pixels per world unit
    levels: int
    width: int  # level-0 pixels
    height: int

    @classmethod
    def covering(cls, views: WorldRect, max_scale: float, min_scale: float, resolution_limit: float | None = None) -> PlateGeometry:
        """A plate for views that magnify the world between min_scale and max_scale times."""
        resolution = max_scale if resolution_limit is None else min(max_scale, resolution_limit)
        resolution = min(resolution, math.sqrt(MAX_PLATE_PIXELS / max(views.width * views.height, 1.0)))
        resolution = max(resolution, 1e-3)
        ratio = resolution / (min_scale * math.sqrt(2.0))
        levels = 1 + min(_MAX_LEVELS - 1, max(0, math.ceil(math.log2(ratio)))) if ratio > 1.0 else 1
        unit = 2 ** (levels - 1)  # level-0 sizes divisible by this halve exactly at every level
        pad = _PAD_COARSEST_PX * unit / resolution
        width = math.ceil((views.width + 2.0 * pad) * resolution / unit) * unit
        height = math.ceil((views.height + 2.0 * pad) * resolution / unit) * unit
        left, top = views.left - pad, views.top - pad
        rect = WorldRect(left, top, left + width / resolution, top + height / resolution)
        return cls(rect, resolution, levels, width, height)

    def level_resolution(self, level: int) -> float:
        return self.resolution / 2**level

    def world_to_level(self, level: int) -> np.ndarray:
        """World -> pixel index of a level (pixel centres at integers)."""
        r = self.level_resolution(level)
        return np.array([[r, 0.0, -r * self.rect.left - 0.5], [0.0, r, -r * self.rect.top - 0.5], [0.0, 0.0, 1.0]])

    def level_for(self, scale: float) -> int:
        """The level whose pixels are nearest in size to an output pixel at this view scale."""
        level = round(math.log2(self.resolution / scale)) if scale > 0 else self.levels - 1
        return max(0, min(self.levels - 1, level))


# Output pixel index -> continuous output position.
_INDEX_TO_VIEW = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.0, 0.0, 1.0]])


class Plate:
    """RGB (3 channels) or premultiplied RGBA (4 channels, transparent outside) world picture."""

    def __init__(self, geometry: PlateGeometry, image: np.ndarray) -> None:
        if image.shape[:2] != (geometry.height, geometry.width):
            raise ValueError(f"plate image is {image.shape[1]}x{image.shape[0]}, geometry wants {geometry.width}x{geometry.height}")
        self.geometry = geometry
        self.pyramid = [np.ascontiguousarray(image)]
        for _ in range(1, geometry.levels):
            prev = self.pyramid[-1]
            self.pyramid.append(cv2.resize(prev, (prev.shape[1] // 2, prev.shape[0] // 2), interpolation=cv2.INTER_AREA))
        self._last_layer: tuple[tuple[bytes, int, int, int], tuple[int, int, int, int], np.ndarray | None] | None = None

    def sampling_matrix(self, view_to_world: np.ndarray, level: int) -> np.ndarray:
        """Output pixel index -> plate pixel index at a level, for warps with WARP_INVERSE_MAP."""
        matrix = self.geometry.world_to_level(level) @ view_to_world @ _INDEX_TO_VIEW
        return matrix / matrix[2, 2]

    def check_covers(self, view_to_world: np.ndarray, width: int, height: int, level: int) -> None:
        matrix = self.sampling_matrix(view_to_world, level)
        corners = np.array([[0.0, 0.0], [width - 1.0, 0.0], [width - 1.0, height - 1.0], [0.0, height - 1.0]])
        mapped = map_points(matrix, corners)
        image = self.pyramid[level]
        low, high_x, high_y = _COVERAGE_SLACK_PX, image.shape[1] - 1.0 - _COVERAGE_SLACK_PX, image.shape[0] - 1.0 - _COVERAGE_SLACK_PX
        inside = (mapped[:, 0] >= low) & (mapped[:, 0] <= high_x) & (mapped[:, 1] >= low) & (mapped[:, 1] <= high_y)
        if not bool(inside.all()):
            raise PlateCoverageError(f"a frame samples {mapped.round(2).tolist()} outside plate level {level} of {image.shape[1]}x{image.shape[0]}")

    def frame(self, view_to_world: np.ndarray, width: int, height: int, level: int, border_value: tuple[int, int, int]) -> np.ndarray:
        """A new width x height RGB picture of the view; nothing comes from outside the plate."""
        matrix = self.sampling_matrix(view_to_world, level)
        if _is_translation(matrix):
            return _translate(self.pyramid[level], matrix[0, 2], matrix[1, 2], width, height)
        return _warp(self.pyramid[level], matrix, (width, height), border_value)

    def composite_onto(self, frame: np.ndarray, view_to_world: np.ndarray, level: int) -> None:
        """Lays this premultiplied RGBA plate over `frame` in place, only where it can land."""
        height, width = frame.shape[:2]
        key = (view_to_world.tobytes(), level, width, height)
        if self._last_layer is None or self._last_layer[0] != key:
            # Figures often hold still while the set moves (an orbit): warp them once for a run of frames.
            x0, y0, x1, y1 = self._landing_box(view_to_world, width, height)
            layer = None
            if x1 > x0 and y1 > y0:
                shift = np.array([[1.0, 0.0, x0], [0.0, 1.0, y0], [0.0, 0.0, 1.0]])
                matrix = self.sampling_matrix(view_to_world, level) @ shift
                layer = _warp(self.pyramid[level], matrix / matrix[2, 2], (x1 - x0, y1 - y0), (0, 0, 0, 0))
            self._last_layer = (key, (x0, y0, x1, y1), layer)
        _, (x0, y0, x1, y1), layer = self._last_layer
        if layer is not None:
            lay_over(frame[y0:y1, x0:x1], layer)

    def _landing_box(self, view_to_world: np.ndarray, width: int, height: int) -> tuple[int, int, int, int]:
        if not np.allclose(view_to_world[2], [0.0, 0.0, 1.0]):
            return 0, 0, width, height  # a projective view can fold the box; warp the whole frame
        corners = map_points(np.linalg.inv(view_to_world), self.geometry.rect.corners())
        x0 = max(0, math.floor(corners[:, 0].min()) - 1)
        y0 = max(0, math.floor(corners[:, 1].min()) - 1)
        x1 = min(width, math.ceil(corners[:, 0].max()) + 1)
        y1 = min(height, math.ceil(corners[:, 1].max()) + 1)
        return x0, y0, x1, y1


def lay_over(region: np.ndarray, layer: np.ndarray) -> None:
    """Premultiplied RGBA `layer` over RGB `region` of the same size, in place. Solid pixels are
    copied under a mask and only the few partly covered ones (edges, shadows) are blended, which
    is several times faster than blending the whole region."""
    alpha = cv2.extractChannel(layer, 3)
    colour = cv2.cvtColor(layer, cv2.COLOR_RGBA2RGB)
    cv2.copyTo(colour, cv2.compare(alpha, 255, cv2.CMP_EQ), region)
    partial = cv2.findNonZero(cv2.inRange(alpha, 1, 254))
    if partial is None:
        return
    points = partial.reshape(-1, 2)
    xs, ys = points[:, 0], points[:, 1]
    cover = alpha[ys, xs][:, None].astype(np.uint16)
    below = region[ys, xs].astype(np.uint16)
    blended = (below * (255 - cover) + 127) // 255 + colour[ys, xs]
    region[ys, xs] = np.minimum(blended, 255).astype(np.uint8)


def _is_translation(matrix: np.ndarray) -> bool:
    return bool(np.array_equal(matrix[:, :2], [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]) and matrix[2, 2] == 1.0)


def _translate(image: np.ndarray, tx: float, ty: float, width: int, height: int) -> np.ndarray:
    """Bilinear sampling of a shifted window: a 2x2 filter over a crop, several times cheaper than
    a general warp and exact to rounding. The caller guarantees the window lies inside the image."""
    ix, iy = math.floor(tx), math.floor(ty)
    fx, fy = tx - ix, ty - iy
    if fx == 0.0 and fy == 0.0:
        return image[iy : iy + height, ix : ix + width].copy()
    crop = image[iy : iy + height + 1, ix : ix + width + 1]
    kernel = np.array([[(1 - fx) * (1 - fy), fx * (1 - fy)], [(1 - fx) * fy, fx * fy]], dtype=np.float32)
    return np.ascontiguousarray(cv2.filter2D(crop, -1, kernel, anchor=(0, 0), borderType=cv2.BORDER_REPLICATE)[:height, :width])


def _warp(image: np.ndarray, matrix: np.ndarray, size: tuple[int, int], border_value: tuple[int, ...]) -> np.ndarray:
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    if np.allclose(matrix[2], [0.0, 0.0, 1.0], rtol=0.0, atol=1e-12):
        return cv2.warpAffine(image, matrix[:2], size, flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=border_value)
    return cv2.warpPerspective(image, matrix, size, flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=border_value)
