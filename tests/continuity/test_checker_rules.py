"""Each continuity rule: a break it must report (naming the shots and the state) and the cases it
must leave alone; accepted breaks are no longer reported."""

from __future__ import annotations

from continuity_helpers import CL, CR, L, R, cast, project_of, scene, shot

from studio.commands import History
from studio.continuity.changes import Aspect, ChangeOp, ContinuityChange, picks_up, wardrobe
from studio.continuity.checker import Rule, all_findings, check_project
from studio.continuity.commands import AcceptFinding, UnacceptFinding
from studio.demo import demo_project
from studio.location import TimeOfDay, WorldStateOverride
from studio.project import Project
from studio.shot import ContinuityLink, DialogueLine


def _reported(project: Project) -> list[tuple[str, str, str | None, str]]:
    return [(f.rule.value, f.shot_number, f.previous_number, f.key) for f in check_project(project)]


def test_the_demo_has_no_continuity_breaks() -> None:
    assert check_project(demo_project()) == []
    assert all_findings(demo_project()) == []


# --- prop -------------------------------------------------------------------------------------


def test_a_prop_appearing_in_hands_from_nowhere_is_reported() -> None:
    project = project_of(scene("sc1", shot(1, cast("maya")), shot(2, cast("maya", CL, picks_up("revolver")))))
    [finding] = check_project(project)
    assert (finding.rule, finding.shot_number, finding.key) == (Rule.PROP_NOT_INTRODUCED, "2", "prop:maya:revolver")
    assert finding.message.startswith("shot 2: 'revolver' appears in MAYA's hands without being introduced")
    assert "not on set at Rosie's Diner" in finding.message


def test_a_prop_picked_up_from_the_set_brought_in_deliberately_or_handed_over_is_not_reported() -> None:
    from_set = project_of(scene("sc1", shot(1, cast("maya", CL, picks_up("coffee pot")))))
    brought = project_of(scene("sc1", shot(1, cast("jonah", CL, picks_up("suitcase", deliberate=True)))))
    handed = project_of(scene("sc1", shot(1, cast("jonah", CL, picks_up("suitcase", deliberate=True))), shot(2, cast("maya", CL, picks_up("suitcase")))))
    put_on_set = project_of(
        scene("sc1", shot(1, changes=[ContinuityChange(Aspect.PROPS_PRESENT, "mug", ChangeOp.ADD)]), shot(2, cast("maya", CL, picks_up("mug"))))
    )
    for project in (from_set, brought, handed, put_on_set):
        assert check_project(project) == []


# --- wardrobe ---------------------------------------------------------------------------------


def test_a_wardrobe_change_within_a_scene_is_reported_naming_both_shots_and_both_wardrobes() -> None:
    project = project_of(
        scene("sc2", shot(12, cast("maya", L, wardrobe("red uniform"))), shot(13, cast("maya")), shot(14, cast("maya", L, wardrobe("grey coat"))))
    )
    [finding] = check_project(project)
    assert (finding.rule, finding.previous_number, finding.shot_number, finding.key) == (Rule.WARDROBE_CHANGE, "13", "14", "wardrobe:maya")
    assert finding.message == (
        "shots 13→14: MAYA's wardrobe changes from 'red uniform' to 'grey coat' within scene 'SC2 INT. ROSIE'S DINER - NIGHT'; mark it intentional or fix shot 14"
    )


def test_a_hair_and_makeup_change_within_a_scene_is_reported_too() -> None:
    hair = ContinuityChange(Aspect.HAIR_MAKEUP, "hair down")
    project = project_of(scene("sc1", shot(1, cast("maya", L, ContinuityChange(Aspect.HAIR_MAKEUP, "hair tied back"))), shot(2, cast("maya", L, hair))))
    assert _reported(project) == [("wardrobe", "2", "1", "hair_makeup:maya")]


