"""`studio check` as a user runs it: exit 0 and no findings on the demo, exactly the break put into a
copy of it (exit 1), accepting a break from the command line, and exit 2 with one clear line for
user errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from studio.continuity.changes import picks_up, wardrobe
from studio.location import TimeOfDay, WorldStateOverride
from studio.project import Project
from studio.project_file import PROJECT_FILE, load_project, save_project
from studio.shot import DialogueLine, ScreenPosition


def _with_cast_change(project: Project, shot_id: str, character_id: str, change: object) -> None:
    shot = project.shot(shot_id)
    shot.characters = [replace(c, changes=(*c.changes, change)) if c.character_id == character_id else c for c in shot.characters]


def _prop_from_nowhere(project: Project) -> None:
    _with_cast_change(project, "s06", "maya", picks_up("revolver"))


def _costume_change_mid_scene(project: Project) -> None:
    _with_cast_change(project, "s09", "maya", wardrobe("grey coat"))


def _clock_turned_back(project: Project) -> None:
    project.shot("s06").world_override = WorldStateOverride(time_of_day=TimeOfDay.DAWN)


def _line_crossed(project: Project) -> None:
    shot = project.shot("s10")
    flipped = {ScreenPosition.CENTER_LEFT: ScreenPosition.CENTER_RIGHT, ScreenPosition.CENTER_RIGHT: ScreenPosition.CENTER_LEFT}
    shot.characters = [replace(c, position=flipped[c.position]) for c in shot.characters]


def _voice_without_a_body(project: Project) -> None:
    project.shot("s07").dialogue = [DialogueLine("jonah", "Thanks.")]


def _chain_across_places(project: Project) -> None:
    project.shot("s08").location_id = "street"


BREAKS: dict[str, tuple[Callable[[Project], None], str, str | None, str, str]] = {
    # name: (edit, rule, previous shot, shot, start of the message)
    "prop": (_prop_from_nowhere, "prop", None, "6", "shot 6: 'revolver' appears in MAYA's hands without being introduced"),
    "wardrobe": (_costume_change_mid_scene, "wardrobe", "6", "9", "shots 6→9: MAYA's wardrobe changes from 'red diner uniform' to 'grey coat' within scene"),
    "time": (_clock_turned_back, "time", "5", "6", "shots 5→6: the time of day at Rosie's Diner goes back from night to dawn"),
    "axis": (_line_crossed, "axis", "9", "10", "shots 9→10: MAYA and JONAH swap screen sides (MAYA is left of JONAH in shot 9, right of JONAH in shot 10)"),
    "dialogue": (_voice_without_a_body, "dialogue", None, "7", "shot 7: JONAH speaks but is not in the shot"),
    "chain": (_chain_across_places, "chain", "7", "8", "shots 7→8: shot 8 is chained from shot 7's last frame but moves from Rosie's Diner to Main Street"),
}


def test_check_on_the_demo_reports_no_breaks(tmp_path: Path, run_cli: Callable) -> None:
    folder = tmp_path / "Demo.storyboard"
    assert run_cli("new", folder, "--demo").returncode == 0
    result = run_cli("check", folder)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip() == "no continuity breaks in 'Last Order', 11 shots checked"
    as_json = run_cli("check", folder, "--json")
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout) == {"title": "Last Order", "shots": 11, "findings": [], "accepted": 0}


def test_every_rule_is_exercised_by_one_break() -> None:
    from studio.continuity.checker import Rule

    assert {rule for _, rule, *_ in BREAKS.values()} == {r.value for r in Rule}


@pytest.mark.parametrize("kind", list(BREAKS))
def test_check_reports_exactly_the_break_put_into_a_copy_of_the_demo(tmp_path: Path, demo_project: Project, run_cli: Callable, kind: str) -> None:
    edit, rule, previous, shot, message = BREAKS[kind]
    edit(demo_project)
    folder = save_project(demo_project, tmp_path / "Broken.storyboard")
    result = run_cli("check", folder, "--json")
    assert result.returncode == 1, result.stderr
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["previous_shot"], finding["shot"]) == (rule, previous, shot)
    assert finding["message"].startswith(message)
    text = run_cli("check", folder)
    assert text.returncode == 1
    assert f"[{finding['reference']}] {finding['message']}" in text.stdout


def test_a_break_accepted_from_the_command_line_is_saved_and_no_longer_reported(tmp_path: Path, demo_project: Project, run_cli: Callable) -> None:
    _costume_change_mid_scene(demo_project)
    folder = save_project(demo_project, tmp_path / "Costume.storyboard")
    accepted = run_cli("check", folder, "--accept", "9/wardrobe:maya")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "1 accepted as intentional, not shown" in accepted.stdout
    assert load_project(folder).shot("s09").accepted_breaks == ["wardrobe:maya"]
    assert run_cli("check", folder).returncode == 0
    again = run_cli("check", folder, "--unaccept", "9/wardrobe:maya", "--json")
    assert again.returncode == 1
    assert [f["reference"] for f in json.loads(again.stdout)["findings"]] == ["9/wardrobe:maya"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--accept", "9/wardrobe:jonah"], "no continuity break 9/wardrobe:jonah in this project; nothing to accept"),
        (["--accept", "wardrobe"], "'wardrobe' is not a finding reference; write SHOT/KEY"),
        (["--accept", "99/wardrobe:maya"], "no shot numbered 99"),
        (["--unaccept", "9/wardrobe:maya"], "shot 9: 'wardrobe:maya' is not an accepted break"),
    ],
)
def test_a_bad_acceptance_is_a_user_error_and_changes_nothing(tmp_project_folder: Path, run_cli: Callable, args: list[str], message: str) -> None:
    before = (tmp_project_folder / PROJECT_FILE).read_bytes()
    result = run_cli("check", tmp_project_folder, *args)
    assert result.returncode == 2
    assert result.stderr.startswith("studio: error: ") and message in result.stderr and "Traceback" not in result.stderr
    assert (tmp_project_folder / PROJECT_FILE).read_bytes() == before


def test_a_missing_project_or_a_damaged_ledger_is_a_user_error(tmp_path: Path, tmp_project_folder: Path, run_cli: Callable) -> None:
    missing = run_cli("check", tmp_path / "Nowhere.storyboard")
    assert missing.returncode == 2 and "no such project folder" in missing.stderr
    file = tmp_project_folder / PROJECT_FILE
    document = json.loads(file.read_text(encoding="utf-8"))
    shot = document["project"]["sequences"][1]["shots"][0]
    shot["characters"][0]["changes"].append({"schema": "ContinuityChange.1", "aspect": "wardrobe", "value": "grey coat"})
    file.write_text(json.dumps(document), encoding="utf-8")
    before = file.read_bytes()
    damaged = run_cli("check", tmp_project_folder)
    assert damaged.returncode == 2
    assert "shot 3: MAYA has two wardrobe entries in one shot ('red diner uniform' and 'grey coat'); keep one" in damaged.stderr
    assert "Traceback" not in damaged.stderr
    assert file.read_bytes() == before
