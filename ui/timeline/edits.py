"""Timeline edits as studio commands: add, move, trim, split, duplicate, delete.

Shots sit end to end, so every edit ripples (a delete closes its gap, a trim moves what follows):
Delete and Shift+Delete (ripple delete) do the same thing on this timeline.
"""

from __future__ import annotations

from studio.commands import AddShot, Command, DuplicateShot, MacroCommand, MoveShot, RemoveShot, SetField, SplitShot
from studio.ids import new_id
from studio.shot import Shot
from studio.shot_number import number_between
from ui.document_controller import STATUS_MS, DocumentController

DEFAULT_SHOT_SECONDS = 3


class TimelineEdits:
    def __init__(self, controller: DocumentController) -> None:
        self.controller = controller

    @property
    def project(self):
        return self.controller.project

    def _numbers(self) -> set[str]:
        return {s.number for s in self.project.shots()}

    def _neighbours(self, shot_id: str) -> tuple[Shot | None, Shot | None]:
        shots = list(self.project.shots())
        index = next(i for i, s in enumerate(shots) if s.id == shot_id)
        return shots[index], shots[index + 1] if index + 1 < len(shots) else None

    def add_shot(self, after_id: str | None = None, duration: int | None = None) -> str | None:
        """A new shot after `after_id` (or at the end of the last sequence); returns its id."""
        project = self.project
        if not project.sequences:
            self.controller.message.emit("This project has no sequence to put a shot in", STATUS_MS)
            return None
        frames = duration or project.format.frame_rate.timecode_base * DEFAULT_SHOT_SECONDS
        if after_id is None:
            sequence, index = project.sequences[-1], len(project.sequences[-1].shots)
            shots = list(project.shots())
            before, after = (shots[-1] if shots else None), None
        else:
            sequence, at = project.locate_shot(after_id)
            index = at + 1
            before, after = self._neighbours(after_id)
        number = number_between(before.number if before else None, after.number if after else None, self._numbers())
        shot = Shot(id=new_id(), number=number, duration=frames, seed=int(new_id()[:6], 16))
        if self.controller.execute(AddShot(sequence.id, index, shot, label=f"Add shot {number}")):
            self.controller.select([shot.id])
            return shot.id
        return None

    def move_shot(self, shot_id: str, gap: int) -> bool:
        """Moves a shot to the gap before the shot now at flat timeline index `gap` (len: the end)."""
        project = self.project
        flat = [s.id for s in project.shots()]
        origin = flat.index(shot_id)
        if gap in (origin, origin + 1):
            return False  # dropped where it already is
        rest = [i for i in flat if i != shot_id]
        if gap > origin:
            gap -= 1
        if gap == 0:
            sequence, index = project.sequences[0], 0
        else:
            sequence, at = project.locate_shot(rest[gap - 1])
            index = at + 1
            own_sequence, _ = project.locate_shot(shot_id)
            if own_sequence is sequence and project.locate_shot(shot_id)[1] < index:
                index -= 1  # MoveShot's index is the one the shot has once it left its old place
        number = project.shot(shot_id).number
        return self.controller.execute(MoveShot(shot_id, sequence.id, index, label=f"Move shot {number}"))

    def trim(self, shot_id: str, frames: int) -> bool:
        shot = self.project.shot(shot_id)
        if frames == shot.duration:
            return False
        return self.controller.execute(SetField("shot", shot_id, "duration", max(1, int(frames)), label=f"Trim shot {shot.number}"))

    def split_at_playhead(self) -> bool:
        found = self.controller.shot_at(self.controller.playhead)
        if found is None:
            self.controller.message.emit("Put the playhead over a shot to split it", STATUS_MS)
            return False
        shot, offset = found
        if offset == 0:
            self.controller.message.emit(f"The playhead is on the first frame of shot {shot.number}: move it into the shot to split", STATUS_MS)
            return False
        _, after = self._neighbours(shot.id)
        number = number_between(shot.number, after.number if after else None, self._numbers())
        new = new_id()
        if self.controller.execute(SplitShot(shot.id, offset, new, number, label=f"Split shot {shot.number}")):
            self.controller.select([new])
            return True
        return False

    def duplicate(self, shot_ids: list[str]) -> bool:
        commands: list[Command] = []
        taken = self._numbers()
        new_ids = []
        # Later shots first, so each copy lands right after its original.
        for shot_id in sorted(shot_ids, key=self._flat_index, reverse=True):
            _, after = self._neighbours(shot_id)
            number = number_between(self.project.shot(shot_id).number, after.number if after else None, taken)
            taken.add(number)
            new_ids.append(new_id())
            commands.append(DuplicateShot(shot_id, new_ids[-1], number, label=f"Duplicate shot {self.project.shot(shot_id).number}"))
        if not commands:
            return False
        done = self.controller.execute(commands[0] if len(commands) == 1 else MacroCommand(f"Duplicate {len(commands)} shots", commands))
        if done:
            self.controller.select(new_ids)
        return done

    def delete(self, shot_ids: list[str]) -> bool:
        if not shot_ids:
            return False
        commands: list[Command] = [RemoveShot(i, label=f"Delete shot {self.project.shot(i).number}") for i in shot_ids]
        return self.controller.execute(commands[0] if len(commands) == 1 else MacroCommand(f"Delete {len(commands)} shots", commands))

    def _flat_index(self, shot_id: str) -> int:
        return next(i for i, s in enumerate(self.project.shots()) if s.id == shot_id)
