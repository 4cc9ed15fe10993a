"""The shot list as a CSV the 1st AD opens in a spreadsheet: one row per shot, in cut order.

Timecodes are record timecodes on the editorial timeline (the cut starts at 01:00:00:00), so a
row lines up with the same shot in the editor's sequence. UTF-8 with a byte-order mark, because
that is what makes spreadsheet programs read accented names correctly.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.export.shot_clips import ShotSource
from pipeline.export.timeline import start_frame
from studio.project import Project
from studio.shot import SoundCue

COLUMNS = [
    "Sequence",
    "Shot",
    "Take",
    "Start TC",
    "End TC",
    "Duration (frames)",
    "Duration (s)",
    "Size",
    "Lens (mm)",
    "Camera move",
    "Characters",
    "Location",
    "INT/EXT",
    "Time of day",
    "Description",
    "Dialogue",
    "Sound cues",
    "Transition",
    "Notes",
    "Status",
]


# Free text that a spreadsheet would run as a formula if it began with one of these (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FREE_TEXT = ("Sequence", "Characters", "Location", "Description", "Dialogue", "Sound cues", "Notes")


def _inert(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _cue(cue: SoundCue) -> str:
    return f"{cue.kind.value}: {cue.description}"


def shot_rows(project: Project, sources: list[ShotSource]) -> list[dict[str, str]]:
    rate = project.format.frame_rate
    offset = start_frame(rate)
    names = {c.id: c.name for c in project.characters}
    rows = []
    for source in sources:
        shot = source.shot
        location = project.location(shot.location_id) if shot.location_id else None
        world = project.world_state(shot)
        transition = shot.transition.type.value if not shot.transition.duration else f"{shot.transition.type.value} {shot.transition.duration} frames"
        rows.append(
            {
                "Sequence": source.sequence_name,
                "Shot": shot.number,
                "Take": source.take_label,
                "Start TC": rate.timecode(offset + source.start),
                "End TC": rate.timecode(offset + source.start + shot.duration),
                "Duration (frames)": str(shot.duration),
                "Duration (s)": f"{rate.frames_to_seconds(shot.duration):.3f}",
                "Size": shot.size.value,
                "Lens (mm)": f"{shot.lens_mm:g}",
                "Camera move": shot.camera.describe(),
                "Characters": "; ".join(names.get(c.character_id, c.character_id) + (f" ({c.action})" if c.action else "") for c in shot.characters),
                "Location": location.name if location else "",
                "INT/EXT": ("INT" if location.interior else "EXT") if location else "",
                "Time of day": world.time_of_day.value.upper() if world else "",
                "Description": shot.description,
                "Dialogue": "\n".join(f"{names.get(d.character_id, d.character_id)}: {d.text}" for d in shot.dialogue),
                "Sound cues": "; ".join(_cue(c) for c in shot.sound_cues),
                "Transition": transition,
                "Notes": shot.notes,
                "Status": source.status.value,
            }
        )
    return rows


def write_shot_list(project: Project, sources: list[ShotSource], path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        for row in shot_rows(project, sources):
            writer.writerow({key: _inert(value) if key in _FREE_TEXT else value for key, value in row.items()})
    return path
