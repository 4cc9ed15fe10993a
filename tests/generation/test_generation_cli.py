"""`studio render --backend ltx|wan|animatediff --model-dir DIR`, as a user runs it, on tiny models:
every shot gets a take of its own length, and a folder that holds no model is refused up front."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("diffusers", reason="the generation backends need diffusers")
av = pytest.importorskip("av")

from studio.character import Character  # noqa: E402
from studio.frame_rate import FrameRate  # noqa: E402
from studio.location import Location, TimeOfDay, WorldState  # noqa: E402
from studio.media_store import MediaStore  # noqa: E402
from studio.project import Project, Sequence, StylePreset, VideoFormat  # noqa: E402
from studio.project_file import load_project, save_project  # noqa: E402
from studio.shot import CharacterInShot, Shot, ShotSize  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
DURATIONS = (9, 12, 6)


def studio(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("studio")
    entry = [str(script)] if script.exists() else [sys.executable, "-m", "cli.main"]
    return subprocess.run([*entry, *map(str, args)], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120, env={**os.environ, **(env or {})})


def tiny_project(folder: Path) -> Path:
    shots = [
        Shot(
            id=f"s{n}",
            number=str(n),
            duration=d,
            description=f"shot {n} at the bar",
            size=ShotSize.MS,
            location_id="bar",
            characters=[CharacterInShot("maya")],
            seed=n,
        )
        for n, d in enumerate(DURATIONS, start=1)
    ]
    project = Project(
        title="Tiny",
        format=VideoFormat(64, 64, FrameRate(24)),
        style=StylePreset.CINEMATIC,
        characters=[Character(id="maya", name="MAYA", description="a woman in a red coat")],
        locations=[Location(id="bar", name="the bar", world=WorldState(TimeOfDay.NIGHT, "rain", "neon"))],
        sequences=[Sequence(id="sc1", name="1 INT. BAR - NIGHT", shots=shots)],
    )
    return save_project(project, folder)


def frame_count(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


@pytest.mark.parametrize("backend", ["ltx", "wan", "animatediff"])
def test_render_with_each_generation_backend_makes_a_take_of_the_right_length_for_every_shot(tmp_path, backend, request):
    model = request.getfixturevalue(f"tiny_{backend}_dir")
    folder = tiny_project(tmp_path / "Tiny.storyboard")
    steps = {"STORYBOARD_LTX_STEPS": "2", "STORYBOARD_WAN_STEPS": "2", "STORYBOARD_ANIMATEDIFF_STEPS": "2"}
    done = studio("render", folder, "--backend", backend, "--model-dir", model, "--size", "64x64", "--no-overlays", env=steps)
    assert done.returncode == 0, done.stderr
    assert "3 rendered" in done.stdout
    project, store = load_project(folder), MediaStore(folder)
    for shot, duration in zip(project.shots(), DURATIONS, strict=True):
        take = shot.active_take
        assert take is not None and take.backend == backend and take.settings["size"] == "64x64"
        assert take.provenance["model_id"] == take.model_id and take.provenance["seed"] == str(take.seed)
        assert frame_count(store.resolve(take.video)) == duration


def test_render_with_a_model_dir_that_holds_no_model_is_refused_naming_it(tmp_path):
    folder = tiny_project(tmp_path / "Tiny.storyboard")
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    done = studio("render", folder, "--backend", "ltx", "--model-dir", empty)
    assert done.returncode == 2
    assert f"{empty} is not a diffusers model folder (no model_index.json)" in done.stderr
    assert "huggingface-cli download Lightricks/LTX-Video" in done.stderr and "Traceback" not in done.stderr


def test_model_dir_is_refused_for_a_backend_without_a_model(tmp_path, tiny_ltx_dir):
    folder = tiny_project(tmp_path / "Tiny.storyboard")
    done = studio("render", folder, "--backend", "draft", "--model-dir", tiny_ltx_dir)
    assert done.returncode == 2 and "uses no model" in done.stderr


def test_two_pass_previews_every_shot_small_then_renders_finals_of_the_approved_shots_only(tmp_path, tiny_ltx_dir, tiny_wan_dir):
    folder = tiny_project(tmp_path / "Tiny.storyboard")
    done = studio("render", folder, "--pass", "preview", "--model-dir", tiny_ltx_dir, "--steps", "1", "--no-overlays")
    assert done.returncode == 0, done.stderr
    previews = {shot.number: shot.active_take for shot in load_project(folder).shots()}
    assert all(take.backend == "ltx" and take.settings["size"] == "32x32" and take.settings["steps"] == "1" for take in previews.values())

    refused = studio("render", folder, "--pass", "final", "--backend", "wan", "--model-dir", tiny_wan_dir)
    assert refused.returncode == 2 and "no shot is approved for the final pass" in refused.stderr and "studio approve" in refused.stderr

    approved = studio("approve", folder, "--shots", "2")
    assert approved.returncode == 0 and "approved for the final pass: 2" in approved.stdout
    done = studio("render", folder, "--pass", "final", "--backend", "wan", "--model-dir", tiny_wan_dir, "--steps", "1", "--no-overlays")
    assert done.returncode == 0, done.stderr
    assert "1 rendered" in done.stdout
    finals = {shot.number: shot.active_take for shot in load_project(folder).shots()}
    assert finals["2"].backend == "wan" and finals["2"].settings["size"] == "64x64"
    assert finals["1"].id == previews["1"].id and finals["3"].id == previews["3"].id, "unapproved shots keep their previews"


def test_the_plan_shows_what_would_be_generated_without_loading_a_model(tmp_path, tiny_ltx_dir):
    folder = tiny_project(tmp_path / "Tiny.storyboard")
    plan = studio("render", folder, "--backend", "ltx", "--model-dir", tiny_ltx_dir, "--size", "70x64", "--plan")
    assert plan.returncode == 0, plan.stderr
    lines = plan.stdout.splitlines()
    assert "shot     1  ltx          64x64, 9 frames at 24 fps  memory: cpu" in lines[0]
    assert "ltx generates 64x64" in lines[1] and "scaled to 70x64" in lines[1]
    assert lines[-1] == "plan: 3 to render, 0 up to date, 0 cannot render"
    assert not load_project(folder).shot("s1").takes, "planning renders nothing"

    done = studio("render", folder, "--backend", "ltx", "--model-dir", tiny_ltx_dir, "--size", "64x64", "--no-overlays", env={"STORYBOARD_LTX_STEPS": "1"})
    assert done.returncode == 0, done.stderr
    again = studio("render", folder, "--backend", "ltx", "--model-dir", tiny_ltx_dir, "--size", "64x64", "--plan", env={"STORYBOARD_LTX_STEPS": "1"})
    assert again.stdout.splitlines()[-1] == "plan: 0 to render, 3 up to date, 0 cannot render"

    bad = studio("render", folder, "--backend", "ltx", "--model-dir", tiny_ltx_dir, "--plan", env={"STORYBOARD_MEMORY_MODE": "tiny"})
    assert bad.returncode == 2 and "is not a memory mode" in bad.stdout and "group-offload" in bad.stdout
    assert bad.stdout.splitlines()[-1] == "plan: 0 to render, 0 up to date, 3 cannot render"
