"""`studio render --farm`: an embedded farm renders the project and assembles the animatic; a farm
that cannot be reached, a bad address and a missing Ray are each one clear line, exit 2."""

from __future__ import annotations

import sys

import pytest
from farm_helpers import draft_project

from pipeline.farm import RayRunner, parse_farm_address
from pipeline.progress import CancelToken, no_progress
from pipeline.queue.task import TaskOutcome
from studio.errors import StudioError
from studio.project_file import load_project, save_project


def test_render_on_an_embedded_farm_makes_the_takes_and_the_animatic(tmp_path, run_cli):
    folder = save_project(draft_project(shots=3, frames=12), tmp_path / "Farm.storyboard")
    out = tmp_path / "farm.mp4"

    done = run_cli("render", folder, "--farm", "local-ray", "--farm-workers", "2", "--out", out, timeout=180)

    assert done.returncode == 0, done.stderr
    assert "render farm local-ray: 2 jobs at once" in done.stdout
    assert "shots: 3 rendered, 0 unchanged, 0 failed" in done.stdout
    assert out.is_file() and all(shot.active_take is not None for shot in load_project(folder).shots())


def test_an_unreachable_farm_is_one_line_naming_it_and_the_fix(tmp_path, run_cli):
    folder = save_project(draft_project(shots=1, frames=12), tmp_path / "Farm.storyboard")

    done = run_cli("render", folder, "--farm", "ray://127.0.0.1:1", timeout=60)

    assert done.returncode == 2
    assert "cannot reach the render farm at ray://127.0.0.1:1" in done.stderr and "ray start --head" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_farm_address_or_workers_without_a_farm_are_refused(tmp_path, run_cli):
    folder = save_project(draft_project(shots=1, frames=12), tmp_path / "Farm.storyboard")
    bad = run_cli("render", folder, "--farm", "farm.local:10001")
    assert bad.returncode == 2 and "ray://HOST:PORT" in bad.stderr
    lonely = run_cli("render", folder, "--farm-workers", "2")
    assert lonely.returncode == 2 and "--farm-workers N needs --farm" in lonely.stderr


def test_without_ray_the_farm_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    runner = RayRunner(parse_farm_address("local-ray"))
    with pytest.raises(StudioError, match=r"pip install 'storyboard-studio\[farm\]'"):
        runner.start()
    result = runner.run(None, no_progress, CancelToken())  # type: ignore[arg-type] - fails before the task is read
    assert result.outcome is TaskOutcome.FAILED and "storyboard-studio[farm]" in result.message
