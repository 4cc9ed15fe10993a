"""Commands that add, remove, move, split and renumber shots and sequences.

On our timeline shots sit end to end, so every edit ripples: trimming a shot (SetField duration)
moves everything after it, and removing one closes the gap.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

from studio.errors import EditError
from studio.project import Project, Sequence
from studio.shot import Shot
from studio.shot_number import consecutive_numbers


@dataclass
class AddShot:
    sequence_id: str
    index: int
    shot: Shot
    label: str = "Add shot"

    def do(self, project: Project) -> None:
        if any(s.id == self.shot.id for s in project.shots()):
            raise EditError(f"a shot with id {self.shot.id} is already in the project")
        shots = project.sequence(self.sequence_id).shots
        if not 0 <= self.index <= len(shots):
            raise EditError(f"cannot insert a shot at position {self.index} of {len(shots)}")
        shots.insert(self.index, self.shot)

    def undo(self, project: Project) -> None:
        sequence, index = project.locate_shot(self.shot.id)
        del sequence.shots[index]


@dataclass
class RemoveShot:
    shot_id: str
    label: str = "Delete shot"
    _where: tuple[str, int] | None = field(default=None, init=False, repr=False)
    _shot: Shot | None = field(default=None, init=False, repr=False)

    def do(self, project: Project) -> None:
        sequence, index = project.locate_shot(self.shot_id)
        self._where = (sequence.id, index)
        self._shot = sequence.shots.pop(index)

    def undo(self, project: Project) -> None:
        assert self._where is not None and self._shot is not None
        sequence_id, index = self._where
        project.sequence(sequence_id).shots.insert(index, self._shot)


@dataclass
class MoveShot:
    """Moves a shot to `to_index` of a sequence (the index it will have after the move)."""

    shot_id: str
    to_sequence_id: str
    to_index: int
    label: str = "Move shot"
    _from: tuple[str, int] | None = field(default=None, init=False, repr=False)

    def do(self, project: Project) -> None:
        sequence, index = project.locate_shot(self.shot_id)
        target = project.sequence(self.to_sequence_id)
        limit = len(target.shots) - (1 if target is sequence else 0)
        if not 0 <= self.to_index <= limit:
            raise EditError(f"cannot move a shot to position {self.to_index} of {limit + 1}")
        self._from = (sequence.id, index)
        shot = sequence.shots.pop(index)
        target.shots.insert(self.to_index, shot)

    def undo(self, project: Project) -> None:
        assert self._from is not None
        sequence, index = project.locate_shot(self.shot_id)
        shot = sequence.shots.pop(index)
        from_sequence_id, from_index = self._from
        project.sequence(from_sequence_id).shots.insert(from_index, shot)


def _refuse_id_in_use(project: Project, shot_id: str) -> None:
    """A second shot with the same id would make undo remove the wrong one and the project unsaveable."""
    if any(s.id == shot_id for s in project.shots()):
        raise EditError(f"a shot with id {shot_id} is already in the project")


def _split_at(shot: Shot, at: int, new_id: str, new_number: str) -> tuple[Shot, Shot]:
    head = copy.deepcopy(shot)
    tail = copy.deepcopy(shot)
    head.duration = at
    head.dialogue = [line for line in shot.dialogue if line.start < at]
    head.sound_cues = [cue for cue in shot.sound_cues if cue.start < at]
    tail.id, tail.number = new_id, new_number
    tail.duration = shot.duration - at
    tail.dialogue = [replace(line, start=line.start - at) for line in shot.dialogue if line.start >= at]
    tail.sound_cues = [replace(cue, start=cue.start - at) for cue in shot.sound_cues if cue.start >= at]
    tail.transition = type(shot.transition)()  # a split is a straight cut
    tail.takes, tail.active_take_id = [], None
    return head, tail


@dataclass
class SplitShot:
    """Blade at `at` frames into the shot: the head keeps the id and takes, the tail is a new shot."""

    shot_id: str
    at: int
    new_shot_id: str
    new_number: str
    label: str = "Split shot"
    _original: Shot | None = field(default=None, init=False, repr=False)

    def do(self, project: Project) -> None:
        sequence, index = project.locate_shot(self.shot_id)
        shot = sequence.shots[index]
        if not 0 < self.at < shot.duration:
            raise EditError(f"shot {shot.number} is {shot.duration} frames long: split it between frame 1 and {shot.duration - 1}")
        _refuse_id_in_use(project, self.new_shot_id)
        self._original = shot
        head, tail = _split_at(shot, self.at, self.new_shot_id, self.new_number)
        sequence.shots[index : index + 1] = [head, tail]

    def undo(self, project: Project) -> None:
        assert self._original is not None
        sequence, index = project.locate_shot(self.shot_id)
        sequence.shots[index : index + 2] = [self._original]


@dataclass
class DuplicateShot:
    """A copy of the shot right after it, without its takes (they belong to the original)."""

    shot_id: str
    new_shot_id: str
    new_number: str
    label: str = "Duplicate shot"

    def do(self, project: Project) -> None:
        sequence, index = project.locate_shot(self.shot_id)
        _refuse_id_in_use(project, self.new_shot_id)
        duplicate = copy.deepcopy(sequence.shots[index])
        duplicate.id, duplicate.number = self.new_shot_id, self.new_number
        duplicate.takes, duplicate.active_take_id = [], None
        sequence.shots.insert(index + 1, duplicate)

    def undo(self, project: Project) -> None:
        sequence, index = project.locate_shot(self.new_shot_id)
        del sequence.shots[index]


@dataclass
class RenumberShots:
    """Numbers every shot of the project 1, 2, 3 ... in timeline order."""

    start: int = 1
    label: str = "Renumber shots"
    _old: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def do(self, project: Project) -> None:
        shots = list(project.shots())
        self._old = {s.id: s.number for s in shots}
        for shot, number in zip(shots, consecutive_numbers(len(shots), self.start), strict=True):
            shot.number = number

    def undo(self, project: Project) -> None:
        for shot in project.shots():
            shot.number = self._old[shot.id]


@dataclass
class AddSequence:
    index: int
    sequence: Sequence
    label: str = "Add sequence"

    def do(self, project: Project) -> None:
        if any(s.id == self.sequence.id for s in project.sequences):
            raise EditError(f"a sequence with id {self.sequence.id} is already in the project")
        if not 0 <= self.index <= len(project.sequences):
            raise EditError(f"cannot insert a sequence at position {self.index}")
        project.sequences.insert(self.index, self.sequence)

    def undo(self, project: Project) -> None:
        project.sequences.remove(project.sequence(self.sequence.id))


@dataclass
class RemoveSequence:
    sequence_id: str
    label: str = "Delete sequence"
    _where: tuple[int, Sequence] | None = field(default=None, init=False, repr=False)

    def do(self, project: Project) -> None:
        sequence = project.sequence(self.sequence_id)
        index = project.sequences.index(sequence)
        self._where = (index, project.sequences.pop(index))

    def undo(self, project: Project) -> None:
        assert self._where is not None
        index, sequence = self._where
        project.sequences.insert(index, sequence)
