"""Reading Fountain (.fountain, .spmd) screenplays, following https://fountain.io/syntax.

Why our own reader: of the Fountain packages on PyPI, `fountain` (0.1.3) no longer imports on Python
3.11, `jouvence` misses dual dialogue and leaves notes, boneyard and emphasis in the text, and
`screenplain` drops notes, has no lyrics and pulls in reportlab and Pillow. The syntax is small.

Reading happens in two passes. The first removes the boneyard (/* */) and lifts notes ([[ ]]) off
their lines, keeping line numbers for messages; a note or boneyard left open is an error, since it
would silently swallow the rest of the script. The second groups lines into paragraphs (runs of
non-blank lines; a line of exactly two spaces keeps a paragraph together) and classifies each by its
first line, as the syntax page describes:

    Title: ...             title page (only at the very top)
    INT. / EXT. / .FORCED  scene heading (#12A# at the end is the scene number)
    NAME / @Name / NAME ^  character cue, then (parentheticals), dialogue and ~lyrics
    CUT TO: / > FORCED     transition;  >CENTRED<  centred text
    # / =                  section / synopsis;  ===  page break;  !  forced action;  ~  lyrics
    anything else          action
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
from studio.script.text import clean, squash, strip_emphasis

_MARKS = re.compile(r"/\*|\*/|\[\[|\]\]")
_TITLE_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9 _'-]*):(.*)$")
_HEADING = re.compile(r"^(INT|EXT|EST|INT\.?/EXT|EXT\.?/INT|I/E|E/I)[. ]", re.IGNORECASE)
_SCENE_NUMBER = re.compile(r"#([\w.-]+)#\s*$")
_PAGE_BREAK = re.compile(r"^={3,}$")
_PARENTHETICAL = re.compile(r"^\(.*\)$")
_EXTENSION = re.compile(r"\(([^)]*)\)")
_TITLE_PAGE_KEYS = frozenset(
    {"title", "credit", "author", "authors", "source", "draft date", "date", "contact", "copyright", "notes", "revision", "format", "font", "watermark"}
)
# Transitions written without '>': anything ending in TO:, and the fades every writer types.
_KNOWN_TRANSITIONS = frozenset({"FADE IN:", "FADE OUT.", "FADE OUT", "FADE TO BLACK.", "FADE TO BLACK", "CUT TO BLACK.", "CUT TO BLACK", "FADE IN"})


@dataclass(eq=False)
class _Line:
    number: int
    text: str  # with notes and boneyard removed, not stripped
    notes: list[str] = field(default_factory=list)
    note_only: bool = False  # the line held nothing but notes
    joiner: bool = False  # exactly two spaces: keeps a paragraph together

    @property
    def stripped(self) -> str:
        return self.text.strip()


def _lift_notes_and_boneyard(text: str, path: object) -> list[_Line]:
    lines: list[_Line] = []
    state = "text"
    opened_at = 0
    note_parts: list[str] = []
    for number, raw in enumerate(text.split("\n"), 1):
        if state == "note" and not raw.strip() and raw != "  ":
            raise ScriptImportError(path, "a note opened with [[ is not closed with ]] before the blank line after it", opened_at)
        visible: list[str] = []
        notes: list[str] = []
        touched = state != "text"
        pos = 0
        while pos <= len(raw):
            if state == "boneyard":
                end = raw.find("*/", pos)
                if end < 0:
                    break
                state, pos = "text", end + 2
                continue
            if state == "note":
                end = raw.find("]]", pos)
                again = raw.find("[[", pos)
                if again >= 0 and (end < 0 or again < end):
                    raise ScriptImportError(path, f"a note opened with [[ on line {opened_at} is not closed with ]] before the next [[", number)
                if end < 0:
                    note_parts.append(raw[pos:])
                    break
                note_parts.append(raw[pos:end])
                notes.append(clean(" ".join(note_parts)))
                state, pos = "text", end + 2
                continue
            match = _MARKS.search(raw, pos)
            if match is None:
                visible.append(raw[pos:])
                break
            visible.append(raw[pos : match.start()])
            mark = match.group()
            if mark in ("*/", "]]"):
                opener = "/*" if mark == "*/" else "[["
                raise ScriptImportError(path, f"'{mark}' closes a {'boneyard' if mark == '*/' else 'note'} that was never opened with '{opener}'", number)
            touched = True
            opened_at = number
            if mark == "/*":
                state = "boneyard"
            else:
                state, note_parts = "note", []
            pos = match.end()
        line_text = "".join(visible)
        if touched and not line_text.strip():
            if notes:
                lines.append(_Line(number, "", [n for n in notes if n], note_only=True))
            continue  # a line that was all boneyard, or the inside of a long note
        lines.append(_Line(number, line_text, [n for n in notes if n], joiner=raw == "  "))
    if state == "boneyard":
        raise ScriptImportError(path, "a boneyard opened with /* is never closed with */ (it would hide the rest of the script)", opened_at)
    if state == "note":
        raise ScriptImportError(path, "a note opened with [[ is never closed with ]]", opened_at)
    return lines


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    runs: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        blank = not line.stripped and not line.note_only
        if blank and not (line.joiner and current):
            if current:
                runs.append(current)
            current = []
            continue
        current.append(line)
    if current:
        runs.append(current)
    return runs


def _title_page(run: list[_Line]) -> dict[str, str]:
    page: dict[str, list[str]] = {}
    key = None
    for line in run:
        match = _TITLE_KEY.match(line.text) if not line.text[:1].isspace() else None
        if match:
            key = squash(match.group(1)).lower()
            page[key] = [match.group(2)] if match.group(2).strip() else []
        elif key is not None and line.stripped:
            page[key].append(line.stripped)
    return {k: clean(" ".join(v)) for k, v in page.items()}


def _starts_title_page(line: _Line) -> bool:
    """'Title: ...' opens a title page; 'FADE IN:' (a key in capitals that no title page uses) does not."""
    match = _TITLE_KEY.match(line.text)
    if not match or line.text[:1].isspace() or _HEADING.match(line.stripped):
        return False
    key = squash(match.group(1))
    return key.lower() in _TITLE_PAGE_KEYS or key != key.upper()


def _is_centered(text: str) -> bool:
    return len(text) > 1 and text.startswith(">") and text.endswith("<")


def _is_cue(text: str) -> bool:
    if text.startswith("@"):
        return len(text) > 1
    name = text.removesuffix("^").split("(", 1)[0]
    name = strip_emphasis(name).strip()
    return any(c.isalpha() for c in name) and name == name.upper() and not name.endswith(":")


def _speech(run: list[_Line]) -> Speech:
    cue = run[0].stripped
    dual = cue.endswith("^")
    cue = cue.removesuffix("^").strip().removeprefix("@")
    extensions = tuple(clean(e) for e in _EXTENSION.findall(cue))
    name = clean(cue.split("(", 1)[0])
    parts: list[SpeechPart] = []
    notes = [n for line in run for n in line.notes]
    parenthetical = ""
    words: list[str] = []
    sung: list[str] = []

    def flush() -> None:
        nonlocal parenthetical
        if words:
            parts.append(SpeechPart(clean(" ".join(words)), parenthetical))
            words.clear()
            parenthetical = ""
        if sung:
            parts.append(SpeechPart(clean(" / ".join(sung)), parenthetical, sung=True))
            sung.clear()
            parenthetical = ""

    for line in run[1:]:
        text = line.stripped
        if not text:
            continue
        if _PARENTHETICAL.match(text):
            flush()
            if parenthetical:  # two parentheticals in a row: keep both
                parenthetical += "; "
            parenthetical += clean(text[1:-1])
        elif text.startswith("~"):
            if words:
                flush()
            sung.append(text[1:].strip())
        else:
            if sung:
                flush()
            words.append(text)
    flush()
    if parenthetical:  # a parenthetical after the last line has no line to colour: keep it as a note
        notes.append(f"({parenthetical})")
    return Speech(name, extensions, tuple(parts), dual, tuple(notes))


def _classify(run: list[_Line], out: list[Element]) -> None:
    """Appends the elements of one paragraph; single-line elements hand the rest of the run back."""
    while run:
        start = 0
        while start < len(run) and run[start].note_only:
            start += 1
        if start == len(run):
            out.extend(Note(n) for line in run for n in line.notes)
            return
        lead_notes = tuple(n for line in run[:start] for n in line.notes)
        run = run[start:]
        first = run[0].stripped
        rest = run[1:]
        all_notes = lead_notes + tuple(n for line in run for n in line.notes)
        own_notes = lead_notes + tuple(run[0].notes)
        if _PAGE_BREAK.match(first):
            out.extend(Note(n) for n in own_notes)
        elif first.startswith("#"):
            out.append(Section(clean(first.lstrip("#")), len(first) - len(first.lstrip("#"))))
            out.extend(Note(n) for n in own_notes)
        elif first.startswith("=") and not first.startswith("=="):
            out.append(Synopsis(clean(first[1:])))
            out.extend(Note(n) for n in own_notes)
        elif (first.startswith(".") and not first.startswith("..")) or _HEADING.match(first):
            heading = first[1:] if first.startswith(".") else first
            number_match = _SCENE_NUMBER.search(heading)
            number = number_match.group(1) if number_match else None
            heading = heading[: number_match.start()] if number_match else heading
            out.append(SceneHeading(clean(heading).upper(), number))
            out.extend(Note(n) for n in own_notes)
        elif _is_centered(first):
            texts = [first[1:-1]]
            notes = list(own_notes)
            while rest and _is_centered(rest[0].stripped):
                notes.extend(rest[0].notes)
                texts.append(rest.pop(0).stripped[1:-1])
            out.append(Centered(clean(" ".join(texts)), tuple(notes)))
        elif first.startswith(">"):
            out.append(TransitionCue(clean(first[1:]).upper()))
            out.extend(Note(n) for n in own_notes)
        elif first.startswith("~"):
            lyric_lines = [first[1:].strip()]
            notes = list(own_notes)
            while rest and rest[0].stripped.startswith("~"):
                notes.extend(rest[0].notes)
                lyric_lines.append(rest.pop(0).stripped[1:].strip())
            out.append(Lyrics(clean(" / ".join(lyric_lines)), tuple(notes)))
        elif first.startswith("!"):
            out.append(Action(clean(" ".join([first[1:], *(line.stripped for line in rest)])), all_notes))
            return
        elif len(run) == 1 and first == first.upper() and (first.endswith("TO:") or first in _KNOWN_TRANSITIONS):
            out.append(TransitionCue(clean(first)))
            out.extend(Note(n) for n in all_notes)
            return
        elif any(not line.note_only for line in rest) and _is_cue(first):
            speech = _speech(run)
            out.append(Speech(speech.character, speech.extensions, speech.parts, speech.dual, lead_notes + speech.notes))
            return
        else:
            out.append(Action(clean(" ".join(line.stripped for line in run)), all_notes))
            return
        run = rest


def parse_fountain(text: str, path: object = "<script>") -> Screenplay:
    """The screenplay in Fountain `text`; `path` only names the file in messages."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").lstrip("\ufeff")
    lines = _lift_notes_and_boneyard(text.rstrip(), path)
    runs = _paragraphs(lines)
    title_page: dict[str, str] = {}
    if runs and _starts_title_page(runs[0][0]):
        title_page = _title_page(runs.pop(0))
    elements: list[Element] = []
    for run in runs:
        _classify(run, elements)
    return assemble(title_page, elements, [])
