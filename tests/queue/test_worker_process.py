"""The render queue with its worker process: backends stay loaded between shots, a worker killed
mid-shot costs that shot only (after one retry on a fresh worker), a cancel stops the shot inside
the worker. Spawning a worker takes a second or two, so these tests are few."""

from __future__ import annotations

import os
import signal
import time

from queue_backends import FACTORIES, HOLD_STAGE, log_lines
from queue_helpers import new_queue, small_project

from pipeline.progress import CancelToken, ProgressEvent
from pipeline.queue import JobState, WorkerProcessRunner
from pipeline.render.batch import ShotOutcomeKind
from studio.project_file import save_project
from studio.shot import ContinuityLink


def test_a_worker_killed_mid_shot_fails_that_shot_with_a_clear_message_and_the_next_shot_renders_on_a_fresh_worker(tmp_path, control):
    project = small_project({"2": "shot 2, hold"})
    for shot in project.shots():
        shot.continuity = ContinuityLink.CUT  # shot 3 must not wait for shot 2
    folder = save_project(project, tmp_path / "Queue.storyboard")
    runner = WorkerProcessRunner(FACTORIES)
    queue, _ = new_queue(project, folder, runner, shot_ids=["s1", "s2", "s3"], crash_retries=1)
    killed: list[int] = []

    def kill_the_worker_holding_shot_2(event: ProgressEvent) -> None:
        pid = int(event.message) if event.stage == HOLD_STAGE else None
        if pid is not None and pid not in killed:
            killed.append(pid)
            os.kill(pid, signal.SIGKILL)

    try:
        report = queue.run(kill_the_worker_holding_shot_2, CancelToken())
    finally:
        runner.close()

    assert [job.state for job in queue.jobs] == [JobState.DONE, JobState.FAILED, JobState.DONE]
    assert queue.job("s2").message == (
        "the render worker stopped unexpectedly (killed by signal 9, SIGKILL) while rendering shot 2; the system may have run out of memory: "
        "render at a smaller --size or with fewer steps, or close other programs, then render again (tried 2 times, each on a fresh worker)"
    )
    assert report.failures == {"s2": queue.job("s2").message} and report.count(ShotOutcomeKind.RENDERED) == 2
    renders = {(number, int(pid)) for number, pid, _, _ in log_lines(control, "renders.log")}
    created = [int(pid) for (pid,) in log_lines(control, "created.log") if int(pid) != os.getpid()]  # the planner here makes one too
    assert len(killed) == 2 and renders == {("1", killed[0]), ("2", killed[0]), ("2", killed[1]), ("3", created[2])}
    assert created == [killed[0], killed[1], created[2]] and created[2] not in killed  # one backend per worker, kept for its shots
    assert project.shot("s2").takes == [] and project.shot("s3").active_take is not None


def test_cancel_stops_the_shot_rendering_in_the_worker_and_cancels_the_shots_after_it(tmp_path, control):
    project = small_project({"2": "shot 2, hold"})
    folder = save_project(project, tmp_path / "Queue.storyboard")
    runner = WorkerProcessRunner(FACTORIES, cancel_grace_s=30)
    queue, _ = new_queue(project, folder, runner)
    cancel = CancelToken()
    cancelled_at: list[float] = []

    def cancel_while_shot_2_holds(event: ProgressEvent) -> None:
        if event.stage == HOLD_STAGE and not cancel.cancelled:
            cancel.cancel()
            cancelled_at.append(time.monotonic())

    try:
        report = queue.run(cancel_while_shot_2_holds, cancel)
        stopped = time.monotonic() - cancelled_at[0]
        worker_after_cancel = runner.pid
    finally:
        runner.close()

    assert [job.state for job in queue.jobs] == [JobState.DONE, JobState.CANCELLED, JobState.CANCELLED, JobState.CANCELLED]
    assert report.cancelled and report.count(ShotOutcomeKind.RENDERED) == 1
    assert stopped < 5  # a token check, not the 30 s grace after which the worker is stopped by force
    assert worker_after_cancel is not None  # the shot stopped itself; its worker lives on for the next render
    assert not (control / "release").exists() and project.shot("s2").takes == []
    assert not list((folder / "cache" / "tmp").iterdir())  # the cancelled take left no scratch files
