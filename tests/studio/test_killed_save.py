"""A save killed at any moment leaves the project exactly as the last or the next save wrote it."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from multiprocessing.context import BaseContext
from multiprocessing.synchronize import Event
from pathlib import Path

from studio.demo import demo_project
from studio.project import Project, Sequence
from studio.project_file import PROJECT_FILE, load_project, parse_project_file, save_project
from studio.shot import Shot

KILLS = 100


def _save_a_and_b_until_killed(folder: str, ready: Event) -> None:
    """The saver: loads state A from the folder, derives B from a second load (so the two share no
    objects), then saves B, A, B, A ... until it is killed."""
    a = load_project(folder)
    b = state_b(load_project(folder))
    ready.set()
    while True:
        save_project(b, folder)
        save_project(a, folder)


def _process_context() -> BaseContext:
    """fork where there is one: the saver starts in milliseconds, with the modules already imported."""
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")


def state_a() -> Project:
    """The demo with extra shots of long descriptions: one save writes a few hundred KB, so it lasts
    long enough to be killed half-way, while loading (per object) stays quick."""
    project = demo_project()
    project.sequences.append(
        Sequence(
            id="extra", name="4 EXTRA", shots=[Shot(id=f"x{n}", number=str(100 + n), duration=24 + n, description=f"{n} " + "x" * 4000) for n in range(60)]
        )
    )
    return project


def state_b(project: Project) -> Project:
    """A differs from B in its title, one shot's fields and its number of shots."""
    project.title = "Last Order (recut)"
    first = next(project.shots())
    first.description = "B: " + first.description
    first.duration += 1
    del project.sequences[-1].shots[-20:]
    return project


def test_a_save_killed_at_a_random_moment_leaves_the_old_or_the_new_project(tmp_path: Path) -> None:
    expected_a = state_a()
    folder = save_project(expected_a, tmp_path / "Killed.storyboard")
    expected_b = state_b(load_project(folder))  # the same project (same id), changed
    assert expected_a != expected_b
    seen = {"A": 0, "B": 0}
    interrupted = 0  # kills that left a half-written temporary file behind
    rng = random.Random(20260101)
    context = _process_context()
    for attempt in range(KILLS):
        save_project(expected_a, folder)  # every attempt starts from A on disk
        ready = context.Event()
        saver = context.Process(target=_save_a_and_b_until_killed, args=(str(folder), ready), daemon=True)
        saver.start()
        try:
            assert ready.wait(timeout=30), f"attempt {attempt}: the saver did not start"
            time.sleep(rng.uniform(0.0, 0.04))
        finally:
            saver.kill()  # SIGKILL: no cleanup, no atexit, the file system sees whatever was written so far
            saver.join(timeout=30)
        assert saver.exitcode == (-signal.SIGKILL if hasattr(signal, "SIGKILL") else saver.exitcode), f"attempt {attempt}: the saver ended on its own"
        interrupted += any(p.name.endswith(".tmp") for p in folder.iterdir())
        loaded = load_project(folder)  # temporary files left behind by the kill must not get in the way
        if loaded == expected_a:
            seen["A"] += 1
        elif loaded == expected_b:
            seen["B"] += 1
        else:
            raise AssertionError(f"attempt {attempt}: the project is neither the old nor the new state")
    # Kills landed in both halves of the loop and in the middle of writes: the saves really were cut short.
    assert seen["A"] > 0 and seen["B"] > 0, seen
    assert interrupted > 0

    # The next save clears whatever temporary files the kills left.
    save_project(expected_a, folder)
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []
    assert load_project(folder / PROJECT_FILE) == expected_a


def test_a_save_after_one_killed_between_backup_and_rename_leaves_no_temporary_file(tmp_path: Path) -> None:
    folder = save_project(state_a(), tmp_path / "Linked.storyboard")
    backup = folder / "project.json.bak"
    backup.unlink(missing_ok=True)
    os.link(folder / PROJECT_FILE, backup)  # what a kill right after the backup step leaves: one inode, two names
    save_project(state_b(state_a()), folder)
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []
    assert load_project(folder) == state_b(state_a())
    assert parse_project_file(backup) == state_a(), "the backup keeps the previous save"
