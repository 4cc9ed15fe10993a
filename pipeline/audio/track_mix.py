"""The cut's mix from its stems: each track through its fader strip (gain, balance, mute, solo), the
music ducked under the dialogue, the sum brought to the target loudness.

    dialogue stem ──fader──────────────┐
          └──(sidechain, pre-fader)─┐  │
    music stem ─────fader──duck─────┴──┼──sum──loudness gain──▶ mix
    effects stem ───fader──────────────┤
    takes with only a mix ─────────────┘   (played as recorded: they have no stems to mix)

The loudness gain is applied to each track as well, so the mixed tracks (the exported stems) add up
to the mix, short of the takes that have only a mix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pipeline.audio.ducking import duck_music
from pipeline.audio.loudness import LoudnessReport, normalisation
from pipeline.audio.pcm import MIX_RATE, balance_gains, db_to_gain, to_int16
from studio.mix import MixSettings, Track

TRACKS = tuple(track.value for track in Track)  # "dialogue", "effects", "music": the shot mix's stem names


@dataclass
class TrackBuffers:
    """The cut's sound before mixing, as (2, samples) float32 buffers of the cut's length."""

    stems: dict[str, np.ndarray]
    unmixed: np.ndarray | None = None  # takes without stems, allocated when the first one is laid

    @classmethod
    def silent(cls, samples: int) -> TrackBuffers:
        return cls({name: np.zeros((2, samples), np.float32) for name in TRACKS})

    @property
    def samples(self) -> int:
        return self.stems[TRACKS[0]].shape[1]

    def lay(self, name: str | None, begin: int, samples: np.ndarray) -> None:
        """Places (n, 2) int16 PCM at sample `begin` of a stem, or of the unmixed bed when `name` is None.
        It replaces what was there: shots sit end to end and their sound cuts hard, like their picture."""
        if name is None:
            if self.unmixed is None:
                self.unmixed = np.zeros((2, self.samples), np.float32)
            target = self.unmixed
        else:
            target = self.stems[name]
        placed = samples[: max(0, target.shape[1] - begin)]
        target[:, begin : begin + len(placed)] = placed.T.astype(np.float32) / np.float32(32768.0)


@dataclass
class MixedSound:
    tracks: dict[str, np.ndarray]  # each (2, samples) float32 as it sounds in the mix
    mix: np.ndarray  # (2, samples) float32
    loudness: LoudnessReport
    warnings: list[str] = field(default_factory=list)

    def mix_pcm(self) -> np.ndarray:
        """The mix as (samples, 2) int16, as the encoders and WAV writers take it."""
        return to_int16(self.mix).T

    def track_pcm(self, name: str) -> np.ndarray:
        return to_int16(self.tracks[name]).T


def mix_tracks(buffers: TrackBuffers, settings: MixSettings, what: str, rate: int = MIX_RATE) -> MixedSound:
    """Mixes the cut's tracks with the project's settings. `what` names the mix in warnings ("the
    sequence mix"). The stems in `buffers` are scaled in place: they are the cut's working copy, and a
    long cut's sound is large enough that a second copy of every stem would be felt."""
    stems = buffers.stems
    # The sidechain listens to the dialogue as recorded, before its fader: a mixer soloing the music hears it move as it will in the mix.
    stems[Track.MUSIC.value] = duck_music(stems[Track.MUSIC.value], stems[Track.DIALOGUE.value], settings.ducking, rate)
    for track in Track:
        strip = settings.track(track)
        left, right = balance_gains(strip.pan)
        level = db_to_gain(strip.gain_db) if settings.audible(track) else 0.0
        if (left * level, right * level) != (1.0, 1.0):
            stems[track.value] *= np.array([[left * level], [right * level]], dtype=np.float32)
    mix = np.zeros((2, buffers.samples), np.float32)
    for buffer in stems.values():
        mix += buffer
    if buffers.unmixed is not None:
        mix += buffers.unmixed
    loudness = normalisation(mix, settings.loudness_lufs, settings.peak_ceiling_dbtp, what, rate)
    gain = np.float32(db_to_gain(loudness.gain_db))
    if gain != 1.0:
        mix *= gain
        for buffer in stems.values():
            buffer *= gain
    return MixedSound(stems, mix, loudness, [loudness.warning] if loudness.warning else [])
