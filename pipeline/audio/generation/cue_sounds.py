"""Where each sound cue's audio comes from: the cue's own file; else a clip generated from its description by
Stable Audio Open when the weights are on this machine; else a placeholder from the built-in synthesizer.

The model is found like the video backends' models: a folder set by the front end (`set_sound_model_dir`)
wins over STORYBOARD_SOUND_MODEL_DIR, and with neither the Hugging Face cache is searched (never the
network). Without weights every cue still sounds: the placeholder plays and one warning says how to get
the model; sound is never a reason for a render to fail.

A generated clip is made for the cue's whole length (for a cue spanning shots, its whole run) and each shot
plays its window of it, so music carries on across the cuts. Its seed comes from the cue's kind and
description, so the same cue always sounds the same; clips are cached by content (`clip_cache`).
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from pipeline.audio.cue_media import cue_name, decode_cue_media, fit_to_length, resolve_cue_media
from pipeline.audio.generation.clip_cache import GeneratedClipCache, clip_key
from pipeline.audio.generation.stable_audio import MODEL_KEY, StableAudioModel
from pipeline.audio.pcm import MIX_RATE, db_to_gain, fade_edges, frame_to_sample
from pipeline.audio.placeholder_sounds import placeholder_sound
from pipeline.backends.base import ShotRenderRequest
from pipeline.models.registry import MODEL_INDEX, MODELS, ModelNotFoundError, folder_pipeline_class, resolve_model_dir
from pipeline.progress import CancelToken, ProgressCallback, no_progress
from studio.errors import StudioError
from studio.shot import SoundCue, SoundCueKind

SOUND_MODEL_DIR_VARIABLE = "STORYBOARD_SOUND_MODEL_DIR"
SOUND_STEPS_VARIABLE = "STORYBOARD_SOUND_STEPS"
_CLIP_VERSION = 1  # part of every clip's key: bump it when the same generation is stored differently (levels)

# Stable Audio Open was trained on Freesound and FMA descriptions; a few words of genre steer it towards
# the kind of sound a cue is, where a bare "rain" could come back as a song about rain.
_KIND_HINTS = {SoundCueKind.SFX: "sound effect", SoundCueKind.AMBIENCE: "ambience, field recording", SoundCueKind.MUSIC: "film score, instrumental"}
# Generated clips come out at the placeholders' levels (pipeline.audio.placeholder_sounds), so a cue's gain,
# set while it played a placeholder, keeps its balance in the mix when the model takes over.
_RMS_DBFS = {SoundCueKind.AMBIENCE: -30.0, SoundCueKind.MUSIC: -24.0}
_SFX_PEAK_DBFS = -6.0
_PEAK_CEILING = db_to_gain(-1.0)
_FADE_IN = MIX_RATE * 5 // 1000  # short enough to keep an effect's attack
_FADE_OUT = MIX_RATE // 20  # a generated clip cut to its cue's length ends wherever the cut falls: ease it out

_chosen_model_dir: Path | None = None


def set_sound_model_dir(folder: Path | None) -> None:
    """The sound model's folder, as the front end was told (None forgets it); it wins over the environment."""
    global _chosen_model_dir
    _chosen_model_dir = folder
    default_cue_sounds.cache_clear()


def sound_model_dir() -> Path | None:
    if _chosen_model_dir is not None:
        return _chosen_model_dir
    value = os.environ.get(SOUND_MODEL_DIR_VARIABLE, "").strip()
    return Path(value).expanduser() if value else None


def sound_steps() -> int | None:
    """Denoising steps from the environment (quick previews, tests), checked so that a typo is said."""
    steps = os.environ.get(SOUND_STEPS_VARIABLE, "").strip()
    if steps and not (steps.isdigit() and int(steps) > 0):
        raise StudioError(f"{SOUND_STEPS_VARIABLE}={steps!r} is not a number of denoising steps; set it to a positive whole number or unset it")
    return int(steps) if steps else None


def cue_prompt(cue: SoundCue) -> str:
    return f"{' '.join(cue.description.split())}, {_KIND_HINTS[cue.kind]}"


