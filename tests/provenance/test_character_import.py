"""Bringing a character with a likeness from another project: the media travel by content, the
embeddings stay behind, and the consent travels sealed; it covers the new project only when it
was given for all projects."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.moderation.check import ModerationRule, moderate
from pipeline.moderation.rules import ModerationRules
from pipeline.render.request_builder import build_request
from studio.character import Character
from studio.character_import import import_character
from studio.commands import AddCharacter, AddCharacterToShot, History
from studio.consent import ConsentScope, has_valid_consent, new_consent
from studio.errors import StudioError
from studio.frame_rate import FrameRate
from studio.media_store import MediaStore
from studio.project import Project, Sequence, VideoFormat
from studio.project_file import load_project, save_project
from studio.shot import CharacterInShot, Shot

CLIP_HASH = hashlib.sha256(b"consent clip").hexdigest()


def home_project(tmp_path: Path, scope: ConsentScope) -> tuple[Project, Path]:
    project = Project(title="Home", format=VideoFormat(32, 32, FrameRate(24)), characters=[Character(id="maya", name="MAYA", description="red coat")])
    folder = save_project(project, tmp_path / "Home.storyboard")
    store = MediaStore(folder)
    maya = project.character("maya")
    maya.reference_images = [store.add_bytes(b"maya's face", ".png"), store.add_bytes(b"maya's profile", ".png")]
    maya.voice_sample = store.add_bytes(b"RIFF maya", ".wav")
    maya.embeddings = {"ltx:reference": store.add_bytes(b"tensor", ".safetensors")}
    maya.likeness_consent = new_consent("Maya Lind", scope, "amber river", CLIP_HASH, project_id=project.id)
    save_project(project, folder)
    return project, folder


def new_project(tmp_path: Path, characters: list[Character] | None = None) -> tuple[Project, Path]:
    shot = Shot(id="s1", number="1", duration=5, description="Maya waits")
    project = Project(title="Sequel", format=VideoFormat(32, 32, FrameRate(24)), characters=characters or [], sequences=[Sequence(id="sq", name="1 INT. BAR", shots=[shot])])
    return project, save_project(project, tmp_path / "Sequel.storyboard")


def likeness_refusals(project: Project, folder: Path) -> list[str]:
    refusals = moderate(build_request(project, folder, project.shot("s1"), None), ModerationRules.load())
    return [r.reason for r in refusals if r.rule == ModerationRule.LIKENESS]


def cast(project: Project, imported: Character) -> None:
    history = History(project)
    history.execute(AddCharacter(imported))
    history.execute(AddCharacterToShot("s1", CharacterInShot(imported.id)))


def test_the_likeness_travels_by_content_and_the_embeddings_stay_behind(tmp_path):
    home, home_folder = home_project(tmp_path, ConsentScope.ALL_PROJECTS)
    sequel, folder = new_project(tmp_path)

    imported = import_character(home, home_folder, "maya", sequel, folder)

    maya = imported.character
    assert maya.name == "MAYA" and maya.description == "red coat" and maya.embeddings == {}
    assert maya.reference_images == home.character("maya").reference_images  # same content, same names
    store = MediaStore(folder)
    assert [store.resolve(r).read_bytes() for r in maya.reference_images] == [b"maya's face", b"maya's profile"]
    assert store.resolve(maya.voice_sample).read_bytes() == b"RIFF maya"
    assert home.character("maya").embeddings  # the source is untouched


def test_consent_to_all_projects_covers_the_new_project(tmp_path):
    home, home_folder = home_project(tmp_path, ConsentScope.ALL_PROJECTS)
    sequel, folder = new_project(tmp_path)
    imported = import_character(home, home_folder, "MAYA", sequel, folder)
    cast(sequel, imported.character)
    save_project(sequel, folder)

    loaded = load_project(folder)
    assert has_valid_consent(loaded.character("maya"), loaded.id)
    assert likeness_refusals(loaded, folder) == []
    assert imported.notes == ["MAYA's likeness comes with Maya Lind's consent to all projects"]


def test_project_only_consent_is_carried_but_refused_in_the_new_project_and_the_import_says_so(tmp_path):
    home, home_folder = home_project(tmp_path, ConsentScope.PROJECT)
    sequel, folder = new_project(tmp_path)
    imported = import_character(home, home_folder, "maya", sequel, folder)
    cast(sequel, imported.character)

    [note] = imported.notes
    assert "covers only 'Home'" in note and "generation refuses the likeness here" in note
    assert imported.character.likeness_consent == home.character("maya").likeness_consent  # sealed, unchanged
    [reason] = likeness_refusals(sequel, folder)
    assert "covers only the project it was recorded in" in reason


def test_a_name_the_project_has_a_missing_file_and_an_unknown_character_are_refused(tmp_path):
    home, home_folder = home_project(tmp_path, ConsentScope.ALL_PROJECTS)
    sequel, folder = new_project(tmp_path, [Character(id="m2", name="Maya")])
    with pytest.raises(StudioError, match="already has a character named MAYA"):
        import_character(home, home_folder, "maya", sequel, folder)

    other, other_folder = new_project(tmp_path / "b")
    with pytest.raises(StudioError, match="no character 'JOE' in 'Home'; its characters: MAYA"):
        import_character(home, home_folder, "JOE", other, other_folder)

    MediaStore(home_folder).resolve(home.character("maya").reference_images[1]).unlink()
    with pytest.raises(StudioError, match="MAYA's media/.*png is missing from .*relink it there"):
        import_character(home, home_folder, "maya", other, other_folder)
    assert other.characters == []


def test_an_id_the_project_already_uses_gets_a_new_one(tmp_path):
    home, home_folder = home_project(tmp_path, ConsentScope.ALL_PROJECTS)
    sequel, folder = new_project(tmp_path, [Character(id="maya", name="JOE")])
    imported = import_character(home, home_folder, "maya", sequel, folder)
    assert imported.character.id != "maya" and imported.character.name == "MAYA"


def test_studio_import_character_on_the_command_line(tmp_path, run_cli):
    home_project(tmp_path, ConsentScope.PROJECT)
    _, folder = new_project(tmp_path)

    done = run_cli("import-character", folder, tmp_path / "Home.storyboard", "maya")

    assert done.returncode == 0, done.stderr
    assert "imported MAYA from 'Home' with 2 reference image(s)" in done.stdout
    assert "studio: note: MAYA's consent by Maya Lind covers only 'Home'" in done.stdout
    assert [c.name for c in load_project(folder).characters] == ["MAYA"]
    again = run_cli("import-character", folder, tmp_path / "Home.storyboard", "maya")
    assert again.returncode == 2 and "already has a character named MAYA" in again.stderr
