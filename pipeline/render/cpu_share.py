"""How many CPUs a render in this process may keep busy: the cores it may run on, unless a farm
gave it fewer. A render overlaps making frames with encoding them only when it has a second CPU
to do it on; on one, the hand-offs between threads (and the fight over the GIL) only cost time."""

from __future__ import annotations

import os

_assigned: int | None = None


def assign_render_cpus(count: int | None) -> None:
    """Set by a farm worker to the CPUs its scheduler gave it; None goes back to the process's cores."""
    global _assigned
    _assigned = None if count is None else max(1, count)


def render_cpus() -> int:
    if _assigned is not None:
        return _assigned
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
