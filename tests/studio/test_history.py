"""The undo history: undo, redo, labels, the modified flag, observers, and macro edits."""

from __future__ import annotations

import copy

import pytest

from studio.commands import AddShot, History, MacroCommand, RemoveShot, SetField
from studio.errors import EditError
from studio.project import Project
from studio.shot import Shot


def test_undo_and_redo_walk_the_edits_back_and_forth(demo_project: Project) -> None:
    start = copy.deepcopy(demo_project)
    history = History(demo_project)
    history.execute(SetField("project", None, "title", "Two"))
    history.execute(RemoveShot("s01"))
    after = copy.deepcopy(demo_project)

    assert history.undo().label == "Delete shot"
    assert demo_project.title == "Two" and "s01" in demo_project.shot_starts()
    assert history.undo().label == "Set project title"
    assert demo_project == start
    assert history.undo() is None  # nothing left: a no-op, not an error
    assert demo_project == start

    assert history.redo().label == "Set project title"
    assert history.redo().label == "Delete shot"
    assert history.redo() is None
    assert demo_project == after


def test_labels_and_availability_follow_the_stacks(demo_project: Project) -> None:
    history = History(demo_project)
    assert (history.can_undo, history.can_redo, history.undo_label, history.redo_label) == (False, False, None, None)
    history.execute(SetField("shot", "s01", "description", "x", label="Describe shot 1"))
    assert (history.can_undo, history.can_redo, history.undo_label, history.redo_label) == (True, False, "Describe shot 1", None)
    history.undo()
    assert (history.can_undo, history.can_redo, history.undo_label, history.redo_label) == (False, True, None, "Describe shot 1")


def test_a_new_edit_after_undo_drops_the_redo_stack(demo_project: Project) -> None:
    history = History(demo_project)
    history.execute(SetField("project", None, "title", "A"))
    history.undo()
    history.execute(SetField("project", None, "title", "B"))
    assert not history.can_redo
    assert history.redo() is None
    assert demo_project.title == "B"


def test_modified_flag_follows_the_saved_state(demo_project: Project) -> None:
    history = History(demo_project)
    assert not history.is_modified
    history.execute(SetField("project", None, "title", "A"))
    assert history.is_modified
    history.undo()
    assert not history.is_modified  # back at the state on disk
    history.redo()
    history.mark_saved()
    assert not history.is_modified
    history.execute(SetField("project", None, "title", "B"))
    assert history.is_modified
    history.undo()
    assert not history.is_modified
    history.undo()
    assert history.is_modified  # before the save
    history.redo()
    assert not history.is_modified


def test_saved_state_lost_to_a_new_branch_stays_modified_for_good(demo_project: Project) -> None:
    history = History(demo_project)
    history.execute(SetField("project", None, "title", "A"))
    history.execute(SetField("project", None, "title", "B"))
    history.mark_saved()  # saved "B"
    history.undo()
    history.undo()
    history.execute(SetField("project", None, "title", "C"))
    history.execute(SetField("project", None, "title", "D"))  # as many edits as the saved state had
    assert history.is_modified
    history.undo()
    history.undo()
    assert history.is_modified


def test_a_refused_edit_is_not_recorded_and_notifies_nobody(demo_project: Project) -> None:
    history = History(demo_project)
    seen: list[str] = []
    history.observers.append(lambda command: seen.append(command.label))
    before = copy.deepcopy(demo_project)
    with pytest.raises(EditError):
        history.execute(RemoveShot("nope"))
    assert demo_project == before
    assert (history.can_undo, history.is_modified, seen) == (False, False, [])


def test_observers_hear_every_do_undo_and_redo(demo_project: Project) -> None:
    history = History(demo_project)
    seen: list[tuple[str, str]] = []
    history.observers.append(lambda command: seen.append((command.label, demo_project.title)))
    history.execute(SetField("project", None, "title", "A"))
    history.undo()
    history.redo()
    assert seen == [("Set project title", "A"), ("Set project title", "Last Order"), ("Set project title", "A")]


def test_macro_applies_all_its_edits_as_one_undo_step(demo_project: Project) -> None:
    start = copy.deepcopy(demo_project)
    history = History(demo_project)
    macro = MacroCommand(
        "Insert shot 1A",
        [AddShot("sc1", 1, Shot(id="new", number="1A", duration=24)), SetField("shot", "new", "description", "Rain on the window"), RemoveShot("s02")],
    )
    history.execute(macro)
    assert [s.id for s in demo_project.sequence("sc1").shots] == ["s01", "new"]
    assert demo_project.shot("new").description == "Rain on the window"
    assert history.undo_label == "Insert shot 1A"
    history.undo()
    assert demo_project == start
    assert not history.can_undo
    history.redo()
    assert [s.id for s in demo_project.sequence("sc1").shots] == ["s01", "new"]


def test_macro_with_a_refused_edit_changes_nothing_at_all(demo_project: Project) -> None:
    start = copy.deepcopy(demo_project)
    history = History(demo_project)
    macro = MacroCommand(
        "Broken import",
        [
            AddShot("sc1", 0, Shot(id="new", number="0", duration=24)),
            SetField("shot", "s01", "description", "changed"),
            RemoveShot("s03"),
            RemoveShot("no-such-shot"),  # refused: everything before it is rolled back
            SetField("project", None, "title", "never"),
        ],
    )
    with pytest.raises(EditError, match="no-such-shot"):
        history.execute(macro)
    assert demo_project == start
    assert not history.can_undo and not history.is_modified
