"""The plan of a generation batch, before anything loads: for each shot, whether a take can be
re-used, and otherwise at what size, length and rate its backend will generate it, what it cannot
do as asked, and the memory mode the model would run in on this machine. `studio render --plan`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.backends.base import GenerationRenderer, ShotRenderer
from pipeline.backends.capabilities import plan_generation
from pipeline.backends.memory import choose_memory_plan, free_memory_gb
from pipeline.backends.registry import create_backend
from pipeline.render.batch import BatchOptions, matching_take
from pipeline.render.request_builder import build_request
from pipeline.render.shot_render import take_settings
from studio.errors import StudioError
from studio.project import Project
from studio.render_inputs import shot_input_hash


@dataclass(frozen=True)
class PlannedShot:
    number: str
    backend: str
    reuse: bool  # a take made from the same inputs and settings exists: nothing to generate
    size: str = ""  # what the backend generates, e.g. "832x464, 81 frames at 16 fps"
    memory: str = ""  # the memory mode and why
    notes: tuple[str, ...] = ()
    problem: str = ""  # why the shot cannot be planned (and so would fail)


def plan_batch(project: Project, folder: Path, options: BatchOptions) -> list[PlannedShot]:
    renderers: dict[str, ShotRenderer] = {}
    vram, ram = free_memory_gb()
    wanted = set(options.shot_ids) if options.shot_ids is not None else None
    size = options.size or (project.format.width, project.format.height)
    planned = []
    for shot in project.shots():
        if wanted is not None and shot.id not in wanted:
            continue
        name = options.backend or shot.backend
        try:
            renderer = renderers.get(name) or renderers.setdefault(name, create_backend(name))
            settings = take_settings(renderer, *size)
            if not options.new_take and matching_take(shot, shot_input_hash(project, shot), settings) is not None:
                planned.append(PlannedShot(shot.number, name, reuse=True))
                continue
            capabilities = getattr(renderer, "capabilities", None)  # what the model backends declare
            if not isinstance(renderer, GenerationRenderer) or capabilities is None:
                planned.append(PlannedShot(shot.number, name, reuse=False, size=f"{size[0]}x{size[1]}, {shot.duration} frames"))
                continue
            request = build_request(project, folder, shot, options.size)
            plan = plan_generation(capabilities, request, name)
            memory = choose_memory_plan(capabilities.vram_gb, vram, ram, getattr(renderer, "memory_override", None))
            planned.append(
                PlannedShot(
                    shot.number,
                    name,
                    reuse=False,
                    size=f"{plan.width}x{plan.height}, {plan.frames} frames at {plan.fps:g} fps",
                    memory=f"{memory.mode.value}{' + VAE tiling' if memory.vae_tiling else ''} ({memory.reason})",
                    notes=plan.notes,
                )
            )
        except StudioError as exc:
            planned.append(PlannedShot(shot.number, name, reuse=False, problem=str(exc)))
    return planned
