"""Derived values of the document: durations, shot starts, world state, camera-move checks, lookups."""

from __future__ import annotations

import pytest

from studio.camera import CameraMove, CameraMoveType, Direction, Easing, ease
from studio.errors import EditError
from studio.location import TimeOfDay, WorldState, WorldStateOverride
from studio.project import Project, Sequence
from studio.shot import Shot
from studio.take import Take


def _three_shot_project() -> Project:
    return Project(
        title="Three",
        sequences=[
            Sequence(id="a", name="A", shots=[Shot(id="s1", number="1", duration=24), Shot(id="s2", number="2", duration=36)]),
            Sequence(id="empty", name="Empty"),
            Sequence(id="b", name="B", shots=[Shot(id="s3", number="3", duration=12)]),
        ],
    )


def test_project_duration_is_the_sum_of_its_shots_across_sequences() -> None:
    project = _three_shot_project()
    assert project.duration == 72
    assert [s.duration for s in project.sequences] == [60, 0, 12]


def test_shots_start_where_the_previous_shot_ends_across_sequences() -> None:
    assert _three_shot_project().shot_starts() == {"s1": 0, "s2": 24, "s3": 60}


def test_demo_runs_49_seconds_and_its_shots_tile_the_timeline(demo_project: Project) -> None:
    assert demo_project.duration == 49 * 24
    starts = demo_project.shot_starts()
    shots = list(demo_project.shots())
    for previous, shot in zip(shots, shots[1:], strict=False):
        assert starts[shot.id] == starts[previous.id] + previous.duration
    assert starts[shots[-1].id] + shots[-1].duration == demo_project.duration


def test_previous_shot_crosses_sequence_boundaries() -> None:
    project = _three_shot_project()
    assert project.previous_shot("s1") is None
    assert project.previous_shot("s3").id == "s2"
    with pytest.raises(EditError, match="no shot with id nope"):
        project.previous_shot("nope")


def test_world_state_is_the_location_state_with_the_shot_overrides_applied(demo_project: Project) -> None:
    diner = demo_project.location("diner")
    wide = demo_project.shot("s10")  # overrides only the lighting
    state = demo_project.world_state(wide)
    assert state.lighting == "counter lights only, the rest of the diner dimmed"
    assert (state.time_of_day, state.weather, state.palette, state.props) == (
        diner.world.time_of_day,
        diner.world.weather,
        diner.world.palette,
        diner.world.props,
    )
    assert diner.world.lighting != state.lighting  # the location itself is unchanged


def test_a_shot_without_overrides_sees_its_location_state_and_one_without_location_none(demo_project: Project) -> None:
    shot = demo_project.shot("s01")
    assert demo_project.world_state(shot) == demo_project.location("street").world
    shot.location_id = None
    assert demo_project.world_state(shot) is None


def test_override_fields_left_none_keep_the_base_and_empty_values_replace_it() -> None:
    base = WorldState(TimeOfDay.NIGHT, weather="rain", lighting="neon", palette=("#000",), props=("sign",))
    override = WorldStateOverride(time_of_day=TimeOfDay.DAWN, weather="", props=())
    assert override.apply_to(base) == WorldState(TimeOfDay.DAWN, weather="", lighting="neon", palette=("#000",), props=())
    assert WorldStateOverride().apply_to(base) == base


@pytest.mark.parametrize(
    "move",
    [
        CameraMove(),
        CameraMove(CameraMoveType.PAN, Direction.LEFT, 0.5),
        CameraMove(CameraMoveType.DOLLY_IN, Direction.IN, 3.0),
        CameraMove(CameraMoveType.ORBIT, Direction.RIGHT, 90.0),
        CameraMove(CameraMoveType.HANDHELD, Direction.NONE, 0.05, Easing.LINEAR),
    ],
)
def test_camera_moves_within_their_limits_have_no_problems(move: CameraMove) -> None:
    assert move.problems() == []


