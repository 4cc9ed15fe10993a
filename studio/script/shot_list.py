"""Reading a shot list (.csv): one row per shot, as an AD or a board artist types it in a spreadsheet.

Columns are found by their header, loosely: 'Shot #', 'shot no' and 'SHOT' are all the shot column;
'Lens (mm)' is the lens, 'Duration (s)' or 'Length' the duration ('Frames' counts frames). Known columns:

    scene      a scene number or a heading (INT. DINER - NIGHT); consecutive rows of one scene make a sequence
    heading    slugline / location, when the scene column holds only numbers
    shot       the shot's number (12, 12A), kept when free
    size       ECU CU MCU MS MLS LS WS EWS, or words: close-up, medium, wide, establishing, OTS ...
    move       static, pan left, tilt up, push in, pull out, zoom, truck, crane, orbit, handheld ...
    lens       35, 35mm;   duration: 3, 2.5s, 72f, 00:00:03:00;   transition: cut, dissolve, fade
    description, dialogue ('MAYA: Coffee?' one per line), characters (comma separated), notes

A value that cannot be read (size 'medium-ish') is reported as a warning and a default used; a file
without a recognisable header row is refused.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from studio.camera import ALLOWED_DIRECTIONS, MAX_AMOUNT, CameraMove, CameraMoveType, Direction
from studio.project import Project
from studio.script.casting import cast, location_id_for, places_of
from studio.script.coverage import CoverageRules, Timing, cast_in_frame, new_shot, transition_for, world_override
from studio.script.errors import ScriptImportError
from studio.script.plan import ScenePlan, ScriptPlan, ShotPlan, SourceKeys
from studio.script.text import character_key, clean, content_key, squash
from studio.shot import DialogueLine, ShotSize
from studio.shot_number import is_valid_number

COLUMNS: dict[str, tuple[str, ...]] = {
    "scene": ("scene", "sc", "scn", "scene no", "scene number", "scene #", "sc #", "scene num", "sc no"),
    "heading": ("slugline", "scene heading", "heading", "location", "set", "int ext", "setting"),
    "shot": ("shot", "shot no", "shot number", "shot #", "#", "no", "number", "shot num", "shot id"),
    "size": ("size", "shot size", "framing", "shot type", "type", "frame size"),
    "move": ("move", "camera move", "movement", "camera", "camera movement", "cam", "motion", "camera moves"),
    "lens": ("lens", "focal length", "mm", "lens mm", "focal"),
    "duration": ("duration", "dur", "length", "time", "seconds", "secs", "sec", "frames", "len", "runtime"),
    "description": ("description", "desc", "action", "shot description", "subject", "details", "content", "what", "visual"),
    "dialogue": ("dialogue", "dialog", "lines", "line", "audio", "vo", "spoken"),
    "characters": ("characters", "character", "cast", "talent", "who", "actors"),
    "notes": ("notes", "note", "comments", "comment", "remarks"),
    "transition": ("transition", "trans", "transition in"),
}
_ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}

SIZE_WORDS: dict[str, ShotSize] = {
    **{s.value.lower(): s for s in ShotSize},
    "xcu": ShotSize.ECU,
    "extreme close up": ShotSize.ECU,
    "extreme closeup": ShotSize.ECU,
    "insert": ShotSize.ECU,
    "detail": ShotSize.ECU,
    "close up": ShotSize.CU,
    "closeup": ShotSize.CU,
    "close": ShotSize.CU,
    "medium close up": ShotSize.MCU,
    "medium closeup": ShotSize.MCU,
    "ots": ShotSize.MCU,
    "over the shoulder": ShotSize.MCU,
    "single": ShotSize.MCU,
    "medium": ShotSize.MS,
    "medium shot": ShotSize.MS,
    "mid shot": ShotSize.MS,
    "mid": ShotSize.MS,
    "two shot": ShotSize.MS,
    "2 shot": ShotSize.MS,
    "medium long shot": ShotSize.MLS,
    "medium wide": ShotSize.MLS,
    "medium wide shot": ShotSize.MLS,
    "mws": ShotSize.MLS,
    "cowboy": ShotSize.MLS,
    "long shot": ShotSize.LS,
    "long": ShotSize.LS,
    "full shot": ShotSize.LS,
    "full": ShotSize.LS,
    "fs": ShotSize.LS,
    "wide": ShotSize.WS,
    "wide shot": ShotSize.WS,
    "extreme wide": ShotSize.EWS,
    "extreme wide shot": ShotSize.EWS,
    "extreme long shot": ShotSize.EWS,
    "els": ShotSize.EWS,
    "xws": ShotSize.EWS,
    "xls": ShotSize.EWS,
    "establishing": ShotSize.EWS,
    "establishing shot": ShotSize.EWS,
    "aerial": ShotSize.EWS,
}
MOVE_WORDS: dict[str, CameraMoveType] = {
    "static": CameraMoveType.STATIC,
    "locked off": CameraMoveType.STATIC,
    "locked": CameraMoveType.STATIC,
    "still": CameraMoveType.STATIC,
    "none": CameraMoveType.STATIC,
    "pan": CameraMoveType.PAN,
    "tilt": CameraMoveType.TILT,
    "zoom": CameraMoveType.ZOOM,
    "dolly in": CameraMoveType.DOLLY_IN,
    "push in": CameraMoveType.DOLLY_IN,
    "track in": CameraMoveType.DOLLY_IN,
    "push": CameraMoveType.DOLLY_IN,
    "dolly out": CameraMoveType.DOLLY_OUT,
    "pull out": CameraMoveType.DOLLY_OUT,
    "pull back": CameraMoveType.DOLLY_OUT,
    "track out": CameraMoveType.DOLLY_OUT,
    "dolly": CameraMoveType.DOLLY_IN,
    "truck": CameraMoveType.TRUCK,
    "track": CameraMoveType.TRUCK,
    "tracking": CameraMoveType.TRUCK,
    "crab": CameraMoveType.TRUCK,
    "pedestal": CameraMoveType.PEDESTAL,
    "crane": CameraMoveType.CRANE,
    "boom": CameraMoveType.CRANE,
    "jib": CameraMoveType.CRANE,
    "orbit": CameraMoveType.ORBIT,
    "arc": CameraMoveType.ORBIT,
    "handheld": CameraMoveType.HANDHELD,
    "hand held": CameraMoveType.HANDHELD,
    "steadicam": CameraMoveType.HANDHELD,
}
_MOVE_PHRASES = sorted(MOVE_WORDS, key=len, reverse=True)
DEFAULT_AMOUNT = {
    t: min(MAX_AMOUNT[t], {CameraMoveType.ORBIT: 20.0, CameraMoveType.HANDHELD: 0.02, CameraMoveType.PAN: 0.3}.get(t, 0.2)) for t in CameraMoveType
}
_DIRECTION_WORDS = {"left": Direction.LEFT, "right": Direction.RIGHT, "up": Direction.UP, "down": Direction.DOWN, "in": Direction.IN, "out": Direction.OUT}
_SPEAKER = re.compile(r"^\s*([^:()]{1,40}?)\s*(?:\(([^)]*)\))?\s*:\s*(.+)$")
_HEADING_LIKE = re.compile(r"^\s*(INT|EXT|EST|I/E)[./ ]", re.IGNORECASE)


def _words(text: str) -> str:
    return squash(re.sub(r"[^a-z0-9#]+", " ", text.lower()))


def match_columns(header: list[str]) -> dict[str, int]:
    """Our column name for each header cell we recognise (first match wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        words = _words(cell)
        candidates = [words, _words(re.sub(r"\(.*?\)", " ", cell.lower())), words.split(" ")[0] if words else ""]
        for candidate in candidates:
            column = _ALIASES.get(candidate)
            if column and column not in found:
                found[column] = index
                break
    return found


def parse_size(text: str) -> ShotSize | None:
    words = _words(text.replace("-", " "))
    if not words:
        return None
    return SIZE_WORDS.get(words) or SIZE_WORDS.get(words.split(" ")[0])


def parse_move(text: str) -> CameraMove | None:
    words = _words(text.replace("-", " "))
    if not words:
        return CameraMove()
    kind = next((MOVE_WORDS[p] for p in _MOVE_PHRASES if re.search(rf"\b{re.escape(p)}\b", words)), None)
    if kind is None:
        return None
    allowed = ALLOWED_DIRECTIONS[kind]
    said = [d for w, d in _DIRECTION_WORDS.items() if re.search(rf"\b{w}\b", words)]
    direction = next((d for d in said if d in allowed), allowed[0])
    return CameraMove(kind, direction, DEFAULT_AMOUNT[kind])


def parse_duration(text: str, timing: Timing, frames_column: bool) -> int | None:
    raw = text.strip().lower()
    if not raw:
        return None
    rate = timing.rate
    if re.fullmatch(r"\d+:\d{2}:\d{2}[:;]\d{2}", raw):
        h, m, s, f = (int(x) for x in re.split(r"[:;]", raw))
        return max(1, ((h * 60 + m) * 60 + s) * rate.timecode_base + f)
    if re.fullmatch(r"\d+:\d{2}(\.\d+)?", raw):
        m, s = raw.split(":")
        return timing.frames(int(m) * 60 + float(s))
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(f|fr|frm|frames?|s|sec|secs|seconds?|\")?", raw)
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    if (unit and unit.startswith("f")) or (unit is None and frames_column):
        return max(1, round(value))
    return timing.frames(value) if value > 0 else None


@dataclass
class _Row:
    line: int
    cells: dict[str, str] = field(default_factory=dict)

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()


def read_rows(text: str, path: object) -> tuple[list[_Row], bool]:
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    records: list[tuple[int, list[str]]] = []
    ended = 0
    try:
        for row in reader:  # a quoted cell may span lines: a row is numbered by the line it starts on
            records.append((ended + 1, row))
            ended = reader.line_num
    except csv.Error as exc:
        raise ScriptImportError(path, f"not a readable CSV shot list ({exc})", reader.line_num) from None
    records = [(n, row) for n, row in records if any(cell.strip() for cell in row)]
    if not records:
        raise ScriptImportError(path, "the shot list is empty")
    header_line, header = records[0]
    columns = match_columns(header)
    if len(columns) < 2 or not columns.keys() & {"description", "dialogue", "size", "move"}:
        raise ScriptImportError(
            path,
            "the first row is not a header naming the columns; name them like: scene, shot, size, move, lens, duration, description, dialogue",
            header_line,
        )
    frames_column = "duration" in columns and "frame" in header[columns["duration"]].lower()
    rows = [_Row(n, {c: (row[i] if i < len(row) else "") for c, i in columns.items()}) for n, row in records[1:]]
    if not rows:
        raise ScriptImportError(path, "the shot list has a header but no shots under it")
    return rows, frames_column


def _dialogue(row: _Row, characters: list[str], warnings: list[str]) -> list[tuple[str, str, str]]:
    """(speaker, parenthetical, text) for each line of the row's dialogue cell."""
    lines = []
    for raw in re.split(r"\n|\s/\s", row.get("dialogue")):
        if not raw.strip():
            continue
        match = _SPEAKER.match(raw)
        if match:
            lines.append((clean(match.group(1)), clean(match.group(2) or ""), clean(match.group(3))))
        elif characters:
            lines.append((characters[0], "", clean(raw)))
        else:
            warnings.append(f"line {row.line}: dialogue {clean(raw)!r} names no speaker (write 'NAME: line'); kept as a note")
            lines.append(("", "", clean(raw)))
    return lines


def plan_shot_list(text: str, project: Project, rules: CoverageRules, source: str, path: object) -> ScriptPlan:
    rows, frames_column = read_rows(text, path)
    timing = Timing(rules, project.format.frame_rate)
    warnings: list[str] = []
    # Scenes: consecutive rows with the same scene (and heading) values.
    groups: list[tuple[str, str, list[_Row]]] = []
    for row in rows:
        scene, heading = row.get("scene"), row.get("heading")
        if _HEADING_LIKE.match(scene) and not heading:
            scene, heading = "", scene
        if groups:  # a row that leaves scene or heading blank continues the scene above it
            previous_scene, previous_heading, previous_rows = groups[-1]
            if (not scene or scene == previous_scene) and (not heading or heading.upper() == previous_heading):
                previous_rows.append(row)
                continue
        groups.append((scene, heading.upper(), [row]))
    row_cast: dict[int, list[str]] = {}
    row_lines: dict[int, list[tuple[str, str, str]]] = {}
    names: list[str] = []
    for row in rows:
        listed = [clean(n) for n in re.split(r"[,;/&]| and ", row.get("characters")) if clean(n)]
        lines = _dialogue(row, listed, warnings)
        row_cast[row.line] = listed + [s for s, _, _ in lines if s and character_key(s) not in {character_key(n) for n in listed}]
        row_lines[row.line] = lines
        names.extend(row_cast[row.line])
    places = places_of([clean(h) if h else None for _, h, _ in groups])
    casting = cast(project, names, places)
    keys = SourceKeys()
    scenes: list[ScenePlan] = []
    for ordinal, ((scene, heading, group), place) in enumerate(zip(groups, places, strict=True), 1):
        scene_key = content_key(heading) or f"scene {scene or ordinal}"
        plan = ScenePlan(keys.id_for("scene", scene_key), scene or str(ordinal), clean(heading))
        location_id = location_id_for(casting, place) if place else None
        override = world_override(casting.location_times[location_id], place.time) if place and location_id else None
        for row in group:
            plan.shots.append(_shot(row, row_cast[row.line], row_lines[row.line], casting, keys, scene_key, rules, timing, frames_column, warnings))
            shot = plan.shots[-1].shot
            shot.location_id = location_id
            if override is not None:
                shot.world_override = override
        scenes.append(plan)
    return ScriptPlan(source, None, scenes, casting, warnings)


def _shot(row, people, lines, casting, keys, scene_key, rules, timing, frames_column, warnings) -> ShotPlan:
    number = row.get("shot").upper().replace(" ", "")
    description = clean(row.get("description"))
    if number:
        identifier = keys.id_for("csv", scene_key, number)
    else:
        identifier = keys.id_for("csv", scene_key, content_key(description), content_key(row.get("dialogue")))
    size = parse_size(row.get("size"))
    if size is None:
        if row.get("size"):
            warnings.append(f"line {row.line}: shot size {row.get('size')!r} is not one of {', '.join(s.value for s in ShotSize)}; used MS")
        size = ShotSize.MS
    move = parse_move(row.get("move"))
    if move is None:
        warnings.append(f"line {row.line}: camera move {row.get('move')!r} is not one we know; used static")
        move = CameraMove()
    ids = [casting.character_id(n) for n in people]
    dialogue, notes = [], [clean(row.get("notes"))] if row.get("notes") else []
    cursor = timing.frames(rules.dialogue_lead_in_seconds)
    for speaker, parenthetical, text in lines:
        if not speaker:
            notes.append(f"dialogue: {text}")
            continue
        cid = casting.character_id(speaker)
        dialogue.append(DialogueLine(cid, text, cursor, parenthetical))
        cursor += timing.spoken(text, casting.words_per_minute[cid])
    duration = parse_duration(row.get("duration"), timing, frames_column)
    if duration is None:
        if row.get("duration"):
            warnings.append(f"line {row.line}: duration {row.get('duration')!r} is not seconds, frames (72f) or timecode; estimated instead")
        estimate = cursor + timing.frames(rules.dialogue_tail_seconds) if dialogue else timing.action(description)
        duration = timing.at_least_min(estimate)
    shot = new_shot(identifier, size, rules, duration, description, camera=move, characters=cast_in_frame(list(dict.fromkeys(ids))), dialogue=dialogue)
    lens = re.search(r"\d+(?:\.\d+)?", row.get("lens"))
    if lens and 4 <= float(lens.group()) <= 1200:
        shot.lens_mm = float(lens.group())
    elif row.get("lens"):
        warnings.append(f"line {row.line}: lens {row.get('lens')!r} is not a focal length in mm; used {shot.lens_mm:g}")
    if row.get("transition"):
        shot.transition = transition_for(row.get("transition"), rules, timing.rate)
    shot.notes = "\n".join(notes)
    return ShotPlan(shot, number if is_valid_number(number) else None)
