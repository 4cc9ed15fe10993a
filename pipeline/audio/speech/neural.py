"""Neural speech: a character's lines read by a local VITS model, at the mix rate, with phoneme timings.

A parenthetical's delivery becomes the model's controls: pace from the character's words per minute
times the delivery's speed (160 wpm is the model's natural pace), sampling noise from the delivery's
variation (a whisper adds breath: more noise), and a level. VITS has no pitch input, so the character's
pitch and a delivery's pitch shift leave a neural voice as it is; a multi-speaker model's `speaker`
is what tells characters apart.

Each line is levelled to the scratch voice's loudness before its delivery's gain, so a neural character
and an espeak-ng one sit together in a mix and whispering stays quieter than shouting for any model.
Lines are cached on disk like scratch lines, keyed by everything that changes the sound, so a picture
edit never re-runs the model and a line served from the cache never loads it.
"""

from __future__ import annotations

import hashlib
import json
import wave
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from pipeline.audio.espeak import EspeakNg
from pipeline.audio.pcm import MIX_RATE, fade_edges, read_mono_wav, resample, soft_limit, to_int16, write_mono_wav
from pipeline.audio.scratch_voice import Delivery
from pipeline.audio.speech.base import LineTimings, SpeechError, SpeechLine, SpokenLine, TimedUnit, UnspeakableLineError, check_pronounceable, quote
from pipeline.audio.speech.phonemes import ipa_phonemes
from pipeline.audio.speech.timings import is_sound, shifted, token_timings
from pipeline.audio.speech.vits_model import RawSpeech, VitsControls, VitsVoiceModel
from pipeline.progress import CancelToken
from studio.atomic_file import write_bytes_atomically
from studio.character import VoiceSettings

VITS = "vits"
NATURAL_WPM = 160  # the words per minute a VITS model's own pace stands for
WHISPER_BREATH = 1.5  # extra sampling noise for a whisper: a VITS voice cannot unvoice, but it can get airier
WHISPER_LEVEL = 0.6  # on top of the delivery's loudness: a voiced model whispering is still louder than espeak-ng's whisper variant
TARGET_RMS = 0.09  # about espeak-ng's level for a normal line, so engines sit together in a mix
_PEAK_CEILING = 0.9  # before the delivery's gain: a normal line never reaches the limiter
_ONSET_THRESHOLD = 0.02  # of the line's peak, as for scratch lines: keeps a soft onset, drops the model's silence
_PRE_ROLL_S, _TAIL_S, _FADE_S = 0.002, 0.04, 0.005
_CACHE_FORMAT = 1


def vits_controls(voice: VoiceSettings, delivery: Delivery) -> VitsControls:
    breath = WHISPER_BREATH if delivery.whisper else 1.0
    return VitsControls(
        speaking_rate=_clamp(voice.words_per_minute / NATURAL_WPM * delivery.speed, 0.5, 2.0),
        noise=_clamp(delivery.variation * breath, 0.2, 2.0),
        duration_noise=_clamp(delivery.variation, 0.2, 2.0),
    )


def delivery_gain(delivery: Delivery) -> float:
    return delivery.loudness * (WHISPER_LEVEL if delivery.whisper else 1.0)


class NeuralSpeech:
    """SpeechBackend over one resident VitsVoiceModel, with an optional disk cache."""

    engine = VITS

    def __init__(self, model: VitsVoiceModel, espeak: EspeakNg, cache_dir: Path | None = None) -> None:
        self.model = model
        self.espeak = espeak  # reads text as phonemes for phoneme models
        self.cache_dir = cache_dir

    def speak(self, lines: Sequence[SpeechLine], cancel: CancelToken) -> list[SpokenLine]:
        spoken = []
        for line in lines:
            cancel.raise_if_cancelled()
            spoken.append(self.speak_line(line))
        return spoken

    def speak_line(self, line: SpeechLine) -> SpokenLine:
        text = check_pronounceable(line)
        speaker = self._speaker(line)
        controls = vits_controls(line.voice, line.delivery)
        gain = delivery_gain(line.delivery)
        path = self._cache_path(text, speaker, controls, gain, line.seed)
        if path is not None and (cached := _read_cached(path)) is not None:
            return cached

        model_text = ipa_phonemes(text, self.espeak) if self.model.needs_phonemes else text
        ids = self.model.token_ids(model_text)
        if not self._has_sounds(ids):
            raise UnspeakableLineError(
                f"{line.speaker}'s line {quote(line.text)} has nothing the voice model {self.model.name} can pronounce; "
                "write it in the model's language and alphabet, or give the character another voice"
            )
        raw = self.model.synthesize(ids, speaker=speaker, controls=controls, seed=line.seed)
        spoken = _finish(raw, gain, text, line)
        if path is not None:
            _write_cached(path, spoken)
        return spoken

    def _speaker(self, line: SpeechLine) -> int:
        wanted, count = line.voice.speaker, self.model.speakers
        if 0 <= wanted < count:
            return wanted
        choice = "set the speaker to 0" if count == 1 else f"choose a speaker from 0 to {count - 1}"
        raise SpeechError(
            f"{line.speaker}'s voice asks for speaker {wanted}, but the voice model {self.model.name} has {count} voice{'s' if count > 1 else ''}; {choice}"
        )

    def _has_sounds(self, ids: list[int]) -> bool:
        decoder = {index: token for token, index in self.model.vocab.items()}
        real = ids[1::2] if self.model.add_blank else ids
        return any(is_sound(decoder.get(index, "")) for index in real)

    def _cache_path(self, text: str, speaker: int, controls: VitsControls, gain: float, seed: int) -> Path | None:
        if self.cache_dir is None:
            return None
        payload = {
            "text": text,
            "speaker": speaker,
            "controls": asdict(controls),
            "gain": gain,
            "seed": seed,
            "model": self.model.fingerprint,
            # phonemes depend on the espeak-ng that made them
            "espeak": self.espeak.version() if self.model.needs_phonemes else None,
            "format": _CACHE_FORMAT,
        }
        key = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
        return self.cache_dir / f"{key}.wav"


