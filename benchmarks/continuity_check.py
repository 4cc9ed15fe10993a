"""Time of the continuity checker and of the continuity text on a big project: 1,000 shots, with a
continuity ledger logged on about half of them.

Target (issue: continuity ledger): checking a 1,000-shot project takes < 200 ms. Prints the best of
several runs, the ratio to the target, and the time to render the continuity text of every shot.

    python benchmarks/continuity_check.py [--shots 1000] [--runs 7]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.project_io import big_project
from studio.continuity.changes import Aspect, ChangeOp, ContinuityChange, picks_up, puts_down, wardrobe
from studio.continuity.checker import check_project
from studio.continuity.prompt import continuity_prompt, continuity_prompts
from studio.project import Project

CHECK_TARGET_MS = 200.0


def ledger_project(shot_count: int) -> Project:
    """`big_project`'s shots with a ledger: wardrobe and hair changes, props picked up and put down,
    lighting and set changes, axis changes, some of them breaks (so findings are formatted too)."""
    project = big_project(shot_count)
    for n, shot in enumerate(project.shots()):
        cast_changes: list[ContinuityChange] = []
        if n % 10 == 0:
            cast_changes.append(wardrobe(f"costume {n // 40}"))
        if n % 12 == 1:
            cast_changes.append(ContinuityChange(Aspect.HAIR_MAKEUP, f"hair {n // 60}"))
        if n % 7 == 0:
            cast_changes.append(picks_up(f"prop {n % 13}"))
        elif n % 7 == 3:
            cast_changes.append(puts_down(f"prop {(n - 3) % 13}"))
        if n % 5 == 2:
            cast_changes.append(ContinuityChange(Aspect.EMOTION, ["calm", "tense", "angry", "relieved"][n % 4]))
        if cast_changes:
            shot.characters[0] = replace(shot.characters[0], changes=tuple(cast_changes))
        if n % 25 == 3:
            shot.continuity_changes.append(ContinuityChange(Aspect.LIGHTING, f"key light from the {['left', 'right'][n % 2]}"))
        if n % 11 == 0:
            shot.continuity_changes.append(ContinuityChange(Aspect.PROPS_PRESENT, f"prop {n % 13}", ChangeOp.ADD))
        if n % 4 == 0:
            shot.continuity_changes.append(ContinuityChange(Aspect.AXIS, f"axis {n}"))
    return project


def best_ms(fn: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    project = ledger_project(args.shots)
    findings = check_project(project)
    check_ms = best_ms(lambda: check_project(project), args.runs)
    prompts_ms = best_ms(lambda: continuity_prompts(project), args.runs)
    one_by_one_ms = best_ms(lambda: [continuity_prompt(project, shot) for shot in project.shots()], 1)
    changes = sum(len(s.continuity_changes) + sum(len(c.changes) for c in s.characters) for s in project.shots())
    print(f"project: {args.shots} shots, {changes} ledger entries, {len(findings)} findings")
    print(
        f"check:   {check_ms:7.1f} ms  target < {CHECK_TARGET_MS:.0f} ms  ({check_ms / CHECK_TARGET_MS:.2f} of target)  {'ok' if check_ms < CHECK_TARGET_MS else 'MISSED'}"
    )
    print(f"continuity text of every shot, one fold:  {prompts_ms:7.1f} ms  ({prompts_ms / check_ms:.2f}x the check)")
    print(f"continuity text of every shot, one by one: {one_by_one_ms:7.1f} ms  ({one_by_one_ms / prompts_ms:.1f}x the one fold)")
    return 0 if check_ms < CHECK_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
