"""Shots: the unit a filmmaker lays out on the timeline and the app renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from studio.camera import CameraMove
from studio.continuity.changes import ContinuityChange
from studio.location import WorldStateOverride
from studio.take import Take


class ShotSize(StrEnum):
    ECU = "ECU"  # extreme close-up
    CU = "CU"
    MCU = "MCU"
    MS = "MS"
    MLS = "MLS"
    LS = "LS"
    WS = "WS"
    EWS = "EWS"


SHOT_SIZE_NAMES = {
    ShotSize.ECU: "extreme close-up",
    ShotSize.CU: "close-up",
    ShotSize.MCU: "medium close-up",
    ShotSize.MS: "medium shot",
    ShotSize.MLS: "medium long shot",
    ShotSize.LS: "long shot",
    ShotSize.WS: "wide shot",
    ShotSize.EWS: "extreme wide shot",
}


class TransitionType(StrEnum):
    CUT = "cut"
    DISSOLVE = "dissolve"
    FADE = "fade"  # through black


class ContinuityLink(StrEnum):
    CUT = "cut"
    CHAIN = "chain"  # generation starts from the previous shot's last frame


class ScreenPosition(StrEnum):
    LEFT = "left"
    CENTER_LEFT = "center_left"
    CENTER = "center"
    CENTER_RIGHT = "center_right"
    RIGHT = "right"


SCREEN_X = {
    ScreenPosition.LEFT: 0.2,
    ScreenPosition.CENTER_LEFT: 0.35,
    ScreenPosition.CENTER: 0.5,
    ScreenPosition.CENTER_RIGHT: 0.65,
    ScreenPosition.RIGHT: 0.8,
}


class SoundCueKind(StrEnum):
    AMBIENCE = "ambience"
    SFX = "sfx"
    MUSIC = "music"


@dataclass(frozen=True)
class CharacterInShot:
    character_id: str
    position: ScreenPosition = ScreenPosition.CENTER
    action: str = ""
    changes: tuple[ContinuityChange, ...] = ()  # continuity ledger: what changes about this character in this shot


@dataclass(frozen=True)
class DialogueLine:
    character_id: str
    text: str
    start: int = 0  # frames from the start of the shot
    parenthetical: str = ""


@dataclass(frozen=True)
class SoundCue:
    kind: SoundCueKind
    description: str
    start: int = 0  # frames from the start of the shot
    duration: int | None = None  # frames; None runs to the end of the shot
    media: str | None = None  # project media path; None asks for a generated placeholder
    gain_db: float = 0.0
    pan: float = 0.0  # -1 left .. 1 right
    # How many shots the cue runs across, this one and those after it in the cut (music under a scene);
    # its sound is made once for the whole run, so it carries on over the cuts (studio.sound_spans).
    span_shots: int = 1


@dataclass(frozen=True)
class Transition:
    """How this shot begins, coming from the one before it."""

    type: TransitionType = TransitionType.CUT
    duration: int = 0  # frames, centred on the cut


@dataclass
class Shot:
    id: str
    number: str
    duration: int  # frames at the project rate
    description: str = ""
    size: ShotSize = ShotSize.MS
    lens_mm: float = 35.0
    camera: CameraMove = field(default_factory=CameraMove)
    characters: list[CharacterInShot] = field(default_factory=list)
    location_id: str | None = None
    world_override: WorldStateOverride = field(default_factory=WorldStateOverride)
    dialogue: list[DialogueLine] = field(default_factory=list)
    sound_cues: list[SoundCue] = field(default_factory=list)
    transition: Transition = field(default_factory=Transition)
    seed: int = 0
    seed_pinned: bool = False
    backend: str = "draft"
    model_id: str | None = None
    continuity: ContinuityLink = ContinuityLink.CUT
    panel: str | None = None  # project media path of a storyboard still or sketch
    allow_dialogue_extend: bool = False  # may a dialogue line that overruns lengthen the shot
    notes: str = ""
    takes: list[Take] = field(default_factory=list)
    active_take_id: str | None = None
    # Continuity ledger: what changes in this shot about its location and its sequence (see studio.continuity).
    continuity_changes: list[ContinuityChange] = field(default_factory=list)
    accepted_breaks: list[str] = field(default_factory=list)  # keys of continuity findings accepted as intentional here
    # Two-pass generation: the director approved this shot's preview, so a final pass renders it.
    approved: bool = False

    @property
    def active_take(self) -> Take | None:
        return next((t for t in self.takes if t.id == self.active_take_id), None)

    def take(self, take_id: str) -> Take:
        for t in self.takes:
            if t.id == take_id:
                return t
        raise KeyError(take_id)

    @property
    def next_take_number(self) -> int:
        return max((t.number for t in self.takes), default=0) + 1
