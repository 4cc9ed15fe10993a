"""Trimming a shot's head: the shot loses frames at its start, and what is anchored to its picture moves
with it, so a door slam stays on the frame where the door shuts.

Dialogue lines and sound cues are placed in frames from the shot's start. A head trim of k frames
takes k from every such start; a negative k extends the head and adds -k:

    before   |0 ..... 7 ................. 31 ............. 48|      door slam at 31
                      |<- head trim of 7
    after             |0 ................ 24 ............. 41|      door slam at 24, the same picture frame

One exception: what starts at frame 0 begins with the shot, at the cut, and stays there (an ambience
or music bed); a set length is shortened so it still ends on its picture frame. What started inside
the trimmed frames has lost its anchor: it is kept, at a negative start, so the rest of it still plays
in sync (or it lies wholly before the shot and no longer plays, which the mix also reports), and the
trim reports it by shot and name, never drops it silently. A trim extending the head brings it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from studio.errors import EditError
from studio.project import Project
from studio.shot import DialogueLine, Shot, SoundCue


def cue_label(cue: SoundCue) -> str:
    return f"sound cue {cue.kind.value} {cue.description!r}"


def line_label(line: DialogueLine, names: Mapping[str, str]) -> str:
    text = " ".join(line.text.split())
    return f"{names.get(line.character_id, line.character_id).upper()}'s line {(text[:24] + '…') if len(text) > 24 else text!r}"


@dataclass(frozen=True)
class HeadTrim:
    """A shot's timing after its head is trimmed by `frames` (see the module docstring)."""

    frames: int
    duration: int
    dialogue: list[DialogueLine]
    sound_cues: list[SoundCue]
    notes: list[str] = field(default_factory=list)  # what lost its anchor, by shot and name


def _moved_start(start: int, frames: int) -> int:
    return start if start == 0 else start - frames


def trim_head(shot: Shot, frames: int, names: Mapping[str, str]) -> HeadTrim:
    """The shot's duration, lines and cues with `frames` trimmed from its head (negative: added to it).
    `names` maps character ids to names for the notes."""
    duration = shot.duration - frames
    if duration < 1:
        raise EditError(f"shot {shot.number} is {shot.duration} frames long: trim at most {shot.duration - 1} frames from its head")
    notes: list[str] = []
    where = f"shot {shot.number}"
    trimmed = f"the {frames} frame(s) trimmed from its head"

    cues = []
    for cue in shot.sound_cues:
        start = _moved_start(cue.start, frames)
        length = cue.duration
        if cue.start == 0 and length is not None:
            if length > frames:
                length -= frames  # it still ends on the same picture frame
            else:
                start = -frames  # wholly trimmed away: it keeps its place before the shot, where undo or a longer head finds it
        if frames > 0 and start < 0 <= cue.start:
            if length is not None and start + length <= 0:
                notes.append(f"{where}: {cue_label(cue)} at frame {cue.start} lies wholly in {trimmed} and no longer plays: move it into the shot or delete it")
            else:
                notes.append(
                    f"{where}: {cue_label(cue)} at frame {cue.start} starts in {trimmed}: its first {-start} frame(s) are cut and the rest plays in sync; "
                    "move it into the shot if its start matters"
                )
        cues.append(replace(cue, start=start, duration=length))

    lines = []
    for line in shot.dialogue:
        start = _moved_start(line.start, frames)
        if frames > 0 and start < 0 <= line.start:
            notes.append(f"{where}: {line_label(line, names)} at frame {line.start} starts in {trimmed}: its first words are cut; move it into the shot")
        lines.append(replace(line, start=start))
    return HeadTrim(frames, duration, lines, cues, notes)


def past_end_notes(shot: Shot, duration: int, dialogue: list[DialogueLine], cues: list[SoundCue], names: Mapping[str, str]) -> list[str]:
    """Lines and cues that start at or after frame `duration`, which a tail trim to that length leaves
    outside the shot: they will not play."""
    where = f"shot {shot.number}"
    fix = "move it into the shot or onto the next one"
    notes = [
        f"{where}: {cue_label(cue)} starts at frame {cue.start}, after the shot's new end ({duration} frames); it will not play: {fix}"
        for cue in cues
        if cue.start >= duration
    ]
    notes += [
        f"{where}: {line_label(line, names)} starts at frame {line.start}, after the shot's new end ({duration} frames); it will not play: {fix}"
        for line in dialogue
        if line.start >= duration
    ]
    return notes


def character_names(project: Project) -> dict[str, str]:
    return {character.id: character.name for character in project.characters}


@dataclass
class TrimHead:
    """Trims `frames` from the head of a shot (negative: extends it), moving its lines and cues with the picture."""

    shot_id: str
    frames: int
    label: str = ""
    notes: list[str] = field(default_factory=list, init=False)  # after do(): what lost its anchor, for the UI or CLI to show
    _old: tuple[int, list[DialogueLine], list[SoundCue]] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.frames, int) or isinstance(self.frames, bool):
            raise EditError(f"a head trim is a whole number of frames, got {self.frames!r}")
        if not self.label:
            self.label = "Trim shot head" if self.frames >= 0 else "Extend shot head"

    def do(self, project: Project) -> None:
        shot = project.shot(self.shot_id)
        trimmed = trim_head(shot, self.frames, character_names(project))
        self._old = (shot.duration, shot.dialogue, shot.sound_cues)
        self.notes = trimmed.notes
        # New lists, never edited in place: views that kept the old lists see the change (as SetField does).
        shot.duration, shot.dialogue, shot.sound_cues = trimmed.duration, trimmed.dialogue, trimmed.sound_cues

    def undo(self, project: Project) -> None:
        assert self._old is not None
        shot = project.shot(self.shot_id)
        shot.duration, shot.dialogue, shot.sound_cues = self._old
