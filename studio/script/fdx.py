"""Reading Final Draft (.fdx) screenplays: XML paragraphs typed Scene Heading, Action, Character ...

An .fdx is untrusted XML, so a document type declaration (and with it any entity declaration, the
road to "billion laughs" and external-file attacks) is refused before parsing, as defusedxml does.
Paragraph types map to the same elements the Fountain reader makes, so one script in either format
becomes the same storyboard:

    Scene Heading (Number=)         scene heading; its SceneProperties/Summary is the synopsis
    Action (Alignment=Center)       action (centred: a title card); General, Shot: action
    Character / Parenthetical / Dialogue / Lyrics    a speech; inside <DualDialogue>, dual dialogue
    Transition                      transition
    Outline 1-4, New Act, End of Act / Outline Body   section / synopsis
    <ScriptNote> anywhere in a paragraph              a note on that paragraph
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from studio.script.errors import ScriptImportError
from studio.script.screenplay import (
    Action,
    Centered,
    Element,
    Lyrics,
    Note,
    SceneHeading,
    Screenplay,
    Section,
    Speech,
    SpeechPart,
    Synopsis,
    TransitionCue,
    assemble,
)
from studio.script.text import clean

_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_EXTENSION = re.compile(r"\(([^)]*)\)")
_SECTION_TYPES = {"outline 1": 1, "outline 2": 2, "outline 3": 3, "outline 4": 4, "new act": 1, "end of act": 1, "act break": 1}


def _refuse_declarations(data: bytes, path: object) -> None:
    probes = [data]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        probes.append(data.decode("utf-16", errors="replace").encode("utf-8"))
    for probe in probes:
        if _DECLARATIONS.search(probe):
            raise ScriptImportError(path, "refused: the XML declares a document type or entities, which a Final Draft file never needs (a safety rule)")


def _text(paragraph: ET.Element) -> str:
    return clean("".join("".join(t.itertext()) for t in paragraph.findall("Text")))


def _notes(paragraph: ET.Element) -> tuple[str, ...]:
    notes = []
    for note in paragraph.iter("ScriptNote"):
        text = clean(" ".join("".join(t.itertext()) for t in note.iter("Text")))
        if text:
            notes.append(text)
    return tuple(notes)


class _Reader:
    def __init__(self) -> None:
        self.elements: list[Element] = []
        self.speech: dict | None = None

    def end_speech(self) -> None:
        speech = self.speech
        if speech is None:
            return
        self.speech = None
        parts = list(speech["parts"])
        if speech["paren"]:
            speech["notes"].append(f"({speech['paren']})")
        self.elements.append(Speech(speech["name"], speech["extensions"], tuple(parts), speech["dual"], tuple(speech["notes"])))

    def paragraph(self, paragraph: ET.Element, dual: bool = False) -> None:
        nested = paragraph.find("DualDialogue")
        if nested is not None:
            self.end_speech()
            characters = 0
            for inner in nested.findall("Paragraph"):
                if (inner.get("Type") or "").strip().lower() == "character":
                    characters += 1
                self.paragraph(inner, dual=characters >= 2)
            self.end_speech()
            return
        kind = (paragraph.get("Type") or "Action").strip().lower()
        text = _text(paragraph)
        notes = _notes(paragraph)
        if kind == "character":
            self.end_speech()
            name = clean(text.split("(", 1)[0])
            extensions = tuple(clean(e) for e in _EXTENSION.findall(text))
            self.speech = {"name": name, "extensions": extensions, "parts": [], "paren": "", "dual": dual, "notes": list(notes)}
            return
        if self.speech is not None and kind in ("parenthetical", "dialogue", "lyrics", "lyric"):
            self.speech["notes"].extend(notes)
            if kind == "parenthetical":
                inner = text[1:-1] if text.startswith("(") and text.endswith(")") else text
                self.speech["paren"] = f"{self.speech['paren']}; {clean(inner)}" if self.speech["paren"] else clean(inner)
            elif text:
                parts, sung = self.speech["parts"], kind != "dialogue"
                if sung and parts and parts[-1].sung and not self.speech["paren"]:  # lyric lines in a row: one sung part
                    parts[-1] = SpeechPart(f"{parts[-1].text} / {text}", parts[-1].parenthetical, sung=True)
                else:
                    parts.append(SpeechPart(text, self.speech["paren"], sung=sung))
                self.speech["paren"] = ""
            return
        self.end_speech()
        if kind == "scene heading":
            number = (paragraph.get("Number") or "").strip() or None
            self.elements.append(SceneHeading(text.upper(), number))
            summary = paragraph.find("SceneProperties/Summary")
            if summary is not None:
                synopsis = clean(" ".join(_text(p) for p in summary.iter("Paragraph")))
                if synopsis:
                    self.elements.append(Synopsis(synopsis))
            self.elements.extend(Note(n) for n in notes)
        elif kind == "transition":
            self.elements.append(TransitionCue(text.upper()))
            self.elements.extend(Note(n) for n in notes)
        elif kind in _SECTION_TYPES:
            self.elements.append(Section(text, _SECTION_TYPES[kind]))
        elif kind == "outline body":
            self.elements.append(Synopsis(text))
        elif kind in ("lyrics", "lyric"):
            self.elements.append(Lyrics(text, notes))
        elif not text:
            self.elements.extend(Note(n) for n in notes)
        elif (paragraph.get("Alignment") or "").lower() == "center":
            self.elements.append(Centered(text, notes))
        else:  # Action, General, Shot, and types from templates we do not know
            self.elements.append(Action(text, notes))


def parse_fdx(data: bytes, path: object = "<script>") -> Screenplay:
    _refuse_declarations(data, path)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        problem = str(exc).rsplit(": line", 1)[0]
        raise ScriptImportError(path, f"not readable as Final Draft XML ({problem})", line) from None
    if root.tag != "FinalDraft":
        raise ScriptImportError(path, f"not a Final Draft document (its XML starts with <{root.tag}>, not <FinalDraft>)")
    content = root.find("Content")
    if content is None:
        raise ScriptImportError(path, "a Final Draft document without a <Content> section: there is no script in it")
    reader = _Reader()
    for paragraph in content.findall("Paragraph"):
        reader.paragraph(paragraph)
    reader.end_speech()
    title_page: dict[str, str] = {}
    for paragraph in root.findall("TitlePage/Content/Paragraph"):
        text = _text(paragraph)
        if text:
            title_page["title"] = text
            break
    return assemble(title_page, reader.elements, [])
