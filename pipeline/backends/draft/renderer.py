"""DraftRenderer: the CPU animatic backend, and the app's default.

It turns a shot into frames from its storyboard panel (or a generated storyboard card when the
shot has none) and its camera move. No model, no GPU, no network: a shot renders in about the time
its video takes to encode. Overlays (shot number, timecode, subtitles) and sound are the
assembly's, not the backend's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np

from pipeline.backends.base import ShotRenderError, ShotRenderRequest
from pipeline.backends.draft.camera_path import FrameView, check_camera_move, plan_camera_path
from pipeline.backends.draft.figures import layout_figures
from pipeline.backends.draft.look import world_look
from pipeline.backends.draft.panel import load_panel
from pipeline.backends.draft.picture import CardContent, ShotPicture, card_picture, panel_picture
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent

STAGE = "picture"


class DraftRenderer:
    name = "draft"
    version = "1"

    def __init__(self, outside_plate_colour: tuple[int, int, int] = (0, 0, 0)) -> None:
        """outside_plate_colour: what a frame would show where it sampled beyond its plate. The
        plate is sized so that never happens; tests set a loud colour to prove it."""
        self.outside_plate_colour = outside_plate_colour

    def render_frames(self, request: ShotRenderRequest, progress: ProgressCallback, cancel: CancelToken) -> Iterator[np.ndarray]:
        """Checks everything a user can get wrong at once (so the error comes before any work is
        queued behind it), then returns the frames as a lazy iterator."""
        check_request(request)
        views = plan_camera_path(request.shot.camera, request.width, request.height, request.frame_count, request.fps, request.seed, request.shot.lens_mm)
        if request.panel_path is not None:
            panel = load_panel(request)
            return self._frames(request, views, lambda: panel_picture(request, panel, views, self.outside_plate_colour), progress, cancel)
        interior = request.location.interior if request.location is not None else None
        card = CardContent(world_look(request.world, request.label), layout_figures(request), interior)
        return self._frames(request, views, lambda: card_picture(request, card, views, self.outside_plate_colour), progress, cancel)

    @staticmethod
    def _frames(
        request: ShotRenderRequest, views: tuple[FrameView, ...], build: Callable[[], ShotPicture], progress: ProgressCallback, cancel: CancelToken
    ) -> Iterator[np.ndarray]:
        total = len(views)
        cancel.raise_if_cancelled()
        progress(ProgressEvent(job=request.label, stage=STAGE, done=0, total=total, message="drawing the plate"))
        picture = build()
        for index in range(total):
            cancel.raise_if_cancelled()
            frame = picture.frame(index)
            progress(ProgressEvent(job=request.label, stage=STAGE, done=index + 1, total=total))
            yield frame


def check_request(request: ShotRenderRequest) -> None:
    """Raises ShotRenderError, naming the shot and the fix, for a request no renderer can draw."""
    label, shot = request.label, request.shot
    if request.frame_count <= 0:
        raise ShotRenderError(f"{label} has no frames (duration {request.frame_count}); give it a duration of at least one frame")
    if request.width <= 0 or request.height <= 0:
        raise ShotRenderError(f"{label}: cannot render a {request.width}x{request.height} picture; set the project's format to a positive width and height")
    if not (math.isfinite(shot.lens_mm) and shot.lens_mm > 0):
        raise ShotRenderError(f"{label}: lens {shot.lens_mm} mm is not a focal length; set the shot's lens to a positive number of millimetres")
    check_camera_move(shot.camera, label)
