"""The state in force at each shot, derived by folding the logged changes in timeline order.

    shot:          1        2             3               4 (new scene)    5
    MAYA wardrobe  -        'uniform'     .               .                'coat'
    in force       ''       'uniform'     'uniform'       'uniform'        'coat'
    diner lighting baseline .             'dim' (logged)  baseline again   .

Characters carry their state across scenes until it changes; a location starts each sequence from
its `Location.world` and carries the sequence's changes to its end; a sequence's axis and palette
start empty. A shot's `world_override` applies to that shot alone, on top of the state in force.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from typing import TypeVar

from studio.continuity.changes import Aspect, ChangeOp, ContinuityChange, SubjectKind
from studio.location import TimeOfDay, WorldState
from studio.project import Project, Sequence
from studio.shot import Shot


@dataclass(frozen=True)
class CharacterState:
    """Field names are the Aspect values, so a change names the field it sets."""

    wardrobe: str = ""
    hair_makeup: str = ""
    props_in_hand: tuple[str, ...] = ()
    condition: str = ""
    emotion: str = ""
    eyeline: str = ""


@dataclass(frozen=True)
class LocationState:
    time_of_day: TimeOfDay = TimeOfDay.DAY
    weather: str = ""
    lighting: str = ""
    practicals_on: tuple[str, ...] = ()
    set_dressing: tuple[str, ...] = ()
    props_present: tuple[str, ...] = ()

    @classmethod
    def baseline(cls, world: WorldState) -> LocationState:
        return cls(time_of_day=world.time_of_day, weather=world.weather, lighting=world.lighting, props_present=tuple(dict.fromkeys(world.props)))

    def world(self, base: WorldState) -> WorldState:
        """`base` (the location's world) with what the ledger has changed of it."""
        return replace(base, time_of_day=self.time_of_day, weather=self.weather, lighting=self.lighting, props=self.props_present)


@dataclass(frozen=True)
class SequenceState:
    axis: str = ""
    palette: str = ""


State = TypeVar("State", CharacterState, LocationState, SequenceState)
_TIMES = {t.value: t for t in TimeOfDay if t is not TimeOfDay.CONTINUOUS}


def apply_change(state: State, change: ContinuityChange) -> State:
    name = change.aspect.value
    if change.op is ChangeOp.SET:
        if change.aspect is Aspect.TIME_OF_DAY:
            time = _TIMES.get(change.value)
            return state if time is None else replace(state, time_of_day=time)
        return replace(state, **{name: change.value})
    items: tuple[str, ...] = getattr(state, name)
    if change.op is ChangeOp.ADD:
        return state if change.value in items else replace(state, **{name: (*items, change.value)})
    return replace(state, **{name: tuple(item for item in items if item != change.value)}) if change.value in items else state


@dataclass(frozen=True)
class Applied:
    """One change as the fold applied it, with the aspect's value just before and just after."""

    kind: SubjectKind
    subject_id: str  # character id, location id, or sequence id
    change: ContinuityChange
    before: object
    after: object


@dataclass
class Ledger:
    """The running state of a fold, advanced one shot at a time (see `fold`)."""

    location_worlds: dict[str, WorldState]
    characters: dict[str, CharacterState] = field(default_factory=dict)
    locations: dict[str, LocationState] = field(default_factory=dict)  # of the current sequence
    sequence: SequenceState = field(default_factory=SequenceState)

    @classmethod
    def for_project(cls, project: Project) -> Ledger:
        return cls({loc.id: loc.world for loc in project.locations})

    def start_sequence(self) -> None:
        self.locations = {}
        self.sequence = SequenceState()

    def character(self, character_id: str) -> CharacterState:
        return self.characters.get(character_id) or CharacterState()

    def location(self, location_id: str) -> LocationState | None:
        state = self.locations.get(location_id)
        if state is None:
            world = self.location_worlds.get(location_id)
            if world is None:
                return None
            state = self.locations[location_id] = LocationState.baseline(world)
        return state

    def advance(self, shot: Shot, sequence_id: str) -> list[Applied]:
        """Applies the shot's own changes; returns them as applied (empty for most shots)."""
        applied: list[Applied] = []
        for cast in shot.characters:
            if cast.changes:
                self.apply_cast(cast.character_id, cast.changes, applied)
        if shot.continuity_changes:
            self.apply_shot(shot, sequence_id, applied)
        return applied

    def apply_cast(self, character_id: str, changes: tuple[ContinuityChange, ...], applied: list[Applied]) -> None:
        state = self.character(character_id)
        for change in changes:
            if change.subject_kind is SubjectKind.CHARACTER:
                new = apply_change(state, change)
                applied.append(Applied(SubjectKind.CHARACTER, character_id, change, getattr(state, change.aspect.value), getattr(new, change.aspect.value)))
                state = new
        self.characters[character_id] = state

    def apply_shot(self, shot: Shot, sequence_id: str, applied: list[Applied]) -> None:
        for change in shot.continuity_changes:
            if change.subject_kind is SubjectKind.SEQUENCE:
                new_sequence = apply_change(self.sequence, change)
                applied.append(
                    Applied(SubjectKind.SEQUENCE, sequence_id, change, getattr(self.sequence, change.aspect.value), getattr(new_sequence, change.aspect.value))
                )
                self.sequence = new_sequence
            elif change.subject_kind is SubjectKind.LOCATION and shot.location_id is not None:
                place = self.location(shot.location_id)
                if place is None:
                    continue
                new_place = apply_change(place, change)
                applied.append(
                    Applied(SubjectKind.LOCATION, shot.location_id, change, getattr(place, change.aspect.value), getattr(new_place, change.aspect.value))
                )
                self.locations[shot.location_id] = new_place

    def world_in_force(self, shot: Shot) -> WorldState | None:
        """The shot's world: its location's baseline, the ledger's changes so far, then the shot's own override."""
        if shot.location_id is None:
            return None
        place = self.location(shot.location_id)
        if place is None:
            return None
        return shot.world_override.apply_to(place.world(self.location_worlds[shot.location_id]))


def fold(project: Project) -> Iterator[tuple[Sequence, Shot, Ledger, list[Applied]]]:
    """Every shot in timeline order, with the ledger as it stands after the shot's own changes."""
    ledger = Ledger.for_project(project)
    for sequence in project.sequences:
        ledger.start_sequence()
        for shot in sequence.shots:
            applied = ledger.advance(shot, sequence.id) if shot.continuity_changes or any(c.changes for c in shot.characters) else []
            yield sequence, shot, ledger, applied


@dataclass(frozen=True)
class ShotState:
    """What is in force in one shot: its cast's (and off-screen speakers') states, its place, its scene."""

    characters: dict[str, CharacterState]
    location: LocationState | None
    world: WorldState | None
    sequence: SequenceState


def fold_changes(state: State, changes: Iterable[ContinuityChange]) -> State:
    """`apply_change` for a run of changes at once, without the intermediate states."""
    values = {f.name: getattr(state, f.name) for f in fields(state)}
    for change in changes:
        name = change.aspect  # a StrEnum: equal to, and hashed as, the field name it changes
        if name not in values:
            continue  # another subject's aspect: stored in the wrong place, refused by validation
        op = change.op
        if op is ChangeOp.SET:
            values[name] = _TIMES.get(change.value, values[name]) if name is Aspect.TIME_OF_DAY else change.value
        elif op is ChangeOp.ADD:
            if change.value not in values[name]:
                values[name] = (*values[name], change.value)
        elif change.value in values[name]:
            values[name] = tuple(item for item in values[name] if item != change.value)
    return type(state)(**values)


def state_at(project: Project, shot: Shot) -> ShotState:
    """The state in force at one shot. Folds only what that shot shows (its people, its place, its
    scene), so asking for every shot one by one stays cheap; `states_in_force` does all in one pass."""
    sequence, index = project.locate_shot(shot.id)
    shot = sequence.shots[index]
    logged: dict[str, list[ContinuityChange]] = {c.character_id: [] for c in shot.characters}
    logged.update((d.character_id, []) for d in shot.dialogue if d.character_id not in logged)
    place: list[ContinuityChange] = []
    scene: list[ContinuityChange] = []
    for earlier in project.sequences:
        for other in earlier.shots if earlier is not sequence else sequence.shots[: index + 1]:
            for cast in other.characters:
                if cast.changes and cast.character_id in logged:
                    logged[cast.character_id].extend(cast.changes)
            if earlier is sequence and other.continuity_changes:
                for change in other.continuity_changes:
                    if change.subject_kind is SubjectKind.SEQUENCE:
                        scene.append(change)
                    elif other.location_id == shot.location_id:
                        place.append(change)
        if earlier is sequence:
            break
    ledger = Ledger.for_project(project)
    ledger.characters = {character_id: fold_changes(CharacterState(), changes) for character_id, changes in logged.items()}
    ledger.sequence = fold_changes(SequenceState(), scene)
    if shot.location_id is not None and (baseline := ledger.location(shot.location_id)) is not None:
        ledger.locations[shot.location_id] = fold_changes(baseline, place)
    return _snapshot(ledger, shot)


def states_in_force(project: Project) -> dict[str, ShotState]:
    """`state_at` for every shot, in one pass."""
    return {shot.id: _snapshot(ledger, shot) for _sequence, shot, ledger, _applied in fold(project)}


def _snapshot(ledger: Ledger, shot: Shot) -> ShotState:
    people = [c.character_id for c in shot.characters] + [d.character_id for d in shot.dialogue]
    return ShotState(
        characters={character_id: ledger.character(character_id) for character_id in dict.fromkeys(people)},
        location=ledger.location(shot.location_id) if shot.location_id is not None else None,
        world=ledger.world_in_force(shot),
        sequence=ledger.sequence,
    )
