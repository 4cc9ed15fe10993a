"""Transitions between clips, centred on the cut, without changing the length of the cut.

    A: ...a a a a|a'a'a'         a' = A's last frame held
    B:     b b b b|b b b b ...   b  = B's first frame held before the cut
          <--d/2-->|<--d/2-->
    out:  ...A A [A+B blended over d frames] B B ...

Each shot keeps its full length, so the sequence is exactly as long as the sum of its shots.
The first frames of the film fade up from black when the first shot has a fade or dissolve.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import cv2
import numpy as np

from studio.shot import Transition, TransitionType


def transition_length(transition: Transition, this_duration: int, previous_duration: int | None) -> int:
    if transition.type is TransitionType.CUT or transition.duration <= 0:
        return 0
    limit = this_duration if previous_duration is None else min(this_duration, previous_duration)
    return max(0, min(transition.duration, limit))


def blend(a: np.ndarray, b: np.ndarray, alpha: float, kind: TransitionType) -> np.ndarray:
    if kind is TransitionType.FADE:
        if alpha < 0.5:
            return cv2.convertScaleAbs(a, alpha=1.0 - 2.0 * alpha)
        return cv2.convertScaleAbs(b, alpha=2.0 * alpha - 1.0)
    return cv2.addWeighted(a, 1.0 - alpha, b, alpha, 0.0)


def with_transitions(clips: list[tuple[Iterable[np.ndarray], int, Transition]], black: np.ndarray) -> Iterator[tuple[int, int, np.ndarray]]:
    """Yields (clip index, frame within that clip, frame) for a list of (frames, duration, transition in)."""
    lengths = [transition_length(t, d, clips[i - 1][1] if i else None) for i, (_, d, t) in enumerate(clips)]
    if len(clips) > 1:  # the opening fade and the first cut's hold-back must both fit in the first shot
        lengths[0] = min(lengths[0], clips[0][1] - lengths[1] // 2)
    held: list[np.ndarray] = []  # the previous clip's last frames, kept back for the blend
    previous_last = black
    for index, (frames, duration, transition) in enumerate(clips):
        source = iter(frames)
        d_in = lengths[index]
        before_cut = 0 if index == 0 else d_in // 2
        after_cut = d_in - before_cut
        hold_back = lengths[index + 1] // 2 if index + 1 < len(clips) else 0
        consumed = 0
        if d_in:
            head = [next(source) for _ in range(after_cut)]
            consumed = after_cut
            for k in range(before_cut):
                yield index - 1, clips[index - 1][1] - before_cut + k, blend(held[k], head[0], (k + 0.5) / d_in, transition.type)
            # From black a fade is a plain fade-up; through black it would sit dark for half its length.
            kind = transition.type if index else TransitionType.DISSOLVE
            for k in range(after_cut):
                yield index, k, blend(previous_last if index else black, head[k], (before_cut + k + 0.5) / d_in, kind)
            previous_last = head[-1]
        held = []
        for position in range(consumed, duration):
            frame = next(source)
            previous_last = frame
            if position >= duration - hold_back:
                held.append(frame)
            else:
                yield index, position, frame
        for _ in source:  # let the source finish (close its file, record its take) before the next clip
            pass
