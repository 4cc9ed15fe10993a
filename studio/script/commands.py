"""Edit commands a script import needs beyond studio.commands."""

from __future__ import annotations

from dataclasses import dataclass, field

from studio.errors import EditError
from studio.project import Project
from studio.shot import Shot


@dataclass
class ReorderSequences:
    """Puts the project's sequences in the given order (every sequence named once), e.g. script order."""

    order: list[str]
    label: str = "Reorder sequences"
    _old: list[str] = field(default_factory=list, init=False, repr=False)

    def do(self, project: Project) -> None:
        by_id = {s.id: s for s in project.sequences}
        if sorted(self.order) != sorted(by_id):
            raise EditError("a new sequence order must name every sequence of the project exactly once")
        self._old = [s.id for s in project.sequences]
        project.sequences[:] = [by_id[i] for i in self.order]

    def undo(self, project: Project) -> None:
        by_id = {s.id: s for s in project.sequences}
        project.sequences[:] = [by_id[i] for i in self._old]


@dataclass
class InsertShots:
    """Adds several shots to one sequence in one step, checking ids once (an import adds hundreds).

    `placements` are (index, shot) pairs applied in order, each index counted in the sequence as it is
    after the placements before it, as repeated AddShot commands would.
    """

    sequence_id: str
    placements: list[tuple[int, Shot]]
    label: str = "Add shots"

    def do(self, project: Project) -> None:
        shots = project.sequence(self.sequence_id).shots
        new_ids = [shot.id for _, shot in self.placements]
        clash = set(new_ids) & {s.id for s in project.shots()}
        if clash or len(set(new_ids)) != len(new_ids):
            raise EditError(f"a shot with id {sorted(clash)[0] if clash else new_ids[0]} is already in the project")
        length = len(shots)
        for index, _ in self.placements:
            if not 0 <= index <= length:
                raise EditError(f"cannot insert a shot at position {index} of {length}")
            length += 1
        for index, shot in self.placements:
            shots.insert(index, shot)

    def undo(self, project: Project) -> None:
        ids = {shot.id for _, shot in self.placements}
        sequence = project.sequence(self.sequence_id)
        sequence.shots[:] = [s for s in sequence.shots if s.id not in ids]


@dataclass
class RemoveShots:
    """Deletes several shots, wherever they are, in one step; undo puts each back in its place."""

    shot_ids: list[str]
    label: str = "Delete shots"
    _removed: list[tuple[str, int, Shot]] = field(default_factory=list, init=False, repr=False)

    def do(self, project: Project) -> None:
        wanted = set(self.shot_ids)
        found = {s.id for s in project.shots()} & wanted
        if found != wanted:
            raise EditError(f"no shot with id {sorted(wanted - found)[0]} in the project")
        self._removed = []
        for sequence in project.sequences:
            if any(s.id in wanted for s in sequence.shots):
                self._removed.extend((sequence.id, i, s) for i, s in enumerate(sequence.shots) if s.id in wanted)
                sequence.shots[:] = [s for s in sequence.shots if s.id not in wanted]

    def undo(self, project: Project) -> None:
        for sequence_id, index, shot in self._removed:  # ascending per sequence, so each index is right again
            project.sequence(sequence_id).shots.insert(index, shot)
        self._removed = []
