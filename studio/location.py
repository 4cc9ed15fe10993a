"""Locations and the world state (time, weather, light) that holds in them."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from enum import StrEnum


class TimeOfDay(StrEnum):
    DAWN = "dawn"
    MORNING = "morning"
    DAY = "day"
    AFTERNOON = "afternoon"
    DUSK = "dusk"
    EVENING = "evening"
    NIGHT = "night"
    CONTINUOUS = "continuous"  # the script's CONTINUOUS: same as the previous scene


@dataclass(frozen=True)
class WorldState:
    time_of_day: TimeOfDay = TimeOfDay.DAY
    weather: str = ""
    lighting: str = ""
    palette: tuple[str, ...] = ()  # hex colours, darkest first
    props: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorldStateOverride:
    """What one shot changes of its location's world state; None keeps the location's value."""

    time_of_day: TimeOfDay | None = None
    weather: str | None = None
    lighting: str | None = None
    palette: tuple[str, ...] | None = None
    props: tuple[str, ...] | None = None

    def apply_to(self, base: WorldState) -> WorldState:
        changes = {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}
        return replace(base, **changes)


@dataclass
class Location:
    id: str
    name: str
    interior: bool = True
    description: str = ""
    world: WorldState = field(default_factory=WorldState)
    establishing_plate: str | None = None  # project media path
    embeddings: dict[str, str] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        """The location as a slugline names it: 'INT. DINER - NIGHT'."""
        return f"{'INT' if self.interior else 'EXT'}. {self.name.upper()} - {self.world.time_of_day.value.upper()}"
