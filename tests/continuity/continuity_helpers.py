"""Small projects for continuity tests: two people (MAYA, JONAH), two places, shots numbered 1, 2, 3 ..."""

from __future__ import annotations

from studio.character import Character
from studio.continuity.changes import ContinuityChange
from studio.location import Location, TimeOfDay, WorldState
from studio.project import Project, Sequence
from studio.shot import CharacterInShot, DialogueLine, ScreenPosition, Shot

L, CL, C, CR, R = ScreenPosition.LEFT, ScreenPosition.CENTER_LEFT, ScreenPosition.CENTER, ScreenPosition.CENTER_RIGHT, ScreenPosition.RIGHT


def cast(character_id: str, position: ScreenPosition = C, *changes: ContinuityChange) -> CharacterInShot:
    return CharacterInShot(character_id, position, changes=tuple(changes))


def shot(
    number: int,
    *people: CharacterInShot,
    location: str | None = "diner",
    changes: list[ContinuityChange] | None = None,
    lines: list[DialogueLine] | None = None,
) -> Shot:
    return Shot(
        id=f"s{number}",
        number=str(number),
        duration=24,
        characters=list(people),
        location_id=location,
        continuity_changes=list(changes or []),
        dialogue=list(lines or []),
    )


def scene(sequence_id: str, *shots: Shot) -> Sequence:
    return Sequence(id=sequence_id, name=f"{sequence_id.upper()} INT. ROSIE'S DINER - NIGHT", shots=list(shots))


def project_of(*sequences: Sequence) -> Project:
    return Project(
        title="Continuity",
        characters=[Character(id="maya", name="MAYA"), Character(id="jonah", name="JONAH")],
        locations=[
            Location(
                id="diner", name="Rosie's Diner", world=WorldState(TimeOfDay.NIGHT, "rain outside", "warm practicals", props=("coffee pot", "wall clock"))
            ),
            Location(id="street", name="Main Street", interior=False, world=WorldState(TimeOfDay.NIGHT, "heavy rain", "sodium lamps", props=("bus stop",))),
        ],
        sequences=list(sequences),
    )


def numbered_shots(count: int) -> list[Shot]:
    """Shots 1..count at the diner, MAYA in each."""
    return [shot(n, cast("maya")) for n in range(1, count + 1)]
