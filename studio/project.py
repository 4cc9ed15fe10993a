"""The project document: the film as a list of sequences of shots, with its cast and places."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from math import gcd

from studio.character import Character
from studio.errors import EditError
from studio.frame_rate import FrameRate
from studio.location import Location, WorldState
from studio.mix import MixSettings
from studio.shot import Shot


class StylePreset(StrEnum):
    PENCIL = "pencil"
    INK = "ink"
    CLEAN = "clean"
    CINEMATIC = "cinematic"
    NOIR = "noir"
    ANIMATION = "animation"


@dataclass(frozen=True)
class VideoFormat:
    width: int = 1280
    height: int = 720
    frame_rate: FrameRate = field(default_factory=lambda: FrameRate(24))

    @property
    def aspect(self) -> str:
        """Display aspect ratio as editors write it, e.g. '16:9'."""
        d = gcd(self.width, self.height)
        return f"{self.width // d}:{self.height // d}"

    @property
    def size_text(self) -> str:
        return f"{self.width}x{self.height}"


@dataclass
class Sequence:
    id: str
    name: str
    shots: list[Shot] = field(default_factory=list)

    @property
    def duration(self) -> int:
        return sum(s.duration for s in self.shots)


@dataclass
class Project:
    title: str
    # Stable identity across saves, "Save As" copies and renames: consent given for "this project only"
    # is bound to it (studio.consent), so a likeness carried into another project is not covered.
    # Not part of equality: two documents with the same content are equal whichever project they are.
    id: str = field(default_factory=lambda: uuid.uuid4().hex, compare=False)
    format: VideoFormat = field(default_factory=VideoFormat)
    style: StylePreset = StylePreset.CLEAN
    characters: list[Character] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    sequences: list[Sequence] = field(default_factory=list)
    # Applied to the takes' stems at assembly and export only; no shot's render depends on it (studio.render_inputs).
    mix: MixSettings = field(default_factory=MixSettings)

    # --- derived views -------------------------------------------------------------------
    def shots(self) -> Iterator[Shot]:
        for sequence in self.sequences:
            yield from sequence.shots

    @property
    def duration(self) -> int:
        return sum(seq.duration for seq in self.sequences)

    def shot_starts(self) -> dict[str, int]:
        """Start frame of every shot on the project timeline."""
        starts: dict[str, int] = {}
        t = 0
        for shot in self.shots():
            starts[shot.id] = t
            t += shot.duration
        return starts

    def previous_shot(self, shot_id: str) -> Shot | None:
        prev = None
        for shot in self.shots():
            if shot.id == shot_id:
                return prev
            prev = shot
        raise EditError(f"no shot with id {shot_id} in the project")

    # --- lookups ---------------------------------------------------------------------------
    def locate_shot(self, shot_id: str) -> tuple[Sequence, int]:
        for sequence in self.sequences:
            for index, shot in enumerate(sequence.shots):
                if shot.id == shot_id:
                    return sequence, index
        raise EditError(f"no shot with id {shot_id} in the project")

    def shot(self, shot_id: str) -> Shot:
        sequence, index = self.locate_shot(shot_id)
        return sequence.shots[index]

    def shot_by_number(self, number: str) -> Shot:
        for shot in self.shots():
            if shot.number == number:
                return shot
        raise EditError(f"no shot numbered {number} in the project")

    def sequence(self, sequence_id: str) -> Sequence:
        for sequence in self.sequences:
            if sequence.id == sequence_id:
                return sequence
        raise EditError(f"no sequence with id {sequence_id} in the project")

    def character(self, character_id: str) -> Character:
        for character in self.characters:
            if character.id == character_id:
                return character
        raise EditError(f"no character with id {character_id} in the project")

    def location(self, location_id: str) -> Location:
        for location in self.locations:
            if location.id == location_id:
                return location
        raise EditError(f"no location with id {location_id} in the project")

    def world_state(self, shot: Shot) -> WorldState | None:
        """The world state in force in a shot: its location's, with the shot's overrides."""
        if shot.location_id is None:
            return None
        return shot.world_override.apply_to(self.location(shot.location_id).world)

    def media_references(self) -> Iterator[tuple[str, str]]:
        """Every media path the document points at, with what points at it (for checks and relinks)."""
        for character in self.characters:
            for path in character.reference_images:
                yield path, f"character {character.name} reference image"
            for path in character.embeddings.values():
                yield path, f"character {character.name} embedding"
            if character.voice_sample:
                yield character.voice_sample, f"character {character.name} voice sample"
        for location in self.locations:
            if location.establishing_plate:
                yield location.establishing_plate, f"location {location.name} establishing plate"
            for path in location.embeddings.values():
                yield path, f"location {location.name} embedding"
        for shot in self.shots():
            if shot.panel:
                yield shot.panel, f"shot {shot.number} panel"
            for cue in shot.sound_cues:
                if cue.media:
                    yield cue.media, f"shot {shot.number} sound cue '{cue.description}'"
            for take in shot.takes:
                for path in take.media_paths:
                    yield path, f"shot {shot.number} take T{take.number}"
