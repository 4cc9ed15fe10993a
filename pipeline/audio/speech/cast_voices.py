"""The cast's voices: each line spoken by its character's engine, the scratch voice standing in when a
neural voice cannot speak.

A neural line falls back to espeak-ng when the model is not on this machine, cannot be loaded, has no
such speaker, or cannot read the line's text. A warning names the character and the fix; the render
goes on, because a missing voice model must never cost a user their animatic.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from pipeline.audio.espeak import EspeakNg
from pipeline.audio.scratch_voice import ScratchVoices
from pipeline.audio.speech.base import SpeechError, SpeechLine, SpokenLine, check_pronounceable
from pipeline.audio.speech.espeak_speech import EspeakSpeech
from pipeline.audio.speech.neural import NeuralSpeech
from pipeline.audio.speech.vits_model import ResidentVoiceModels
from pipeline.audio.speech.voice_models import voice_model_label
from pipeline.progress import CancelToken
from studio.character import VoiceEngine

NEURAL_CACHE = "vits"  # beside the scratch lines in the voice cache


@functools.cache
def resident_voice_models() -> ResidentVoiceModels:
    """This process's resident VITS models, built on first use, not on import."""
    return ResidentVoiceModels()


class CastVoices:
    """Speaks lines in their characters' engines. Scratch lines go to espeak-ng together (in parallel,
    cached); neural lines go one by one to their resident model."""

    def __init__(self, cache_dir: Path, espeak: EspeakNg, *, models: ResidentVoiceModels | None = None, workers: int | None = None) -> None:
        self.cache_dir = cache_dir
        self.espeak = espeak
        self.models = models if models is not None else resident_voice_models()
        self.scratch = EspeakSpeech(ScratchVoices(cache_dir, espeak, workers=workers))

    def speak(self, lines: Sequence[SpeechLine], cancel: CancelToken, warnings: list[str]) -> list[SpokenLine]:
        """One SpokenLine per line, in order; raises UnspeakableLineError for a line with nothing to
        pronounce (whatever its engine), and appends each fallback's warning to `warnings` once."""
        for line in lines:
            check_pronounceable(line)
        spoken: list[SpokenLine | None] = [None] * len(lines)
        scratch: list[int] = []
        for index, line in enumerate(lines):
            if line.voice.engine is not VoiceEngine.VITS:
                scratch.append(index)
                continue
            cancel.raise_if_cancelled()
            try:
                model = self.models.model(line.voice.model)
                spoken[index] = NeuralSpeech(model, self.espeak, self.cache_dir / NEURAL_CACHE).speak_line(line)
            except SpeechError as error:
                note = f"{line.speaker} speaks with the espeak-ng scratch voice instead of the {voice_model_label(line.voice.model)} voice: {error}"
                if note not in warnings:
                    warnings.append(note)
                scratch.append(index)
        for index, line in zip(scratch, self.scratch.speak([lines[i] for i in scratch], cancel), strict=True):
            spoken[index] = line
        return [line for line in spoken if line is not None]
