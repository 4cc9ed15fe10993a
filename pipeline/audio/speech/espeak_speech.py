"""The scratch voice as a speech engine: espeak-ng through ScratchVoices, with its disk cache and one
process per core. Always available, so it is also where every other engine falls back to.

espeak-ng's command line reports no phoneme timings, so lines come back without timings.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.audio.scratch_voice import ScratchLine, ScratchVoices
from pipeline.audio.speech.base import SpeechLine, SpokenLine, check_pronounceable
from pipeline.progress import CancelToken

ESPEAK = "espeak"


class EspeakSpeech:
    """SpeechBackend over ScratchVoices; safe to use from several threads, as ScratchVoices is."""

    engine = ESPEAK

    def __init__(self, voices: ScratchVoices) -> None:
        self.voices = voices

    def speak(self, lines: Sequence[SpeechLine], cancel: CancelToken) -> list[SpokenLine]:
        for line in lines:
            check_pronounceable(line)
        # The seed and speaker name do not change espeak-ng's sound, so lines differing only in them are
        # still synthesized once (ScratchVoices merges identical ScratchLines).
        audios = self.voices.audio_many([ScratchLine(line.text, line.voice, line.parenthetical) for line in lines], cancel)
        return [SpokenLine(audio=audio, engine=ESPEAK) for audio in audios]
