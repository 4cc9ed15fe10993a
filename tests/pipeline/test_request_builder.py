"""The request a backend sees carries the continuity ledger: the world in force at the shot (changes
logged earlier in the scene, then the shot's own override) and the continuity text to prompt with."""

from __future__ import annotations

from pipeline.render.request_builder import build_request
from studio.character import Character
from studio.continuity.changes import Aspect, ContinuityChange, picks_up
from studio.continuity.prompt import continuity_prompt
from studio.location import Location, TimeOfDay, WorldState, WorldStateOverride
from studio.project import Project, Sequence
from studio.shot import CharacterInShot, Shot


def _project() -> Project:
    shots = [Shot(id=f"s{n}", number=str(n), duration=24, location_id="diner", characters=[CharacterInShot("maya")]) for n in range(1, 7)]
    shots[2].continuity_changes = [ContinuityChange(Aspect.LIGHTING, "one bare bulb"), ContinuityChange(Aspect.WEATHER, "storm")]
    shots[1].characters = [CharacterInShot("maya", changes=(picks_up("coffee pot"),))]
    return Project(
        title="Requests",
        characters=[Character(id="maya", name="MAYA")],
        locations=[Location(id="diner", name="Rosie's Diner", world=WorldState(TimeOfDay.NIGHT, "rain outside", "warm practicals", props=("coffee pot",)))],
        sequences=[Sequence(id="sc1", name="1 INT. ROSIE'S DINER - NIGHT", shots=shots[:5]), Sequence(id="sc2", name="2", shots=shots[5:])],
    )


def test_a_lighting_change_logged_earlier_in_the_scene_is_in_the_requests_world(tmp_path):
    project = _project()
    world = build_request(project, tmp_path, project.shot("s5")).world
    assert (world.lighting, world.weather, world.time_of_day) == ("one bare bulb", "storm", TimeOfDay.NIGHT)
    assert build_request(project, tmp_path, project.shot("s2")).world.lighting == "warm practicals"  # before the change


def test_a_new_scene_starts_from_the_locations_own_world(tmp_path):
    project = _project()
    assert build_request(project, tmp_path, project.shot("s6")).world == project.location("diner").world


def test_the_shots_override_applies_on_top_of_the_ledger(tmp_path):
    project = _project()
    project.shot("s5").world_override = WorldStateOverride(time_of_day=TimeOfDay.DAWN)
    world = build_request(project, tmp_path, project.shot("s5")).world
    assert (world.lighting, world.time_of_day) == ("one bare bulb", TimeOfDay.DAWN)


def test_the_request_carries_the_shots_continuity_text(tmp_path):
    project = _project()
    for shot in project.shots():
        request = build_request(project, tmp_path, shot)
        assert request.continuity_text == continuity_prompt(project, shot)
    text = build_request(project, tmp_path, project.shot("s5")).continuity_text
    assert "'one bare bulb'" in text and "holding 'coffee pot'" in text