def cue_seed(cue: SoundCue) -> int:
    """The cue's own seed: from its kind and description only, so moving, trimming or re-gaining it (or
    re-rendering its shot) keeps its sound, and two cues with one description sound alike."""
    digest = hashlib.sha256(f"stable-audio\n{cue.kind}\n{' '.join(cue.description.lower().split())}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


def _how_to_get() -> str:
    spec = MODELS[MODEL_KEY]
    return (
        f"download {MODEL_KEY} (about {spec.size_gb:g} GB, {spec.licence}; accept the licence on huggingface.co first) "
        f"with `studio models download {MODEL_KEY} --to DIR` and set {SOUND_MODEL_DIR_VARIABLE}=DIR"
    )


def find_sound_model(model_dir: Path | None) -> tuple[Path | None, str | None]:
    """The Stable Audio folder to use, or None and the warning that says why not and how to get one."""
    if model_dir is None:
        try:
            return resolve_model_dir(MODEL_KEY), None  # the Hugging Face cache only: nothing is downloaded
        except ModelNotFoundError:
            return None, f"sound cues play placeholder sounds: the Stable Audio Open weights are not on this machine; {_how_to_get()}"
    held = folder_pipeline_class(model_dir) if (model_dir / MODEL_INDEX).is_file() else None
    if not model_dir.exists():
        problem = "does not exist"
    elif not model_dir.is_dir():
        problem = "is a file; Stable Audio is read from its diffusers folder"
    elif held is None:
        problem = f"is not a diffusers model folder (no readable {MODEL_INDEX})"
    elif not held.startswith("StableAudio"):
        problem = f"holds a {held} model, not Stable Audio"
    else:
        return model_dir, None
    return (
        None,
        f"sound cues play placeholder sounds: the sound model folder {model_dir} {problem}; point {SOUND_MODEL_DIR_VARIABLE} at a {MODEL_KEY} folder, or {_how_to_get()}",
    )


class CueSounds:
    """The audio of each cue the shot mix places. Holds the sound model, loaded on the first generated cue
    and kept for the next, and says that the model is missing once, not on every cue."""

    def __init__(self, model: StableAudioModel | None, *, unavailable: str | None = None) -> None:
        self.model = model
        self._unavailable = unavailable if model is None else None
        self._told = False
        self._caches: dict[Path | None, GeneratedClipCache] = {}
        self._find: Callable[[], None] | None = None

    @classmethod
    def from_settings(cls, model_dir: Path | None, *, steps: int | None = None) -> CueSounds:
        """Cue sounds from the model in `model_dir` (None: the Hugging Face cache). The folder is looked for
        when the first cue needs it, so a shot without cues, or with only its own files, costs nothing."""
        sounds = cls(None)

        def find() -> None:
            folder, sounds._unavailable = find_sound_model(model_dir)
            sounds.model = StableAudioModel(folder, **({"steps": steps} if steps else {})) if folder is not None else None

        sounds._find = find
        return sounds

    def sound_model(self) -> StableAudioModel | None:
        """The model generated cues come from, found now if it was not yet; None plays placeholders."""
        if self._find is not None:
            find, self._find = self._find, None
            find()
        return self.model

    def audio(
        self,
        request: ShotRenderRequest,
        cue: SoundCue,
        skip: int,
        length: int,
        *,
        warnings: list[str],
        cancel: CancelToken,
        progress: ProgressCallback = no_progress,
    ) -> np.ndarray:
        """`length` samples of the cue, from `skip` samples after its start, as (channels, length) float32 at
        MIX_RATE: one channel for a mono sound (the mix pans it), two for stereo. Raises SoundError for a
        cue file that cannot be played (the message names the shot, the file and the fix)."""
        spanning = cue.span_shots > 1
        whole = _cue_samples(request, cue)
        if cue.media is not None:
            decoded = decode_cue_media(resolve_cue_media(cue, cue.media, request.sound_media, request.label), cue, request.label)
            # A spanning cue is fitted whole and windowed, so every shot of the run cuts the same sound.
            return _window(fit_to_length(decoded, cue, 0, whole), skip, length) if spanning else fit_to_length(decoded, cue, skip, length)
        if self.sound_model() is not None:
            try:
                return _window(self._generated(request, cue, whole, warnings, cancel, progress), skip, length)
            except ModelNotFoundError as exc:  # a damaged folder, a missing package: the placeholder plays instead
                self.model, self._unavailable = None, f"sound cues play placeholder sounds: {exc}"
        if not self._told and self._unavailable:
            warnings.append(self._unavailable)
            self._told = True
        if spanning:
            return _window(placeholder_sound(cue, whole)[np.newaxis], skip, length)
        return placeholder_sound(cue, skip + length)[np.newaxis, skip:]

    def _cache(self, cache_dir: Path | None) -> GeneratedClipCache:
        if cache_dir not in self._caches:
            self._caches[cache_dir] = GeneratedClipCache(cache_dir)
        return self._caches[cache_dir]

    def _generated(
        self, request: ShotRenderRequest, cue: SoundCue, whole: int, warnings: list[str], cancel: CancelToken, progress: ProgressCallback
    ) -> np.ndarray:
        """The cue's whole clip, generated once and then read from the project's cache, fitted and faded."""
        model = self.model
        assert model is not None
        samples = min(whole, int(model.max_seconds() * MIX_RATE))
        prompt, seed = cue_prompt(cue), cue_seed(cue)
        key = clip_key({**model.settings(), "prompt": prompt, "samples": samples, "seed": seed, "version": _CLIP_VERSION})
        cache = self._cache(request.cache_dir)
        clip = cache.load(key)
        if clip is None or clip.shape[1] != samples:
            raw = model.generate(prompt, samples / MIX_RATE, seed, job=request.label, what=cue_name(cue), progress=progress, cancel=cancel)
            clip = cache.store(key, _levelled(_exactly(raw, samples), cue.kind))
        if whole > samples:
            repeats = cue.kind != SoundCueKind.SFX
            if repeats and cue.start >= 0:  # said once, in the shot that holds the cue, not in every shot it runs into
                warnings.append(
                    f"{request.label}: {cue_name(cue)} lasts {whole / MIX_RATE:.1f} s, longer than the {samples / MIX_RATE:.0f} s the sound model "
                    "makes at once, so its clip repeats with crossfades; split it into shorter cues for sound that develops"
                )
            clip = fit_to_length(clip, cue, 0, whole, loop=repeats)
        return fade_edges(clip, fade_in=_FADE_IN, fade_out=_FADE_OUT)


@functools.cache
def default_cue_sounds() -> CueSounds:
    """The process's cue sounds, from the settings, built on first use (never on import) and kept, so the
    model stays loaded from one shot to the next."""
    return CueSounds.from_settings(sound_model_dir(), steps=sound_steps())


def shot_cues(request: ShotRenderRequest, warnings: list[str]) -> list[SoundCue]:
    """The cues the shot mix places, each as it sounds in this shot: the shot's own; a cue spanning shots
    stretched over its whole run; and cues carried in from earlier shots, shifted so that they started
    before this shot (a negative start: the mix plays them from the point the cut reaches)."""
    own = {run.cue_index: run for run in request.cue_runs if run.offset == 0}
    cues = []
    for index, cue in enumerate(request.shot.sound_cues):
        run = own.get(index)
        if run is None:
            cues.append(cue)
            continue
        if run.shots < cue.span_shots and (cue.duration is None or cue.duration > run.length):
            warnings.append(
                f"{request.label}: {cue_name(cue)} spans {cue.span_shots} shots, but the cut has only {run.shots} from here; "
                "it ends with the last shot: add shots after it or lower its span"
            )
        cues.append(replace(cue, duration=run.length))
    cues += [replace(run.cue, start=run.cue.start - run.offset, duration=run.length) for run in request.cue_runs if run.offset > 0]
    return cues


def cue_joins(request: ShotRenderRequest, cue: SoundCue) -> tuple[bool, bool]:
    """(whether the cue comes in from the previous shot, whether it goes on into the next): there the shot
    mix leaves its edge unfaded, since the neighbouring shot plays the same sound on from that sample."""
    if cue.span_shots <= 1:
        return False, False
    return cue.start < 0, cue.duration is not None and cue.start + cue.duration > request.frame_count


def _cue_samples(request: ShotRenderRequest, cue: SoundCue) -> int:
    """The cue's whole length: its duration, or to the end of the shot where it has none."""
    frames = cue.duration if cue.duration is not None else request.frame_count - cue.start
    return max(0, frame_to_sample(request.frame_rate, frames))


def _window(clip: np.ndarray, skip: int, length: int) -> np.ndarray:
    out = np.zeros((clip.shape[0], length), dtype=np.float32)
    piece = clip[:, skip : skip + length]
    out[:, : piece.shape[1]] = piece
    return out


def _exactly(audio: np.ndarray, samples: int) -> np.ndarray:
    """Resampling leaves a clip a few samples off the length asked for: pad or cut it to exactly that."""
    out = np.zeros((2, samples), dtype=np.float32)
    piece = audio[:, :samples]
    out[:, : piece.shape[1]] = piece
    return out


def _levelled(clip: np.ndarray, kind: SoundCueKind) -> np.ndarray:
    peak = float(np.max(np.abs(clip))) if clip.size else 0.0
    if peak <= 1e-6:
        return clip
    if kind == SoundCueKind.SFX:
        gain = db_to_gain(_SFX_PEAK_DBFS) / peak
    else:
        gain = db_to_gain(_RMS_DBFS[kind]) / max(float(np.sqrt(np.mean(np.square(clip)))), 1e-9)
    return (clip * min(gain, _PEAK_CEILING / peak)).astype(np.float32)
