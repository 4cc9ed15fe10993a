"""Speech: dialogue lines in each character's voice, by one of two engines behind one interface.

- `base`: the SpeechBackend protocol, the line in (SpeechLine) and out (SpokenLine, with timings where
  known), and the errors.
- `espeak_speech`: EspeakSpeech, the espeak-ng scratch voice (always available; no timings).
- `neural`: NeuralSpeech, a local VITS model (transformers' VitsModel) with phoneme and word timings;
  `vits_model` loads and runs the model, `voice_models` finds its folder, `phonemes` reads text as IPA,
  `timings` turns the model's token durations into phoneme and word timings.
- `cast_voices`: routes each line to its character's engine, falling back to the scratch voice.
- `shot_dialogue`: a shot's dialogue lines as speech, for the shot mix.

Importing this package loads neither torch nor transformers; only running a neural line does.
"""

from pipeline.audio.speech.base import (
    LineTimings,
    SpeechBackend,
    SpeechError,
    SpeechLine,
    SpokenLine,
    TimedUnit,
    UnspeakableLineError,
    VoiceModelError,
)
from pipeline.audio.speech.cast_voices import CastVoices
from pipeline.audio.speech.espeak_speech import EspeakSpeech
from pipeline.audio.speech.neural import NeuralSpeech
from pipeline.audio.speech.vits_model import ResidentVoiceModels, VitsVoiceModel

__all__ = [
    "CastVoices",
    "EspeakSpeech",
    "LineTimings",
    "NeuralSpeech",
    "ResidentVoiceModels",
    "SpeechBackend",
    "SpeechError",
    "SpeechLine",
    "SpokenLine",
    "TimedUnit",
    "UnspeakableLineError",
    "VitsVoiceModel",
    "VoiceModelError",
]
