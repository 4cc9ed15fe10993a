"""The render queue in this process (InlineRunner) with the flat test backend: chain order, the
content-hash cache, failures that stop a chain, retries, regenerating with new seeds, resuming."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from queue_backends import FACTORIES, log_lines
from queue_helpers import new_queue, small_project

from pipeline.progress import CancelToken, ProgressEvent, no_progress
from pipeline.queue import InlineRunner, JobState, QueueSettings, RenderQueue, plan_jobs
from pipeline.render.batch import ShotOutcomeKind
from studio.commands import History, SetField
from studio.project_file import load_project, save_project
from studio.render_inputs import shot_status, stale_shots


class SimulatedCrash(BaseException):
    """Stands for the app dying mid-render: like SystemExit, no `except Exception` stops it."""


def take_ids(project) -> dict[str, list[str]]:
    return {shot.number: [take.id for take in shot.takes] for shot in project.shots()}


def test_a_chained_shot_is_rendered_after_its_predecessor_from_the_predecessors_new_last_frame(tmp_path, control):
    project = small_project()
    folder = save_project(project, tmp_path / "Queue.storyboard")
    queue, _ = new_queue(project, folder, InlineRunner(FACTORIES))
    assert [(job.number, job.state, job.after) for job in queue.jobs] == [
        ("1", JobState.QUEUED, None),
        ("2", JobState.WAITING, "s1"),
        ("3", JobState.WAITING, "s2"),
        ("4", JobState.QUEUED, None),
    ]
    changes: list[tuple[str, JobState]] = []
    queue.observers.append(lambda job: changes.append((job.number, job.state)))

    report = queue.run(no_progress, CancelToken())

    assert report.count(ShotOutcomeKind.RENDERED) == 4 and not report.failures
    assert changes.index(("2", JobState.QUEUED)) > changes.index(("1", JobState.DONE))
    assert changes.index(("3", JobState.QUEUED)) > changes.index(("2", JobState.DONE))
    shots = {shot.number: shot for shot in project.shots()}
    rendered = {number: last_frame for number, _, _, last_frame in log_lines(control, "renders.log")}
    assert rendered["2"] == Path(shots["1"].active_take.last_frame).name
    assert rendered["3"] == Path(shots["2"].active_take.last_frame).name
    assert rendered["1"] == rendered["4"] == "-"
    assert not stale_shots(project)
    assert all(job.state is JobState.DONE for job in queue.jobs)


def test_an_unchanged_project_renders_nothing_the_second_time(tmp_path, control):
    project = small_project()
    folder = save_project(project, tmp_path / "Queue.storyboard")
    new_queue(project, folder, InlineRunner(FACTORIES))[0].run(no_progress, CancelToken())
    before = take_ids(project)

    queue, history = new_queue(project, folder, InlineRunner(FACTORIES))
    report = queue.run(no_progress, CancelToken())

    assert report.count(ShotOutcomeKind.CACHED) == 4 and report.count(ShotOutcomeKind.RENDERED) == 0
    assert [job.state for job in queue.jobs] == [JobState.CACHED] * 4
    assert len(log_lines(control, "renders.log")) == 4
    assert take_ids(project) == before and not history.is_modified


def test_a_failed_shot_fails_the_shots_chained_after_it_and_a_retry_renders_them_once_fixed(tmp_path, control):
    project = small_project({"2": "shot 2, fail"})
    folder = save_project(project, tmp_path / "Queue.storyboard")
    queue, history = new_queue(project, folder, InlineRunner(FACTORIES))

    report = queue.run(no_progress, CancelToken())

    states = {job.number: job.state for job in queue.jobs}
    assert states == {"1": JobState.DONE, "2": JobState.FAILED, "3": JobState.FAILED, "4": JobState.DONE}
    assert queue.job("s2").message == "shot 2: told to fail; remove 'fail' from its description"
    assert queue.job("s3").message == "shot 3 continues from shot 2, which failed; fix shot 2, then render again"
    assert set(report.failures) == {"s2", "s3"}

    history.execute(SetField("shot", "s2", "description", "shot 2"))
    queue.retry_failed()
    report = queue.run(no_progress, CancelToken())

    assert {job.number: job.state for job in queue.jobs} == {"1": JobState.DONE, "2": JobState.DONE, "3": JobState.DONE, "4": JobState.DONE}
    assert report.count(ShotOutcomeKind.RENDERED) == 2
    assert [line[0] for line in log_lines(control, "renders.log")] == ["1", "4", "2", "3"]


def test_regenerating_one_shot_gives_it_one_new_take_with_a_new_seed_and_leaves_the_chain_after_it_stale(tmp_path, control):
    project = small_project()
    folder = save_project(project, tmp_path / "Queue.storyboard")
    new_queue(project, folder, InlineRunner(FACTORIES))[0].run(no_progress, CancelToken())
    before = take_ids(project)

    queue, _ = new_queue(project, folder, InlineRunner(FACTORIES), shot_ids=["s2"], new_take=True)
    queue.run(no_progress, CancelToken())

    after = take_ids(project)
    shot2 = project.shot("s2")
    assert after["2"][:1] == before["2"] and len(after["2"]) == 2
    assert shot2.seed != 2 and shot2.active_take.seed == shot2.seed
    assert {n: after[n] for n in "134"} == {n: before[n] for n in "134"}
    assert [s.number for s in stale_shots(project)] == ["3"]

    queue, _ = new_queue(project, folder, InlineRunner(FACTORIES), shot_ids=["s2"], new_take=True, downstream=True)
    queue.run(no_progress, CancelToken())

    assert [len(project.shot(f"s{n}").takes) for n in range(1, 5)] == [1, 3, 2, 1]
    assert not stale_shots(project)


def test_regenerating_a_shot_whose_seed_is_pinned_keeps_the_seed(tmp_path, control):
    project = small_project()
    project.shot("s4").seed_pinned = True
    folder = save_project(project, tmp_path / "Queue.storyboard")
    new_queue(project, folder, InlineRunner(FACTORIES))[0].run(no_progress, CancelToken())

    queue, _ = new_queue(project, folder, InlineRunner(FACTORIES), shot_ids=["s4"], new_take=True)
    queue.run(no_progress, CancelToken())

    shot4 = project.shot("s4")
    assert [take.seed for take in shot4.takes] == [4, 4] and shot4.seed == 4
    assert shot_status(project, shot4).value == "current"


def test_a_queue_stopped_by_a_crash_resumes_with_the_shots_it_had_not_finished(tmp_path, control):
    project = small_project()
    folder = save_project(project, tmp_path / "Queue.storyboard")
    queue, _ = new_queue(project, folder, InlineRunner(FACTORIES))

    def crash_on_shot_3(event: ProgressEvent) -> None:
        if event.job == "shot 3":
            raise SimulatedCrash()

    with pytest.raises(SimulatedCrash):
        queue.run(crash_on_shot_3, CancelToken())
    saved = json.loads((folder / "queue.json").read_text())
    assert [job["state"] for job in saved["jobs"]] == ["done", "done", "running", "queued"]

    reopened = load_project(folder)
    history = History(reopened)
    resumed = RenderQueue.resume(reopened, folder, history.execute, InlineRunner(FACTORIES), lambda: save_project(reopened, folder))
    assert [job.state for job in resumed.jobs] == [JobState.DONE, JobState.DONE, JobState.QUEUED, JobState.QUEUED]
    report = resumed.run(no_progress, CancelToken())

    assert report.count(ShotOutcomeKind.RENDERED) == 2
    assert [line[0] for line in log_lines(control, "renders.log")] == ["1", "2", "3", "3", "4"]  # 3 again: it died mid-render
    assert [len(shot.takes) for shot in load_project(folder).shots()] == [1, 1, 1, 1]


def test_a_take_recorded_just_before_a_crash_is_not_rendered_again_on_resume(tmp_path, control):
    project = small_project()
    folder = save_project(project, tmp_path / "Queue.storyboard")
    new_queue(project, folder, InlineRunner(FACTORIES))[0].run(no_progress, CancelToken())
    history = History(project)

    def save_then_crash_after_shot_1() -> None:
        save_project(project, folder)
        if len(project.shot("s1").takes) == 2:
            raise SimulatedCrash()

    queue = RenderQueue(
        project, folder, QueueSettings(), plan_jobs(project, ["s1", "s4"], True, False), history.execute, InlineRunner(FACTORIES), save_then_crash_after_shot_1
    )
    with pytest.raises(SimulatedCrash):
        queue.run(no_progress, CancelToken())

    reopened = load_project(folder)
    resumed = RenderQueue.resume(reopened, folder, History(reopened).execute, InlineRunner(FACTORIES), lambda: save_project(reopened, folder))
    assert [job.state for job in resumed.jobs] == [JobState.DONE, JobState.QUEUED]
    resumed.run(no_progress, CancelToken())

    assert [len(shot.takes) for shot in load_project(folder).shots()] == [2, 1, 1, 2]
