"""A character's voice engine in project.json: saved and loaded, and espeak-ng for voices saved before
there was a choice (VoiceSettings.1)."""

from __future__ import annotations

import json
from pathlib import Path

from studio.character import Character, VoiceEngine, VoiceSettings
from studio.project import Project
from studio.project_file import PROJECT_FILE, load_project, save_project


def _saved(tmp_path: Path, voice: VoiceSettings) -> Path:
    project = Project(title="P", characters=[Character(id="maya", name="Maya", voice=voice)])
    return save_project(project, tmp_path / "P.storyboard")


def test_a_neural_voice_survives_save_and_load(tmp_path: Path) -> None:
    voice = VoiceSettings("en-us+f3", 70, 170, engine=VoiceEngine.VITS, model="vits-vctk", speaker=42)
    folder = _saved(tmp_path, voice)
    assert load_project(folder).character("maya").voice == voice
    assert b'"VoiceSettings.2"' in (folder / PROJECT_FILE).read_bytes()


def test_a_voice_from_before_the_engine_choice_opens_as_the_scratch_voice(tmp_path: Path) -> None:
    folder = _saved(tmp_path, VoiceSettings("en-gb+m3", 40, 150))
    file = folder / PROJECT_FILE
    document = json.loads(file.read_text(encoding="utf-8"))
    voice = document["project"]["characters"][0]["voice"]
    voice["schema"] = "VoiceSettings.1"
    for name in ("engine", "model", "speaker"):
        del voice[name]
    file.write_text(json.dumps(document), encoding="utf-8")
    assert load_project(folder).character("maya").voice == VoiceSettings("en-gb+m3", 40, 150, engine=VoiceEngine.ESPEAK, model=None, speaker=0)
