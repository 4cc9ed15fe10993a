"""`studio render --shots N --new-take [--downstream]` as a user runs it, with the draft backend,
both in one pass (the draft default) and through the render queue (--worker inline)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from queue_helpers import small_project

from studio.demo import demo_project
from studio.project_file import load_project, save_project
from studio.render_inputs import stale_shots

ROUTES = {"one pass": [], "queue": ["--worker", "inline"]}


def takes(folder: Path) -> dict[str, list[tuple[str, int]]]:
    return {shot.number: [(take.id, take.seed) for take in shot.takes] for shot in load_project(folder).shots()}


@pytest.mark.parametrize("route", ROUTES)
def test_regenerating_one_shot_makes_one_new_take_with_a_new_seed_and_downstream_renders_the_chain_after_it(tmp_path, run_cli, route):
    folder = save_project(small_project(backend="draft"), tmp_path / "Queue.storyboard")
    done = run_cli("render", folder, "--no-overlays", *ROUTES[route])
    assert done.returncode == 0, done.stderr
    first = takes(folder)

    done = run_cli("render", folder, "--no-overlays", "--shots", "2", "--new-take", *ROUTES[route])
    assert done.returncode == 0, done.stderr
    assert "1 rendered" in done.stdout
    second = takes(folder)
    assert second["2"][0] == first["2"][0] and len(second["2"]) == 2
    new_seed = second["2"][1][1]
    assert new_seed != 2 and load_project(folder).shot("s2").seed == new_seed
    assert {n: second[n] for n in "134"} == {n: first[n] for n in "134"}
    assert [shot.number for shot in stale_shots(load_project(folder))] == ["3"]  # chained after 2, left as it was

    done = run_cli("render", folder, "--no-overlays", "--shots", "2", "--new-take", "--downstream", *ROUTES[route])
    assert done.returncode == 0, done.stderr
    assert "2 rendered" in done.stdout
    third = takes(folder)
    assert [len(third[n]) for n in "1234"] == [1, 3, 2, 1]
    assert third["3"][1][1] == 3  # re-rendered for its new first frame, with the seed it had
    assert not stale_shots(load_project(folder))


def test_ctrl_c_during_a_render_in_the_worker_process_ends_cleanly_keeping_finished_takes(tmp_path):
    folder = save_project(demo_project(width=320, height=180), tmp_path / "Demo.storyboard")
    studio = Path(sys.executable).with_name("studio")
    # its own session, so the Ctrl-C can go to the whole process group as a terminal sends it
    process = subprocess.Popen(
        [studio, "render", folder, "--worker", "process"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.time() + 60
    while time.time() < deadline and not list((folder / "media").glob("*.mov")):
        time.sleep(0.1)  # a first take is finished: interrupt mid-shot
    time.sleep(0.3)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)

    assert process.returncode == 130, (stdout, stderr)
    assert "cancelled; finished shots are saved as takes" in stderr and "Traceback" not in stderr
    project = load_project(folder)
    finished = [shot for shot in project.shots() if shot.active_take is not None]
    assert 1 <= len(finished) < 11
    assert all((folder / shot.active_take.video).is_file() for shot in finished)
    assert '"cancelled"' in (folder / "queue.json").read_text()


def test_resume_carries_on_with_the_queue_a_stopped_render_left_and_says_how_many_shots_are_left(tmp_path, run_cli):
    from pipeline.queue import InlineRunner, QueueSettings, RenderQueue, plan_jobs
    from studio.commands import History

    project = small_project(backend="draft")
    folder = save_project(project, tmp_path / "Queue.storyboard")
    done = run_cli("render", folder, "--resume", "--worker", "inline")
    assert done.returncode == 2 and "no render queue to resume" in done.stderr

    # a render that was stopped before it began any shot leaves its whole queue behind
    RenderQueue(project, folder, QueueSettings(size=(64, 36)), plan_jobs(project, None, False, False), History(project).execute, InlineRunner())
    done = run_cli("render", folder, "--resume", "--worker", "inline", "--no-overlays")
    assert done.returncode == 0, done.stderr
    assert f"resuming the render queue: {len(list(project.shots()))} of {len(list(project.shots()))} shots to go" in done.stdout
    assert all(shot.active_take is not None and shot.active_take.settings["size"] == "64x36" for shot in load_project(folder).shots())
    refused = run_cli("render", folder, "--resume", "--shots", "2")
    assert refused.returncode == 2 and "leave out --shots" in refused.stderr
