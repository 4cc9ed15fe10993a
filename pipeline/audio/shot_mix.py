"""The shot mix: a shot's dialogue and sound cues placed on a silent bed of exactly the shot's length.

The bed is the shot's duration in samples at 48 kHz, computed exactly from the frame rate, so shot mixes
laid end to end stay in sync with the picture however many shots a sequence has. Lines start on their
frame (speech onset, not the synthesizer's leading silence) and are centred; cues sit at their frame with
their gain and pan, with short fades on their edges. Nothing extends the shot: whatever runs past its end
is cut there and reported, and `dialogue_overruns` tells the editor beforehand by how much.

The mix is built as three stems, the dialogue/music/effects (DME) split editors and mixers expect:
dialogue (the lines), effects (SFX and ambience cues: by that convention, effects include ambience)
and music. The mix is their sum with the soft limiter applied; the stems are written as they are
before it, so a mixer who rebalances them starts from exactly what the shot played.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipeline.audio.cue_media import cue_name
from pipeline.audio.espeak import EspeakNg, speakable_text
from pipeline.audio.generation.cue_sounds import CueSounds, cue_joins, default_cue_sounds, shot_cues
from pipeline.audio.pcm import (
    MIX_RATE,
    balance_gains,
    db_to_gain,
    fade_edges,
    frame_to_sample,
    pan_gains,
    samples_to_frames,
    soft_limit,
    write_wav_atomic,
)
from pipeline.audio.scratch_voice import is_pronounceable
from pipeline.audio.speech.base import LineTimings, TimedUnit
from pipeline.audio.speech.shot_dialogue import dialogue_audio, dialogue_speech
from pipeline.backends.base import ShotRenderRequest
from pipeline.progress import CancelToken, ProgressCallback, no_progress
from studio.shot import DialogueLine, SoundCue, SoundCueKind

_CUE_FADE_IN = MIX_RATE * 5 // 1000  # short enough to keep a slam's attack
_CUE_FADE_OUT = MIX_RATE // 100
_CUT_FADE = MIX_RATE * 5 // 1000  # where a line is cut at the shot's end

DIALOGUE, EFFECTS, MUSIC = "dialogue", "effects", "music"
STEM_NAMES = (DIALOGUE, EFFECTS, MUSIC)
CUE_STEMS = {SoundCueKind.SFX: EFFECTS, SoundCueKind.AMBIENCE: EFFECTS, SoundCueKind.MUSIC: MUSIC}


@dataclass(frozen=True)
class DialogueOverrun:
    """A line that does not finish inside its shot: the shot would need `needed_frames` to hold it."""

    line: DialogueLine
    needed_frames: int
    message: str


@dataclass
class ShotSoundReport:
    path: Path
    samples: int  # the mix's length, exactly the shot's duration at MIX_RATE
    warnings: list[str] = field(default_factory=list)
    dialogue_spans: list[tuple[int, int]] = field(default_factory=list)  # (start, end) sample of each placed line
    stems: dict[str, Path] = field(default_factory=dict)  # stem name -> its WAV, beside the mix
    lip_sync: list[dict] = field(default_factory=list)  # see ShotStems.lip_sync


@dataclass
class ShotStems:
    """The shot's sound as stems in memory: (2, samples) float32 buffers before the limiter."""

    buffers: dict[str, np.ndarray]
    warnings: list[str] = field(default_factory=list)
    dialogue_spans: list[tuple[int, int]] = field(default_factory=list)
    # For a later lip-sync pass: per placed line whose engine can time it (the neural voice), its words and
    # phonemes in seconds from the shot's first frame (before 0 where a head trim cut the line's start).
    lip_sync: list[dict] = field(default_factory=list)

    def mix(self) -> np.ndarray:
        """What the shot plays: the stems summed, peaks rounded off by the limiter."""
        return soft_limit(sum(self.buffers.values(), start=np.zeros_like(self.buffers[DIALOGUE])))


def stem_path(mix_wav: Path, stem: str) -> Path:
    """Where `render_shot_sound` writes a stem: beside the mix, named after it (sound.dialogue.wav)."""
    return mix_wav.with_name(f"{mix_wav.stem}.{stem}{mix_wav.suffix}")


@functools.cache
def system_espeak() -> EspeakNg:
    """espeak-ng from the PATH, for callers that have no configured path; built on first use, not on import."""
    return EspeakNg()


