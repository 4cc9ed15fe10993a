"""Commands for characters and locations, keeping the shots that use them consistent."""

from __future__ import annotations

from dataclasses import dataclass, field

from studio.character import Character
from studio.errors import EditError
from studio.location import Location
from studio.project import Project
from studio.shot import CharacterInShot


@dataclass
class AddCharacter:
    character: Character
    label: str = "Add character"

    def do(self, project: Project) -> None:
        if any(c.id == self.character.id for c in project.characters):
            raise EditError(f"a character with id {self.character.id} is already in the project")
        project.characters.append(self.character)

    def undo(self, project: Project) -> None:
        project.characters.remove(project.character(self.character.id))


@dataclass
class RemoveCharacter:
    """Removes a character and takes them out of every shot; refused while they still have lines."""

    character_id: str
    label: str = "Delete character"
    _index: int = field(default=0, init=False, repr=False)
    _character: Character | None = field(default=None, init=False, repr=False)
    _casts: dict[str, list[CharacterInShot]] = field(default_factory=dict, init=False, repr=False)

    def do(self, project: Project) -> None:
        character = project.character(self.character_id)
        speaking = [s.number for s in project.shots() if any(d.character_id == self.character_id for d in s.dialogue)]
        if speaking:
            raise EditError(f"{character.name} speaks in shot(s) {', '.join(speaking)}: delete or reassign those lines first")
        self._index = project.characters.index(character)
        self._character = project.characters.pop(self._index)
        self._casts = {}
        for shot in project.shots():
            if any(c.character_id == self.character_id for c in shot.characters):
                self._casts[shot.id] = shot.characters
                shot.characters = [c for c in shot.characters if c.character_id != self.character_id]

    def undo(self, project: Project) -> None:
        assert self._character is not None
        project.characters.insert(self._index, self._character)
        for shot_id, cast in self._casts.items():
            project.shot(shot_id).characters = cast


@dataclass
class AddCharacterToShot:
    shot_id: str
    cast: CharacterInShot
    label: str = "Add character to shot"
    _old: list[CharacterInShot] = field(default_factory=list, init=False, repr=False)

    def do(self, project: Project) -> None:
        character = project.character(self.cast.character_id)
        shot = project.shot(self.shot_id)
        if any(c.character_id == character.id for c in shot.characters):
            raise EditError(f"{character.name} is already in shot {shot.number}")
        self._old = shot.characters
        shot.characters = [*shot.characters, self.cast]

    def undo(self, project: Project) -> None:
        project.shot(self.shot_id).characters = self._old


@dataclass
class RemoveCharacterFromShot:
    shot_id: str
    character_id: str
    label: str = "Remove character from shot"
    _old: list[CharacterInShot] = field(default_factory=list, init=False, repr=False)

    def do(self, project: Project) -> None:
        shot = project.shot(self.shot_id)
        if not any(c.character_id == self.character_id for c in shot.characters):
            raise EditError(f"character {self.character_id} is not in shot {shot.number}")
        self._old = shot.characters
        shot.characters = [c for c in shot.characters if c.character_id != self.character_id]

    def undo(self, project: Project) -> None:
        project.shot(self.shot_id).characters = self._old


@dataclass
class AddLocation:
    location: Location
    label: str = "Add location"

    def do(self, project: Project) -> None:
        if any(loc.id == self.location.id for loc in project.locations):
            raise EditError(f"a location with id {self.location.id} is already in the project")
        project.locations.append(self.location)

    def undo(self, project: Project) -> None:
        project.locations.remove(project.location(self.location.id))


@dataclass
class RemoveLocation:
    """Removes a location no shot uses (refused otherwise, naming the shots)."""

    location_id: str
    label: str = "Delete location"
    _index: int = field(default=0, init=False, repr=False)
    _location: Location | None = field(default=None, init=False, repr=False)

    def do(self, project: Project) -> None:
        location = project.location(self.location_id)
        users = [s.number for s in project.shots() if s.location_id == self.location_id]
        if users:
            raise EditError(f"location {location.name} is used by shot(s) {', '.join(users)}: move them elsewhere first")
        self._index = project.locations.index(location)
        self._location = project.locations.pop(self._index)

    def undo(self, project: Project) -> None:
        assert self._location is not None
        project.locations.insert(self._index, self._location)
