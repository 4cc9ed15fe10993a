"""Who and where: the script's speaking parts and places, matched to the project's or made new.

A character is matched by name ('Maya' is MAYA), a location by inside/outside and place ('INT. DINER -
DAY' and 'INT. DINER - NIGHT' are one diner, at two times). New characters get a silhouette colour and
a scratch voice that no other character of the project has, so every part reads and sounds apart.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from studio.character import Character, VoiceSettings
from studio.location import Location, TimeOfDay, WorldState
from studio.project import Project
from studio.script.sluglines import Slugline, parse_slugline
from studio.script.text import character_key, slug

# espeak-ng voices, male and female alternating, with pitches and paces far enough apart to tell.
VOICES: tuple[VoiceSettings, ...] = (
    VoiceSettings("en-us+m3", 42, 160),
    VoiceSettings("en-us+f3", 58, 165),
    VoiceSettings("en-gb+m3", 36, 150),
    VoiceSettings("en-gb+f2", 64, 160),
    VoiceSettings("en-us+m1", 28, 155),
    VoiceSettings("en-us+f4", 70, 170),
    VoiceSettings("en-gb-scotland+m2", 48, 150),
    VoiceSettings("en-gb-x-rp+f1", 52, 155),
    VoiceSettings("en-us+m5", 55, 165),
    VoiceSettings("en-gb+f5", 76, 160),
    VoiceSettings("en-us+m7", 22, 145),
    VoiceSettings("en-gb-x-rp+m4", 45, 160),
)
COLOURS: tuple[str, ...] = (
    "#c0504d",
    "#4f81bd",
    "#9bbb59",
    "#8064a2",
    "#f79646",
    "#4bacc6",
    "#d4a017",
    "#2e8b57",
    "#c71585",
    "#6b8e23",
    "#8b4513",
    "#5f9ea0",
)


def _voices() -> Iterable[VoiceSettings]:
    """The voice table, then the same voices again at shifted pitches, without end."""
    round_ = 0
    while True:
        for voice in VOICES:
            yield voice if round_ == 0 else replace(voice, pitch=(voice.pitch + 11 * round_) % 100)
        round_ += 1


def _colours() -> Iterable[str]:
    yield from COLOURS
    hue = 0.07
    while True:  # golden-ratio steps round the colour wheel keep later colours apart too
        hue = (hue + 0.618033988749895) % 1.0
        r, g, b = colorsys.hsv_to_rgb(hue, 0.55, 0.8)
        yield f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


@dataclass(frozen=True)
class PlaceInScene:
    """Where and when one scene happens, CONTINUOUS already resolved to the time before."""

    slugline: Slugline
    time: TimeOfDay


def places_of(headings: list[str | None]) -> list[PlaceInScene | None]:
    places: list[PlaceInScene | None] = []
    time = TimeOfDay.DAY
    for heading in headings:
        if not heading:
            places.append(None)
            continue
        slugline = parse_slugline(heading)
        time = slugline.time or time
        places.append(PlaceInScene(slugline, time))
    return places


@dataclass
class Casting:
    character_ids: dict[str, str] = field(default_factory=dict)  # character key -> id
    names: dict[str, str] = field(default_factory=dict)  # id -> name
    words_per_minute: dict[str, int] = field(default_factory=dict)  # id -> pace
    location_ids: dict[tuple[bool, str], str] = field(default_factory=dict)
    location_times: dict[str, TimeOfDay] = field(default_factory=dict)  # id -> the location's own time of day
    location_names: dict[str, str] = field(default_factory=dict)
    new_characters: list[Character] = field(default_factory=list)
    new_locations: list[Location] = field(default_factory=list)

    def character_id(self, name: str) -> str:
        return self.character_ids[character_key(name)]


def cast(project: Project, character_names: Iterable[str], places: Iterable[PlaceInScene | None]) -> Casting:
    casting = Casting()
    taken_ids = {c.id for c in project.characters}
    for character in project.characters:
        casting.character_ids.setdefault(character_key(character.name), character.id)
        casting.names[character.id] = character.name
        casting.words_per_minute[character.id] = character.voice.words_per_minute
    used_voices = {(c.voice.voice, c.voice.pitch) for c in project.characters}
    used_colours = {c.color.lower() for c in project.characters}
    voices, colours = _voices(), _colours()
    for name in character_names:
        key = character_key(name)
        if key in casting.character_ids:
            continue
        voice = next(v for v in voices if (v.voice, v.pitch) not in used_voices)
        colour = next(c for c in colours if c not in used_colours)
        used_voices.add((voice.voice, voice.pitch))
        used_colours.add(colour)
        character = Character(id=_free_id(slug(name), taken_ids), name=name, voice=voice, color=colour)
        casting.new_characters.append(character)
        casting.character_ids[key] = character.id
        casting.names[character.id] = character.name
        casting.words_per_minute[character.id] = voice.words_per_minute

    taken_ids = {loc.id for loc in project.locations}
    for location in project.locations:
        casting.location_ids.setdefault((location.interior, character_key(location.name)), location.id)
        casting.location_times[location.id] = location.world.time_of_day
        casting.location_names[location.id] = location.name
    for place in places:
        if place is None:
            continue
        key = (place.slugline.interior, character_key(place.slugline.place))
        if key in casting.location_ids:
            continue
        prefix = "int" if place.slugline.interior else "ext"
        location = Location(
            id=_free_id(f"{prefix}-{slug(place.slugline.place)}", taken_ids),
            name=place.slugline.location_name,
            interior=place.slugline.interior,
            world=WorldState(time_of_day=place.time),
        )
        casting.new_locations.append(location)
        casting.location_ids[key] = location.id
        casting.location_times[location.id] = place.time
        casting.location_names[location.id] = location.name
    return casting


def location_id_for(casting: Casting, place: PlaceInScene) -> str:
    return casting.location_ids[(place.slugline.interior, character_key(place.slugline.place))]


def _free_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate
