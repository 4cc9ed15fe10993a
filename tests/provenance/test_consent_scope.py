"""Consent scope: project-only consent covers the project it was recorded in and no other; consent
to all projects covers any; the binding is sealed; older files load with their records intact."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

from pipeline.moderation.check import ModerationRule, moderate
from pipeline.moderation.rules import ModerationRules
from pipeline.render.request_builder import build_request
from studio.character import Character
from studio.consent import ConsentRecord, ConsentScope, consent_problem, has_valid_consent, new_consent
from studio.frame_rate import FrameRate
from studio.media_store import MediaStore
from studio.project import Project, Sequence, VideoFormat
from studio.project_file import load_project, save_project
from studio.shot import CharacterInShot, Shot

CLIP_HASH = hashlib.sha256(b"consent clip").hexdigest()


def project_with_cameo(tmp_path: Path, name: str, scope: ConsentScope | None = None, consent_from: Project | None = None) -> tuple[Project, Path]:
    """A one-shot project casting MAYA with a likeness; her consent recorded in `consent_from` (default: this project)."""
    shot = Shot(id="s1", number="1", duration=5, description="Maya waits", characters=[CharacterInShot("maya")])
    project = Project(
        title=name,
        format=VideoFormat(32, 32, FrameRate(24)),
        characters=[Character(id="maya", name="MAYA")],
        sequences=[Sequence(id="sc1", name="1 INT. BAR", shots=[shot])],
    )
    folder = save_project(project, tmp_path / f"{name}.storyboard")
    maya = project.character("maya")
    maya.reference_images = [MediaStore(folder).add_bytes(b"maya's face", ".png")]
    if scope is not None:
        maya.likeness_consent = new_consent("Maya Lind", scope, "amber river", CLIP_HASH, project_id=(consent_from or project).id)
    save_project(project, folder)
    return project, folder


def likeness_refusals(project: Project, folder: Path) -> list[str]:
    refusals = moderate(build_request(project, folder, project.shot("s1"), None), ModerationRules.load())
    return [r.reason for r in refusals if r.rule == ModerationRule.LIKENESS]


def test_new_projects_have_distinct_ids_that_survive_save_and_load(tmp_path):
    first, folder = project_with_cameo(tmp_path, "First")
    second, _ = project_with_cameo(tmp_path, "Second")
    assert first.id != second.id and len(first.id) == 32
    assert load_project(folder).id == first.id


def test_project_only_consent_covers_its_own_project(tmp_path):
    project, folder = project_with_cameo(tmp_path, "Own", ConsentScope.PROJECT)
    record = project.character("maya").likeness_consent
    assert record.project_id == project.id and record.intact
    loaded = load_project(folder)
    assert has_valid_consent(loaded.character("maya"), loaded.id)
    assert likeness_refusals(loaded, folder) == []


def test_project_only_consent_does_not_cover_another_project(tmp_path):
    home, _ = project_with_cameo(tmp_path, "Home")
    elsewhere, folder = project_with_cameo(tmp_path, "Elsewhere", ConsentScope.PROJECT, consent_from=home)

    maya = elsewhere.character("maya")
    assert not has_valid_consent(maya, elsewhere.id)
    problem = consent_problem(maya, elsewhere.id)
    assert "covers only the project it was recorded in" in problem and "Maya Lind" in problem
    [reason] = likeness_refusals(elsewhere, folder)
    assert "MAYA" in reason and "covers only the project" in reason


def test_consent_to_all_projects_covers_another_project(tmp_path):
    home, _ = project_with_cameo(tmp_path, "Home")
    elsewhere, folder = project_with_cameo(tmp_path, "Elsewhere", ConsentScope.ALL_PROJECTS, consent_from=home)
    assert elsewhere.character("maya").likeness_consent.project_id is None
    assert has_valid_consent(elsewhere.character("maya"), elsewhere.id)
    assert likeness_refusals(elsewhere, folder) == []


def test_rebinding_a_consent_to_another_project_by_hand_breaks_its_seal(tmp_path):
    home, _ = project_with_cameo(tmp_path, "Home")
    elsewhere, folder = project_with_cameo(tmp_path, "Elsewhere", ConsentScope.PROJECT, consent_from=home)
    path = folder / "project.json"
    path.write_text(path.read_text(encoding="utf-8").replace(home.id, elsewhere.id), encoding="utf-8")

    loaded = load_project(folder)
    record = loaded.character("maya").likeness_consent
    assert record.project_id == loaded.id and not record.intact
    assert "integrity" in consent_problem(loaded.character("maya"), loaded.id)


def test_version_one_consent_and_version_two_project_load_intact(tmp_path):
    """A file from before project ids: the project gets an id, the unbound consent keeps its seal."""
    project, folder = project_with_cameo(tmp_path, "Old")
    old_record = new_consent("Maya Lind", ConsentScope.PROJECT, "amber river", CLIP_HASH)  # unbound, as version 1 sealed it
    project.character("maya").likeness_consent = old_record
    save_project(project, folder)
    data = json.loads((folder / "project.json").read_text(encoding="utf-8"))

    def downgrade(node):
        if isinstance(node, dict):
            if node.get("schema") == "ConsentRecord.2":
                node["schema"] = "ConsentRecord.1"
                node.pop("project_id")
            elif node.get("schema") == "Project.3":
                node["schema"] = "Project.2"
                node.pop("id")
            elif node.get("schema") == "Character.3":
                node["schema"] = "Character.2"
                node.pop("voice_sample")
            for value in node.values():
                downgrade(value)
        elif isinstance(node, list):
            for value in node:
                downgrade(value)

    old = copy.deepcopy(data)
    downgrade(old)
    assert "Project.2" in json.dumps(old) and "ConsentRecord.1" in json.dumps(old)
    (folder / "project.json").write_text(json.dumps(old), encoding="utf-8")

    loaded = load_project(folder)
    record: ConsentRecord = loaded.character("maya").likeness_consent
    assert record == old_record and record.intact and record.project_id is None
    assert has_valid_consent(loaded.character("maya"), loaded.id)
    assert len(loaded.id) == 32 and loaded.character("maya").voice_sample is None
    save_project(loaded, folder)
    assert load_project(folder).id == loaded.id  # the fresh id is kept from the first save on
