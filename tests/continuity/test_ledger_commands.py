"""Ledger edits as undoable commands: log, change and remove an entry, accept and unaccept a break.
Undo restores exactly the project before; a refused edit changes nothing and says why."""

from __future__ import annotations

import copy
import re

import pytest

from studio.commands import History, RemoveCharacterFromShot
from studio.continuity.changes import Aspect, ChangeOp, ContinuityChange, picks_up, wardrobe
from studio.continuity.checker import check_project
from studio.continuity.commands import AcceptFinding, AddContinuityChange, RemoveContinuityChange, ReplaceContinuityChange, UnacceptFinding
from studio.continuity.ledger import state_at
from studio.errors import EditError
from studio.project import Project
from studio.project_file import integrity_problem


def _maya_wardrobe(project: Project, shot_id: str) -> str:
    return state_at(project, project.shot(shot_id)).characters["maya"].wardrobe


def test_logging_changing_and_removing_an_entry_undo_and_redo(demo_project: Project) -> None:
    start = copy.deepcopy(demo_project)
    history = History(demo_project)

    history.execute(AddContinuityChange("s09", "maya", wardrobe("grey coat", deliberate=True)))
    assert _maya_wardrobe(demo_project, "s10") == "grey coat"
    history.execute(ReplaceContinuityChange("s09", "maya", 1, wardrobe("blue coat", deliberate=True)))
    assert _maya_wardrobe(demo_project, "s10") == "blue coat"
    history.execute(RemoveContinuityChange("s09", "maya", 0))  # puts down the coffee pot: no longer logged
    assert state_at(demo_project, demo_project.shot("s09")).characters["maya"].props_in_hand == ("coffee pot",)
    history.execute(AddContinuityChange("s10", None, ContinuityChange(Aspect.LIGHTING, "only the counter lit")))
    assert state_at(demo_project, demo_project.shot("s10")).location.lighting == "only the counter lit"
    assert integrity_problem(demo_project) is None
    after = copy.deepcopy(demo_project)

    while history.undo() is not None:
        pass
    assert demo_project == start
    while history.redo() is not None:
        pass
    assert demo_project == after


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            AddContinuityChange("s03", "maya", wardrobe("grey coat")),
            "shot 3: MAYA has two wardrobe entries in one shot ('red diner uniform' and 'grey coat'); keep one",
        ),
        (AddContinuityChange("s07", "maya", wardrobe("grey coat")), "MAYA is not in shot 7: add them to the shot before logging their continuity"),
        (AddContinuityChange("s06", None, wardrobe("grey coat")), "shot 6: 'wardrobe' is about a character; log it on a character in the shot"),
        (AddContinuityChange("s06", "maya", ContinuityChange(Aspect.PROPS_IN_HAND, "tray")), "'holding' is a set of things"),
        (AddContinuityChange("s06", None, ContinuityChange(Aspect.TIME_OF_DAY, "teatime")), "unknown time of day 'teatime'"),
        (AddContinuityChange("s06", None, ContinuityChange(Aspect.PROPS_PRESENT, "", ChangeOp.ADD)), "an empty props on set"),
        (AddContinuityChange("nope", None, ContinuityChange(Aspect.AXIS, "x")), "no shot with id nope"),
        (RemoveContinuityChange("s06", "maya", 5), "shot 6 has no continuity entry 5 (it has 2)"),
        (AcceptFinding("s05", " "), "a continuity finding key is needed"),
        (UnacceptFinding("s05", "axis:jonah+maya"), "shot 5: 'axis:jonah+maya' is not an accepted break"),
    ],
)
def test_a_refused_ledger_edit_changes_nothing_and_says_why(demo_project: Project, command: object, message: str) -> None:
    before = copy.deepcopy(demo_project)
    history = History(demo_project)
    with pytest.raises(EditError, match=re.escape(message)):
        history.execute(command)  # type: ignore[arg-type]
    assert demo_project == before
    assert not history.can_undo


def test_replacing_an_entry_with_one_that_would_contradict_it_if_added_is_allowed(demo_project: Project) -> None:
    ReplaceContinuityChange("s04", "jonah", 0, picks_up("small suitcase")).do(demo_project)  # the put-down becomes a pick-up
    assert integrity_problem(demo_project) is None
    assert state_at(demo_project, demo_project.shot("s04")).characters["jonah"].props_in_hand == ("small suitcase",)


def test_accepting_the_same_break_twice_is_refused(demo_project: Project) -> None:
    AcceptFinding("s05", "axis:jonah+maya").do(demo_project)
    with pytest.raises(EditError, match="already accepted"):
        AcceptFinding("s05", "axis:jonah+maya").do(demo_project)


def test_taking_a_character_out_of_a_shot_takes_their_logged_changes_with_them_and_undo_brings_them_back(demo_project: Project) -> None:
    history = History(demo_project)
    history.execute(RemoveCharacterFromShot("s03", "maya"))
    assert integrity_problem(demo_project) is None  # nothing in the ledger can point at her any more
    assert state_at(demo_project, demo_project.shot("s04")).characters["maya"].wardrobe == ""
    history.undo()
    assert state_at(demo_project, demo_project.shot("s04")).characters["maya"].wardrobe == "red diner uniform"


def test_a_deliberate_mid_scene_costume_change_logged_through_a_command_is_not_a_break(demo_project: Project) -> None:
    history = History(demo_project)
    history.execute(AddContinuityChange("s09", "maya", wardrobe("grey coat")))
    [finding] = check_project(demo_project)
    assert finding.message.startswith("shots 6→9: MAYA's wardrobe changes from 'red diner uniform' to 'grey coat'")
    history.execute(ReplaceContinuityChange("s09", "maya", 1, wardrobe("grey coat", deliberate=True)))
    assert check_project(demo_project) == []
