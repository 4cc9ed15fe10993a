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
from pipeline.backends.base import ShotRenderer
from pipeline.backends.registry import create_backend
from pipeline.progress import CancelToken, ProgressCallback, RenderCancelled
from pipeline.render.request_builder import build_request
from pipeline.render.shot_render import render_shot, take_settings
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


def _matching_take(shot: Shot, input_hash: str, settings: dict[str, str]) -> Take | None:
    for take in reversed(shot.takes):
        if take.input_hash == input_hash and take.settings == settings:
            return take
    return None


def render_batch(
    project: Project,
    folder: Path,
    options: BatchOptions,
    apply: Callable[[Command], None],
    progress: ProgressCallback,
    cancel: CancelToken,
) -> BatchReport:
    report = BatchReport()
    renderers: dict[str, ShotRenderer] = {}
    wanted = set(options.shot_ids) if options.shot_ids is not None else None
    width, height = options.size or (project.format.width, project.format.height)
    for shot in list(project.shots()):
        if wanted is not None and shot.id not in wanted:
            continue
        if cancel.cancelled:
            report.cancelled = True
            report.outcomes.append(ShotOutcome(shot.id, shot.number, ShotOutcomeKind.CANCELLED))
            continue
        try:
            backend_name = options.backend or shot.backend
            if backend_name not in renderers:
                renderers[backend_name] = create_backend(backend_name)
            renderer = renderers[backend_name]
            settings = take_settings(renderer, width, height)
            _fit_dialogue(project, folder, shot, options.size, apply, report)
            input_hash = shot_input_hash(project, shot)
            reusable = None if options.new_take else _matching_take(shot, input_hash, settings)
            if reusable is not None:
                if shot.active_take_id != reusable.id:
                    apply(SetActiveTake(shot.id, reusable.id))
                report.outcomes.append(ShotOutcome(shot.id, shot.number, ShotOutcomeKind.CACHED))
                continue
            request = build_request(project, folder, shot, options.size)
            rendered = render_shot(request, renderer, folder, shot.next_take_number, progress, cancel)
            apply(AddTake(shot.id, rendered.take))
            report.warnings.extend(rendered.warnings)
            report.outcomes.append(ShotOutcome(shot.id, shot.number, ShotOutcomeKind.RENDERED))
        except RenderCancelled:
            report.cancelled = True
            report.outcomes.append(ShotOutcome(shot.id, shot.number, ShotOutcomeKind.CANCELLED))
        except StudioError as exc:
            message = str(exc)
            if not message.startswith(f"shot {shot.number}"):
                message = f"shot {shot.number}: {message}"
            report.outcomes.append(ShotOutcome(shot.id, shot.number, ShotOutcomeKind.FAILED, message))
        except Exception as exc:  # noqa: BLE001 - one broken shot must not stop the others
            log.exception("shot %s failed", shot.number)
            report.outcomes.append(
                ShotOutcome(shot.id, shot.number, ShotOutcomeKind.FAILED, f"shot {shot.number}: internal error ({exc}); the log has details")
            )
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
