"""Generated cue clips kept in the project's cache folder, named by the hash of what made them.

A key covers the prompt, the length, the seed and the model's settings and weights (see `clip_key`), never
a shot or cue name: re-rendering a shot, renaming it or moving its cue reuses the clip, while changing a
word of the description, the length or the weights generates anew. Clips are 48 kHz 16-bit stereo WAV,
so they can be auditioned or pulled into an editor as they are. A clip comes back exactly as stored,
so the first render and every later one play bit-identical sound.
"""

from __future__ import annotations

import hashlib
import json
import wave
from pathlib import Path

import numpy as np

from pipeline.audio.pcm import MIX_RATE, to_int16, write_wav_atomic

CLIPS_DIR = "sound-cues"
_KEEP_IN_MEMORY = 16  # clips of a project never saved: a scene's worth, at most ~18 MB each


def clip_key(fields: dict[str, str | int | float]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def as_stored(audio: np.ndarray) -> np.ndarray:
    """The clip as the cache gives it back: rounded to 16 bits exactly as `write_wav_atomic` writes it."""
    return to_int16(audio).astype(np.float32) / np.float32(32768.0)


class GeneratedClipCache:
    """Clips by key under `cache_dir`/sound-cues; with cache_dir None (a project never saved) the last
    few are kept in memory instead, so the shots of one render still share them."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.folder = Path(cache_dir) / CLIPS_DIR if cache_dir is not None else None
        self._memory: dict[str, np.ndarray] = {}

    def path(self, key: str) -> Path | None:
        return self.folder / f"{key}.wav" if self.folder is not None else None

    def load(self, key: str) -> np.ndarray | None:
        """The stored clip as (2, samples) float32, or None when there is none (or it is damaged: then
        it is generated again and overwritten)."""
        path = self.path(key)
        if path is None:
            return self._memory.get(key)
        try:
            with wave.open(str(path), "rb") as wav:
                if (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) != (2, 2, MIX_RATE):
                    return None
                data = wav.readframes(wav.getnframes())
        except (OSError, EOFError, wave.Error):
            return None
        return np.frombuffer(data, dtype="<i2").reshape(-1, 2).T.astype(np.float32) / np.float32(32768.0)

    def store(self, key: str, clip: np.ndarray) -> np.ndarray:
        """Stores a (2, samples) clip and returns it as it will load."""
        stored = as_stored(clip)
        path = self.path(key)
        if path is None:
            if len(self._memory) >= _KEEP_IN_MEMORY:
                self._memory.pop(next(iter(self._memory)))
            self._memory[key] = stored
        else:
            write_wav_atomic(path, stored)
        return stored
