"""Coverage: the shots a scene gets, from a small table of rules that a user can change.

For each scene, in script order:

    establishing wide     WS inside, EWS outside, with a slow move, when the scene's place differs from
                          the scene before (`establish`); it takes the scene's first action line as its
                          description when the scene opens on action
    one shot per speech   two people in the scene: alternating over-the-shoulder singles, MCU for the
                          first exchanges then CU (`two_person_sizes`, by exchange), the speaker on their
                          own side of the line and the listener's shoulder on the other; three or more:
                          MS / MLS in turn (`group_sizes`); alone: MCU; V.O./O.S.: the line plays over
                          the listeners (or the empty place)
    dual dialogue         one two-shot, both lines starting together
    action line           its own shot: MS on the one character it names, otherwise LS
    centred text          a title card; lyrics: sung lines of the last speaker
    transitions           the next shot's transition (DISSOLVE TO: dissolve, FADE ...: fade)
    notes, sections,      kept as notes on the next shot (what is left at a scene's end goes on its last
    synopses              shot; a section there heads the next scene)

Durations are whole frames at the project rate: a speech lasts its words at the speaker's
`VoiceSettings.words_per_minute`, with a pause after each line and padding around; an action line
`action_seconds_per_word`, clamped to [`action_min_seconds`, `action_max_seconds`].
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from studio.camera import CameraMove, CameraMoveType, Direction, Easing
from studio.frame_rate import FrameRate
from studio.location import TimeOfDay, WorldStateOverride
from studio.script.plan import seed_for
from studio.script.text import word_count
from studio.shot import CharacterInShot, ScreenPosition, Shot, ShotSize, Transition, TransitionType


class Establish(StrEnum):
    NEW_PLACE = "new_place"  # when the place differs from the scene before
    FIRST_VISIT = "first_visit"  # only the first time the script goes there
    EVERY_SCENE = "every_scene"
    NEVER = "never"


def _default_lenses() -> dict[ShotSize, float]:
    return {
        ShotSize.ECU: 100,
        ShotSize.CU: 85,
        ShotSize.MCU: 65,
        ShotSize.MS: 50,
        ShotSize.MLS: 40,
        ShotSize.LS: 35,
        ShotSize.WS: 24,
        ShotSize.EWS: 18,
    }


@dataclass(frozen=True)
class CoverageRules:
    establish: Establish = Establish.NEW_PLACE
    establishing_size_interior: ShotSize = ShotSize.WS
    establishing_size_exterior: ShotSize = ShotSize.EWS
    establishing_move_interior: CameraMove = CameraMove(CameraMoveType.DOLLY_IN, Direction.IN, 0.15, Easing.EASE_IN_OUT)
    establishing_move_exterior: CameraMove = CameraMove(CameraMoveType.CRANE, Direction.DOWN, 0.2, Easing.EASE_IN_OUT)
    establishing_seconds: float = 4.0
    two_person_sizes: tuple[ShotSize, ...] = (ShotSize.MCU, ShotSize.MCU, ShotSize.CU)  # by exchange (pair of speeches)
    group_sizes: tuple[ShotSize, ...] = (ShotSize.MS, ShotSize.MLS)  # in turn, speech by speech
    single_size: ShotSize = ShotSize.MCU  # a speaker alone in the scene
    dual_size: ShotSize = ShotSize.MS
    offscreen_empty_size: ShotSize = ShotSize.WS  # a V.O. over nobody
    action_size_one: ShotSize = ShotSize.MS  # an action line that names one character
    action_size_other: ShotSize = ShotSize.LS
    title_card_size: ShotSize = ShotSize.MS
    action_seconds_per_word: float = 0.4
    action_min_seconds: float = 2.0
    action_max_seconds: float = 8.0
    title_card_seconds: float = 3.0
    dialogue_lead_in_seconds: float = 0.3  # before the first line of a shot
    line_pause_seconds: float = 0.4  # after each line (the subtitle's beat)
    dialogue_tail_seconds: float = 0.5  # after the last line
    min_shot_seconds: float = 1.5
    dissolve_seconds: float = 1.0
    fade_seconds: float = 1.0
    lens_mm: dict[ShotSize, float] = field(default_factory=_default_lenses)


def transition_for(cue: str, rules: CoverageRules, rate: FrameRate) -> Transition:
    words = cue.upper()
    if "DISSOLVE" in words or "CROSS" in words or "WIPE" in words:
        return Transition(TransitionType.DISSOLVE, rate.seconds_to_frames(rules.dissolve_seconds))
    if "FADE" in words:
        return Transition(TransitionType.FADE, rate.seconds_to_frames(rules.fade_seconds))
    return Transition()


class Timing:
    """Seconds and words turned into frames at the project rate, by the rules."""

    def __init__(self, rules: CoverageRules, rate: FrameRate) -> None:
        self.rules, self.rate = rules, rate

    def frames(self, seconds: float) -> int:
        return max(1, self.rate.seconds_to_frames(seconds))

    def spoken(self, text: str, words_per_minute: int) -> int:
        """A line's length: its words at the speaker's pace, plus the pause after it."""
        seconds = max(1, word_count(text)) * 60.0 / max(60, words_per_minute)
        return self.frames(seconds + self.rules.line_pause_seconds)

    def action(self, text: str) -> int:
        r = self.rules
        return self.frames(min(r.action_max_seconds, max(r.action_min_seconds, word_count(text) * r.action_seconds_per_word)))

    def at_least_min(self, frames: int) -> int:
        return max(frames, self.frames(self.rules.min_shot_seconds))


def spread(ids: list[str]) -> list[ScreenPosition]:
    """Screen places for people sharing a frame, left to right."""
    layouts = {
        1: [ScreenPosition.CENTER],
        2: [ScreenPosition.CENTER_LEFT, ScreenPosition.CENTER_RIGHT],
        3: [ScreenPosition.LEFT, ScreenPosition.CENTER, ScreenPosition.RIGHT],
        4: [ScreenPosition.LEFT, ScreenPosition.CENTER_LEFT, ScreenPosition.CENTER_RIGHT, ScreenPosition.RIGHT],
    }
    n = len(ids)
    if n in layouts:
        return layouts[n]
    order = list(ScreenPosition)
    return [order[min(len(order) - 1, i * len(order) // max(1, n))] for i in range(n)]


def cast_in_frame(ids: list[str], action: str = "") -> list[CharacterInShot]:
    return [CharacterInShot(cid, pos, action) for cid, pos in zip(ids, spread(ids), strict=True)]


def new_shot(identifier: str, size: ShotSize, rules: CoverageRules, duration: int, description: str, **fields) -> Shot:
    return Shot(
        id=identifier,
        number="",
        duration=duration,
        description=description,
        size=size,
        lens_mm=rules.lens_mm.get(size, 35.0),
        seed=seed_for(identifier),
        **fields,
    )


def mention_pattern(names: list[str]) -> re.Pattern[str] | None:
    """Finds characters named in action lines ('Maya wipes the counter'), longest names first."""
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    return re.compile(rf"(?<![\w'])({alternatives})(?![\w'])", re.IGNORECASE)


def world_override(location_time: TimeOfDay, scene_time: TimeOfDay) -> WorldStateOverride:
    """A scene at another hour than its location's own keeps that hour on its shots."""
    return WorldStateOverride() if location_time == scene_time else WorldStateOverride(time_of_day=scene_time)
