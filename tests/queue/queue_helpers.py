"""A small project of flat-backend shots, and a queue over it, for the render queue's tests."""

from __future__ import annotations

from pathlib import Path

from queue_backends import FLAT

from pipeline.queue import QueueSettings, RenderQueue, Runner, plan_jobs
from studio.commands import History
from studio.frame_rate import FrameRate
from studio.location import Location
from studio.project import Project, Sequence, StylePreset, VideoFormat
from studio.project_file import save_project
from studio.shot import ContinuityLink, Shot


def small_project(descriptions: dict[str, str] | None = None, backend: str = FLAT) -> Project:
    """Shots 1 to 4, 6 frames each at 64x36; shots 2 and 3 continue, link by link, from shot 1.
    They are set in a room, whose set dressing the draft backend draws from the shot's seed."""
    descriptions = descriptions or {}
    shots = [
        Shot(
            id=f"s{n}",
            number=str(n),
            duration=6,
            description=descriptions.get(str(n), f"shot {n}"),
            seed=n,
            location_id="room",
            backend=backend,
            continuity=ContinuityLink.CHAIN if n in (2, 3) else ContinuityLink.CUT,
        )
        for n in range(1, 5)
    ]
    return Project(
        title="Queue",
        format=VideoFormat(64, 36, FrameRate(24)),
        style=StylePreset.CLEAN,
        locations=[Location(id="room", name="room")],
        sequences=[Sequence(id="sq1", name="1 INT. ROOM - DAY", shots=shots)],
    )


def new_queue(
    project: Project,
    folder: Path,
    runner: Runner,
    shot_ids: list[str] | None = None,
    new_take: bool = False,
    downstream: bool = False,
    crash_retries: int = 1,
) -> tuple[RenderQueue, History]:
    """A queue that records takes through an undo history and saves the project after each."""
    history = History(project)
    jobs = plan_jobs(project, shot_ids, new_take, downstream)
    queue = RenderQueue(project, folder, QueueSettings(crash_retries=crash_retries), jobs, history.execute, runner, lambda: save_project(project, folder))
    return queue, history