def _finish(raw: RawSpeech, gain: float, text: str, line: SpeechLine) -> SpokenLine:
    """The model's waveform as a line for the mix: from its first sound to just after its last, levelled,
    at MIX_RATE, with edges faded and values on the 16-bit grid (a cached line then equals a fresh one)."""
    wave_in = raw.waveform
    peak = float(np.max(np.abs(wave_in))) if wave_in.size else 0.0
    if peak <= 1e-6:
        raise SpeechError(f"the voice model produced silence for {line.speaker}'s line {quote(line.text)}; download the voice model again or choose another")
    loud = np.flatnonzero(np.abs(wave_in) >= peak * _ONSET_THRESHOLD)
    first = max(0, int(loud[0]) - round(_PRE_ROLL_S * raw.rate))
    last = min(wave_in.size, int(loud[-1]) + 1 + round(_TAIL_S * raw.rate))
    clip = wave_in[first:last]
    rms = float(np.sqrt(np.mean(np.square(clip, dtype=np.float64))))
    level = min(TARGET_RMS / rms, _PEAK_CEILING / peak) * gain
    audio = resample(clip * np.float32(level), raw.rate)
    pre_roll, fade = round(_PRE_ROLL_S * MIX_RATE), round(_FADE_S * MIX_RATE)
    audio = soft_limit(fade_edges(audio, fade_in=min(pre_roll, audio.size), fade_out=min(fade, audio.size)))
    audio = (to_int16(audio).astype(np.float32) / 32768.0).astype(np.float32)

    timings = None
    if raw.frames is not None:
        whole = token_timings(raw.tokens, raw.frames, add_blank=raw.add_blank, seconds_per_frame=raw.hop / raw.rate, text=text)
        timings = shifted(whole, first / raw.rate, audio.size / MIX_RATE)
    return SpokenLine(audio=audio, engine=VITS, timings=timings)


def _read_cached(path: Path) -> SpokenLine | None:
    try:
        samples, rate = read_mono_wav(path)
        stored = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        if rate != MIX_RATE:
            return None
        timings = None
        if stored.get("timings") is not None:
            timings = LineTimings(
                phonemes=tuple(TimedUnit(label, start, end) for label, start, end in stored["timings"]["phonemes"]),
                words=tuple(TimedUnit(label, start, end) for label, start, end in stored["timings"]["words"]),
            )
        return SpokenLine(audio=samples, engine=VITS, timings=timings)
    except (OSError, ValueError, EOFError, wave.Error, KeyError, TypeError):
        return None  # a missing or damaged entry is simply made again


def _write_cached(path: Path, spoken: SpokenLine) -> None:
    timings = None
    if spoken.timings is not None:
        timings = {
            "phonemes": [[u.label, u.start, u.end] for u in spoken.timings.phonemes],
            "words": [[u.label, u.start, u.end] for u in spoken.timings.words],
        }
    # The timings first: an entry counts only once its audio exists, and the audio is written last.
    _write_text_atomic(path.with_suffix(".json"), json.dumps({"timings": timings}, ensure_ascii=False))
    write_mono_wav(path, spoken.audio, MIX_RATE)


def _write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomically(path, text.encode("utf-8"))


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))
