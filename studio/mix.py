"""The project's sound mix: a fader strip for each of the three tracks (dialogue, effects, music), music
ducking under dialogue, and the loudness the assembled mix is brought to.

These settings change how the takes' stems are combined, never a take. They are applied at assembly
and export (pipeline.audio.track_mix), and studio.render_inputs leaves them out of every shot's render
inputs on purpose: moving a fader never makes a shot stale or re-renders it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum

from studio.errors import EditError


class Track(StrEnum):
    """The dialogue/effects/music (DME) split editors and mixers expect; effects include ambience."""

    DIALOGUE = "dialogue"
    EFFECTS = "effects"
    MUSIC = "music"


class MixError(EditError, ValueError):
    """A mix setting outside what the mixer allows. A ValueError too, so a project file holding one is
    refused by the loader with the setting's place in the file."""


# Below -60 dB a fader is as good as muted; above +24 dB a stem at a sensible level clips whatever the ceiling.
MIN_GAIN_DB, MAX_GAIN_DB = -60.0, 24.0


def _check_range(what: str, value: float, low: float, high: float, fix: str) -> None:
    if not (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and low <= value <= high):
        raise MixError(f"{what} must be from {low:g} to {high:g}, got {value!r}: {fix}")


@dataclass(frozen=True)
class TrackMix:
    """One track's fader strip."""

    gain_db: float = 0.0
    pan: float = 0.0  # -1 left .. 1 right: the stems are stereo, so this is a balance (the far side goes down)
    mute: bool = False
    solo: bool = False  # with any track soloed, only the soloed tracks play

    def __post_init__(self) -> None:
        _check_range("a track's gain (dB)", self.gain_db, MIN_GAIN_DB, MAX_GAIN_DB, "mute the track instead of going lower")
        _check_range("a track's pan", self.pan, -1.0, 1.0, "-1 is hard left, 1 hard right")


@dataclass(frozen=True)
class Ducking:
    """Music goes down by `depth_db` wherever the dialogue stem is above `threshold_db`: a sidechain keyed by
    the dialogue as recorded (before its fader), so soloing or muting a track never changes how the music moves."""

    depth_db: float = 10.0  # 0 turns ducking off
    threshold_db: float = -40.0  # dialogue's short-term RMS, dBFS
    attack_ms: float = 80.0  # the music starts down this long before the first word (the mix looks ahead), so no word is masked
    release_ms: float = 400.0  # and comes back up over this long once the dialogue has stopped

    def __post_init__(self) -> None:
        _check_range("the music ducking depth (dB)", self.depth_db, 0.0, 60.0, "0 turns ducking off")
        _check_range("the ducking threshold (dBFS)", self.threshold_db, -90.0, 0.0, "-40 suits scratch dialogue")
        _check_range("the ducking attack (ms)", self.attack_ms, 0.0, 5000.0, "use tens to hundreds of milliseconds")
        _check_range("the ducking release (ms)", self.release_ms, 0.0, 10000.0, "use hundreds of milliseconds")


@dataclass(frozen=True)
class MixSettings:
    dialogue: TrackMix = field(default_factory=TrackMix)
    effects: TrackMix = field(default_factory=TrackMix)
    music: TrackMix = field(default_factory=TrackMix)
    ducking: Ducking = field(default_factory=Ducking)
    loudness_lufs: float = -23.0  # integrated loudness of the assembled mix (EBU R128)
    peak_ceiling_dbtp: float = -1.0  # true peak the normalised mix never passes (EBU R128's maximum)

    def __post_init__(self) -> None:
        _check_range("the target loudness (LUFS)", self.loudness_lufs, -50.0, -5.0, "EBU R128 asks for -23, streaming platforms -14 to -16")
        _check_range("the true-peak ceiling (dBTP)", self.peak_ceiling_dbtp, -20.0, 0.0, "EBU R128 allows at most -1")

    def track(self, track: Track) -> TrackMix:
        return getattr(self, Track(track).value)

    def with_track(self, track: Track, strip: TrackMix) -> MixSettings:
        """A copy with one track's strip replaced: what a fader move sets with SetField("project", None, "mix", ...)."""
        return replace(self, **{Track(track).value: strip})

    def audible(self, track: Track) -> bool:
        """Whether the track plays: not muted, and soloed if any track is (mute wins over solo, as on a desk)."""
        strip = self.track(track)
        soloing = any(self.track(t).solo for t in Track)
        return not strip.mute and (strip.solo or not soloing)

    @property
    def faders_neutral(self) -> bool:
        """Every strip at unity, centred, neither muted nor soloed."""
        return all(self.track(t) == TrackMix() for t in Track)
