"""Which shots a render takes in, beyond those chosen: the chain after them, and new seeds."""

from __future__ import annotations

import random
from collections.abc import Iterable

from studio.commands import SetField
from studio.project import Project
from studio.shot import ContinuityLink, Shot

SEED_LIMIT = 2**31  # seeds are 31-bit, so every backend's generator accepts them


def chained_after(project: Project, shot_ids: Iterable[str]) -> list[str]:
    """Ids of the shots that continue, link by link, from the given ones, up to the next cut."""
    chosen = set(shot_ids)
    following: list[str] = []
    in_chain = False
    for shot in project.shots():
        if shot.id in chosen:
            in_chain = True
        elif in_chain and shot.continuity is ContinuityLink.CHAIN:
            following.append(shot.id)
        else:
            in_chain = False
    return following


def new_seed(current: int, rng: random.Random | None = None) -> int:
    rng = rng or random.SystemRandom()
    while True:
        seed = rng.randrange(1, SEED_LIMIT)
        if seed != current:
            return seed


def reseed(shot: Shot) -> SetField:
    """The edit that gives a shot a new random seed, for a take that differs from the last."""
    return SetField("shot", shot.id, "seed", new_seed(shot.seed), label=f"New seed for shot {shot.number}")
