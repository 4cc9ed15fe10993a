"""Property: any sequence of edits, undone to the end, gives back the project it started from;
redone to the end, gives the same project the edits made. Edits that are refused change nothing,
and the document stays valid (saveable) after every accepted edit."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.camera import CameraMove, CameraMoveType, Direction, Easing
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
    History,
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
from studio.demo import demo_project
from studio.errors import EditError
from studio.location import Location, TimeOfDay, WorldState
from studio.project import Project, Sequence, StylePreset
from studio.project_file import integrity_problem
from studio.shot import CharacterInShot, ContinuityLink, DialogueLine, ScreenPosition, Shot, ShotSize, SoundCue, SoundCueKind
from studio.take import Take

# Small pools of new ids, some of them already in the demo, so that collisions get tried too.
NEW_SHOT_IDS = ["n1", "n2", "n3", "n4", "s01", "s05"]
NEW_SEQUENCE_IDS = ["q1", "q2", "sc1"]
NEW_CHARACTER_IDS = ["cook", "driver", "maya"]
NEW_LOCATION_IDS = ["roof", "bus", "diner"]
NEW_TAKE_IDS = ["k1", "k2", "k3"]
UNKNOWN = "nope"

KINDS = [
    "add_shot",
    "remove_shot",
    "move_shot",
    "split_shot",
    "duplicate_shot",
    "set_shot_field",
    "set_other_field",
    "add_character",
    "remove_character",
    "cast",
    "uncast",
    "renumber",
    "add_take",
    "choose_take",
    "remove_take",
    "add_sequence",
    "remove_sequence",
    "add_location",
    "remove_location",
]

camera_moves = st.builds(CameraMove, st.sampled_from(CameraMoveType), st.sampled_from(Direction), st.floats(0, 2, allow_nan=False), st.sampled_from(Easing))


def _draw_command(data: st.DataObject, project: Project) -> Command:
    draw = data.draw
    shot_ids = [s.id for s in project.shots()] + [UNKNOWN]
    sequence_ids = [s.id for s in project.sequences] + [UNKNOWN]
    character_ids = [c.id for c in project.characters]
    location_ids = [loc.id for loc in project.locations]
    kind = draw(st.sampled_from(KINDS))

    def shot_id() -> str:
        return draw(st.sampled_from(shot_ids))

    def new_number() -> str:
        return draw(st.sampled_from(["1A", "5B", "12", "99"]))

    if kind == "add_shot":
        sequence_id = draw(st.sampled_from(sequence_ids))
        size = len(project.sequence(sequence_id).shots) if sequence_id != UNKNOWN else 0
        cast = (
            [CharacterInShot(c, draw(st.sampled_from(ScreenPosition))) for c in draw(st.lists(st.sampled_from(character_ids), unique=True, max_size=2))]
            if character_ids
            else []
        )
        shot = Shot(
            id=draw(st.sampled_from(NEW_SHOT_IDS)),
            number=new_number(),
            duration=draw(st.integers(1, 200)),
            description=draw(st.text(max_size=10)),
            size=draw(st.sampled_from(ShotSize)),
            characters=cast,
            location_id=draw(st.none() | st.sampled_from(location_ids)) if location_ids else None,
        )
        return AddShot(sequence_id, draw(st.integers(0, size + 1)), shot)
    if kind == "remove_shot":
        return RemoveShot(shot_id())
    if kind == "move_shot":
        sequence_id = draw(st.sampled_from(sequence_ids))
        size = len(project.sequence(sequence_id).shots) if sequence_id != UNKNOWN else 0
        return MoveShot(shot_id(), sequence_id, draw(st.integers(0, size)))
    if kind == "split_shot":
        target = shot_id()
        duration = project.shot(target).duration if target != UNKNOWN else 10
        return SplitShot(target, draw(st.integers(0, duration)), draw(st.sampled_from(NEW_SHOT_IDS)), new_number())
    if kind == "duplicate_shot":
        return DuplicateShot(shot_id(), draw(st.sampled_from(NEW_SHOT_IDS)), new_number())
    if kind == "set_shot_field":
        name, value = draw(
            st.sampled_from(
                ["description", "duration", "camera", "size", "lens_mm", "location_id", "continuity", "dialogue", "sound_cues", "seed", "notes"]
            ).flatmap(
                lambda field: st.tuples(
                    st.just(field),
                    {
                        "description": st.text(max_size=20),
                        "duration": st.integers(-2, 300),  # 0 and below are refused
                        "camera": camera_moves,
                        "size": st.sampled_from(ShotSize),
                        "lens_mm": st.floats(8, 300),
                        "location_id": st.none() | st.sampled_from(location_ids) if location_ids else st.none(),
                        "continuity": st.sampled_from(ContinuityLink),
                        "dialogue": st.lists(st.builds(DialogueLine, st.sampled_from(character_ids), st.text(max_size=10), st.integers(0, 100)), max_size=2)
                        if character_ids
                        else st.just([]),
                        "sound_cues": st.lists(st.builds(SoundCue, st.sampled_from(SoundCueKind), st.text(max_size=10), st.integers(0, 100)), max_size=2),
                        "seed": st.integers(0, 2**31),
                        "notes": st.text(max_size=10),
                    }[field],
                )
            )
        )
        return SetField("shot", shot_id(), name, value)
    if kind == "set_other_field":
        choices = [("project", None, "title", st.text(max_size=10)), ("project", None, "style", st.sampled_from(StylePreset))]
        choices += [("sequence", draw(st.sampled_from(sequence_ids)), "name", st.text(max_size=10))]
        if character_ids:
            choices += [("character", draw(st.sampled_from(character_ids)), "description", st.text(max_size=10))]
        if location_ids:
            choices += [("location", draw(st.sampled_from(location_ids)), "world", st.builds(WorldState, st.sampled_from(TimeOfDay), st.text(max_size=5)))]
        target, target_id, name, values = draw(st.sampled_from(choices))
        return SetField(target, target_id, name, draw(values))
    if kind == "add_character":
        character_id = draw(st.sampled_from(NEW_CHARACTER_IDS))
        return AddCharacter(Character(id=character_id, name=character_id.upper(), description=draw(st.text(max_size=10))))
    if kind == "remove_character":
        return RemoveCharacter(draw(st.sampled_from([*character_ids, UNKNOWN])))
    if kind == "cast":
        return AddCharacterToShot(shot_id(), CharacterInShot(draw(st.sampled_from([*character_ids, UNKNOWN])), draw(st.sampled_from(ScreenPosition))))
    if kind == "uncast":
        return RemoveCharacterFromShot(shot_id(), draw(st.sampled_from([*character_ids, UNKNOWN])))
    if kind == "renumber":
        return RenumberShots(start=draw(st.integers(1, 3)))
    if kind in ("add_take", "choose_take", "remove_take"):
        target = shot_id()
        take_ids = [t.id for t in project.shot(target).takes] if target != UNKNOWN else []
        if kind == "add_take":
            take_id = draw(st.sampled_from(NEW_TAKE_IDS))
            take = Take(
                id=take_id,
                number=draw(st.integers(1, 9)),
                input_hash=draw(st.sampled_from(["a" * 64, "b" * 64])),
                backend="draft",
                video=f"media/{take_id}.mp4",
            )
            return AddTake(target, take, make_active=draw(st.booleans()))
        if kind == "choose_take":
            return SetActiveTake(target, draw(st.sampled_from([*take_ids, None, UNKNOWN])))
        return RemoveTake(target, draw(st.sampled_from([*take_ids, UNKNOWN])))
    if kind == "add_sequence":
        return AddSequence(draw(st.integers(0, len(project.sequences) + 1)), Sequence(id=draw(st.sampled_from(NEW_SEQUENCE_IDS)), name="new"))
    if kind == "remove_sequence":
        return RemoveSequence(draw(st.sampled_from(sequence_ids)))
    if kind == "add_location":
        return AddLocation(Location(id=draw(st.sampled_from(NEW_LOCATION_IDS)), name="new place"))
    assert kind == "remove_location"
    return RemoveLocation(draw(st.sampled_from([*location_ids, UNKNOWN])))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), steps=st.integers(1, 25))
def test_any_edits_undone_restore_the_start_and_redone_restore_the_result(data: st.DataObject, steps: int) -> None:
    project = demo_project()
    start = copy.deepcopy(project)
    history = History(project)
    applied = 0
    for _ in range(steps):
        before = copy.deepcopy(project)
        try:
            command = _draw_command(data, project)
            history.execute(command)
        except EditError:
            assert project == before  # a refused edit changes nothing
            continue
        applied += 1
        assert integrity_problem(project) is None, f"{command!r} left the project unsaveable"
    after = copy.deepcopy(project)

    undone = 0
    while history.undo() is not None:
        undone += 1
    assert undone == applied
    assert project == start
    assert not history.is_modified

    while history.redo() is not None:
        pass
    assert project == after
    assert history.is_modified == (applied > 0)
