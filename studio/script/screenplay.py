"""A screenplay as the readers hand it on, whatever the file format: a title page and scenes of elements.

The Fountain and Final Draft readers both produce a flat list of these elements and call `assemble`,
which splits it into scenes at the scene headings and pairs dual dialogue, so that one script written
in either format becomes the same `Screenplay` and so the same storyboard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studio.script.text import character_key

# Character extensions that put the speaker out of the picture: "(V.O.)", "(O.S.)", "(O.C.)", "(OFF)".
OFFSCREEN_EXTENSIONS = frozenset({"VO", "OS", "OC", "OFF", "OFFSCREEN", "OFFCAMERA", "PRELAP"})


@dataclass(frozen=True)
class SceneHeading:
    text: str  # "INT. DINER - NIGHT", without a scene number
    number: str | None = None  # the script's own scene number (#12A#), if it has one


@dataclass(frozen=True)
class Action:
    text: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpeechPart:
    text: str
    parenthetical: str = ""  # without the brackets: "dry"
    sung: bool = False  # lyrics (~ in Fountain)


@dataclass(frozen=True)
class Speech:
    """One character cue and what follows it: one speech, possibly split by parentheticals."""

    character: str  # as first written, extensions removed: "MAYA", "McCLANE"
    extensions: tuple[str, ...] = ()  # "V.O.", "CONT'D"
    parts: tuple[SpeechPart, ...] = ()
    dual: bool = False  # the second half of dual dialogue (^ in Fountain)
    notes: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return character_key(self.character)

    @property
    def offscreen(self) -> bool:
        return bool(self.offscreen_marks)

    @property
    def offscreen_marks(self) -> tuple[str, ...]:
        """The extensions that put the speaker off screen, as marks on the lines: 'V.O.', 'O.S.' (OFF and
        PRELAP read as O.S.), so the continuity checker knows the speaker need not be in the shot."""
        marks = []
        for ext in self.extensions:
            letters = re.sub(r"[^A-Z]", "", ext.upper())
            if letters in OFFSCREEN_EXTENSIONS:
                marks.append(ext if letters in {"VO", "OS", "OC"} else "O.S.")
        return tuple(dict.fromkeys(marks))


@dataclass(frozen=True)
class DualSpeech:
    """Two characters speaking at once, side by side on the page."""

    left: Speech
    right: Speech


@dataclass(frozen=True)
class Lyrics:
    """Sung lines that stand on their own, outside a speech."""

    text: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Centered:
    """Centred text (>THE END<): a title card."""

    text: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TransitionCue:
    text: str  # "CUT TO:", "DISSOLVE TO:", "FADE OUT."


@dataclass(frozen=True)
class Note:
    text: str


@dataclass(frozen=True)
class Section:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Synopsis:
    text: str


Element = Action | Speech | DualSpeech | Lyrics | Centered | TransitionCue | Note | Section | Synopsis | SceneHeading
# Elements that become shots; the others only annotate or join them.
PICTURE_ELEMENTS = (Action, Speech, DualSpeech, Lyrics, Centered)


@dataclass
class Scene:
    heading: SceneHeading | None  # None: text before the first heading, or a script without any
    elements: list[Element] = field(default_factory=list)


@dataclass
class Screenplay:
    title_page: dict[str, str]  # lower-case keys: "title", "author", "draft date"
    scenes: list[Scene]
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str | None:
        return self.title_page.get("title") or None

    def speeches(self) -> list[Speech]:
        found: list[Speech] = []
        for scene in self.scenes:
            for element in scene.elements:
                if isinstance(element, Speech):
                    found.append(element)
                elif isinstance(element, DualSpeech):
                    found.extend((element.left, element.right))
        return found


def assemble(title_page: dict[str, str], elements: list[Element], warnings: list[str]) -> Screenplay:
    """Scenes from a flat list of elements: a new scene at every heading, dual dialogue paired.

    Text before the first heading that holds no picture (FADE IN:, a section, a note) joins the first
    scene; if it holds action or dialogue it becomes a scene of its own without a heading.
    """
    scenes: list[Scene] = [Scene(None)]
    for element in elements:
        if isinstance(element, SceneHeading):
            scenes.append(Scene(element))
            continue
        current = scenes[-1].elements
        if isinstance(element, Speech) and element.dual:
            if current and isinstance(current[-1], Speech):
                current[-1] = DualSpeech(current[-1], element)
                continue
            warnings.append(f"dual dialogue for {element.character} has no speech before it to pair with; imported as a single speech")
            element = Speech(element.character, element.extensions, element.parts, False, element.notes)
        current.append(element)
    opening = scenes[0]
    if len(scenes) > 1 and not any(isinstance(e, PICTURE_ELEMENTS) for e in opening.elements):
        scenes[1].elements[:0] = opening.elements
        scenes.pop(0)
    elif not opening.elements:
        scenes.pop(0)
    return Screenplay(title_page, scenes, warnings)
