"""Each edit command: what it does to the document, that undo puts everything back, that redo
does it again, and that a refused edit changes nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from studio.camera import CameraMove, CameraMoveType, Direction
from studio.character import Character
from studio.commands import (
    AddCharacter,
    AddCharacterToShot,
    AddLocation,
    AddSequence,
    AddShot,
    AddTake,
    Command,
    DuplicateShot,
    MoveShot,
    RemoveCharacter,
    RemoveCharacterFromShot,
    RemoveLocation,
    RemoveSequence,
    RemoveShot,
    RemoveTake,
    RenumberShots,
    SetActiveTake,
    SetField,
    SplitShot,
)
from studio.errors import EditError
from studio.location import Location, TimeOfDay, WorldState
from studio.project import Project, Sequence
from studio.project_file import integrity_problem
from studio.shot import CharacterInShot, ScreenPosition, Shot, TransitionType
from studio.take import Take


def _take(take_id: str, number: int = 1) -> Take:
    return Take(id=take_id, number=number, input_hash="0" * 64, backend="draft", video=f"media/{take_id}.mp4")


def _ids(project: Project, sequence_id: str) -> list[str]:
    return [s.id for s in project.sequence(sequence_id).shots]


def _expect(condition: Callable[[Project], bool]) -> Callable[[Project], None]:
    """A check made of one condition on the project."""

    def check(project: Project) -> None:
        assert condition(project)

    return check


def _do_undo_redo(project: Project, command: Command, check: Callable[[Project], None]) -> None:
    """do → check, undo → exactly the start, do again (redo) → check again; the project stays valid throughout."""
    before = copy.deepcopy(project)
    command.do(project)
    check(project)
    assert project != before
    assert integrity_problem(project) is None
    command.undo(project)
    assert project == before
    command.do(project)
    check(project)


def test_add_shot_inserts_it_and_ripples_the_shots_after(demo_project: Project) -> None:
    start_of_s02 = demo_project.shot_starts()["s02"]

    def check(p: Project) -> None:
        assert _ids(p, "sc1") == ["s01", "new", "s02"]
        assert p.shot_starts()["s02"] == start_of_s02 + 30

    _do_undo_redo(demo_project, AddShot("sc1", 1, Shot(id="new", number="1A", duration=30)), check)


def test_remove_shot_closes_the_gap(demo_project: Project) -> None:
    starts, removed = demo_project.shot_starts(), demo_project.shot("s02").duration

    def check(p: Project) -> None:
        assert "s02" not in p.shot_starts()
        assert p.shot_starts()["s03"] == starts["s03"] - removed
        assert p.duration == demo_project.duration

    _do_undo_redo(demo_project, RemoveShot("s02"), check)


def test_move_shot_to_another_sequence(demo_project: Project) -> None:
    def check(p: Project) -> None:
        assert _ids(p, "sc1") == ["s02"]
        assert _ids(p, "sc2")[:2] == ["s01", "s03"]

    _do_undo_redo(demo_project, MoveShot("s01", "sc2", 0), check)


def test_move_shot_to_the_end_of_its_own_sequence(demo_project: Project) -> None:
    def check(p: Project) -> None:
        assert _ids(p, "sc2") == ["s04", "s05", "s06", "s07", "s08", "s09", "s10", "s03"]

    _do_undo_redo(demo_project, MoveShot("s03", "sc2", 7), check)


def test_split_shot_keeps_the_takes_on_the_head_and_moves_later_lines_to_the_tail(demo_project: Project) -> None:
    shot = demo_project.shot("s04")  # 120 frames, MAYA speaks at frame 48
    shot.takes.append(_take("t1"))
    shot.active_take_id = "t1"

    def check(p: Project) -> None:
        head, tail = p.shot("s04"), p.shot("s04b")
        assert _ids(p, "sc2")[:3] == ["s03", "s04", "s04b"]
        assert (head.duration, tail.duration) == (30, 90)
        assert head.dialogue == [] and [(d.text, d.start) for d in tail.dialogue] == [("Kitchen closes in ten minutes.", 18)]
        assert [t.id for t in head.takes] == ["t1"] and head.active_take_id == "t1"
        assert tail.takes == [] and tail.active_take_id is None
        assert tail.number == "4A" and tail.transition.type is TransitionType.CUT
        assert tail.characters == head.characters and tail.camera == head.camera

    _do_undo_redo(demo_project, SplitShot("s04", 30, "s04b", "4A"), check)


def test_split_shot_keeps_sound_cues_that_start_in_the_head(demo_project: Project) -> None:
    def check(p: Project) -> None:
        head, tail = p.shot("s03"), p.shot("s03b")  # cues at frame 0 (ambience) and 72 (door bell)
        assert [c.description for c in head.sound_cues] == ["diner room tone, fridge hum"]
        assert [(c.description, c.start) for c in tail.sound_cues] == [("door bell rings", 12)]

    _do_undo_redo(demo_project, SplitShot("s03", 60, "s03b", "3A"), check)


def test_duplicate_shot_copies_it_after_itself_without_takes(demo_project: Project) -> None:
    demo_project.shot("s05").takes.append(_take("t1"))
    demo_project.shot("s05").active_take_id = "t1"

    def check(p: Project) -> None:
        original, copy_ = p.shot("s05"), p.shot("s05b")
        assert _ids(p, "sc2").index("s05b") == _ids(p, "sc2").index("s05") + 1
        assert copy_.number == "5A" and copy_.takes == [] and copy_.active_take_id is None
        assert (copy_.description, copy_.dialogue, copy_.camera) == (original.description, original.dialogue, original.camera)
        assert copy_.characters is not original.characters

    _do_undo_redo(demo_project, DuplicateShot("s05", "s05b", "5A"), check)


def test_renumber_numbers_every_shot_in_timeline_order(demo_project: Project) -> None:
    demo_project.shot("s02").number = "1A"

    def check(p: Project) -> None:
        assert [s.number for s in p.shots()] == [str(n) for n in range(101, 112)]

    _do_undo_redo(demo_project, RenumberShots(start=101), check)


def test_add_and_remove_a_character_who_does_not_speak(demo_project: Project) -> None:
    cook = Character(id="cook", name="COOK")
    _do_undo_redo(demo_project, AddCharacter(cook), _expect(lambda p: p.character("cook") is cook))
    AddCharacterToShot("s03", CharacterInShot("cook", ScreenPosition.LEFT, "through the hatch")).do(demo_project)
    AddCharacterToShot("s07", CharacterInShot("cook")).do(demo_project)

    def check(p: Project) -> None:
        assert [c.id for c in p.characters] == ["maya", "jonah"]
        assert all(c.character_id != "cook" for s in p.shots() for c in s.characters)
        assert [c.character_id for c in p.shot("s03").characters] == ["maya"]

    _do_undo_redo(demo_project, RemoveCharacter("cook"), check)


def test_add_and_remove_a_character_in_one_shot(demo_project: Project) -> None:
    def added(p: Project) -> None:
        assert [(c.character_id, c.action) for c in p.shot("s07").characters] == [("maya", "pours")]

    _do_undo_redo(demo_project, AddCharacterToShot("s07", CharacterInShot("maya", action="pours")), added)

    def removed(p: Project) -> None:
        assert [c.character_id for c in p.shot("s09").characters] == ["jonah"]

    _do_undo_redo(demo_project, RemoveCharacterFromShot("s09", "maya"), removed)


def test_add_and_remove_an_unused_location(demo_project: Project) -> None:
    roof = Location(id="roof", name="Roof", interior=False, world=WorldState(TimeOfDay.DAWN))
    _do_undo_redo(demo_project, AddLocation(roof), _expect(lambda p: p.location("roof") is roof))
    _do_undo_redo(demo_project, RemoveLocation("roof"), _expect(lambda p: [loc.id for loc in p.locations] == ["street", "diner"]))


@pytest.mark.parametrize(
    ("target", "target_id", "name", "value"),
    [
        ("shot", "s01", "description", "Dry street at dawn."),
        ("shot", "s01", "duration", 48),
        ("shot", "s01", "camera", CameraMove(CameraMoveType.PAN, Direction.LEFT, 0.5)),
        ("shot", "s01", "location_id", "diner"),
        ("shot", "s01", "characters", [CharacterInShot("maya")]),
        ("sequence", "sc1", "name", "1 EXT. STREET - DAWN"),
        ("project", None, "title", "First Order"),
        ("character", "maya", "description", "younger, blue uniform"),
        ("location", "diner", "world", WorldState(TimeOfDay.DAWN)),
    ],
)
def test_set_field_changes_one_value_and_undo_restores_it(demo_project: Project, target: str, target_id: str | None, name: str, value: object) -> None:
    def check(p: Project) -> None:
        obj = {"shot": p.shot, "sequence": p.sequence, "character": p.character, "location": p.location}[target](target_id) if target_id else p
        assert getattr(obj, name) == value

    _do_undo_redo(demo_project, SetField(target, target_id, name, value), check)


def test_set_field_keeps_its_own_copy_of_a_list_value(demo_project: Project) -> None:
    cast = [CharacterInShot("maya")]
    command = SetField("shot", "s01", "characters", cast)
    cast.append(CharacterInShot("jonah"))  # the caller's later change does not reach the document
    command.do(demo_project)
    assert demo_project.shot("s01").characters == [CharacterInShot("maya")]


def test_trimming_a_shot_ripples_every_later_start(demo_project: Project) -> None:
    starts = demo_project.shot_starts()
    SetField("shot", "s02", "duration", demo_project.shot("s02").duration + 12).do(demo_project)
    after = demo_project.shot_starts()
    assert after["s02"] == starts["s02"]
    assert all(after[i] == starts[i] + 12 for i in list(starts)[2:])


@pytest.mark.parametrize(
    ("target", "name", "value"),
    [
        ("shot", "duration", 0),
        ("shot", "duration", -5),
        ("shot", "duration", 2.5),
        ("shot", "duration", True),
        ("shot", "duration", "ten"),
        ("shot", "id", "x"),
        ("shot", "takes", []),
        ("shot", "active_take_id", None),
        ("shot", "no_such_field", 1),
        ("project", "sequences", []),
        ("project", "characters", []),
        ("sequence", "shots", []),
    ],
)
def test_set_field_refuses_values_and_fields_it_must_not_set(target: str, name: str, value: object) -> None:
    with pytest.raises(EditError):
        SetField(target, "s01", name, value)


def test_add_take_makes_it_active_and_undo_brings_back_the_old_active_take(demo_project: Project) -> None:
    AddTake("s01", _take("t1")).do(demo_project)

    def check(p: Project) -> None:
        assert [t.id for t in p.shot("s01").takes] == ["t1", "t2"] and p.shot("s01").active_take_id == "t2"

    _do_undo_redo(demo_project, AddTake("s01", _take("t2", 2)), check)


def test_add_take_without_making_it_active(demo_project: Project) -> None:
    AddTake("s01", _take("t1")).do(demo_project)
    _do_undo_redo(
        demo_project,
        AddTake("s01", _take("t2", 2), make_active=False),
        _expect(lambda p: p.shot("s01").active_take_id == "t1" and len(p.shot("s01").takes) == 2),
    )
    assert demo_project.shot("s01").active_take_id == "t1"


def test_choosing_a_take_and_choosing_none(demo_project: Project) -> None:
    AddTake("s01", _take("t1")).do(demo_project)
    AddTake("s01", _take("t2", 2)).do(demo_project)

    def first(p: Project) -> None:
        assert p.shot("s01").active_take_id == "t1"

    _do_undo_redo(demo_project, SetActiveTake("s01", "t1"), first)
    _do_undo_redo(demo_project, SetActiveTake("s01", None), _expect(lambda p: p.shot("s01").active_take is None))


def test_removing_the_active_take_activates_the_last_remaining_one(demo_project: Project) -> None:
    for n in (1, 2, 3):
        AddTake("s01", _take(f"t{n}", n)).do(demo_project)
    SetActiveTake("s01", "t2").do(demo_project)

    def check(p: Project) -> None:
        assert [t.id for t in p.shot("s01").takes] == ["t1", "t3"] and p.shot("s01").active_take_id == "t3"

    _do_undo_redo(demo_project, RemoveTake("s01", "t2"), check)
    RemoveTake("s01", "t1").do(demo_project)
    RemoveTake("s01", "t3").do(demo_project)
    assert demo_project.shot("s01").active_take_id is None


def test_add_and_remove_sequences(demo_project: Project) -> None:
    def added(p: Project) -> None:
        assert [s.id for s in p.sequences] == ["sc1", "new", "sc2", "sc3"]

    _do_undo_redo(demo_project, AddSequence(1, Sequence(id="new", name="1A")), added)

    def removed(p: Project) -> None:
        assert [s.id for s in p.sequences] == ["sc1", "new", "sc3"]
        assert "s05" not in p.shot_starts()

    _do_undo_redo(demo_project, RemoveSequence("sc2"), removed)


# Each refused edit, made on the demo after shot 1 got take t1.
REFUSALS: dict[str, Callable[[], Command]] = {
    "shot id in use": lambda: AddShot("sc1", 0, Shot(id="s05", number="0", duration=10)),
    "insert past the end": lambda: AddShot("sc1", 3, Shot(id="new", number="0", duration=10)),
    "remove unknown shot": lambda: RemoveShot("nope"),
    "move past the end": lambda: MoveShot("s01", "sc1", 2),
    "move into unknown sequence": lambda: MoveShot("s01", "nope", 0),
    "split at the first frame": lambda: SplitShot("s01", 0, "new", "1A"),
    "split at the last frame": lambda: SplitShot("s01", 120, "new", "1A"),
    "split onto an id in use": lambda: SplitShot("s01", 10, "s02", "1A"),
    "split onto its own id": lambda: SplitShot("s01", 10, "s01", "1A"),
    "duplicate unknown shot": lambda: DuplicateShot("nope", "new", "1A"),
    "duplicate onto an id in use": lambda: DuplicateShot("s05", "s01", "5A"),
    "duplicate onto its own id": lambda: DuplicateShot("s05", "s05", "5A"),
    "character id in use": lambda: AddCharacter(Character(id="maya", name="MAYA 2")),
    "remove a character who speaks": lambda: RemoveCharacter("maya"),
    "remove unknown character": lambda: RemoveCharacter("nope"),
    "cast twice in one shot": lambda: AddCharacterToShot("s04", CharacterInShot("maya")),
    "cast unknown character": lambda: AddCharacterToShot("s01", CharacterInShot("nope")),
    "uncast a character not in the shot": lambda: RemoveCharacterFromShot("s01", "maya"),
    "location id in use": lambda: AddLocation(Location(id="diner", name="Other")),
    "remove a location in use": lambda: RemoveLocation("diner"),
    "take id in use": lambda: AddTake("s01", _take("t1")),
    "choose unknown take": lambda: SetActiveTake("s01", "nope"),
    "remove unknown take": lambda: RemoveTake("s01", "nope"),
    "sequence id in use": lambda: AddSequence(0, Sequence(id="sc1", name="x")),
    "sequence past the end": lambda: AddSequence(9, Sequence(id="new", name="x")),
    "remove unknown sequence": lambda: RemoveSequence("nope"),
    "set a field of an unknown shot": lambda: SetField("shot", "nope", "description", "x"),
    "set a shot field without an id": lambda: SetField("shot", None, "description", "x"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_refused_edit_raises_edit_error_and_changes_nothing(demo_project: Project, case: str) -> None:
    AddTake("s01", _take("t1")).do(demo_project)
    before = copy.deepcopy(demo_project)
    with pytest.raises(EditError):
        REFUSALS[case]().do(demo_project)
    assert demo_project == before
