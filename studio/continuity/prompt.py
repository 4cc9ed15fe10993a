"""The state in force at a shot as compact conditioning text for generation.

Deterministic: characters by name, set members alphabetically, empty aspects left out, so the same
state always gives the same text (and the render cache hits) and any change of state changes it.

    MAYA: wardrobe 'red diner uniform'; holding 'coffee pot'. Rosie's Diner: night; weather 'rain
    outside'; lighting 'warm practicals'; props on set 'coffee pot', 'wall clock'. Scene: axis 'MAYA left'.
"""

from __future__ import annotations

from dataclasses import fields

from studio.continuity.changes import ASPECT_NAMES, Aspect
from studio.continuity.ledger import CharacterState, ShotState, state_at, states_in_force
from studio.project import Project
from studio.shot import Shot


def _quoted(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(f"'{item}'" for item in sorted(value))
    return f"'{value}'"


def _aspects(state: object, skip: tuple[str, ...] = ()) -> list[str]:
    parts = []
    for f in fields(state):  # type: ignore[arg-type]
        value = getattr(state, f.name)
        if f.name not in skip and value:
            parts.append(f"{ASPECT_NAMES[Aspect(f.name)]} {_quoted(value)}")
    return parts


def render_state(project: Project, shot: Shot, state: ShotState) -> str:
    sentences = []
    names = {c.id: c.name for c in project.characters}
    people: list[tuple[str, str, CharacterState]] = sorted((names.get(cid, cid), cid, s) for cid, s in state.characters.items())
    for name, _cid, character in people:
        parts = _aspects(character)
        if parts:
            sentences.append(f"{name}: {'; '.join(parts)}.")
    if state.world is not None and state.location is not None and shot.location_id is not None:
        world = state.world
        parts = [world.time_of_day.value]
        if world.weather:
            parts.append(f"weather {_quoted(world.weather)}")
        if world.lighting:
            parts.append(f"lighting {_quoted(world.lighting)}")
        parts += _aspects(state.location, skip=("time_of_day", "weather", "lighting", "props_present"))
        if world.props:
            parts.append(f"{ASPECT_NAMES[Aspect.PROPS_PRESENT]} {_quoted(tuple(world.props))}")
        place = next((loc.name for loc in project.locations if loc.id == shot.location_id), shot.location_id)
        sentences.append(f"{place}: {'; '.join(parts)}.")
    scene = _aspects(state.sequence)
    if scene:
        sentences.append(f"Scene: {'; '.join(scene)}.")
    return " ".join(sentences)


def continuity_prompt(project: Project, shot: Shot) -> str:
    """The continuity state in force at `shot`, as text for conditioning its generation."""
    return render_state(project, shot, state_at(project, shot))


def continuity_prompts(project: Project) -> dict[str, str]:
    """`continuity_prompt` of every shot by id, from one fold of the ledger."""
    states = states_in_force(project)
    return {shot.id: render_state(project, shot, states[shot.id]) for shot in project.shots()}
