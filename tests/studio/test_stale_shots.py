"""A take is current while the document inputs it was rendered from are unchanged, stale after."""

from __future__ import annotations

from studio.commands import AddTake, History, SetActiveTake, SetField
from studio.project import Project
from studio.render_inputs import ShotStatus, shot_input_hash, shot_status, stale_shots
from studio.shot import ContinuityLink
from studio.take import Take


def _render(project: Project, shot_id: str, take_id: str, last_frame: str | None = None) -> Take:
    """What the render queue records: a take made from the shot's inputs as they are now."""
    shot = project.shot(shot_id)
    take = Take(id=take_id, number=shot.next_take_number, input_hash=shot_input_hash(project, shot), backend="draft", last_frame=last_frame)
    AddTake(shot_id, take).do(project)
    return take


def _render_all(project: Project) -> None:
    for shot in list(project.shots()):
        _render(project, shot.id, f"{shot.id}-t1", last_frame=f"media/{shot.id}-last.png")


def _statuses(project: Project) -> dict[str, ShotStatus]:
    return {shot.number: shot_status(project, shot) for shot in project.shots()}


def test_a_shot_without_takes_has_no_status_to_be_stale_in(demo_project: Project) -> None:
    assert set(_statuses(demo_project).values()) == {ShotStatus.NO_TAKE}
    assert stale_shots(demo_project) == []


def test_a_fresh_take_is_current(demo_project: Project) -> None:
    _render_all(demo_project)
    assert set(_statuses(demo_project).values()) == {ShotStatus.CURRENT}


def test_changing_a_shot_description_makes_it_stale_and_undo_makes_it_current_again(demo_project: Project) -> None:
    _render_all(demo_project)
    history = History(demo_project)
    history.execute(SetField("shot", "s03", "description", "MAYA counts the till."))
    assert _statuses(demo_project)["3"] is ShotStatus.STALE
    assert [s.number for s in stale_shots(demo_project)] == ["3"]
    history.undo()
    assert _statuses(demo_project)["3"] is ShotStatus.CURRENT
    assert stale_shots(demo_project) == []


def test_notes_and_transitions_do_not_make_a_take_stale(demo_project: Project) -> None:
    """They change the edit, not the pictures: re-rendering for them would waste the user's time."""
    _render_all(demo_project)
    SetField("shot", "s03", "notes", "check continuity of the apron").do(demo_project)
    SetField("shot", "s03", "transition", demo_project.shot("s01").transition).do(demo_project)
    assert stale_shots(demo_project) == []


def test_changing_a_character_makes_exactly_the_shots_with_that_character_stale(demo_project: Project) -> None:
    _render_all(demo_project)
    with_maya = {
        s.number for s in demo_project.shots() if any(c.character_id == "maya" for c in s.characters) or any(d.character_id == "maya" for d in s.dialogue)
    }
    assert 0 < len(with_maya) < len(list(demo_project.shots()))
    SetField("character", "maya", "description", "waitress in her twenties, blue uniform").do(demo_project)
    assert {s.number for s in stale_shots(demo_project)} == with_maya
    assert with_maya == {"3", "4", "5", "6", "9", "10"}  # as the demo's script casts her


def test_a_character_who_only_speaks_in_a_shot_still_makes_it_stale(demo_project: Project) -> None:
    shot = demo_project.shot("s07")  # the coffee insert: nobody in frame
    SetField("shot", "s07", "dialogue", [*demo_project.shot("s05").dialogue]).do(demo_project)  # JONAH off screen
    assert shot.characters == []
    _render_all(demo_project)
    SetField("character", "jonah", "description", "older").do(demo_project)
    assert "7" in {s.number for s in stale_shots(demo_project)}


def test_changing_a_location_makes_its_shots_stale_and_no_others(demo_project: Project) -> None:
    _render_all(demo_project)
    SetField("location", "street", "description", "dry street in the morning").do(demo_project)
    assert {s.number for s in stale_shots(demo_project)} == {s.number for s in demo_project.shots() if s.location_id == "street"} == {"1", "2", "11"}


def test_a_chained_shot_goes_stale_when_its_predecessor_gets_a_new_active_take(demo_project: Project) -> None:
    chained = demo_project.shot("s08")
    assert chained.continuity is ContinuityLink.CHAIN and demo_project.previous_shot("s08").id == "s07"
    _render_all(demo_project)
    first = demo_project.shot("s07").active_take_id
    history = History(demo_project)

    history.execute(
        AddTake(
            "s07",
            Take(id="s07-t2", number=2, input_hash=shot_input_hash(demo_project, demo_project.shot("s07")), backend="draft", last_frame="media/other.png"),
        )
    )
    assert [s.number for s in stale_shots(demo_project)] == ["8"]  # shot 7 itself is current: same inputs, new take

    history.execute(SetActiveTake("s07", first))
    assert stale_shots(demo_project) == []
    history.undo()
    assert [s.number for s in stale_shots(demo_project)] == ["8"]
    history.undo()  # the new take is gone, the first is active again
    assert demo_project.shot("s07").active_take_id == first
    assert stale_shots(demo_project) == []


def test_a_cut_shot_ignores_its_predecessor_takes(demo_project: Project) -> None:
    _render_all(demo_project)
    AddTake(
        "s06", Take(id="s06-t2", number=2, input_hash=shot_input_hash(demo_project, demo_project.shot("s06")), backend="draft", last_frame="media/x.png")
    ).do(demo_project)
    assert demo_project.shot("s07").continuity is ContinuityLink.CUT
    assert stale_shots(demo_project) == []


def test_changing_the_project_format_or_style_makes_every_take_stale(demo_project: Project) -> None:
    _render_all(demo_project)
    SetField("project", None, "style", type(demo_project.style)("noir")).do(demo_project)
    assert len(stale_shots(demo_project)) == len(list(demo_project.shots()))
