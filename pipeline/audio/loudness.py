"""Loudness normalisation to EBU R128: one gain for the whole mix, so its integrated loudness (ITU-R
BS.1770-4, measured with pyloudnorm) meets the target, never pushing its true peak past the ceiling.

A single gain keeps the mix's dynamics as they were mixed. When the target would need more gain than the
ceiling allows (a loud slam in a quiet scene), the mix stops at the ceiling and the warning says how
loud it got and what to change: nothing is ever clipped or limited to reach the number.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np

from pipeline.audio.pcm import MIX_RATE

# pyloudnorm and scipy.signal are imported where they are used: scipy.signal alone takes over a second
# to import, which every `studio` command would otherwise pay, including a render that changes nothing.

OVERSAMPLING = 4  # BS.1770-4 Annex 2: true peak from the signal at 192 kHz for 48 kHz audio
_PEAK_CHUNK = MIX_RATE * 10  # true peak in 10 s pieces, so a long cut never holds a 4x copy of itself
_PEAK_MARGIN = 256  # samples of context each side of a piece, past the resampling filter's reach
GATING_BLOCK_S = 0.4  # BS.1770's gating block: a shorter mix has no loudness to measure
SILENCE_LUFS = -70.0  # BS.1770's absolute gate: quieter than this there is nothing to measure


@dataclass(frozen=True)
class LoudnessReport:
    gain_db: float  # applied to the whole mix
    measured_lufs: float | None  # before the gain; None when too short or silent to measure
    reached_lufs: float | None  # after it
    true_peak_dbtp: float  # after it
    warning: str | None = None


def prepare_in_background() -> None:
    """Starts importing the measuring libraries on a thread: a render calls this when it starts, so the
    second or so scipy takes to import overlaps the picture encode instead of delaying the mix."""
    threading.Thread(target=_import_meters, name="loudness-import", daemon=True).start()


def _import_meters() -> None:
    try:
        import pyloudnorm  # noqa: F401
        import scipy.signal  # noqa: F401
    except ImportError:  # measured (and reported) where they are needed
        pass


def integrated_loudness(stereo: np.ndarray, rate: int = MIX_RATE) -> float | None:
    """Integrated loudness of a (2, samples) buffer in LUFS; None when shorter than one 400 ms gating
    block, or silent (below the absolute gate)."""
    import pyloudnorm

    if stereo.shape[-1] < GATING_BLOCK_S * rate:
        return None
    meter = pyloudnorm.Meter(rate, block_size=GATING_BLOCK_S)
    loudness = float(meter.integrated_loudness(np.asarray(stereo, dtype=np.float64).T))
    return loudness if math.isfinite(loudness) and loudness > SILENCE_LUFS else None


def true_peak_dbtp(stereo: np.ndarray) -> float:
    """The highest inter-sample peak of a (2, samples) buffer in dBTP (4x oversampled); -inf for silence."""
    from scipy.signal import resample_poly

    samples = stereo.shape[-1]
    peak = 0.0
    for begin in range(0, samples, _PEAK_CHUNK):
        end = min(samples, begin + _PEAK_CHUNK)
        lead = min(begin, _PEAK_MARGIN)
        piece = np.asarray(stereo[:, begin - lead : min(samples, end + _PEAK_MARGIN)], dtype=np.float64)
        if not piece.any():
            continue
        upsampled = resample_poly(piece, OVERSAMPLING, 1, axis=-1)
        # Only the piece's own span counts: its margins are there so the filter sees real neighbours.
        inner = upsampled[:, lead * OVERSAMPLING : (lead + end - begin) * OVERSAMPLING]
        # The sample peak too: the filter may round a lone full-scale sample a hair below itself.
        peak = max(peak, float(np.max(np.abs(inner))), float(np.max(np.abs(piece))))
    return 20.0 * math.log10(peak) if peak > 0 else -math.inf


def normalisation(stereo: np.ndarray, target_lufs: float, ceiling_dbtp: float, what: str, rate: int = MIX_RATE) -> LoudnessReport:
    """The gain that brings `stereo` to `target_lufs`, capped so its true peak stays at or under `ceiling_dbtp`."""
    measured = integrated_loudness(stereo, rate)
    peak = true_peak_dbtp(stereo)
    if measured is None:
        # Nothing to measure: leave the level alone, but never let it pass the ceiling.
        gain = min(0.0, ceiling_dbtp - peak) if math.isfinite(peak) else 0.0
        warning = None
        if math.isfinite(peak) and stereo.shape[-1] < GATING_BLOCK_S * rate:
            warning = f"{what} is shorter than 0.4 s, too short to measure its loudness; it was left at its level"
        return LoudnessReport(gain, None, None, peak + gain, warning)
    gain = target_lufs - measured
    warning = None
    if peak + gain > ceiling_dbtp:
        gain = ceiling_dbtp - peak
        reached = measured + gain
        warning = (
            f"{what} reaches {reached:.1f} LUFS, not the {target_lufs:g} LUFS target: more gain would push its loudest peak past the "
            f"{ceiling_dbtp:g} dBTP ceiling; turn down the loudest cue or turn up the quieter tracks"
        )
    return LoudnessReport(gain, measured, measured + gain, peak + gain, warning)


def normalise(stereo: np.ndarray, target_lufs: float, ceiling_dbtp: float, what: str, rate: int = MIX_RATE) -> tuple[np.ndarray, LoudnessReport]:
    """`stereo` brought to `target_lufs` (see `normalisation`), as float32."""
    report = normalisation(stereo, target_lufs, ceiling_dbtp, what, rate)
    return (stereo * np.float32(10.0 ** (report.gain_db / 20.0))).astype(np.float32), report
