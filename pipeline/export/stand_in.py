"""Pictures for shots that have no usable take: the draft animatic of the shot, or a slate saying why.

A shot without a take is still part of the cut: editors get the draft renderer's moving storyboard
(the user's panel, or a generated storyboard card, with the shot's camera move) so its length and
framing read on the timeline. A take whose media file is missing gets a slate, so nobody mistakes a
stand-in for the real take.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from pipeline.assemble.clips import Clip, problem_slate
from pipeline.export.shot_clips import ShotSource
from pipeline.progress import CancelToken, no_progress
from studio.errors import StudioError
from studio.project import Project

log = logging.getLogger(__name__)


def slate(source: ShotSource, width: int, height: int, problem: str | None = None) -> np.ndarray:
    reason = problem or source.problem or f"shot {source.shot.number} has no picture"
    clip = Clip(source.shot, source.start, None, None, source.take_label, reason, False)
    return problem_slate(clip, width, height)


def draft_frames(project: Project, folder: Path, source: ShotSource, width: int, height: int, cancel: CancelToken) -> Iterator[np.ndarray] | None:
    """The draft backend's frames for the shot at width x height, or None where it cannot draw it
    (the reason is logged; the caller falls back to a slate)."""
    try:
        from pipeline.backends.registry import create_backend
        from pipeline.render.request_builder import build_request

        renderer = create_backend("draft")
        request = build_request(project, folder, source.shot, (width, height))
        return iter(renderer.render_frames(request, no_progress, cancel))
    except (ImportError, StudioError) as exc:
        log.info("no draft picture for shot %s: %s", source.shot.number, exc)
        return None


def draft_still(project: Project, folder: Path, source: ShotSource, width: int, height: int) -> np.ndarray | None:
    """The middle frame of the shot's draft animatic, for a storyboard panel."""
    frames = draft_frames(project, folder, source, width, height, CancelToken())
    if frames is None:
        return None
    middle = None
    try:
        for index, frame in enumerate(frames):
            middle = frame
            if index >= source.duration // 2:
                break
    except StudioError as exc:
        log.info("no draft picture for shot %s: %s", source.shot.number, exc)
        return None
    return middle
