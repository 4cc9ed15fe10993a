"""The demo project: a short scene written to exercise every part of the app.

"Last Order" — two people, two places, eleven shots: a street at night in the rain, and the diner
across it. It has dialogue, a variety of shot sizes and camera moves, a chained shot, sound cues
and every kind of transition.
"""

from __future__ import annotations

from dataclasses import replace

from studio.camera import CameraMove, CameraMoveType, Direction, Easing
from studio.character import Character, VoiceSettings
from studio.continuity.changes import Aspect, ChangeOp, ContinuityChange, picks_up, puts_down, wardrobe
from studio.frame_rate import FrameRate
from studio.location import Location, TimeOfDay, WorldState, WorldStateOverride
from studio.project import Project, Sequence, StylePreset, VideoFormat
from studio.shot import (
    CharacterInShot,
    ContinuityLink,
    DialogueLine,
    ScreenPosition,
    Shot,
    ShotSize,
    SoundCue,
    SoundCueKind,
    Transition,
    TransitionType,
)


def demo_project(fps: FrameRate | None = None, width: int = 1280, height: int = 720) -> Project:
    rate = fps or FrameRate(24)

    def frames(seconds: float) -> int:
        return rate.seconds_to_frames(seconds)

    maya = Character(
        id="maya",
        name="MAYA",
        description="waitress in her forties, red diner uniform, hair tied back, tired eyes",
        voice=VoiceSettings(voice="en-us+f3", pitch=55, words_per_minute=165),
        color="#c0504d",
    )
    jonah = Character(
        id="jonah",
        name="JONAH",
        description="young man in a soaked grey raincoat, unshaven, carries a small suitcase",
        voice=VoiceSettings(voice="en-gb+m3", pitch=40, words_per_minute=150),
        color="#4f81bd",
    )
    street = Location(
        id="street",
        name="Main Street",
        interior=False,
        description="empty small-town main street, wet asphalt, a diner's neon sign across the road",
        world=WorldState(
            time_of_day=TimeOfDay.NIGHT,
            weather="heavy rain",
            lighting="sodium street lamps, pink neon reflections on the wet road",
            palette=("#0b1020", "#1f2a44", "#d94f8c", "#f2a541"),
            props=("neon sign", "bus stop"),
        ),
    )
    diner = Location(
        id="diner",
        name="Rosie's Diner",
        interior=True,
        description="narrow chrome diner, red vinyl booths, counter with stools, rain on the windows",
        world=WorldState(
            time_of_day=TimeOfDay.NIGHT,
            weather="rain outside",
            lighting="warm practical lights over the counter, neon spill through the windows",
            palette=("#2b1a14", "#8c2f2f", "#e8c07d", "#f5e6c8"),
            props=("coffee pot", "pie display", "wall clock"),
        ),
    )

    def move(kind: CameraMoveType, direction: Direction = Direction.NONE, amount: float = 0.0, easing: Easing = Easing.EASE_IN_OUT) -> CameraMove:
        return CameraMove(kind, direction, amount, easing)

    shots = [
        Shot(
            id="s01",
            number="1",
            duration=frames(5),
            size=ShotSize.EWS,
            lens_mm=18,
            description="Rain hammers an empty main street. Across the road the diner's neon sign flickers: ROSIE'S.",
            camera=move(CameraMoveType.CRANE, Direction.DOWN, 0.3),
            location_id="street",
            sound_cues=[
                SoundCue(SoundCueKind.AMBIENCE, "heavy rain on asphalt", gain_db=-6),
                SoundCue(SoundCueKind.MUSIC, "lonely piano theme", gain_db=-12),
            ],
            transition=Transition(TransitionType.FADE, frames(1)),
            seed=1101,
        ),
        Shot(
            id="s02",
            number="2",
            duration=frames(4),
            size=ShotSize.LS,
            lens_mm=35,
            description="JONAH walks into frame with a small suitcase and stops in front of the diner window.",
            camera=move(CameraMoveType.PAN, Direction.RIGHT, 0.35),
            location_id="street",
            characters=[CharacterInShot("jonah", ScreenPosition.CENTER_RIGHT, "walks in, stops at the window")],
            sound_cues=[SoundCue(SoundCueKind.AMBIENCE, "rain, distant traffic", gain_db=-8)],
            seed=1102,
        ),
        Shot(
            id="s03",
            number="3",
            duration=frames(4),
            size=ShotSize.MS,
            lens_mm=50,
            description="Inside, MAYA wipes the counter. She looks up at the door.",
            camera=move(CameraMoveType.DOLLY_IN, Direction.IN, 0.25),
            location_id="diner",
            characters=[CharacterInShot("maya", ScreenPosition.CENTER, "wipes the counter, looks up")],
            sound_cues=[
                SoundCue(SoundCueKind.AMBIENCE, "diner room tone, fridge hum", gain_db=-10),
                SoundCue(SoundCueKind.SFX, "door bell rings", start=frames(3), duration=frames(1)),
            ],
            transition=Transition(TransitionType.DISSOLVE, frames(0.75)),
            seed=1103,
        ),
        Shot(
            id="s04",
            number="4",
            duration=frames(5),
            size=ShotSize.MLS,
            lens_mm=35,
            description="JONAH steps in, dripping, and sets the suitcase down by a stool.",
            camera=move(CameraMoveType.TRUCK, Direction.LEFT, 0.2),
            location_id="diner",
            characters=[
                CharacterInShot("jonah", ScreenPosition.CENTER_LEFT, "steps in, sets the suitcase down"),
                CharacterInShot("maya", ScreenPosition.RIGHT, "behind the counter"),
            ],
            dialogue=[DialogueLine("maya", "Kitchen closes in ten minutes.", start=frames(2))],
            seed=1104,
        ),
        Shot(
            id="s05",
            number="5",
            duration=frames(4),
            size=ShotSize.MCU,
            lens_mm=65,
            description="Over MAYA's shoulder: JONAH sits, rain still running off his coat.",
            camera=move(CameraMoveType.STATIC),
            location_id="diner",
            characters=[
                CharacterInShot("jonah", ScreenPosition.CENTER_RIGHT, "sits"),
                CharacterInShot("maya", ScreenPosition.LEFT, "foreground, back to camera"),
            ],
            dialogue=[DialogueLine("jonah", "Then I'll have whatever takes nine.", start=frames(0.5))],
            seed=1105,
        ),
        Shot(
            id="s06",
            number="6",
            duration=frames(4),
            size=ShotSize.CU,
            lens_mm=85,
            description="MAYA almost smiles. She reaches for the coffee pot.",
            camera=move(CameraMoveType.ZOOM, Direction.IN, 0.15, Easing.EASE_OUT),
            location_id="diner",
            characters=[CharacterInShot("maya", ScreenPosition.CENTER, "almost smiles")],
            dialogue=[DialogueLine("maya", "Coffee's been on since six.", start=frames(0.5), parenthetical="dry")],
            seed=1106,
        ),
        Shot(
            id="s07",
            number="7",
            duration=frames(3),
            size=ShotSize.ECU,
            lens_mm=100,
            description="Coffee pours into a chipped white mug, steam rising.",
            camera=move(CameraMoveType.TILT, Direction.DOWN, 0.2),
            location_id="diner",
            sound_cues=[SoundCue(SoundCueKind.SFX, "coffee pouring", gain_db=-4)],
            seed=1107,
        ),
        Shot(
            id="s08",
            number="8",
            duration=frames(5),
            size=ShotSize.MCU,
            lens_mm=65,
            description="JONAH wraps both hands around the mug. He glances at the suitcase.",
            camera=move(CameraMoveType.HANDHELD, Direction.NONE, 0.02),
            location_id="diner",
            characters=[CharacterInShot("jonah", ScreenPosition.CENTER, "hands around the mug")],
            dialogue=[DialogueLine("jonah", "Does the bus still stop here?", start=frames(1.5))],
            continuity=ContinuityLink.CHAIN,
            seed=1108,
        ),
        Shot(
            id="s09",
            number="9",
            duration=frames(6),
            size=ShotSize.MS,
            lens_mm=40,
            description="MAYA and JONAH across the counter. The wall clock reads five to midnight.",
            camera=move(CameraMoveType.ORBIT, Direction.LEFT, 20),
            location_id="diner",
            characters=[CharacterInShot("maya", ScreenPosition.LEFT, "leans on the counter"), CharacterInShot("jonah", ScreenPosition.RIGHT, "looks up")],
            dialogue=[
                DialogueLine("maya", "Last one left an hour ago. Next one's at six.", start=frames(0.5)),
                DialogueLine("jonah", "Then I'll need more coffee.", start=frames(4.3)),
            ],
            seed=1109,
        ),
        Shot(
            id="s10",
            number="10",
            duration=frames(4),
            size=ShotSize.WS,
            lens_mm=24,
            description="The whole diner from the corner booth: two figures at the counter, rain on the glass.",
            camera=move(CameraMoveType.DOLLY_OUT, Direction.OUT, 0.2),
            location_id="diner",
            characters=[CharacterInShot("maya", ScreenPosition.CENTER_LEFT), CharacterInShot("jonah", ScreenPosition.CENTER_RIGHT)],
            world_override=WorldStateOverride(lighting="counter lights only, the rest of the diner dimmed"),
            sound_cues=[SoundCue(SoundCueKind.MUSIC, "piano theme returns", gain_db=-10)],
            transition=Transition(TransitionType.DISSOLVE, frames(1)),
            seed=1110,
        ),
        Shot(
            id="s11",
            number="11",
            duration=frames(5),
            size=ShotSize.EWS,
            lens_mm=18,
            description="Outside, the neon sign clicks off. One window stays lit in the rain.",
            camera=move(CameraMoveType.PEDESTAL, Direction.UP, 0.25, Easing.EASE_IN),
            location_id="street",
            sound_cues=[
                SoundCue(SoundCueKind.AMBIENCE, "rain easing off", gain_db=-8),
                SoundCue(SoundCueKind.SFX, "neon sign switches off", start=frames(1), duration=frames(1)),
            ],
            world_override=WorldStateOverride(weather="rain easing off"),
            transition=Transition(TransitionType.DISSOLVE, frames(0.5)),
            seed=1111,
        ),
    ]
    _log_continuity({shot.id: shot for shot in shots})
    return Project(
        title="Last Order",
        format=VideoFormat(width, height, rate),
        style=StylePreset.CINEMATIC,
        characters=[maya, jonah],
        locations=[street, diner],
        sequences=[
            Sequence(id="sc1", name="1 EXT. MAIN STREET - NIGHT", shots=shots[:2]),
            Sequence(id="sc2", name="2 INT. ROSIE'S DINER - NIGHT", shots=shots[2:10]),
            Sequence(id="sc3", name="3 EXT. MAIN STREET - NIGHT", shots=shots[10:]),
        ],
    )


