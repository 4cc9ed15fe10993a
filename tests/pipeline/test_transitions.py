"""Transitions blend across the cut without changing the length of the cut."""

import numpy as np
import pytest

from pipeline.assemble.transitions import with_transitions
from studio.shot import Transition, TransitionType


def solid(value: int, count: int) -> list[np.ndarray]:
    return [np.full((4, 6, 3), value, np.uint8) for _ in range(count)]


def run(clips):
    black = np.zeros((4, 6, 3), np.uint8)
    return list(with_transitions([(frames, len(frames), t) for frames, t in clips], black))


@pytest.mark.parametrize("kind", [TransitionType.CUT, TransitionType.DISSOLVE, TransitionType.FADE])
@pytest.mark.parametrize("length", [0, 1, 6, 7, 40])
def test_sequence_is_as_long_as_its_shots_whatever_the_transition(kind, length):
    clips = [(solid(200, 10), Transition()), (solid(100, 12), Transition(kind, length)), (solid(50, 9), Transition(kind, length))]
    out = run(clips)
    assert len(out) == 31
    owners = [index for index, _, _ in out]
    assert owners == sorted(owners), "frames come out in timeline order"
    for index in range(3):
        positions = [pos for i, pos, _ in out if i == index]
        assert positions == list(range(len(clips[index][0]))), "every frame of every clip is shown once, in order"


def test_dissolve_is_centred_on_the_cut_and_blends_monotonically():
    out = run([(solid(200, 10), Transition()), (solid(100, 10), Transition(TransitionType.DISSOLVE, 6))])
    values = [int(frame[0, 0, 0]) for _, _, frame in out]
    assert values[:7] == [200] * 7
    assert values[13:] == [100] * 7
    middle = values[7:13]
    assert all(a > b for a, b in zip(middle, middle[1:], strict=False)), middle
    assert 100 < middle[0] < 200 and 100 < middle[-1] < 200


def test_fade_goes_through_black_at_the_cut():
    out = run([(solid(200, 10), Transition()), (solid(100, 10), Transition(TransitionType.FADE, 8))])
    values = [int(frame[0, 0, 0]) for _, _, frame in out]
    assert min(values[6:14]) < 30, values
    assert values[0] == 200 and values[-1] == 100


def test_opening_fade_comes_up_from_black():
    out = run([(solid(200, 10), Transition(TransitionType.FADE, 4)), (solid(100, 5), Transition())])
    values = [int(frame[0, 0, 0]) for _, _, frame in out]
    assert values[0] < values[1] < values[3] and values[4] == 200
