"""A shot's dialogue lines as speech: who says each line, in which voice, with which seed.

A line's seed comes from what is said and in which voice, not from the shot: the same line in the wide
and in the close-up (coverage) then gets the same neural reading, so an editor can cut between angles
on one performance, and re-rolling a shot's picture never changes its dialogue.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from pipeline.audio.espeak import EspeakNg, speakable_text
from pipeline.audio.scratch_voice import is_pronounceable
from pipeline.audio.speech.base import SpeechLine, SpokenLine
from pipeline.audio.speech.cast_voices import CastVoices
from pipeline.backends.base import ShotRenderRequest
from pipeline.progress import CancelToken
from studio.character import VoiceSettings
from studio.shot import DialogueLine


def line_seed(text: str, voice: VoiceSettings, parenthetical: str) -> int:
    payload = json.dumps({"text": text, "voice": asdict(voice), "parenthetical": parenthetical}, sort_keys=True, ensure_ascii=False)
    return int.from_bytes(hashlib.sha256(payload.encode("utf-8")).digest()[:4], "big") & 0x7FFF_FFFF


def speech_line(request: ShotRenderRequest, line: DialogueLine) -> SpeechLine:
    """The line as speech; a speaker missing from the shot's cast gets the default voice (the mix warns)."""
    character = request.character(line.character_id)
    voice = character.voice if character else VoiceSettings()
    speaker = (character.name if character else line.character_id).upper()
    return SpeechLine(line.text, voice, line.parenthetical, speaker, seed=line_seed(line.text, voice, line.parenthetical))


def dialogue_speech(
    request: ShotRenderRequest, lines: Sequence[DialogueLine], cache_dir: Path, espeak: EspeakNg, cancel: CancelToken, warnings: list[str]
) -> list[SpokenLine | None]:
    """Each line spoken in its character's voice, None for a line with nothing to pronounce (the mix
    reports those itself); fallback warnings are added to `warnings`, labelled with the shot."""
    voiced = [index for index, line in enumerate(lines) if is_pronounceable(speakable_text(line.text))]
    notes: list[str] = []
    spoken = CastVoices(cache_dir, espeak).speak([speech_line(request, lines[index]) for index in voiced], cancel, notes)
    warnings.extend(f"{request.label}: {note}" for note in notes if f"{request.label}: {note}" not in warnings)
    result: list[SpokenLine | None] = [None] * len(lines)
    for index, line in zip(voiced, spoken, strict=True):
        result[index] = line
    return result


def dialogue_audio(
    request: ShotRenderRequest, lines: Sequence[DialogueLine], cache_dir: Path, espeak: EspeakNg, cancel: CancelToken, warnings: list[str]
) -> list[np.ndarray]:
    """`dialogue_speech`'s audio only, empty for a line with nothing to pronounce: what the shot mix places."""
    return [spoken.audio if spoken else np.zeros(0, dtype=np.float32) for spoken in dialogue_speech(request, lines, cache_dir, espeak, cancel, warnings)]
