"""Builders and measurements shared by the draft backend's tests.

Requests are built directly (no project), small (320x180) so the suite stays fast. Motion is
measured from the pixels alone: phase correlation for translations, SIFT feature matches for
scale and perspective, never from the renderer's own matrices.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from pipeline.backends.base import ShotRenderRequest
from pipeline.backends.draft.renderer import DraftRenderer
from pipeline.progress import CancelToken, ProgressEvent
from studio.camera import CameraMove
from studio.character import Character
from studio.frame_rate import FrameRate
from studio.location import Location, WorldState
from studio.project import StylePreset
from studio.shot import CharacterInShot, Shot, ShotSize

WIDTH, HEIGHT = 320, 180
# Test patterns keep every channel inside this range, so any trace of a black or magenta border
# (or a blend with one) pushes some channel out of it.
PATTERN_LOW, PATTERN_HIGH = 60, 190


def make_request(
    *,
    move: CameraMove | None = None,
    frames: int = 12,
    size: ShotSize = ShotSize.MS,
    width: int = WIDTH,
    height: int = HEIGHT,
    panel_path: Path | None = None,
    cast: tuple[tuple[Character, CharacterInShot], ...] = (),
    location: Location | None = None,
    world: WorldState | None = None,
    description: str = "",
    seed: int = 7,
    lens_mm: float = 35.0,
    number: str = "4",
    style: StylePreset = StylePreset.CLEAN,
) -> ShotRenderRequest:
    shot = Shot(
        id="shot-under-test",
        number=number,
        duration=frames,
        description=description,
        size=size,
        lens_mm=lens_mm,
        camera=move or CameraMove(),
        characters=[placed for _, placed in cast],
        location_id=location.id if location else None,
        seed=seed,
        panel=f"media/{panel_path.name}" if panel_path else None,
    )
    return ShotRenderRequest(
        shot=shot,
        width=width,
        height=height,
        frame_rate=FrameRate(24),
        style=style,
        characters=tuple(character for character, _ in cast),
        location=location,
        world=world if world is not None else (location.world if location else None),
        panel_path=panel_path,
        previous_last_frame=None,
        sound_media={},
        seed=seed,
        input_hash="test",
    )


def render_all(request: ShotRenderRequest, renderer: DraftRenderer | None = None, events: list[ProgressEvent] | None = None) -> list[np.ndarray]:
    sink = events if events is not None else []
    return list((renderer or DraftRenderer()).render_frames(request, sink.append, CancelToken()))


def pattern_image(width: int, height: int, seed: int = 3) -> np.ndarray:
    """A richly textured RGB image (blobs at several scales plus sharp-edged shapes, so both phase
    correlation and feature matching lock on) with every channel in [PATTERN_LOW, PATTERN_HIGH]."""
    rng = np.random.default_rng(seed)
    texture = np.zeros((height, width, 3), dtype=np.float32)
    for cell, weight in ((64, 1.0), (16, 0.6), (4, 0.35)):
        coarse = rng.random((max(2, height // cell + 2), max(2, width // cell + 2), 3)).astype(np.float32)
        texture += weight * cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    texture -= texture.min()
    texture *= 255.0 / texture.max()
    image = texture.astype(np.uint8)
    for _ in range(width * height // 900):
        centre = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        axes = (int(rng.integers(2, 14)), int(rng.integers(2, 14)))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        cv2.ellipse(image, centre, axes, float(rng.uniform(0, 180)), 0, 360, colour, -1)
    return np.clip(image, PATTERN_LOW, PATTERN_HIGH).astype(np.uint8)


def write_pattern(path: Path, width: int, height: int, seed: int = 3) -> np.ndarray:
    image = pattern_image(width, height, seed)
    cv2.imwrite(str(path), cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
    return image


def _grey(frame: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY).astype(np.float32)


def measure_shift(before: np.ndarray, after: np.ndarray) -> tuple[float, float]:
    """How far the picture content moved from `before` to `after`, in pixels (x right, y down):
    phase correlation finds the shift, ECC alignment refines it (phase correlation's sub-pixel
    peak leans toward whole pixels by up to a tenth of one, which adds up over a move)."""
    a, b = _grey(before), _grey(after)
    (dx, dy), _ = cv2.phaseCorrelate(a, b)
    warp = np.array([[1.0, 0.0, dx], [0.0, 1.0, dy]], dtype=np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 100, 1e-6)
    _, warp = cv2.findTransformECC(a, b, warp, cv2.MOTION_TRANSLATION, criteria, None, 1)
    return float(warp[0, 2]), float(warp[1, 2])


def match_points(source: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SIFT matches (ratio test) as two (N, 2) arrays of corresponding points."""
    sift = cv2.SIFT_create()
    kp1, des1 = sift.detectAndCompute(cv2.cvtColor(source, cv2.COLOR_RGB2GRAY), None)
    kp2, des2 = sift.detectAndCompute(cv2.cvtColor(target, cv2.COLOR_RGB2GRAY), None)
    pairs = cv2.BFMatcher(cv2.NORM_L2).knnMatch(des1, des2, k=2)
    good = [m for m, n in (p for p in pairs if len(p) == 2) if m.distance < 0.75 * n.distance]
    src = np.array([kp1[m.queryIdx].pt for m in good], dtype=np.float64)
    dst = np.array([kp2[m.trainIdx].pt for m in good], dtype=np.float64)
    return src, dst


def measure_homography(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The 3x3 map from `source` pixel positions to where the same content sits in `target`."""
    src, dst = match_points(source, target)
    assert len(src) >= 12, f"too few feature matches ({len(src)}) to measure the move"
    matrix, inliers = cv2.findHomography(src, dst, cv2.RANSAC, 1.0, maxIters=5000, confidence=0.999)
    assert matrix is not None and int(inliers.sum()) >= 12
    return matrix / matrix[2, 2]


def measure_scale(source: np.ndarray, target: np.ndarray) -> float:
    """How much larger content appears in `target` than in `source` (a similarity fit)."""
    src, dst = match_points(source, target)
    assert len(src) >= 12, f"too few feature matches ({len(src)}) to measure the scale"
    matrix, _ = cv2.estimateAffinePartial2D(src, dst, method=cv2.RANSAC, ransacReprojThreshold=1.0, maxIters=5000, confidence=0.999)
    assert matrix is not None
    return float(np.hypot(matrix[0, 0], matrix[1, 0]))


def apply_homography(matrix: np.ndarray, x: float, y: float) -> tuple[float, float]:
    p = matrix @ np.array([x, y, 1.0])
    return float(p[0] / p[2]), float(p[1] / p[2])
