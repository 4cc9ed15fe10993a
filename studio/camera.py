"""Camera moves: what the camera does over the length of a shot."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CameraMoveType(StrEnum):
    STATIC = "static"
    PAN = "pan"
    TILT = "tilt"
    ZOOM = "zoom"
    DOLLY_IN = "dolly_in"
    DOLLY_OUT = "dolly_out"
    TRUCK = "truck"
    PEDESTAL = "pedestal"
    CRANE = "crane"
    ORBIT = "orbit"
    HANDHELD = "handheld"


class Direction(StrEnum):
    NONE = "none"
    LEFT = "left"
    RIGHT = "right"
    UP = "up"
    DOWN = "down"
    IN = "in"
    OUT = "out"


class Easing(StrEnum):
    LINEAR = "linear"
    EASE_IN = "ease_in"
    EASE_OUT = "ease_out"
    EASE_IN_OUT = "ease_in_out"


ALLOWED_DIRECTIONS: dict[CameraMoveType, tuple[Direction, ...]] = {
    CameraMoveType.STATIC: (Direction.NONE,),
    CameraMoveType.PAN: (Direction.LEFT, Direction.RIGHT),
    CameraMoveType.TILT: (Direction.UP, Direction.DOWN),
    CameraMoveType.ZOOM: (Direction.IN, Direction.OUT),
    CameraMoveType.DOLLY_IN: (Direction.IN,),
    CameraMoveType.DOLLY_OUT: (Direction.OUT,),
    CameraMoveType.TRUCK: (Direction.LEFT, Direction.RIGHT),
    CameraMoveType.PEDESTAL: (Direction.UP, Direction.DOWN),
    CameraMoveType.CRANE: (Direction.UP, Direction.DOWN),
    CameraMoveType.ORBIT: (Direction.LEFT, Direction.RIGHT),
    CameraMoveType.HANDHELD: (Direction.NONE,),
}

# What `amount` means, per move, so that the UI, the draft renderer and the prompt builder agree:
#   pan, tilt, truck, pedestal, crane: fraction of the frame's width (pan, truck) or height the view travels
#   zoom, dolly: relative change of image scale (0.25 -> the subject ends 25 % larger, or smaller going out)
#   orbit: degrees the camera travels around the subject
#   handheld: shake amplitude as a fraction of the frame's height
AMOUNT_MEANING: dict[CameraMoveType, str] = {
    CameraMoveType.STATIC: "unused",
    CameraMoveType.PAN: "fraction of frame width",
    CameraMoveType.TILT: "fraction of frame height",
    CameraMoveType.ZOOM: "relative scale change",
    CameraMoveType.DOLLY_IN: "relative scale change",
    CameraMoveType.DOLLY_OUT: "relative scale change",
    CameraMoveType.TRUCK: "fraction of frame width",
    CameraMoveType.PEDESTAL: "fraction of frame height",
    CameraMoveType.CRANE: "fraction of frame height",
    CameraMoveType.ORBIT: "degrees around the subject",
    CameraMoveType.HANDHELD: "shake amplitude, fraction of frame height",
}

MAX_AMOUNT: dict[CameraMoveType, float] = {
    CameraMoveType.STATIC: 0.0,
    CameraMoveType.PAN: 2.0,
    CameraMoveType.TILT: 2.0,
    CameraMoveType.ZOOM: 3.0,
    CameraMoveType.DOLLY_IN: 3.0,
    CameraMoveType.DOLLY_OUT: 0.75,
    CameraMoveType.TRUCK: 2.0,
    CameraMoveType.PEDESTAL: 2.0,
    CameraMoveType.CRANE: 2.0,
    CameraMoveType.ORBIT: 90.0,
    CameraMoveType.HANDHELD: 0.1,
}


@dataclass(frozen=True)
class CameraMove:
    type: CameraMoveType = CameraMoveType.STATIC
    direction: Direction = Direction.NONE
    amount: float = 0.0
    easing: Easing = Easing.EASE_IN_OUT

    def problems(self) -> list[str]:
        """Why this move cannot be rendered as written, in words a user can act on."""
        found = []
        allowed = ALLOWED_DIRECTIONS[self.type]
        if self.direction not in allowed:
            names = ", ".join(d.value for d in allowed)
            found.append(f"a {self.type.value} moves {names}, not {self.direction.value}")
        limit = MAX_AMOUNT[self.type]
        if not 0.0 <= self.amount <= limit:
            found.append(f"{self.type.value} amount must be between 0 and {limit} ({AMOUNT_MEANING[self.type]}), got {self.amount}")
        return found

    def describe(self) -> str:
        if self.type is CameraMoveType.STATIC:
            return "static"
        if self.direction in (Direction.NONE,) or self.type in (CameraMoveType.DOLLY_IN, CameraMoveType.DOLLY_OUT):
            return self.type.value.replace("_", " ")
        return f"{self.type.value} {self.direction.value}"


def ease(easing: Easing, t: float) -> float:
    """Progress 0..1 along the move at normalised time t in 0..1."""
    t = min(1.0, max(0.0, t))
    if easing is Easing.LINEAR:
        return t
    if easing is Easing.EASE_IN:
        return t * t
    if easing is Easing.EASE_OUT:
        return 1.0 - (1.0 - t) * (1.0 - t)
    return t * t * (3.0 - 2.0 * t)
