"""A neural voice that cannot speak (model missing, pickled, wrong speaker) never stops a render: the line
is spoken by the character's scratch voice and a warning names the character and the fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sound_helpers import MAYA, THEO, shot_request

from pipeline.audio.espeak import EspeakNg
from pipeline.audio.scratch_voice import ScratchLine, ScratchVoices
from pipeline.audio.shot_mix import render_shot_sound
from pipeline.audio.speech import CastVoices, EspeakSpeech, ResidentVoiceModels, SpeechLine, UnspeakableLineError
from pipeline.progress import CancelToken
from studio.character import Character, VoiceEngine, VoiceSettings
from studio.shot import DialogueLine

LINE = "Kitchen closes at nine."


def vits_maya(model: str | None) -> Character:
    return Character(id="maya", name="Maya", voice=VoiceSettings("en-us+f3", 75, 165, engine=VoiceEngine.VITS, model=model))


def scratch_audio(tmp_path: Path, voice: VoiceSettings, text: str = LINE) -> np.ndarray:
    return ScratchVoices(tmp_path / "reference-cache", EspeakNg()).audio(ScratchLine(text, voice))


def test_a_missing_voice_model_folder_falls_back_to_the_scratch_voice_with_a_warning(tmp_path: Path) -> None:
    missing = tmp_path / "voices" / "maya-vits"
    request = shot_request(
        200, dialogue=[DialogueLine("maya", LINE, start=0), DialogueLine("maya", "Last orders.", start=80)], characters=(vits_maya(str(missing)), THEO)
    )
    report = render_shot_sound(request, tmp_path / "mix.wav", tmp_path / "voice-cache", CancelToken())

    [warning] = report.warnings  # once per character and problem, not once per line
    assert warning.startswith("shot 4: MAYA speaks with the espeak-ng scratch voice instead of the maya-vits voice")
    assert (
        f"voice model folder {missing} does not exist" in warning
        and "point the voice model at a VITS model folder, or use vits-ljs (1 voice) or vits-vctk (109 voices)" in warning
    )
    start, end = report.dialogue_spans[0]
    assert end - start == scratch_audio(tmp_path, vits_maya(None).voice).size  # Maya's own scratch voice: en-us+f3, pitch 75


def test_a_voice_model_key_not_downloaded_says_how_to_download_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("huggingface_hub")
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "empty-hf-cache"))  # whatever this machine has cached
    warnings: list[str] = []
    [spoken] = CastVoices(tmp_path / "cache", EspeakNg(), models=ResidentVoiceModels()).speak(
        [SpeechLine(LINE, vits_maya("vits-vctk").voice, "", "MAYA", 1)], CancelToken(), warnings
    )
    assert spoken.engine == "espeak" and spoken.audio.size > 0 and spoken.timings is None
    [warning] = warnings
    assert warning.startswith("MAYA speaks with the espeak-ng scratch voice instead of the vits-vctk voice: voice model vits-vctk")
    assert "is not on this machine; download it with `huggingface-cli download kakao-enterprise/vits-vctk --revision refs/pr/1" in warning


def test_a_folder_with_only_pickled_weights_is_never_loaded(tmp_path: Path) -> None:
    folder = tmp_path / "pickled"
    folder.mkdir()
    (folder / "config.json").write_text('{"model_type": "vits"}', encoding="utf-8")
    (folder / "vocab.json").write_text('{"_": 0}', encoding="utf-8")
    (folder / "pytorch_model.bin").write_bytes(b"not loaded")
    warnings: list[str] = []
    [spoken] = CastVoices(tmp_path / "cache", EspeakNg(), models=ResidentVoiceModels()).speak(
        [SpeechLine(LINE, vits_maya(str(folder)).voice, "", "MAYA", 1)], CancelToken(), warnings
    )
    assert spoken.engine == "espeak"
    assert "has no model.safetensors (it has only pickled weights, which are never loaded because they can run code)" in warnings[0]


def test_a_speaker_the_model_does_not_have_falls_back_naming_the_character(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    from tiny_tts import build_tiny_vits

    folder = build_tiny_vits(tmp_path / "tiny-vits")
    voice = VoiceSettings(engine=VoiceEngine.VITS, model=str(folder), speaker=3)
    warnings: list[str] = []
    [spoken] = CastVoices(tmp_path / "cache", EspeakNg(), models=ResidentVoiceModels()).speak([SpeechLine(LINE, voice, "", "THEO", 1)], CancelToken(), warnings)
    assert spoken.engine == "espeak"
    assert warnings == [
        "THEO speaks with the espeak-ng scratch voice instead of the tiny-vits voice: "
        "THEO's voice asks for speaker 3, but the voice model tiny-vits has 1 voice; set the speaker to 0"
    ]


def test_scratch_and_neural_characters_keep_their_line_order(tmp_path: Path) -> None:
    lines = [
        SpeechLine("One.", THEO.voice, "", "THEO", 1),
        SpeechLine("Two, three.", vits_maya(str(tmp_path / "absent")).voice, "", "MAYA", 2),
        SpeechLine("Four five six seven.", THEO.voice, "", "THEO", 3),
    ]
    spoken = CastVoices(tmp_path / "cache", EspeakNg(), models=ResidentVoiceModels()).speak(lines, CancelToken(), [])
    expected = [scratch_audio(tmp_path, line.voice, line.text).size for line in lines]
    assert [s.audio.size for s in spoken] == expected


def test_the_scratch_voice_refuses_a_line_with_nothing_to_pronounce_naming_the_character(tmp_path: Path) -> None:
    with pytest.raises(UnspeakableLineError, match=r"MAYA's line '…' has nothing to pronounce"):
        EspeakSpeech(ScratchVoices(tmp_path, EspeakNg())).speak([SpeechLine("…", MAYA.voice, "", "MAYA")], CancelToken())
    with pytest.raises(UnspeakableLineError, match=r"THEO's line \(empty\) has nothing to pronounce"):
        CastVoices(tmp_path, EspeakNg(), models=ResidentVoiceModels()).speak([SpeechLine("  ", THEO.voice, "", "THEO")], CancelToken(), [])


def test_importing_the_speech_package_loads_neither_torch_nor_transformers() -> None:
    code = (
        "import sys, pipeline.audio.speech, pipeline.audio.speech.shot_dialogue, pipeline.audio.shot_mix; "
        "print(sorted(m for m in ('torch', 'transformers', 'huggingface_hub') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.strip() == "[]"