def speech_frames(request: ShotRenderRequest, line: DialogueLine, cache_dir: Path, *, espeak: EspeakNg | None = None) -> int:
    """How many frames the line lasts when spoken in its character's voice (0 for a silent line)."""
    audio = dialogue_audio(request, [line], cache_dir, espeak or system_espeak(), CancelToken(), [])[0]
    return samples_to_frames(request.frame_rate, audio.size)


def dialogue_overruns(request: ShotRenderRequest, cache_dir: Path, *, espeak: EspeakNg | None = None) -> list[DialogueOverrun]:
    """The shot's lines that would still be speaking when the shot ends, in the shot's order."""
    lines = [line for line in request.shot.dialogue if is_pronounceable(speakable_text(line.text))]
    audios = dialogue_audio(request, lines, cache_dir, espeak or system_espeak(), CancelToken(), [])
    overruns = []
    for line, audio in zip(lines, audios, strict=True):
        needed = line.start + samples_to_frames(request.frame_rate, audio.size)
        if audio.size and needed > request.frame_count:
            overruns.append(DialogueOverrun(line, needed, _overrun_message(request, line, needed)))
    return overruns


def render_shot_sound(
    request: ShotRenderRequest,
    out_wav: Path,
    cache_dir: Path,
    cancel: CancelToken,
    *,
    espeak: EspeakNg | None = None,
    cue_sounds: CueSounds | None = None,
    progress: ProgressCallback = no_progress,
) -> ShotSoundReport:
    """Mixes the shot's dialogue and cues into `out_wav` (48 kHz, stereo, 16-bit), and its stems beside
    it (see `stem_path`), each written atomically. Raises SoundError for what the user must fix (no
    espeak-ng, a cue file that is not audio); reports what only sounds wrong (a line cut at the shot's
    end, a cue after it) as warnings."""
    stems = mix_shot_stems(request, cache_dir, cancel, espeak=espeak, cue_sounds=cue_sounds, progress=progress)
    report = ShotSoundReport(
        path=out_wav, samples=stems.buffers[DIALOGUE].shape[1], warnings=stems.warnings, dialogue_spans=stems.dialogue_spans, lip_sync=stems.lip_sync
    )
    for name, buffer in stems.buffers.items():
        report.stems[name] = stem_path(out_wav, name)
        write_wav_atomic(report.stems[name], buffer)
    write_wav_atomic(out_wav, stems.mix())
    return report


def mix_shot_stems(
    request: ShotRenderRequest,
    cache_dir: Path,
    cancel: CancelToken,
    *,
    espeak: EspeakNg | None = None,
    cue_sounds: CueSounds | None = None,  # where cue audio comes from (generated, placeholder); default: the process's own
    progress: ProgressCallback = no_progress,  # generated cues report their denoising steps here
) -> ShotStems:
    """The shot's dialogue, effects and music, each on its own bed of exactly the shot's length."""
    total = frame_to_sample(request.frame_rate, request.frame_count)
    stems = ShotStems({name: np.zeros((2, total), dtype=np.float32) for name in STEM_NAMES})
    cancel.raise_if_cancelled()

    voiced = _voiced_lines(request, stems.warnings)
    # Each character's engine (scratch or neural voice); a neural voice that cannot speak falls back with a warning.
    spoken = dialogue_speech(request, voiced, cache_dir, espeak or system_espeak(), cancel, stems.warnings)
    for line, speech in zip(voiced, spoken, strict=True):
        audio = speech.audio if speech is not None else np.zeros(0, dtype=np.float32)
        span = _place_line(stems.buffers[DIALOGUE], request, line, audio, stems.warnings)
        if span is not None:
            stems.dialogue_spans.append(span)
            if speech is not None and speech.timings is not None:
                stems.lip_sync.append(_lip_sync_entry(request, line, speech.timings))

    sounds = cue_sounds or default_cue_sounds()
    for cue in shot_cues(request, stems.warnings):  # with music carried in from earlier shots
        cancel.raise_if_cancelled()
        _place_cue(stems.buffers[CUE_STEMS[cue.kind]], request, cue, stems.warnings, sounds, cancel, progress)

    cancel.raise_if_cancelled()
    return stems


# --- dialogue --------------------------------------------------------------------------------------------


def _speaker(request: ShotRenderRequest, line: DialogueLine) -> str:
    character = request.character(line.character_id)
    return (character.name if character else line.character_id).upper()