def test_wardrobe_changes_between_scenes_marked_deliberate_or_first_established_are_not_reported() -> None:
    between_scenes = project_of(scene("sc1", shot(1, cast("maya", L, wardrobe("red uniform")))), scene("sc2", shot(2, cast("maya", L, wardrobe("grey coat")))))
    deliberate = project_of(scene("sc1", shot(1, cast("maya", L, wardrobe("red uniform"))), shot(2, cast("maya", L, wardrobe("grey coat", deliberate=True)))))
    established = project_of(scene("sc1", shot(1, cast("maya")), shot(2, cast("maya", L, wardrobe("red uniform")))))
    unchanged = project_of(scene("sc1", shot(1, cast("maya", L, wardrobe("red uniform"))), shot(2, cast("maya", L, wardrobe("red uniform")))))
    for project in (between_scenes, deliberate, established, unchanged):
        assert check_project(project) == []


# --- time -------------------------------------------------------------------------------------


def test_time_of_day_going_backwards_within_a_scene_is_reported() -> None:
    project = project_of(scene("sc1", shot(1), shot(2, changes=[ContinuityChange(Aspect.TIME_OF_DAY, "morning")])))
    [finding] = check_project(project)
    assert (finding.rule, finding.previous_number, finding.shot_number, finding.key) == (Rule.TIME_BACKWARDS, "1", "2", "time:diner")
    assert finding.message.startswith("shots 1→2: the time of day at Rosie's Diner goes back from night to morning within scene")


def test_a_shot_override_that_turns_the_clock_back_is_reported() -> None:
    early = shot(2)
    early.world_override = WorldStateOverride(time_of_day=TimeOfDay.AFTERNOON)
    assert _reported(project_of(scene("sc1", shot(1), early, shot(3)))) == [("time", "2", "1", "time:diner")]


def test_time_moving_forward_in_a_scene_or_back_in_a_new_scene_is_not_reported() -> None:
    forward = project_of(
        scene("sc1", shot(1, changes=[ContinuityChange(Aspect.TIME_OF_DAY, "dusk")]), shot(2, changes=[ContinuityChange(Aspect.TIME_OF_DAY, "night")]))
    )
    new_scene = project_of(scene("sc1", shot(1)), scene("sc2", shot(2, changes=[ContinuityChange(Aspect.TIME_OF_DAY, "morning")])))
    other_place = project_of(scene("sc1", shot(1), shot(2, location="street", changes=[ContinuityChange(Aspect.TIME_OF_DAY, "morning")])))
    for project in (forward, new_scene, other_place):
        assert check_project(project) == []


# --- axis -------------------------------------------------------------------------------------


def test_two_characters_swapping_screen_sides_across_a_cut_is_reported_as_a_180_degree_crossing() -> None:
    project = project_of(scene("sc1", shot(1, cast("maya", L), cast("jonah", R)), shot(2, cast("maya", CR), cast("jonah", CL))))
    [finding] = check_project(project)
    assert (finding.rule, finding.previous_number, finding.shot_number, finding.key) == (Rule.AXIS_CROSSED, "1", "2", "axis:jonah+maya")
    assert finding.message.startswith("shots 1→2: MAYA and JONAH swap screen sides (MAYA is left of JONAH in shot 1, right of JONAH in shot 2)")


def test_a_crossing_is_still_a_crossing_with_a_cutaway_in_between() -> None:
    project = project_of(scene("sc1", shot(1, cast("maya", L), cast("jonah", R)), shot(2), shot(3, cast("maya", R), cast("jonah", L))))
    assert _reported(project) == [("axis", "3", "1", "axis:jonah+maya")]


def test_a_logged_axis_change_keeping_sides_or_a_new_scene_is_not_reported() -> None:
    new_axis = ContinuityChange(Aspect.AXIS, "camera crosses to the window side")
    marked = project_of(scene("sc1", shot(1, cast("maya", L), cast("jonah", R)), shot(2, cast("maya", R), cast("jonah", L), changes=[new_axis])))
    marked_on_the_cutaway = project_of(
        scene("sc1", shot(1, cast("maya", L), cast("jonah", R)), shot(2, changes=[new_axis]), shot(3, cast("maya", R), cast("jonah", L)))
    )
    same_sides = project_of(scene("sc1", shot(1, cast("maya", L), cast("jonah", R)), shot(2, cast("maya", CL), cast("jonah", CR))))
    new_scene = project_of(scene("sc1", shot(1, cast("maya", L), cast("jonah", R))), scene("sc2", shot(2, cast("maya", R), cast("jonah", L))))
    for project in (marked, marked_on_the_cutaway, same_sides, new_scene):
        assert check_project(project) == []


