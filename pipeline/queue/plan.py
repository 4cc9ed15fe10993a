"""Turning a choice of shots into jobs: one per shot, in timeline order, each chained shot
waiting for the job of the shot it continues from when that shot is rendered too."""

from __future__ import annotations

from pipeline.queue.job import Job, JobState
from pipeline.queue.selection import chained_after
from studio.project import Project
from studio.shot import ContinuityLink


def plan_jobs(project: Project, shot_ids: list[str] | None, new_take: bool, downstream: bool) -> list[Job]:
    """shot_ids None: every shot. new_take: render the chosen shots (and, with downstream, the
    chain after them) even if nothing changed, the chosen ones with a new seed unless pinned.
    downstream: also the shots chained after the chosen ones."""
    chosen = set(shot_ids) if shot_ids is not None else {shot.id for shot in project.shots()}
    included = chosen | set(chained_after(project, chosen) if downstream else ())
    jobs: list[Job] = []
    previous_id: str | None = None
    for shot in project.shots():
        if shot.id in included:
            after = previous_id if shot.continuity is ContinuityLink.CHAIN and previous_id in included else None
            jobs.append(
                Job(
                    shot.id,
                    shot.number,
                    after=after,
                    new_take=new_take,
                    new_seed=new_take and shot.id in chosen and not shot.seed_pinned,
                    state=JobState.WAITING if after else JobState.QUEUED,
                )
            )
        previous_id = shot.id
    return jobs
