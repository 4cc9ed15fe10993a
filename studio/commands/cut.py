"""An editor's recut applied to the storyboard as one undoable edit.

Given the cut as the editor left it — the project's shots in their new order with their new
lengths — `cut_edit` builds one MacroCommand of RemoveShot (shots the editor took out), MoveShot
(the new order), TrimHead (frames the editor took off a shot's start: its lines and sound cues move
with the picture, see studio.commands.trim) and SetField duration (the rest of a new length comes off
or onto the tail). The shots that keep their relative order (the longest such run) stay put, so a
cut that moves one shot makes one move.

Sequences (scenes) keep their order. A shot stays in its own sequence unless the new order puts it
after a later sequence's shots; it then joins the sequence it now plays in:

    before  sc1[1 2 3] sc2[4 5]      cut 1 3 4 2 5      after  sc1[1 3] sc2[4 2 5]
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from studio.commands.base import Command, MacroCommand
from studio.commands.fields import SetField
from studio.commands.shots import MoveShot, RemoveShot
from studio.commands.trim import TrimHead, character_names, past_end_notes, trim_head
from studio.errors import EditError
from studio.project import Project


@dataclass(frozen=True)
class CutEntry:
    """One shot as the editor's cut has it."""

    shot_id: str
    duration: int  # frames at the project's rate
    head: int = 0  # frames the editor took off the shot's start (negative: added before it, from the head handle)


@dataclass
class CutEdit:
    command: MacroCommand
    removed: list[str] = field(default_factory=list)  # shot numbers
    moved: list[str] = field(default_factory=list)
    retimed: list[tuple[str, int, int]] = field(default_factory=list)  # number, old, new frames
    head_trims: list[tuple[str, int]] = field(default_factory=list)  # number, frames off the head (negative: added)
    warnings: list[str] = field(default_factory=list)  # lines and cues the trims leave out of their shot

    @property
    def summary(self) -> list[str]:
        lines = []
        if self.moved:
            lines.append(f"moved {len(self.moved)} shot(s): {', '.join(self.moved)}")
        for number, frames in self.head_trims:
            what = f"head trimmed by {frames}" if frames > 0 else f"head extended by {-frames}"
            lines.append(f"shot {number}: {what} frame(s); its dialogue and sound cues moved with the picture")
        for number, old, new in self.retimed:
            lines.append(f"shot {number}: {old} -> {new} frames ({new - old:+d})")
        if self.removed:
            lines.append(f"removed {len(self.removed)} shot(s) the cut leaves out: {', '.join(self.removed)}")
        return lines


def _longest_increasing(values: list[int]) -> set[int]:
    """Indices into `values` of one longest strictly increasing subsequence (patience sorting)."""
    tail_values: list[int] = []  # tail_values[k]: the smallest last value of an increasing run of length k+1
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for i, value in enumerate(values):
        k = bisect.bisect_left(tail_values, value)
        if k > 0:
            previous[i] = tail_index[k - 1]
        if k == len(tail_values):
            tail_values.append(value)
            tail_index.append(i)
        else:
            tail_values[k], tail_index[k] = value, i
    chosen: set[int] = set()
    i = tail_index[-1] if tail_index else -1
    while i != -1:
        chosen.add(i)
        i = previous[i]
    return chosen


def _target_sequences(order: list[str], home: dict[str, int]) -> list[int]:
    """The sequence index each shot of the cut ends up in (see the module docstring)."""
    current, result = 0, []
    for shot_id in order:
        current = max(current, home[shot_id])
        result.append(current)
    return result


def cut_edit(project: Project, entries: list[CutEntry], label: str = "Import cut") -> CutEdit:
    if not entries:
        raise EditError("the cut holds none of this project's shots; nothing to apply")
    order = [e.shot_id for e in entries]
    if len(set(order)) != len(order):
        raise EditError("the cut lists a shot twice; a storyboard shot can only play once")
    for entry in entries:
        project.shot(entry.shot_id)  # raises EditError naming an unknown id
        if entry.duration < 1:
            raise EditError(f"shot {project.shot(entry.shot_id).number}: a cut of {entry.duration} frames is not a shot")
        if project.shot(entry.shot_id).duration - entry.head < 1:
            shot = project.shot(entry.shot_id)
            raise EditError(f"shot {shot.number}: the cut trims {entry.head} frames from the head of a {shot.duration}-frame shot; nothing would be left")

    commands: list[Command] = []
    edit = CutEdit(MacroCommand(label, commands))
    wanted = set(order)
    for shot in list(project.shots()):
        if shot.id not in wanted:
            commands.append(RemoveShot(shot.id))
            edit.removed.append(shot.number)

    # Simulate the layout (sequence -> shot ids) as each command will find it.
    layout = [[s.id for s in seq.shots if s.id in wanted] for seq in project.sequences]
    home = {shot_id: index for index, ids in enumerate(layout) for shot_id in ids}
    flat = [shot_id for ids in layout for shot_id in ids]
    position = {shot_id: i for i, shot_id in enumerate(flat)}
    targets = _target_sequences(order, home)
    staying = {order[i] for i in _longest_increasing([position[s] for s in order])}

    for k, shot_id in enumerate(order):
        target = targets[k]
        if shot_id in staying and home[shot_id] == target:
            continue
        previous = order[k - 1] if k > 0 and targets[k - 1] == target else None
        to_index = layout[target].index(previous) + 1 if previous is not None else 0
        source = home[shot_id]
        from_index = layout[source].index(shot_id)
        if source == target and to_index > from_index:
            to_index -= 1  # MoveShot's index is the one the shot has after leaving its old place
        if source == target and to_index == from_index:
            continue
        layout[source].pop(from_index)
        layout[target].insert(to_index, shot_id)
        home[shot_id] = target
        commands.append(MoveShot(shot_id, project.sequences[target].id, to_index))
        edit.moved.append(project.shot(shot_id).number)

    names = character_names(project)
    for entry in entries:
        shot = project.shot(entry.shot_id)
        length, dialogue, cues = shot.duration, shot.dialogue, shot.sound_cues
        if entry.head:
            # Removes and moves leave a shot's contents as they are, so the trim computed now is the one TrimHead makes.
            trimmed = trim_head(shot, entry.head, names)
            commands.append(TrimHead(shot.id, entry.head, label=f"Trim head of shot {shot.number}"))
            edit.head_trims.append((shot.number, entry.head))
            edit.warnings += trimmed.notes
            length, dialogue, cues = trimmed.duration, trimmed.dialogue, trimmed.sound_cues
        if entry.duration != length:
            commands.append(SetField("shot", shot.id, "duration", entry.duration, label=f"Trim shot {shot.number}"))
            if entry.duration < length:
                edit.warnings += past_end_notes(shot, entry.duration, [d for d in dialogue if d.start < length], [c for c in cues if c.start < length], names)
        if entry.duration != shot.duration:
            edit.retimed.append((shot.number, shot.duration, entry.duration))
    return edit