def _log_continuity(shots: dict[str, Shot]) -> None:
    """The script supervisor's log of the demo: what each shot changes, and nothing more."""

    def log(shot_id: str, character_id: str, *changes: ContinuityChange) -> None:
        shot = shots[shot_id]
        shot.characters = [replace(c, changes=c.changes + changes) if c.character_id == character_id else c for c in shot.characters]

    log("s02", "jonah", wardrobe("soaked grey raincoat"), ContinuityChange(Aspect.CONDITION, "soaked by the rain"), picks_up("small suitcase", deliberate=True))
    log("s03", "maya", wardrobe("red diner uniform"), ContinuityChange(Aspect.HAIR_MAKEUP, "hair tied back, tired eyes"))
    log("s04", "jonah", puts_down("small suitcase"))
    shots["s04"].continuity_changes = [ContinuityChange(Aspect.PROPS_PRESENT, "small suitcase", ChangeOp.ADD)]  # by a stool
    # The over-the-shoulder reverse crosses to the window side on purpose: the new axis is logged.
    shots["s05"].continuity_changes = [ContinuityChange(Aspect.AXIS, "across the counter from the window side: MAYA frame left, JONAH frame right")]
    log("s06", "maya", picks_up("coffee pot"), ContinuityChange(Aspect.EMOTION, "almost smiling"))
    shots["s07"].continuity_changes = [ContinuityChange(Aspect.PROPS_PRESENT, "chipped white mug", ChangeOp.ADD)]
    log("s08", "jonah", picks_up("chipped white mug"))
    log("s09", "maya", puts_down("coffee pot"))