def test_camera_move_in_a_direction_it_cannot_go_names_the_allowed_ones() -> None:
    assert CameraMove(CameraMoveType.PAN, Direction.UP, 0.2).problems() == ["a pan moves left, right, not up"]
    assert CameraMove(CameraMoveType.STATIC, Direction.LEFT).problems() == ["a static moves none, not left"]


def test_camera_move_amount_out_of_range_names_the_limit_and_its_meaning() -> None:
    (problem,) = CameraMove(CameraMoveType.ORBIT, Direction.LEFT, 120.0).problems()
    assert problem == "orbit amount must be between 0 and 90.0 (degrees around the subject), got 120.0"
    (problem,) = CameraMove(CameraMoveType.ZOOM, Direction.IN, -0.1).problems()
    assert "between 0 and 3.0" in problem and "got -0.1" in problem


def test_camera_move_with_two_faults_reports_both() -> None:
    assert len(CameraMove(CameraMoveType.TILT, Direction.LEFT, 5.0).problems()) == 2


def test_every_demo_camera_move_can_be_rendered(demo_project: Project) -> None:
    assert {shot.number: shot.camera.problems() for shot in demo_project.shots() if shot.camera.problems()} == {}


@pytest.mark.parametrize("easing", list(Easing))
def test_easing_starts_at_rest_ends_at_the_target_and_never_goes_back(easing: Easing) -> None:
    values = [ease(easing, t / 20) for t in range(21)]
    assert values[0] == 0.0 and values[-1] == 1.0
    assert values == sorted(values)
    assert ease(easing, -1.0) == 0.0 and ease(easing, 2.0) == 1.0


def test_lookups_by_id_and_number_and_their_errors(demo_project: Project) -> None:
    assert demo_project.shot_by_number("7").id == "s07"
    assert demo_project.character("maya").name == "MAYA"
    assert demo_project.location("street").slug == "EXT. MAIN STREET - NIGHT"
    sequence, index = demo_project.locate_shot("s04")
    assert (sequence.id, index) == ("sc2", 1)
    for lookup, message in [
        (lambda: demo_project.shot("x"), "no shot with id x"),
        (lambda: demo_project.shot_by_number("99"), "no shot numbered 99"),
        (lambda: demo_project.sequence("x"), "no sequence with id x"),
        (lambda: demo_project.character("x"), "no character with id x"),
        (lambda: demo_project.location("x"), "no location with id x"),
    ]:
        with pytest.raises(EditError, match=message):
            lookup()


def test_media_references_name_every_path_and_its_user(demo_project: Project) -> None:
    shot = demo_project.shot("s03")
    shot.takes.append(Take(id="t1", number=1, input_hash="", backend="draft", video="media/v.mp4", thumbnail="media/t.jpg"))
    shot.panel = "media/panel.png"
    demo_project.character("maya").reference_images.append("media/maya.png")
    demo_project.location("diner").establishing_plate = "media/diner.png"
    assert sorted(demo_project.media_references()) == sorted(
        [
            ("media/maya.png", "character MAYA reference image"),
            ("media/diner.png", "location Rosie's Diner establishing plate"),
            ("media/panel.png", "shot 3 panel"),
            ("media/v.mp4", "shot 3 take T1"),
            ("media/t.jpg", "shot 3 take T1"),
        ]
    )


def test_active_take_and_next_take_number() -> None:
    shot = Shot(id="s", number="1", duration=10)
    assert shot.active_take is None and shot.next_take_number == 1
    shot.takes = [Take(id="a", number=1, input_hash="", backend="draft"), Take(id="b", number=4, input_hash="", backend="draft")]
    shot.active_take_id = "b"
    assert shot.active_take is shot.takes[1]
    assert shot.next_take_number == 5  # numbers are never reused, even after deletions
    with pytest.raises(KeyError):
        shot.take("c")
