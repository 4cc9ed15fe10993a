"""A small draft project and helpers to render it through the queue, locally or on the farm."""

from __future__ import annotations

from pathlib import Path

from pipeline.farm import RayRunner, parse_farm_address
from pipeline.progress import CancelToken, ProgressCallback, no_progress
from pipeline.queue import InlineRunner, QueueSettings, RenderQueue, Runner, plan_jobs
from pipeline.render.batch import BatchReport
from studio.character import Character
from studio.commands import History
from studio.frame_rate import FrameRate
from studio.location import Location
from studio.project import Project, Sequence, StylePreset, VideoFormat
from studio.project_file import save_project
from studio.shot import ContinuityLink, DialogueLine, Shot

TINY_STEPS = {"STORYBOARD_LTX_STEPS": "1"}  # the farm's workers render the tiny models in one step, like the local renders


def draft_project(shots: int = 4, frames: int = 12, chained: tuple[int, ...] = (3,)) -> Project:
    """Draft shots at 64x36; the shots numbered in `chained` continue from the shot before."""
    return Project(
        title="Farm",
        format=VideoFormat(64, 36, FrameRate(24)),
        style=StylePreset.CLEAN,
        characters=[Character(id="ana", name="ANA")],
        locations=[Location(id="room", name="room")],
        sequences=[
            Sequence(
                id="sq1",
                name="1 INT. ROOM - DAY",
                shots=[
                    Shot(
                        id=f"s{n}",
                        number=str(n),
                        duration=frames,
                        description=f"shot {n}",
                        seed=n,
                        location_id="room",
                        dialogue=[DialogueLine("ana", "Go.")] if n % 2 else [],
                        continuity=ContinuityLink.CHAIN if n in chained else ContinuityLink.CUT,
                    )
                    for n in range(1, shots + 1)
                ],
            )
        ],
    )


def render_with(project: Project, folder: Path, runner: Runner, progress: ProgressCallback = no_progress, cancel: CancelToken | None = None,
                crash_retries: int = 1) -> tuple[RenderQueue, BatchReport]:
    history = History(project)
    queue = RenderQueue(project, folder, QueueSettings(crash_retries=crash_retries), plan_jobs(project, None, False, False), history.execute, runner,
                        lambda: save_project(project, folder))
    try:
        runner.start()
        report = queue.run(progress, cancel or CancelToken())
    finally:
        runner.close()
    return queue, report


def local_runner() -> InlineRunner:
    return InlineRunner()


def farm_runner(workers: int = 2, **kwargs) -> RayRunner:
    return RayRunner(parse_farm_address("local-ray"), workers=workers, **kwargs)
