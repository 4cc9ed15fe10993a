"""Commands that record, choose and delete takes. Renders return takes; only these add them."""

from __future__ import annotations

from dataclasses import dataclass, field

from studio.errors import EditError
from studio.project import Project
from studio.take import Take


@dataclass
class AddTake:
    shot_id: str
    take: Take
    make_active: bool = True
    label: str = "Add take"
    _old_active: str | None = field(default=None, init=False, repr=False)

    def do(self, project: Project) -> None:
        shot = project.shot(self.shot_id)
        if any(t.id == self.take.id for t in shot.takes):
            raise EditError(f"shot {shot.number} already has take {self.take.id}")
        self._old_active = shot.active_take_id
        shot.takes.append(self.take)
        if self.make_active:
            shot.active_take_id = self.take.id

    def undo(self, project: Project) -> None:
        shot = project.shot(self.shot_id)
        shot.takes.remove(shot.take(self.take.id))
        shot.active_take_id = self._old_active


@dataclass
class SetActiveTake:
    shot_id: str
    take_id: str | None
    label: str = "Choose take"
    _old: str | None = field(default=None, init=False, repr=False)

    def do(self, project: Project) -> None:
        shot = project.shot(self.shot_id)
        if self.take_id is not None and all(t.id != self.take_id for t in shot.takes):
            raise EditError(f"shot {shot.number} has no take {self.take_id}")
        self._old = shot.active_take_id
        shot.active_take_id = self.take_id

    def undo(self, project: Project) -> None:
        project.shot(self.shot_id).active_take_id = self._old


@dataclass
class RemoveTake:
    """Deletes a take from the shot (its media stay in the store until pruned, so undo is safe)."""

    shot_id: str
    take_id: str
    label: str = "Delete take"
    _where: tuple[int, Take, str | None] | None = field(default=None, init=False, repr=False)

    def do(self, project: Project) -> None:
        shot = project.shot(self.shot_id)
        take = shot.take(self.take_id) if any(t.id == self.take_id for t in shot.takes) else None
        if take is None:
            raise EditError(f"shot {shot.number} has no take {self.take_id}")
        index = shot.takes.index(take)
        self._where = (index, take, shot.active_take_id)
        shot.takes.pop(index)
        if shot.active_take_id == self.take_id:
            shot.active_take_id = shot.takes[-1].id if shot.takes else None

    def undo(self, project: Project) -> None:
        assert self._where is not None
        index, take, active = self._where
        shot = project.shot(self.shot_id)
        shot.takes.insert(index, take)
        shot.active_take_id = active
