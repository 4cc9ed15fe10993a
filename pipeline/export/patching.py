"""Swapping an attribute of a third-party module for the length of one write, safely across threads."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from types import ModuleType

PATCH_LOCK = threading.RLock()  # re-entrant: one writer may swap several attributes


@contextlib.contextmanager
def swapped(module: ModuleType, name: str, replacement: object) -> Iterator[None]:
    """`module.name` is `replacement` while the block runs. The lock keeps two exports in threads
    from restoring each other's attribute."""
    with PATCH_LOCK:
        original = getattr(module, name)
        setattr(module, name, replacement)
        try:
            yield
        finally:
            setattr(module, name, original)
