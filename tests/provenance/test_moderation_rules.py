"""Moderation before generation: each rule refuses with a reason naming what it found and the fix;
the rules are plain-text files; a draft render is never moderated."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from pipeline.backends import registry
from pipeline.backends.base import ShotRenderRequest
from pipeline.moderation import ModerationRule, ModerationRules, moderate
from pipeline.progress import CancelToken, no_progress
from pipeline.render.batch import BatchOptions, ShotOutcomeKind, render_batch
from pipeline.render.request_builder import build_request
from studio.character import Character
from studio.commands import History
from studio.commands.consent import GrantConsent
from studio.consent import ConsentScope, new_consent
from studio.frame_rate import FrameRate
from studio.media_store import MediaStore
from studio.project import Project, Sequence, StylePreset, VideoFormat
from studio.project_file import save_project
from studio.shot import CharacterInShot, Shot

CLIP_HASH = hashlib.sha256(b"consent clip").hexdigest()


class FakeGenerator:
    """A generation backend (GenerationRenderer) that paints grey frames."""

    name = "fake-gen"
    version = "1"

    def render_frames(self, request: ShotRenderRequest, progress, cancel) -> Iterator[np.ndarray]:
        for _ in range(request.frame_count):
            yield np.full((request.height, request.width, 3), 128, np.uint8)

    def render_settings(self) -> dict[str, str]:
        return {"model": "fake"}

    def take_provenance(self, request: ShotRenderRequest) -> dict[str, str]:
        return {f"input:character:{c.id}": "hash" for c in request.characters}

    def take_notes(self, request: ShotRenderRequest) -> list[str]:
        return []


def make_project(tmp_path: Path, description: str, likeness: bool = False) -> tuple[Project, Path]:
    shot = Shot(id="s1", number="1", duration=3, description=description, characters=[CharacterInShot("maya")])
    project = Project(
        title="Moderation",
        format=VideoFormat(32, 32, FrameRate(24)),
        style=StylePreset.CINEMATIC,
        characters=[Character(id="maya", name="MAYA", description="red coat")],
        sequences=[Sequence(id="sc1", name="1 INT. BAR", shots=[shot])],
    )
    folder = save_project(project, tmp_path / "Moderation.storyboard")
    if likeness:
        project.character("maya").reference_images = [MediaStore(folder).add_bytes(b"maya's face", ".png")]
    return project, folder


def grant(project: Project, person: str = "Maya Lind") -> None:
    History(project).execute(GrantConsent("maya", new_consent(person, ConsentScope.PROJECT, "amber river", CLIP_HASH)))


def refusals(project: Project, folder: Path):
    return moderate(build_request(project, folder, project.shot("s1"), None), ModerationRules.load())


@pytest.fixture
def fake_generator(monkeypatch):
    monkeypatch.setitem(registry._FACTORIES, "fake-gen", FakeGenerator)  # noqa: SLF001


def test_an_ordinary_shot_passes(tmp_path):
    project, folder = make_project(tmp_path, "Maya waits at the bar, a child plays outside")
    assert refusals(project, folder) == []


def test_sexual_content_involving_a_minor_is_refused(tmp_path):
    project, folder = make_project(tmp_path, "a naked child")
    found = refusals(project, folder)
    assert [r.rule for r in found] == [ModerationRule.MINORS]
    assert "minor" in found[0].reason


def test_sexual_content_alone_is_not_refused_by_the_minors_rule(tmp_path):
    project, folder = make_project(tmp_path, "a nude figure study of an adult model")
    assert refusals(project, folder) == []


def test_a_public_figure_named_without_a_consented_likeness_is_refused(tmp_path):
    project, folder = make_project(tmp_path, "Barack  obama walks into the bar")
    found = refusals(project, folder)
    assert [r.rule for r in found] == [ModerationRule.PUBLIC_FIGURE]
    assert "Barack Obama" in found[0].reason and "remove the name" in found[0].reason


def test_a_public_figure_with_their_own_consented_likeness_passes(tmp_path):
    project, folder = make_project(tmp_path, "Barack Obama walks into the bar", likeness=True)
    grant(project, person="Barack Obama")
    assert refusals(project, folder) == []


def test_a_likeness_without_consent_is_refused_naming_the_character_and_the_fix(tmp_path):
    project, folder = make_project(tmp_path, "Maya waits", likeness=True)
    found = refusals(project, folder)
    assert [r.rule for r in found] == [ModerationRule.LIKENESS]
    assert "MAYA" in found[0].reason and "studio consent grant" in found[0].reason


def test_rules_are_read_from_the_files_the_user_can_edit(tmp_path):
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "minors.txt").write_text("# comment\nminor\n")
    (rules_dir / "sexual.txt").write_text("explicit\n")
    (rules_dir / "public_figures.txt").write_text("Ada Lovelace\n")
    rules = ModerationRules.load(rules_dir)
    assert rules.figures_in("ada lovelace at work") == ["Ada Lovelace"]
    assert rules.minors_in("a minor scene") == ["minor"] and rules.minors_in("minority") == []


def test_a_generation_from_a_likeness_without_consent_is_refused_and_logged(tmp_path, fake_generator):
    project, folder = make_project(tmp_path, "Maya waits", likeness=True)
    history = History(project)

    report = render_batch(project, folder, BatchOptions(backend="fake-gen"), history.execute, no_progress, CancelToken())

    assert report.count(ShotOutcomeKind.FAILED) == 1
    message = report.failures["s1"]
    assert message.startswith("shot 1: generation refused") and "MAYA" in message and "studio consent grant" in message
    assert project.shot("s1").takes == []
    entries = [json.loads(line) for line in (folder / "cache" / "moderation.jsonl").read_text().splitlines()]
    assert [(e["shot"], e["rule"], e["backend"]) for e in entries] == [("1", "likeness_without_consent", "fake-gen")]


def test_with_consent_the_likeness_renders(tmp_path, fake_generator):
    project, folder = make_project(tmp_path, "Maya waits", likeness=True)
    grant(project)
    history = History(project)

    report = render_batch(project, folder, BatchOptions(backend="fake-gen"), history.execute, no_progress, CancelToken())

    assert report.failures == {}
    assert report.count(ShotOutcomeKind.RENDERED) == 1
    assert "input:character:maya" in project.shot("s1").takes[0].provenance


def test_a_draft_render_is_not_moderated(tmp_path):
    project, folder = make_project(tmp_path, "Barack Obama and a naked child", likeness=True)

    report = render_batch(project, folder, BatchOptions(backend="draft"), History(project).execute, no_progress, CancelToken())

    assert report.failures == {}
    assert report.count(ShotOutcomeKind.RENDERED) == 1
    assert not (folder / "cache" / "moderation.jsonl").exists()
