"""The continuity text a shot is generated with: the same state always reads the same (so the render
cache hits), another state reads differently (so the shot re-renders), and it is part of the
shot's render inputs."""

from __future__ import annotations

from continuity_helpers import CL, L, R, cast, project_of, scene, shot

from studio.commands import AddTake
from studio.continuity.changes import Aspect, ChangeOp, ContinuityChange, picks_up, wardrobe
from studio.continuity.commands import AcceptFinding, AddContinuityChange
from studio.continuity.prompt import continuity_prompt, continuity_prompts
from studio.demo import demo_project
from studio.project import Project
from studio.render_inputs import shot_input_hash, shot_render_inputs, stale_shots
from studio.take import Take


def _render_all(project: Project) -> None:
    for s in list(project.shots()):
        AddTake(s.id, Take(id=f"{s.id}-t1", number=1, input_hash=shot_input_hash(project, s), backend="draft")).do(project)


def test_the_text_names_each_persons_state_the_place_and_the_scene() -> None:
    text = continuity_prompt(demo_project(), demo_project().shot("s08"))
    assert text == (
        "JONAH: wardrobe 'soaked grey raincoat'; holding 'chipped white mug'; condition 'soaked by the rain'. "
        "Rosie's Diner: night; weather 'rain outside'; lighting 'warm practical lights over the counter, neon spill through the windows'; "
        "props on set 'chipped white mug', 'coffee pot', 'pie display', 'small suitcase', 'wall clock'. "
        "Scene: axis 'across the counter from the window side: MAYA frame left, JONAH frame right'."
    )


def test_identical_state_gives_identical_text_whatever_order_it_was_logged_in() -> None:
    a = project_of(scene("sc1", shot(1, cast("maya", L, wardrobe("red"), picks_up("coffee pot"), picks_up("cloth")), cast("jonah", R, wardrobe("grey")))))
    b = project_of(scene("sc1", shot(1, cast("jonah", CL, wardrobe("grey")), cast("maya", R, picks_up("cloth"), wardrobe("red"), picks_up("coffee pot")))))
    assert continuity_prompt(a, a.shot("s1")) == continuity_prompt(b, b.shot("s1"))
    assert "holding 'cloth', 'coffee pot'" in continuity_prompt(a, a.shot("s1"))


def test_shots_with_nothing_changed_between_them_read_the_same_and_a_change_reads_differently() -> None:
    project = project_of(
        scene("sc1", shot(1, cast("maya", L, wardrobe("red"))), shot(2, cast("maya")), shot(3, cast("maya", L, wardrobe("grey", deliberate=True))))
    )
    first, second, third = (continuity_prompt(project, s) for s in project.shots())
    assert first == second
    assert third != second and "wardrobe 'grey'" in third and "'red'" not in third


def test_every_kind_of_state_changes_the_text() -> None:
    base = project_of(scene("sc1", shot(1, cast("maya"))))
    before = continuity_prompt(base, base.shot("s1"))
    changes = [
        ContinuityChange(Aspect.LIGHTING, "one bulb"),
        ContinuityChange(Aspect.WEATHER, "snow"),
        ContinuityChange(Aspect.TIME_OF_DAY, "dawn"),
        ContinuityChange(Aspect.PRACTICALS_ON, "neon sign", ChangeOp.ADD),
        ContinuityChange(Aspect.SET_DRESSING, "chairs on the tables", ChangeOp.ADD),
        ContinuityChange(Aspect.PROPS_PRESENT, "coffee pot", ChangeOp.REMOVE),
        ContinuityChange(Aspect.AXIS, "along the counter"),
        ContinuityChange(Aspect.PALETTE, "cold blue"),
    ]
    texts = {before}
    for change in changes:
        project = project_of(scene("sc1", shot(1, cast("maya"), changes=[change])))
        texts.add(continuity_prompt(project, project.shot("s1")))
    for change in [ContinuityChange(a, "x") for a in (Aspect.WARDROBE, Aspect.HAIR_MAKEUP, Aspect.CONDITION, Aspect.EMOTION, Aspect.EYELINE)] + [picks_up("x")]:
        project = project_of(scene("sc1", shot(1, cast("maya", L, change))))
        texts.add(continuity_prompt(project, project.shot("s1")))
    assert len(texts) == 1 + len(changes) + 6


def test_the_one_pass_texts_equal_the_one_shot_texts() -> None:
    project = demo_project()
    assert continuity_prompts(project) == {s.id: continuity_prompt(project, s) for s in project.shots()}


def test_the_continuity_text_is_part_of_the_render_inputs() -> None:
    project = demo_project()
    assert shot_render_inputs(project, project.shot("s06"))["continuity"] == continuity_prompt(project, project.shot("s06"))


def test_a_logged_change_makes_the_shots_that_show_it_stale_and_no_others() -> None:
    project = demo_project()
    _render_all(project)
    AddContinuityChange("s06", "maya", ContinuityChange(Aspect.CONDITION, "coffee stain on the apron")).do(project)
    # MAYA is seen from shot 6 on in shots 6, 9 and 10; the shots before 6 and those without her keep their takes.
    assert [s.number for s in stale_shots(project)] == ["6", "9", "10"]


def test_a_change_that_leaves_the_state_as_it_was_re_renders_nothing() -> None:
    project = demo_project()
    _render_all(project)
    AddContinuityChange("s09", "maya", wardrobe("red diner uniform")).do(project)  # she wears it already
    AddContinuityChange("s09", None, ContinuityChange(Aspect.PROPS_PRESENT, "wall clock", ChangeOp.ADD)).do(project)  # on set already
    assert stale_shots(project) == []


def test_accepting_a_break_re_renders_nothing() -> None:
    project = demo_project()
    _render_all(project)
    AcceptFinding("s05", "axis:jonah+maya").do(project)
    assert stale_shots(project) == []
