"""The engine around a generation backend, on a tiny LTX-Video model: unchanged shots are never
generated again, a changed reference image re-renders exactly the shots its character is in, and
every generated take says how it was made."""

from __future__ import annotations

import hashlib
from pathlib import Path

import cv2
import numpy as np
import pytest

pytest.importorskip("diffusers", reason="the generation backends need diffusers")

from pipeline.backends import registry  # noqa: E402
from pipeline.backends.ltx.renderer import LtxRenderer  # noqa: E402
from pipeline.progress import CancelToken, no_progress  # noqa: E402
from pipeline.render.batch import BatchOptions, ShotOutcomeKind, render_batch  # noqa: E402
from studio.character import Character  # noqa: E402
from studio.commands import History, SetField  # noqa: E402
from studio.consent import ConsentScope, new_consent  # noqa: E402
from studio.frame_rate import FrameRate  # noqa: E402
from studio.media_store import MediaStore  # noqa: E402
from studio.project import Project, Sequence, StylePreset, VideoFormat  # noqa: E402
from studio.project_file import save_project  # noqa: E402
from studio.shot import CharacterInShot, Shot  # noqa: E402

CAST = {"s1": ["maya"], "s2": ["joe"], "s3": ["maya", "joe"], "s4": []}


def reference_image(folder: Path, seed: int) -> str:
    pixels = np.random.default_rng(seed).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    ok, data = cv2.imencode(".png", pixels)
    assert ok
    return MediaStore(folder).add_bytes(data.tobytes(), ".png")


@pytest.fixture
def project_and_folder(tmp_path: Path) -> tuple[Project, Path]:
    shots = [
        Shot(id=shot_id, number=shot_id[1:], duration=5, description=f"shot {shot_id}", characters=[CharacterInShot(c) for c in cast], seed=index)
        for index, (shot_id, cast) in enumerate(CAST.items(), start=1)
    ]
    project = Project(
        title="Cache",
        format=VideoFormat(32, 32, FrameRate(24)),
        style=StylePreset.CINEMATIC,
        characters=[Character(id="maya", name="MAYA", description="red coat"), Character(id="joe", name="JOE", description="blue coat")],
        sequences=[Sequence(id="sc1", name="1 INT. BAR - NIGHT", shots=shots)],
    )
    folder = save_project(project, tmp_path / "Cache.storyboard")
    project.character("maya").reference_images = [reference_image(folder, 1)]
    project.character("joe").reference_images = [reference_image(folder, 2)]
    for character in project.characters:  # a likeness is generated only with its person's recorded consent
        character.likeness_consent = new_consent(character.name, ConsentScope.PROJECT, "amber river", hashlib.sha256(character.id.encode()).hexdigest())
    return project, folder


def render_all(project: Project, folder: Path, history: History):
    report = render_batch(project, folder, BatchOptions(backend="ltx"), history.execute, no_progress, CancelToken())
    assert not report.failures, report.failures
    return report


def test_unchanged_shots_are_cache_hits_and_a_new_reference_image_re_renders_exactly_its_characters_shots(project_and_folder, tiny_ltx_dir, monkeypatch):
    project, folder = project_and_folder
    renderer = LtxRenderer(model_dir=tiny_ltx_dir, steps=1)
    monkeypatch.setitem(registry._FACTORIES, "ltx", lambda: renderer)  # noqa: SLF001 - one instance, so its calls can be counted
    history = History(project)

    render_all(project, folder, history)
    assert renderer.pipeline_calls == 4

    again = render_all(project, folder, history)
    assert renderer.pipeline_calls == 4, "nothing changed: no shot is generated again"
    assert again.count(ShotOutcomeKind.CACHED) == 4

    history.execute(SetField("character", "maya", "reference_images", [reference_image(folder, 3)]))
    changed = render_all(project, folder, history)
    rendered = {o.shot_id for o in changed.outcomes if o.kind is ShotOutcomeKind.RENDERED}
    assert rendered == {"s1", "s3"} and renderer.pipeline_calls == 6
    assert {o.shot_id for o in changed.outcomes if o.kind is ShotOutcomeKind.CACHED} == {"s2", "s4"}


def test_a_generated_take_records_model_pipeline_seed_steps_and_conditioning_hashes(project_and_folder, tiny_ltx_dir, monkeypatch):
    project, folder = project_and_folder
    renderer = LtxRenderer(model_dir=tiny_ltx_dir, steps=1)
    monkeypatch.setitem(registry._FACTORIES, "ltx", lambda: renderer)  # noqa: SLF001
    render_all(project, folder, History(project))
    take = project.shot("s3").active_take
    assert take is not None and take.model_id == tiny_ltx_dir.name
    record = take.provenance
    assert (record["pipeline_class"], record["seed"], record["steps"]) == ("LTXConditionPipeline", "3", "1")
    assert {"input:prompt", "input:character:maya", "input:character:joe"} <= set(record)
    assert take.settings["model"] == record["model_fingerprint"] and take.settings["steps"] == "1"
    assert project.shot("s1").active_take.provenance["input:character:maya"] == record["input:character:maya"]

    renderer.steps = 2  # a setting that changes the pixels makes every take out of date
    report = render_batch(project, folder, BatchOptions(backend="ltx"), History(project).execute, no_progress, CancelToken())
    assert report.count(ShotOutcomeKind.RENDERED) == 4


def test_what_a_backend_could_not_do_reaches_the_renders_warnings_and_the_takes_provenance(project_and_folder, tiny_ltx_dir, monkeypatch):
    project, folder = project_and_folder
    renderer = LtxRenderer(model_dir=tiny_ltx_dir, steps=1)
    monkeypatch.setitem(registry._FACTORIES, "ltx", lambda: renderer)  # noqa: SLF001
    report = render_batch(project, folder, BatchOptions(backend="ltx", shot_ids=["s1"]), History(project).execute, no_progress, CancelToken())
    (warning,) = [w for w in report.warnings if "reference images" in w]
    assert warning.startswith("shot 1: the ltx backend cannot take reference images") and "use wan or animatediff" in warning
    assert warning in project.shot("s1").active_take.provenance["notes"]
