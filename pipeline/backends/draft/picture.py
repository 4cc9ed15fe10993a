"""One shot's picture, built once: its plates, caption band and weather, and how to frame them.

Everything costly happens here, before the first frame: the set and figures are drawn, softened
and styled on plates sized for the whole move, and the plates are checked to contain every view.
A frame is then one warp of the set, a small warp of the figures where the move has parallax, and
two cheap overlays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.backends.base import ShotRenderRequest
from pipeline.backends.draft.camera_path import FrameView, WorldRect, centre_scale, view_bounds
from pipeline.backends.draft.canvas import Canvas
from pipeline.backends.draft.caption import caption_band
from pipeline.backends.draft.card import EXTERIOR_HORIZON, INTERIOR_FLOOR_LINE, draw_set, fog, soften
from pipeline.backends.draft.figures import Figure, draw_figure, figures_extent
from pipeline.backends.draft.look import Look, apply_style
from pipeline.backends.draft.panel import panel_plate_image, panel_scale
from pipeline.backends.draft.plate import Plate, PlateGeometry, lay_over
from pipeline.backends.draft.weather import Precipitation
from studio.project import StylePreset


@dataclass(frozen=True)
class CardContent:
    """What a generated card shows when the shot has no panel of its own."""

    look: Look
    figures: list[Figure]
    interior: bool | None  # None: no location, a neutral backdrop


class ShotPicture:
    def __init__(
        self,
        request: ShotRenderRequest,
        views: Sequence[FrameView],
        background: Plate,
        foreground: Plate | None,
        band: np.ndarray | None,
        precipitation: Precipitation | None,
        outside_plate_colour: tuple[int, int, int],
    ) -> None:
        self._width, self._height = request.width, request.height
        self._views = views
        self._background = background
        self._foreground = foreground
        self._band = band
        self._precipitation = precipitation
        self._outside = outside_plate_colour
        self._levels = [background.geometry.level_for(centre_scale(v.background, self._width, self._height)) for v in views]
        self._foreground_levels = (
            [foreground.geometry.level_for(centre_scale(v.foreground, self._width, self._height)) for v in views] if foreground is not None else []
        )
        for view, level in zip(views, self._levels, strict=True):
            background.check_covers(view.background, self._width, self._height, level)

    def frame(self, index: int) -> np.ndarray:
        view = self._views[index]
        frame = self._background.frame(view.background, self._width, self._height, self._levels[index], self._outside)
        if self._foreground is not None:
            self._foreground.composite_onto(frame, view.foreground, self._foreground_levels[index])
        if self._precipitation is not None:
            self._precipitation.apply(frame, index)
        if self._band is not None:
            frame[self._height - self._band.shape[0] :] = self._band
        return frame


def _scale_range(matrices: Sequence[np.ndarray], width: int, height: int) -> tuple[float, float]:
    scales = [centre_scale(m, width, height) for m in matrices]
    return max(scales), min(scales)


def _set_geometry(views: Sequence[FrameView], width: int, height: int, resolution_limit: float | None) -> PlateGeometry:
    matrices = [v.background for v in views]
    return PlateGeometry.covering(view_bounds(matrices, width, height), *_scale_range(matrices, width, height), resolution_limit=resolution_limit)


def panel_picture(request: ShotRenderRequest, panel: np.ndarray, views: Sequence[FrameView], outside_plate_colour: tuple[int, int, int]) -> ShotPicture:
    """The user's panel, framed by the move; nothing is drawn over the user's picture."""
    native = 1.0 / panel_scale(panel, request.width, request.height)
    geometry = _set_geometry(views, request.width, request.height, resolution_limit=max(1.0, native))
    plate = Plate(geometry, panel_plate_image(panel, geometry, request.width, request.height))
    return ShotPicture(request, views, plate, None, None, None, outside_plate_colour)


def card_picture(request: ShotRenderRequest, card: CardContent, views: Sequence[FrameView], outside_plate_colour: tuple[int, int, int]) -> ShotPicture:
    width, height = request.width, request.height
    geometry = _set_geometry(views, width, height, resolution_limit=None)
    image = np.zeros((geometry.height, geometry.width, 3), dtype=np.uint8)
    canvas = Canvas(image, geometry)
    draw_set(canvas, card.look, width, height, card.interior, request.seed)
    if card.look.weather.fog and card.interior is not True:
        horizon = EXTERIOR_HORIZON if card.interior is False else INTERIOR_FLOOR_LINE
        fog(image, canvas, card.look, horizon * height, height)
    image = soften(image, request.shot.size, height, geometry.resolution)
    foreground = None
    if card.figures:
        if any(v.has_parallax for v in views):
            foreground = _figure_plate(request, card.figures, views)
        else:
            layer = _figure_layer(card.figures, geometry)
            lay_over(image, layer)
    image = apply_style(image, request.style)
    band = caption_band(request)
    precipitation = Precipitation.for_look(card.look, width, height, request.fps, request.seed) if card.interior is False else None
    return ShotPicture(request, views, Plate(geometry, image), foreground, band, precipitation, outside_plate_colour)


def _figure_layer(figures: list[Figure], geometry: PlateGeometry) -> np.ndarray:
    layer = np.zeros((geometry.height, geometry.width, 4), dtype=np.uint8)
    canvas = Canvas(layer, geometry)
    for figure in figures:
        draw_figure(canvas, figure)
    return layer


def _figure_plate(request: ShotRenderRequest, figures: list[Figure], views: Sequence[FrameView]) -> Plate | None:
    """Figures on their own transparent plate, for moves where they travel apart from the set."""
    matrices = [v.foreground for v in views]
    extent = figures_extent(figures)
    if extent is None:
        return None
    seen: WorldRect = view_bounds(matrices, request.width, request.height).intersection(extent)
    if seen.is_empty:
        return None
    geometry = PlateGeometry.covering(seen, *_scale_range(matrices, request.width, request.height))
    layer = _figure_layer(figures, geometry)
    _style_premultiplied(layer, request.style)
    return Plate(geometry, layer)


def _style_premultiplied(layer: np.ndarray, style: StylePreset) -> None:
    """Styles the colour of a premultiplied layer: undo the alpha, style, redo it."""
    if style is StylePreset.CLEAN:
        return
    alpha = layer[:, :, 3:4].astype(np.float32)
    straight = np.where(alpha > 0, layer[:, :, :3].astype(np.float32) * 255.0 / np.maximum(alpha, 1.0), 0.0)
    styled = apply_style(np.clip(straight + 0.5, 0, 255).astype(np.uint8), style)
    layer[:, :, :3] = (styled.astype(np.float32) * alpha / 255.0 + 0.5).astype(np.uint8)
