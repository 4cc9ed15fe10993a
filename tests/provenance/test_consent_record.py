"""Consent to a likeness: it survives save and load, a hand-edited record fails its integrity check
and counts as no consent, and revoking it locks the likeness (embeddings gone, takes flagged)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipeline.moderation.likeness import delete_likeness_embeddings, likeness_cache_keys
from studio.character import Character
from studio.commands import History
from studio.commands.consent import GrantConsent, RevokeConsent, revoked_likenesses
from studio.consent import ConsentScope, consent_problem, has_valid_consent, new_consent, tampered_consents
from studio.errors import EditError
from studio.frame_rate import FrameRate
from studio.media_store import MediaStore
from studio.project import Project, Sequence, StylePreset, VideoFormat
from studio.project_file import load_project, save_project
from studio.shot import CharacterInShot, Shot
from studio.take import Take

CLIP_HASH = hashlib.sha256(b"consent clip").hexdigest()


def consent(person: str = "Maya Lind"):
    return new_consent(person, ConsentScope.PROJECT, "amber river falcon quill", CLIP_HASH, granted="2026-11-25T10:00:00Z")


def project_with_likeness(tmp_path: Path) -> tuple[Project, Path]:
    takes = [
        Take(id="t1", number=1, input_hash="x", backend="ltx", provenance={"input:character:maya": "abc"}),
        Take(id="t2", number=2, input_hash="y", backend="ltx", provenance={"input:character:joe": "def"}),
    ]
    shot = Shot(id="s1", number="1", duration=5, description="Maya waits", characters=[CharacterInShot("maya")], takes=takes, active_take_id="t1")
    project = Project(
        title="Consent",
        format=VideoFormat(32, 32, FrameRate(24)),
        style=StylePreset.CINEMATIC,
        characters=[Character(id="maya", name="MAYA"), Character(id="joe", name="JOE")],
        sequences=[Sequence(id="sc1", name="1 INT. BAR", shots=[shot])],
    )
    folder = save_project(project, tmp_path / "Consent.storyboard")
    project.character("maya").reference_images = [MediaStore(folder).add_bytes(b"maya's face", ".png")]
    return project, folder


def test_consent_survives_save_and_load(tmp_path):
    project, folder = project_with_likeness(tmp_path)
    History(project).execute(GrantConsent("maya", consent()))
    save_project(project, folder)

    loaded = load_project(folder).character("maya")

    assert loaded.likeness_consent == project.character("maya").likeness_consent
    assert loaded.likeness_consent.scope is ConsentScope.PROJECT
    assert has_valid_consent(loaded) and consent_problem(loaded) is None


def test_a_hand_edited_consent_record_fails_its_check_and_counts_as_no_consent(tmp_path):
    project, folder = project_with_likeness(tmp_path)
    History(project).execute(GrantConsent("maya", consent()))
    save_project(project, folder)
    file = folder / "project.json"
    document = json.loads(file.read_text())
    record = next(c for c in document["project"]["characters"] if c["id"] == "maya")["likeness_consent"]
    record["scope"] = "all_projects"  # widened by hand, integrity hash left as it was
    file.write_text(json.dumps(document))

    loaded = load_project(folder)
    maya = loaded.character("maya")

    assert not has_valid_consent(maya)
    assert "MAYA" in consent_problem(maya) and "integrity" in consent_problem(maya)
    assert tampered_consents(loaded.characters) and "MAYA" in tampered_consents(loaded.characters)[0]


def test_a_version_1_character_loads_without_consent(tmp_path):
    project, folder = project_with_likeness(tmp_path)
    save_project(project, folder)
    file = folder / "project.json"
    document = json.loads(file.read_text())
    for character in document["project"]["characters"]:
        character["schema"] = "Character.1"
        del character["likeness_consent"]
    file.write_text(json.dumps(document))

    loaded = load_project(folder)

    assert loaded.character("maya").likeness_consent is None
    assert "no recorded consent" in consent_problem(loaded.character("maya"))
    assert consent_problem(loaded.character("joe")) is None  # no reference images: no likeness to consent to


def test_granting_is_undoable_and_refuses_an_unsealed_record(tmp_path):
    project, _ = project_with_likeness(tmp_path)
    history = History(project)
    history.execute(GrantConsent("maya", consent()))
    history.undo()
    assert project.character("maya").likeness_consent is None
    with pytest.raises(EditError, match="not sealed"):
        history.execute(GrantConsent("maya", consent().__class__(**{**consent().__dict__, "integrity": ""})))


def test_revoking_removes_embeddings_and_flags_the_takes_that_used_the_likeness(tmp_path):
    project, folder = project_with_likeness(tmp_path)
    maya = project.character("maya")
    history = History(project)
    history.execute(GrantConsent("maya", consent()))
    maya.embeddings = {"ltx:reference": "media/ab/embed.safetensors"}
    keys = likeness_cache_keys(maya, folder)
    cached = [folder / "cache" / "embeddings" / "wan-x" / "vace-reference-32x32" / f"{key}.safetensors" for key in keys]
    other = folder / "cache" / "embeddings" / "wan-x" / "umt5-prompt-226" / "prompt.safetensors"
    for path in [*cached, other]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"tensors")

    history.execute(RevokeConsent("maya", when="2026-11-25T12:00:00Z"))
    removed = delete_likeness_embeddings(maya, folder)

    assert maya.likeness_consent.revoked and maya.likeness_consent.intact
    assert "revoked" in consent_problem(maya)
    assert maya.embeddings == {}
    assert sorted(removed) == sorted(cached) and not any(p.exists() for p in cached) and other.exists()
    shot = project.shot("s1")
    assert revoked_likenesses(shot.take("t1").provenance) == ["maya"]
    assert revoked_likenesses(shot.take("t2").provenance) == []

    history.undo()
    assert has_valid_consent(maya) and maya.embeddings == {"ltx:reference": "media/ab/embed.safetensors"}
    assert revoked_likenesses(shot.take("t1").provenance) == []


def test_revoking_without_consent_is_refused(tmp_path):
    project, _ = project_with_likeness(tmp_path)
    with pytest.raises(EditError, match="MAYA has no recorded consent"):
        History(project).execute(RevokeConsent("maya"))
