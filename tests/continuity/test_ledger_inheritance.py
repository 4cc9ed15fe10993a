"""The state in force at a shot is the fold of the changes logged before it: a change holds until
the next change of the same thing; characters carry theirs across scenes, places start each scene
from their baseline, and a shot's world override is for that shot alone."""

from __future__ import annotations

from continuity_helpers import CL, L, R, cast, numbered_shots, project_of, scene, shot
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.continuity.changes import Aspect, ChangeOp, ContinuityChange, picks_up, puts_down, wardrobe
from studio.continuity.ledger import state_at, states_in_force
from studio.demo import demo_project
from studio.location import TimeOfDay, WorldStateOverride
from studio.project import Project


def _wardrobe_by_shot(project: Project) -> dict[str, str]:
    return {s.number: state_at(project, s).characters["maya"].wardrobe for s in project.shots()}


def test_a_change_at_shot_3_is_in_force_for_shots_4_to_9_until_it_changes_at_shot_10() -> None:
    shots = numbered_shots(12)
    shots[2] = shot(3, cast("maya", L, wardrobe("red uniform")))
    shots[9] = shot(10, cast("maya", L, wardrobe("grey coat")))
    project = project_of(scene("sc1", *shots))
    in_force = _wardrobe_by_shot(project)
    assert [in_force[str(n)] for n in range(1, 13)] == ["", ""] + ["red uniform"] * 7 + ["grey coat"] * 3
    assert {s.number: v.characters["maya"].wardrobe for s, v in zip(project.shots(), states_in_force(project).values(), strict=True)} == in_force


def test_place_and_prop_changes_hold_until_changed_too() -> None:
    shots = [shot(n, cast("maya")) for n in range(1, 13)]
    shots[2] = shot(3, cast("maya", L, picks_up("coffee pot")), changes=[ContinuityChange(Aspect.LIGHTING, "lamps off, moonlight from the left")])
    shots[9] = shot(10, cast("maya", L, puts_down("coffee pot")), changes=[ContinuityChange(Aspect.LIGHTING, "dawn through the blinds")])
    project = project_of(scene("sc1", *shots))
    states = [state_at(project, s) for s in project.shots()]
    assert [s.location.lighting for s in states] == ["warm practicals"] * 2 + ["lamps off, moonlight from the left"] * 7 + ["dawn through the blinds"] * 3
    assert [s.world.lighting for s in states] == [s.location.lighting for s in states]
    assert [s.characters["maya"].props_in_hand for s in states] == [()] * 2 + [("coffee pot",)] * 7 + [()] * 3


def test_characters_carry_their_state_into_the_next_scene_but_places_start_again_from_their_baseline() -> None:
    first = shot(1, cast("maya", L, wardrobe("red uniform")), changes=[ContinuityChange(Aspect.WEATHER, "storm"), ContinuityChange(Aspect.AXIS, "counter")])
    project = project_of(scene("sc1", first, shot(2, cast("maya"))), scene("sc2", shot(3, cast("maya")), shot(4, cast("jonah"))))
    third = state_at(project, project.shot("s3"))
    assert third.characters["maya"].wardrobe == "red uniform"
    assert third.location.weather == "rain outside"  # the diner's baseline again
    assert third.sequence.axis == ""
    assert state_at(project, project.shot("s2")).location.weather == "storm"
    assert state_at(project, project.shot("s2")).sequence.axis == "counter"
    assert "maya" not in state_at(project, project.shot("s4")).characters  # only who is in the shot (or speaks in it)


def test_each_place_keeps_its_own_state_within_a_scene() -> None:
    project = project_of(
        scene(
            "sc1",
            shot(1, changes=[ContinuityChange(Aspect.PRACTICALS_ON, "neon sign", ChangeOp.ADD)]),
            shot(2, location="street"),
            shot(3),
        )
    )
    assert state_at(project, project.shot("s2")).location.practicals_on == ()
    assert state_at(project, project.shot("s3")).location.practicals_on == ("neon sign",)


def test_a_world_override_holds_for_its_shot_alone_while_a_logged_change_carries_forward() -> None:
    override = shot(2)
    override.world_override = WorldStateOverride(time_of_day=TimeOfDay.DUSK, lighting="one lamp")
    logged = shot(4, changes=[ContinuityChange(Aspect.TIME_OF_DAY, "dawn")])
    project = project_of(scene("sc1", shot(1), override, shot(3), logged, shot(5)))
    worlds = [state_at(project, s).world for s in project.shots()]
    assert [w.time_of_day for w in worlds] == [TimeOfDay.NIGHT, TimeOfDay.DUSK, TimeOfDay.NIGHT, TimeOfDay.DAWN, TimeOfDay.DAWN]
    assert [w.lighting for w in worlds] == ["warm practicals", "one lamp", "warm practicals", "warm practicals", "warm practicals"]


def test_without_place_changes_the_world_in_force_is_the_projects_world_state() -> None:
    project = demo_project()
    for s in project.shots():
        s.continuity_changes = [c for c in s.continuity_changes if c.aspect is Aspect.AXIS]
    for s in project.shots():
        assert state_at(project, s).world == project.world_state(s)


def test_a_character_who_only_speaks_in_a_shot_has_their_state_there() -> None:
    project = demo_project()
    project.shot("s07").dialogue = list(project.shot("s05").dialogue)  # JONAH off screen
    assert state_at(project, project.shot("s07")).characters["jonah"].wardrobe == "soaked grey raincoat"


_character_changes = st.sampled_from(
    [wardrobe("red"), wardrobe("grey"), picks_up("mug"), puts_down("mug"), picks_up("pot"), ContinuityChange(Aspect.EMOTION, "calm")]
)
_shot_changes = st.sampled_from(
    [
        ContinuityChange(Aspect.LIGHTING, "dim"),
        ContinuityChange(Aspect.TIME_OF_DAY, "dawn"),
        ContinuityChange(Aspect.PROPS_PRESENT, "mug", ChangeOp.ADD),
        ContinuityChange(Aspect.PROPS_PRESENT, "coffee pot", ChangeOp.REMOVE),
        ContinuityChange(Aspect.AXIS, "new line"),
        ContinuityChange(Aspect.PALETTE, "cold"),
    ]
)


@st.composite
def _ledger_projects(draw: st.DrawFn) -> Project:
    sequences = []
    number = 0
    for index in range(draw(st.integers(1, 3))):
        shots = []
        for _ in range(draw(st.integers(1, 6))):
            number += 1
            people = [
                cast(character_id, draw(st.sampled_from([L, CL, R])), *draw(st.lists(_character_changes, max_size=2, unique=True)))
                for character_id in draw(st.lists(st.sampled_from(["maya", "jonah"]), unique=True, max_size=2))
            ]
            s = shot(number, *people, location=draw(st.sampled_from(["diner", "street", None])), changes=draw(st.lists(_shot_changes, max_size=2, unique=True)))
            shots.append(s)
        sequences.append(scene(f"sc{index}", *shots))
    return project_of(*sequences)


@settings(max_examples=150)
@given(project=_ledger_projects())
def test_the_state_of_one_shot_is_the_same_as_the_state_from_the_one_pass_fold(project: Project) -> None:
    everything = states_in_force(project)
    for s in project.shots():
        assert state_at(project, s) == everything[s.id]