def _quote(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return f"'{text}'"
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return f"'{cut.rstrip(',.;:!?')}…'"


def _overrun_message(request: ShotRenderRequest, line: DialogueLine, needed: int) -> str:
    over = needed - request.frame_count
    frames = "frame" if over == 1 else "frames"
    return f"{request.label}: {_speaker(request, line)}'s line {_quote(line.text)} runs {over} {frames} past the end of the shot; lengthen the shot or allow dialogue to extend it"


def _voiced_lines(request: ShotRenderRequest, warnings: list[str]) -> list[DialogueLine]:
    """The lines that have something to say; the others are skipped with a warning, never a failure,
    because a half-written script is a normal state for a storyboard."""
    voiced = []
    for line in request.shot.dialogue:
        who = _speaker(request, line)
        if not line.text.strip():
            warnings.append(f"{request.label}: {who} has an empty dialogue line at frame {line.start}; it was skipped: write the line or delete it")
            continue
        if not is_pronounceable(speakable_text(line.text)):
            warnings.append(f"{request.label}: {who}'s line {_quote(line.text)} has nothing to pronounce; it stays silent")
            continue
        if request.character(line.character_id) is None:
            warnings.append(
                f"{request.label}: {who} speaks but is not in the shot's cast; the line uses the default scratch voice: add the character to the shot"
            )
        voiced.append(line)
    return voiced


def _lip_sync_entry(request: ShotRenderRequest, line: DialogueLine, timings: LineTimings) -> dict:
    offset = frame_to_sample(request.frame_rate, line.start) / MIX_RATE  # the line's first sample, in shot seconds

    def units(found: tuple[TimedUnit, ...]) -> list[list]:
        return [[unit.label, round(offset + unit.start, 4), round(offset + unit.end, 4)] for unit in found]

    return {"character_id": line.character_id, "text": line.text, "start_frame": line.start, "words": units(timings.words), "phonemes": units(timings.phonemes)}


def _place_line(mix: np.ndarray, request: ShotRenderRequest, line: DialogueLine, audio: np.ndarray, warnings: list[str]) -> tuple[int, int] | None:
    total = mix.shape[1]
    start = frame_to_sample(request.frame_rate, line.start)
    overrun = _overrun_message(request, line, line.start + samples_to_frames(request.frame_rate, audio.size))
    if start >= total:
        warnings.append(f"{overrun} (it starts after the shot ends and was left out)")
        return None
    begin = max(0, start)
    piece = audio[begin - start :]
    if begin + piece.size > total:
        warnings.append(f"{overrun} (it is cut at the shot's end)")
        piece = fade_edges(piece[: total - begin], fade_in=0, fade_out=_CUT_FADE)
    end = begin + piece.size
    left, right = pan_gains(0.0)
    mix[0, begin:end] += piece * left
    mix[1, begin:end] += piece * right
    return begin, end


# --- sound cues ------------------------------------------------------------------------------------------


def _place_cue(
    mix: np.ndarray, request: ShotRenderRequest, cue: SoundCue, warnings: list[str], sounds: CueSounds, cancel: CancelToken, progress: ProgressCallback
) -> None:
    label = f"{request.label}: {cue_name(cue)}"
    if cue.start >= request.frame_count:
        warnings.append(
            f"{label} starts at frame {cue.start}, after the shot ends ({request.frame_count} frames); it was not placed: move it into the shot or onto the next one"
        )
        return
    if cue.duration is not None and cue.duration <= 0:
        warnings.append(f"{label} lasts {cue.duration} frames; it was not placed: give it a length or leave the length empty to run to the end of the shot")
        return
    total = mix.shape[1]
    start = frame_to_sample(request.frame_rate, cue.start)
    end = total if cue.duration is None else min(total, frame_to_sample(request.frame_rate, cue.start + cue.duration))
    begin = max(0, start)
    if end <= begin:
        # A head trim leaves such a cue before the shot rather than deleting it (studio.commands.trim).
        warnings.append(f"{label} at frame {cue.start} ends before the shot begins; it was not placed: move it into the shot or delete it")
        return
    skip, length = begin - start, end - begin

    sound = sounds.audio(request, cue, skip, length, warnings=warnings, cancel=cancel, progress=progress)  # its file, generated, or a placeholder
    if sound.shape[0] == 1:
        block, gains = np.repeat(sound, 2, axis=0), pan_gains(cue.pan)
    else:
        block, gains = sound, balance_gains(cue.pan)
    level = db_to_gain(cue.gain_db)
    block = block * np.array([[gains[0] * level], [gains[1] * level]], dtype=np.float32)
    from_previous, into_next = cue_joins(request, cue)  # music running across a cut: no fade, the next shot plays on from here
    mix[:, begin:end] += fade_edges(block, fade_in=0 if from_previous else _CUE_FADE_IN, fade_out=0 if into_next else _CUE_FADE_OUT)