def test_after_a_marked_axis_change_the_new_sides_are_the_ones_to_keep() -> None:
    new_axis = ContinuityChange(Aspect.AXIS, "new line")
    project = project_of(
        scene(
            "sc1",
            shot(1, cast("maya", L), cast("jonah", R)),
            shot(2, cast("maya", R), cast("jonah", L), changes=[new_axis]),
            shot(3, cast("maya", L), cast("jonah", R)),
        )
    )
    assert _reported(project) == [("axis", "3", "2", "axis:jonah+maya")]


# --- dialogue ---------------------------------------------------------------------------------


def test_a_character_speaking_in_a_shot_they_are_not_in_is_reported() -> None:
    project = project_of(scene("sc1", shot(1, cast("maya"), lines=[DialogueLine("jonah", "Coffee?"), DialogueLine("jonah", "Black.")])))
    [finding] = check_project(project)
    assert (finding.rule, finding.shot_number, finding.key) == (Rule.DIALOGUE_OFF_SCREEN, "1", "dialogue:jonah")
    assert finding.message == "shot 1: JONAH speaks but is not in the shot; add JONAH to the shot or mark the line (O.S.) or (V.O.)"


def test_dialogue_by_someone_in_the_shot_or_marked_off_screen_is_not_reported() -> None:
    in_shot = project_of(scene("sc1", shot(1, cast("jonah"), lines=[DialogueLine("jonah", "Coffee?")])))
    off_screen = project_of(
        scene(
            "sc1",
            shot(1, cast("maya"), lines=[DialogueLine("jonah", "Coffee?", parenthetical="O.S."), DialogueLine("jonah", "Hm.", parenthetical="v.o., tired")]),
        )
    )
    for project in (in_shot, off_screen):
        assert check_project(project) == []


# --- chain ------------------------------------------------------------------------------------


def test_a_chained_shot_at_another_location_than_its_predecessor_is_reported() -> None:
    chained = shot(2, location="street")
    chained.continuity = ContinuityLink.CHAIN
    project = project_of(scene("sc1", shot(1), chained))
    [finding] = check_project(project)
    assert (finding.rule, finding.previous_number, finding.shot_number, finding.key) == (Rule.CHAIN_LOCATION, "1", "2", "chain")
    assert finding.message.startswith("shots 1→2: shot 2 is chained from shot 1's last frame but moves from Rosie's Diner to Main Street")


def test_a_chained_shot_in_the_same_place_or_a_cut_to_another_place_is_not_reported() -> None:
    same_place = shot(2)
    same_place.continuity = ContinuityLink.CHAIN
    assert check_project(project_of(scene("sc1", shot(1), same_place))) == []
    assert check_project(project_of(scene("sc1", shot(1), shot(2, location="street")))) == []


# --- accepting --------------------------------------------------------------------------------


def test_an_accepted_break_is_no_longer_reported_and_undo_reports_it_again() -> None:
    project = project_of(
        scene(
            "sc1",
            shot(1, cast("maya", L, wardrobe("red uniform"))),
            shot(2, cast("maya", L, wardrobe("grey coat"))),
            shot(3, cast("maya", L, wardrobe("blue dress"))),
        )
    )
    assert _reported(project) == [("wardrobe", "2", "1", "wardrobe:maya"), ("wardrobe", "3", "2", "wardrobe:maya")]
    history = History(project)
    history.execute(AcceptFinding("s2", "wardrobe:maya"))
    assert _reported(project) == [("wardrobe", "3", "2", "wardrobe:maya")]  # the same break elsewhere is still reported
    assert len(all_findings(project)) == 2
    history.undo()
    assert len(check_project(project)) == 2
    history.redo()
    history.execute(UnacceptFinding("s2", "wardrobe:maya"))
    assert len(check_project(project)) == 2
