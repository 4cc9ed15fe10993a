"""The user's storyboard panel (a still or sketch) made into a plate.

The panel is fitted to cover the frame as composed, centred, the way a director framed it; a
panel drawn wider or taller than the frame (a panorama for a pan) keeps its extra picture for
the move. Where a move looks past the panel's edge the plate continues it as a mirror image, so a
move never reveals an empty border.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from pipeline.backends.base import ShotRenderError, ShotRenderRequest
from pipeline.backends.draft.plate import PlateGeometry

_FIX = "re-import the panel or clear it"


def panel_name(request: ShotRenderRequest) -> str:
    """The panel as the user knows it: its project media path when the shot has one."""
    return request.shot.panel or str(request.panel_path)


def load_panel(request: ShotRenderRequest) -> np.ndarray:
    """The shot's panel as an RGB uint8 image; a missing or unreadable file is the user's to fix."""
    path = request.panel_path
    if path is None:
        raise ValueError("load_panel needs a request with a panel_path")
    name = panel_name(request)
    if not Path(path).is_file():
        raise ShotRenderError(f"{request.label}: panel image {name} is missing; {_FIX}")
    try:
        # imdecode of the bytes, unlike imread, reads paths with non-ASCII names on every platform.
        data = np.fromfile(path, dtype=np.uint8)
    except OSError as error:
        raise ShotRenderError(f"{request.label}: panel image {name} cannot be opened ({error.strerror}); {_FIX}") from None
    image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    if image is None or image.size == 0:
        raise ShotRenderError(f"{request.label}: panel image {name} cannot be read (not an image or damaged); {_FIX}")
    return _to_rgb8(image)


def _to_rgb8(image: np.ndarray) -> np.ndarray:
    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    elif image.dtype != np.uint8:
        image = cv2.normalize(image, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    if image.shape[2] == 4:
        # A transparent panel is drawn on paper: lay it on white rather than on its hidden colours.
        colour = image[:, :, :3].astype(np.float32)
        alpha = image[:, :, 3:4].astype(np.float32) / 255.0
        image = (colour * alpha + 255.0 * (1.0 - alpha) + 0.5).astype(np.uint8)
    return cv2.cvtColor(image[:, :, :3], cv2.COLOR_BGR2RGB)


def panel_scale(panel: np.ndarray, width: int, height: int) -> float:
    """World units per panel pixel when the panel covers the frame."""
    return max(width / panel.shape[1], height / panel.shape[0])


def panel_plate_image(panel: np.ndarray, geometry: PlateGeometry, width: int, height: int) -> np.ndarray:
    """The level-0 plate picture: the panel placed over the composed frame, mirrored beyond its edges."""
    scale = panel_scale(panel, width, height)
    plate_px_per_panel_px = geometry.resolution * scale
    if plate_px_per_panel_px < 0.5:
        # A bilinear warp would alias a much larger panel; average it down close to size first.
        new_size = (max(1, round(panel.shape[1] * plate_px_per_panel_px)), max(1, round(panel.shape[0] * plate_px_per_panel_px)))
        scale *= panel.shape[1] / new_size[0]
        panel = cv2.resize(panel, new_size, interpolation=cv2.INTER_AREA)
    ph, pw = panel.shape[:2]
    # Panel continuous position -> world: scaled about the panel's centre onto the frame's centre.
    panel_to_world = np.array([[scale, 0.0, width / 2.0 - scale * pw / 2.0], [0.0, scale, height / 2.0 - scale * ph / 2.0], [0.0, 0.0, 1.0]])
    index_to_continuous = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.0, 0.0, 1.0]])
    panel_index_to_plate_index = geometry.world_to_level(0) @ panel_to_world @ index_to_continuous
    plate_to_panel = np.linalg.inv(panel_index_to_plate_index)
    return cv2.warpAffine(
        panel,
        plate_to_panel[:2],
        (geometry.width, geometry.height),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        # Reflection needs two pixels to mirror about; a one-pixel-wide panel can only repeat.
        borderMode=cv2.BORDER_REFLECT_101 if min(pw, ph) > 1 else cv2.BORDER_REPLICATE,
    )
