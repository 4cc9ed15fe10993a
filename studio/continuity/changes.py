"""What a continuity ledger entry is: one change, in one shot, to one aspect of a character, the
shot's location or the shot's sequence (see the package docstring for where each is stored)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SubjectKind(StrEnum):
    CHARACTER = "character"
    LOCATION = "location"
    SEQUENCE = "sequence"


class Aspect(StrEnum):
    # A character's look and state, logged on the cast member (CharacterInShot.changes).
    WARDROBE = "wardrobe"
    HAIR_MAKEUP = "hair_makeup"
    PROPS_IN_HAND = "props_in_hand"  # a set: add / remove one prop at a time
    CONDITION = "condition"  # injuries, dirt, wet clothes
    EMOTION = "emotion"
    EYELINE = "eyeline"
    # The place, logged on the shot (Shot.continuity_changes), for the shot's location.
    TIME_OF_DAY = "time_of_day"  # a TimeOfDay value
    WEATHER = "weather"
    LIGHTING = "lighting"  # key and direction
    PRACTICALS_ON = "practicals_on"  # a set: practical lights that are on
    SET_DRESSING = "set_dressing"  # a set
    PROPS_PRESENT = "props_present"  # a set: props on set
    # The scene, logged on the shot, for the shot's sequence.
    AXIS = "axis"  # the 180° line: a change marks a deliberate new axis (a crossing the cut may make)
    PALETTE = "palette"  # the scene's style / colour palette


ASPECT_SUBJECT: dict[Aspect, SubjectKind] = {
    Aspect.WARDROBE: SubjectKind.CHARACTER,
    Aspect.HAIR_MAKEUP: SubjectKind.CHARACTER,
    Aspect.PROPS_IN_HAND: SubjectKind.CHARACTER,
    Aspect.CONDITION: SubjectKind.CHARACTER,
    Aspect.EMOTION: SubjectKind.CHARACTER,
    Aspect.EYELINE: SubjectKind.CHARACTER,
    Aspect.TIME_OF_DAY: SubjectKind.LOCATION,
    Aspect.WEATHER: SubjectKind.LOCATION,
    Aspect.LIGHTING: SubjectKind.LOCATION,
    Aspect.PRACTICALS_ON: SubjectKind.LOCATION,
    Aspect.SET_DRESSING: SubjectKind.LOCATION,
    Aspect.PROPS_PRESENT: SubjectKind.LOCATION,
    Aspect.AXIS: SubjectKind.SEQUENCE,
    Aspect.PALETTE: SubjectKind.SEQUENCE,
}

# Aspects whose state is a set of things (props, lights): changed one item at a time.
SET_ASPECTS = frozenset({Aspect.PROPS_IN_HAND, Aspect.PRACTICALS_ON, Aspect.SET_DRESSING, Aspect.PROPS_PRESENT})

# How each aspect reads in messages and in the conditioning text.
ASPECT_NAMES: dict[Aspect, str] = {
    Aspect.WARDROBE: "wardrobe",
    Aspect.HAIR_MAKEUP: "hair/makeup",
    Aspect.PROPS_IN_HAND: "holding",
    Aspect.CONDITION: "condition",
    Aspect.EMOTION: "emotion",
    Aspect.EYELINE: "eyeline",
    Aspect.TIME_OF_DAY: "time of day",
    Aspect.WEATHER: "weather",
    Aspect.LIGHTING: "lighting",
    Aspect.PRACTICALS_ON: "practicals on",
    Aspect.SET_DRESSING: "set dressing",
    Aspect.PROPS_PRESENT: "props on set",
    Aspect.AXIS: "axis",
    Aspect.PALETTE: "palette",
}


class ChangeOp(StrEnum):
    SET = "set"  # the aspect becomes `value` (single-valued aspects)
    ADD = "add"  # `value` joins the set (set aspects)
    REMOVE = "remove"  # `value` leaves the set (set aspects)


@dataclass(frozen=True)
class ContinuityChange:
    """One logged change. `deliberate` says the change is meant (a costume change mid-scene, a prop
    brought in from off screen), so the checker does not report it as a break."""

    aspect: Aspect
    value: str
    op: ChangeOp = ChangeOp.SET
    deliberate: bool = False

    @property
    def subject_kind(self) -> SubjectKind:
        return ASPECT_SUBJECT[self.aspect]

    def describe(self) -> str:
        name = ASPECT_NAMES[self.aspect]
        if self.op is ChangeOp.SET:
            return f"{name} '{self.value}'"
        return f"{name} {'+' if self.op is ChangeOp.ADD else '-'} '{self.value}'"


def wardrobe(value: str, deliberate: bool = False) -> ContinuityChange:
    return ContinuityChange(Aspect.WARDROBE, value, deliberate=deliberate)


def picks_up(prop: str, deliberate: bool = False) -> ContinuityChange:
    return ContinuityChange(Aspect.PROPS_IN_HAND, prop, ChangeOp.ADD, deliberate)


def puts_down(prop: str) -> ContinuityChange:
    return ContinuityChange(Aspect.PROPS_IN_HAND, prop, ChangeOp.REMOVE)
