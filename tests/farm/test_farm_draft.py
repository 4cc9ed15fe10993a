"""The shot queue on an embedded Ray cluster (two CPUs) with the draft backend: the same takes as a
local render, bit for bit; independent shots side by side, chained ones in order; a farm worker
killed mid-job costs nothing; cancel stops the jobs."""

from __future__ import annotations

import os
import signal

import pytest
from farm_helpers import draft_project, farm_runner, local_runner, render_with

from pipeline.progress import CancelToken, ProgressEvent
from pipeline.queue import JobState
from pipeline.render.batch import ShotOutcomeKind
from studio.media_store import MediaStore
from studio.project_file import load_project, save_project


def take_files(project, folder) -> dict[str, list[bytes]]:
    store = MediaStore(folder)
    return {shot.number: [store.resolve(ref).read_bytes() for ref in shot.active_take.media_paths] for shot in project.shots()}


def test_a_farm_render_equals_a_local_render_bit_for_bit(tmp_path, ray_session):
    local, farm = draft_project(), draft_project()
    local_folder = save_project(local, tmp_path / "Local.storyboard")
    farm_folder = save_project(farm, tmp_path / "Farm.storyboard")

    render_with(local, local_folder, local_runner())
    runner = farm_runner()
    queue, report = render_with(farm, farm_folder, runner)

    assert report.count(ShotOutcomeKind.RENDERED) == 4 and not report.failures
    assert [job.state for job in queue.jobs] == [JobState.DONE] * 4
    for local_shot, farm_shot in zip(local.shots(), farm.shots(), strict=True):
        assert farm_shot.active_take.media_paths == local_shot.active_take.media_paths  # same content, same names
        assert farm_shot.active_take.input_hash == local_shot.active_take.input_hash
    assert take_files(farm, farm_folder) == take_files(local, local_folder)
    loaded = load_project(farm_folder)
    assert [len(shot.takes) for shot in loaded.shots()] == [1, 1, 1, 1]  # saved after each take, none twice
    assert {timing.render_s > 0 for timing in runner.timings} == {True} and len(runner.timings) == 4


def test_independent_shots_run_side_by_side_and_a_chained_shot_after_its_predecessor(tmp_path, ray_session):
    project = draft_project(shots=4, frames=48, chained=(3,))
    folder = save_project(project, tmp_path / "Farm.storyboard")

    runner = farm_runner()
    render_with(project, folder, runner)

    spans = {timing.label: (timing.started, timing.ended) for timing in runner.timings}
    assert set(spans) == {"shot 1", "shot 2", "shot 3", "shot 4"}
    assert spans["shot 1"][0] < spans["shot 2"][1] and spans["shot 2"][0] < spans["shot 1"][1]  # 1 and 2 rendered at once
    assert spans["shot 3"][0] >= spans["shot 2"][1]  # 3 continues from 2's last frame: it starts once 2 is back
    assert project.shot("s3").active_take is not None and project.shot("s2").active_take.last_frame is not None


def test_a_farm_worker_killed_mid_job_is_survived_without_a_lost_or_duplicated_take(tmp_path, ray_session):
    project = draft_project(shots=3, frames=48, chained=())
    folder = save_project(project, tmp_path / "Farm.storyboard")
    runner = farm_runner()
    killed: list[int] = []

    def kill_during_shot_2(event: ProgressEvent) -> None:
        if event.job == "shot 2" and event.stage == "picture" and event.done >= 4 and not killed:
            victim = runner.busy_pid("shot 2")
            assert victim is not None
            killed.append(victim)
            os.kill(victim, signal.SIGKILL)

    queue, report = render_with(project, folder, runner, progress=kill_during_shot_2, crash_retries=2)

    assert killed, "the kill never happened"
    assert [job.state for job in queue.jobs] == [JobState.DONE] * 3
    assert queue.job("s2").attempts == 2
    assert not report.failures
    assert [len(shot.takes) for shot in load_project(folder).shots()] == [1, 1, 1]
    store = MediaStore(folder)
    assert all(store.exists(ref) for shot in project.shots() for ref in shot.active_take.media_paths)


def test_cancel_stops_the_running_jobs_and_the_rest(tmp_path, ray_session):
    project = draft_project(shots=6, frames=96, chained=())
    folder = save_project(project, tmp_path / "Farm.storyboard")
    cancel = CancelToken()

    def cancel_once_two_run(event: ProgressEvent) -> None:
        if event.stage == "picture" and event.done >= 2:
            cancel.cancel()

    queue, report = render_with(project, folder, farm_runner(), progress=cancel_once_two_run, cancel=cancel)

    assert report.cancelled
    states = [job.state for job in queue.jobs]
    assert JobState.CANCELLED in states and states.count(JobState.DONE) < 6
    assert all(shot.takes == [] for shot in project.shots() if queue.job(shot.id).state is JobState.CANCELLED)


def test_a_farm_address_that_is_not_understood_is_refused():
    from pipeline.farm import parse_farm_address
    from studio.errors import StudioError

    with pytest.raises(StudioError, match="ray://HOST:PORT"):
        parse_farm_address("http://farm:10001")
    assert str(parse_farm_address("ray://10.0.0.5:10001")) == "ray://10.0.0.5:10001"


def test_a_node_running_another_version_is_refused_with_the_fix(tmp_path, ray_session, monkeypatch):
    import pipeline.farm.runner as farm_runner_module

    monkeypatch.setattr(farm_runner_module, "app_version", lambda: "9.9.9")  # this app, newer than the nodes
    project = draft_project(shots=1, frames=12, chained=())
    folder = save_project(project, tmp_path / "Farm.storyboard")

    queue, report = render_with(project, folder, farm_runner())

    assert queue.job("s1").state is JobState.FAILED
    message = report.failures["s1"]
    assert "runs Storyboard Studio" in message and "this app is 9.9.9" in message and "install the same version on every node" in message


def test_a_job_whose_worker_dies_three_times_fails_with_the_last_error(tmp_path, ray_session):
    project = draft_project(shots=2, frames=48, chained=())
    folder = save_project(project, tmp_path / "Farm.storyboard")
    runner = farm_runner()
    killed: set[int] = set()

    def kill_every_worker_rendering_shot_1(event: ProgressEvent) -> None:
        victim = runner.busy_pid("shot 1") if event.job == "shot 1" else None
        if victim is not None and victim not in killed:
            killed.add(victim)
            os.kill(victim, signal.SIGKILL)

    queue, report = render_with(project, folder, runner, progress=kill_every_worker_rendering_shot_1, crash_retries=2)

    assert len(killed) == 3 and queue.job("s1").attempts == 3
    assert queue.job("s1").state is JobState.FAILED and queue.job("s2").state is JobState.DONE
    message = report.failures["s1"]
    assert message.startswith("the farm worker (pid ") and "died while rendering shot 1" in message and message.endswith("(tried 3 times, each on a fresh worker)")
    assert project.shot("s1").takes == [] and len(project.shot("s2").takes) == 1
