r"""Music ducked under dialogue: a sidechain keyed by the dialogue stem.

Where the dialogue is above the threshold the music is `depth_db` down; around it the gain ramps
linearly in dB, down over `attack_ms` and back up over `release_ms`:

    dialogue                |‾‾‾‾‾‾‾‾ line ‾‾‾‾‾‾‾‾|
    music gain   0 dB  ‾‾‾‾‾\                      :       /‾‾‾‾‾
               -10 dB        \_____________________:______/
                       attack                        hold  release

Nothing is played live, so the detector looks ahead: the music is already down when the first word
starts (a real-time ducker lets the word's attack through at full music level). Gaps between words
shorter than the hold keep the music down, so it does not pump within a line.
"""

from __future__ import annotations

import numpy as np

from pipeline.audio.pcm import MIX_RATE
from studio.mix import Ducking

DETECT_WINDOW_MS = 10  # the level detector's resolution
HOLD_MS = 500  # longer than the pauses inside a line: espeak-ng stops 400 ms at a full stop


def dialogue_present(dialogue: np.ndarray, threshold_db: float, rate: int = MIX_RATE) -> np.ndarray:
    """Per detector window: is the dialogue (a (2, samples) stem) above `threshold_db` dBFS RMS, held over short gaps."""
    window = rate * DETECT_WINDOW_MS // 1000
    count = -(-dialogue.shape[-1] // window)
    padded = np.zeros((dialogue.shape[0], count * window), np.float32)
    padded[:, : dialogue.shape[-1]] = dialogue
    # Mean square of both channels: a line panned to one side keys the ducker as strongly as a centred one.
    power = np.mean(np.square(padded.reshape(dialogue.shape[0], count, window), dtype=np.float64), axis=(0, 2)) * dialogue.shape[0]
    present = power > 10.0 ** (threshold_db / 10.0)
    hold = HOLD_MS // DETECT_WINDOW_MS
    if hold and present.any():
        # A window counts as present if dialogue was present at most `hold` windows before it.
        last_seen = np.where(present, np.arange(count), -(hold + 1))
        present = np.arange(count) - np.maximum.accumulate(last_seen) <= hold
    return present


def ducking_gain_db(dialogue: np.ndarray, ducking: Ducking, rate: int = MIX_RATE) -> np.ndarray:
    """The music's gain in dB for every sample of `dialogue` (a (2, samples) stem): 0 away from dialogue,
    -depth under it, linear ramps between. All zeros when ducking is off or there is no dialogue."""
    samples = dialogue.shape[-1]
    if ducking.depth_db <= 0 or samples == 0:
        return np.zeros(samples, np.float32)
    present = dialogue_present(dialogue, ducking.threshold_db, rate)
    if not present.any():
        return np.zeros(samples, np.float32)
    depth = ducking.depth_db
    # Per window, how many dB the gain may change: a ramp of the whole depth takes attack_ms (down) or release_ms (up).
    down_step = depth * DETECT_WINDOW_MS / ducking.attack_ms if ducking.attack_ms > 0 else depth
    up_step = depth * DETECT_WINDOW_MS / ducking.release_ms if ducking.release_ms > 0 else depth
    # One window more each side: the ramps are interpolated between window centres, and without it the
    # first and last half window of the dialogue would hear the music partly back up.
    present[1:] |= present[:-1].copy()
    present[:-1] |= present[1:].copy()
    attenuation = np.where(present, depth, 0.0)
    # Release runs forwards from the end of the dialogue, attack backwards from its start (the look-ahead).
    # Each pass only raises the attenuation, so the music is exactly -depth wherever dialogue is present.
    attenuation = _decay_forward(attenuation, up_step)
    attenuation = _decay_forward(attenuation[::-1], down_step)[::-1]
    window = rate * DETECT_WINDOW_MS // 1000
    # Window values sit at window centres; in between the ramp is interpolated sample by sample.
    centres = np.arange(attenuation.size) * window + (window - 1) / 2.0
    return (-np.interp(np.arange(samples), centres, attenuation)).astype(np.float32)


def _decay_forward(target: np.ndarray, step: float) -> np.ndarray:
    """out[i] = max(target[i], out[i-1] - step): the level falls back no faster than `step` per window."""
    # With ramp[i] = step * i, out[i] = max over j <= i of (target[j] + ramp[j]) - ramp[i], a running maximum.
    ramp = step * np.arange(target.size, dtype=np.float64)
    return np.maximum(np.maximum.accumulate(target + ramp) - ramp, 0.0)


def duck_music(music: np.ndarray, dialogue: np.ndarray, ducking: Ducking, rate: int = MIX_RATE) -> np.ndarray:
    """`music` (2, samples) with its gain following `ducking_gain_db` of `dialogue`."""
    gain_db = ducking_gain_db(dialogue, ducking, rate)
    if not gain_db.any():
        return music
    return (music * np.power(10.0, gain_db / 20.0, dtype=np.float32)).astype(np.float32)
