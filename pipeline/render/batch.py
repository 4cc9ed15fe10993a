"""Rendering a batch of shots in timeline order, re-using any take made from the same inputs.

The engine never edits the document itself: it hands each edit (a new take, a chosen take, a
lengthened shot) to `apply`, which the caller routes through its undo history. Shots are rendered
in order because a chained shot's inputs include the take its predecessor just got.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from pipeline.audio.shot_mix import dialogue_overruns
from pipeline.backends.base import GenerationRenderer, ShotRenderer, ShotRenderRequest
from pipeline.backends.registry import create_backend
from pipeline.moderation import check_generation
from pipeline.progress import CancelToken, ProgressCallback, RenderCancelled
from pipeline.render.request_builder import build_request
from pipeline.render.shot_render import RenderedShot, render_shot, take_settings
from studio.commands import AddTake, Command, SetActiveTake, SetField
from studio.errors import StudioError
from studio.project import Project
from studio.render_inputs import shot_input_hash
from studio.shot import Shot
from studio.take import Take

log = logging.getLogger(__name__)


class ShotOutcomeKind(StrEnum):
    RENDERED = "rendered"
    CACHED = "cached"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class ShotOutcome:
    shot_id: str
    number: str
    kind: ShotOutcomeKind
    message: str = ""


@dataclass
class BatchReport:
    outcomes: list[ShotOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cancelled: bool = False

    def count(self, kind: ShotOutcomeKind) -> int:
        return sum(1 for o in self.outcomes if o.kind is kind)

    @property
    def failures(self) -> dict[str, str]:
        return {o.shot_id: o.message for o in self.outcomes if o.kind is ShotOutcomeKind.FAILED}


@dataclass(frozen=True)
class BatchOptions:
    shot_ids: list[str] | None = None  # None: every shot
    backend: str | None = None  # None: each shot's own backend
    size: tuple[int, int] | None = None  # None: the project's frame size
    new_take: bool = False  # render even when a matching take exists


def matching_take(shot: Shot, input_hash: str, settings: dict[str, str]) -> Take | None:
    for take in reversed(shot.takes):
        if take.input_hash == input_hash and take.settings == settings:
            return take
    return None


@dataclass(frozen=True)
class PreparedShot:
    request: ShotRenderRequest
    renderer: ShotRenderer
    take_number: int


class TakePlanner:
    """Decides shot by shot whether a render is needed, re-using a take made from the same inputs,
    and records each outcome. Shots must be prepared in timeline order (chained shots)."""

    def __init__(self, project: Project, folder: Path, options: BatchOptions, apply: Callable[[Command], None], report: BatchReport) -> None:
        self.project, self.folder, self.options, self.apply, self.report = project, folder, options, apply, report
        self._renderers: dict[str, ShotRenderer] = {}
        self._wanted = set(options.shot_ids) if options.shot_ids is not None else None
        self.size = options.size or (project.format.width, project.format.height)

    def selected(self, shot: Shot) -> bool:
        return self._wanted is None or shot.id in self._wanted

    def prepare(self, shot: Shot, cancel: CancelToken) -> PreparedShot | None:
        """What to render for this shot, or None when nothing is to be rendered (re-used, failed, not selected)."""
        if not self.selected(shot):
            return None
        if cancel.cancelled:
            self.cancelled(shot)
            return None
        try:
            backend_name = self.options.backend or shot.backend
            if backend_name not in self._renderers:
                self._renderers[backend_name] = create_backend(backend_name)
            renderer = self._renderers[backend_name]
            if isinstance(renderer, GenerationRenderer):  # draft renders are not moderated
                check_generation(build_request(self.project, self.folder, shot, self.options.size), backend_name, self.folder / "cache")
            settings = take_settings(renderer, *self.size)
            _fit_dialogue(self.project, self.folder, shot, self.options.size, self.apply, self.report)
            input_hash = shot_input_hash(self.project, shot)
            reusable = None if self.options.new_take else matching_take(shot, input_hash, settings)
            if reusable is not None:
                if shot.active_take_id != reusable.id:
                    self.apply(SetActiveTake(shot.id, reusable.id))
                self.report.outcomes.append(ShotOutcome(shot.id, shot.number, ShotOutcomeKind.CACHED))
                return None
            return PreparedShot(build_request(self.project, self.folder, shot, self.options.size), renderer, shot.next_take_number)
        except Exception as exc:  # noqa: BLE001 - one broken shot must not stop the others
            self.fail(shot, exc)
            return None

    def record(self, shot: Shot, rendered: RenderedShot) -> None:
        self.apply(AddTake(shot.id, rendered.take))
        # Renderers say a general warning once each; several workers (a farm) would say it once per worker.
        self.report.warnings.extend(w for w in rendered.warnings if w not in self.report.warnings)
        self.report.outcomes.append(ShotOutcome(shot.id, shot.number, ShotOutcomeKind.RENDERED))

    def cancelled(self, shot: Shot) -> None:
        self.report.cancelled = True
        self.report.outcomes.append(ShotOutcome(shot.id, shot.number, ShotOutcomeKind.CANCELLED))

    def fail(self, shot: Shot, exc: Exception) -> str:
        if isinstance(exc, StudioError):
            message = str(exc)
            if not message.startswith(f"shot {shot.number}"):
                message = f"shot {shot.number}: {message}"
        else:
            log.error("shot %s failed", shot.number, exc_info=exc)
            message = f"shot {shot.number}: internal error ({exc}); the log has details"
        self.report.outcomes.append(ShotOutcome(shot.id, shot.number, ShotOutcomeKind.FAILED, message))
        return message


def render_batch(
    project: Project,
    folder: Path,
    options: BatchOptions,
    apply: Callable[[Command], None],
    progress: ProgressCallback,
    cancel: CancelToken,
) -> BatchReport:
    report = BatchReport()
    planner = TakePlanner(project, folder, options, apply, report)
    for shot in list(project.shots()):
        prepared = planner.prepare(shot, cancel)
        if prepared is None:
            continue
        try:
            planner.record(shot, render_shot(prepared.request, prepared.renderer, folder, prepared.take_number, progress, cancel))
        except RenderCancelled:
            planner.cancelled(shot)
        except Exception as exc:  # noqa: BLE001 - one broken shot must not stop the others
            planner.fail(shot, exc)
    return report


def _fit_dialogue(project: Project, folder: Path, shot: Shot, size: tuple[int, int] | None, apply: Callable[[Command], None], report: BatchReport) -> None:
    overruns = dialogue_overruns(build_request(project, folder, shot, size), folder / "cache" / "voices")
    if not overruns:
        return
    if shot.allow_dialogue_extend:
        needed = max(o.needed_frames for o in overruns)
        apply(SetField("shot", shot.id, "duration", needed, label=f"Lengthen shot {shot.number} to fit its dialogue"))
        report.warnings.append(f"shot {shot.number}: lengthened to {needed} frames so its dialogue finishes")
    else:
        report.warnings.extend(o.message for o in overruns)
