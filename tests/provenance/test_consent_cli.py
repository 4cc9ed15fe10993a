"""`studio consent`: grant, show and revoke a character's likeness consent from the command line."""

from __future__ import annotations

from studio.media_store import MediaStore
from studio.project_file import load_project, save_project


def test_consent_grant_show_and_revoke_from_the_command_line(tmp_path, demo_project, run_cli):
    character = demo_project.characters[0]
    folder = save_project(demo_project, tmp_path / "Demo.storyboard")
    character.reference_images = [MediaStore(folder).add_bytes(b"a face", ".png")]
    save_project(demo_project, folder)
    clip = tmp_path / "consent.mp4"
    clip.write_bytes(b"clip bytes")

    shown = run_cli("consent", "show", folder)
    assert shown.returncode == 0 and f"{character.name}'s likeness (reference images) has no recorded consent" in shown.stdout

    granted = run_cli("consent", "grant", folder, character.name, "--person", "Ana Ruiz", "--phrase", "amber river", "--clip", clip)
    assert granted.returncode == 0, granted.stderr
    assert load_project(folder).character(character.id).likeness_consent.person == "Ana Ruiz"

    revoked = run_cli("consent", "revoke", folder, character.id)
    assert revoked.returncode == 0, revoked.stderr
    assert load_project(folder).character(character.id).likeness_consent.revoked

    missing = run_cli("consent", "grant", folder, "Nobody", "--person", "X", "--phrase", "p", "--clip", clip)
    assert missing.returncode == 2 and "no character 'Nobody'" in missing.stderr
