"""Edit commands: every change to the document is one of these, so undo works everywhere."""

from studio.commands.base import Command, History, MacroCommand
from studio.commands.cast import AddCharacter, AddCharacterToShot, AddLocation, RemoveCharacter, RemoveCharacterFromShot, RemoveLocation
from studio.commands.fields import SetField
from studio.commands.shots import AddSequence, AddShot, DuplicateShot, MoveShot, RemoveSequence, RemoveShot, RenumberShots, SplitShot
from studio.commands.takes import AddTake, RemoveTake, SetActiveTake

__all__ = [
    "AddCharacter",
    "AddCharacterToShot",
    "AddLocation",
    "AddSequence",
    "AddShot",
    "AddTake",
    "Command",
    "DuplicateShot",
    "History",
    "MacroCommand",
    "MoveShot",
    "RemoveCharacter",
    "RemoveCharacterFromShot",
    "RemoveLocation",
    "RemoveSequence",
    "RemoveShot",
    "RemoveTake",
    "RenumberShots",
    "SetActiveTake",
    "SetField",
    "SplitShot",
]
