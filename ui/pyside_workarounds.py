"""Work-arounds for defects of the Qt binding that this app would otherwise hit.

PySide6 6.12.0 on CPython 3.11 returns singletons without taking a reference: every call of a Qt
method that returns nothing (QLabel.setText, QGraphicsItem.setPos, QPainter.drawRect ...) drops a
reference to None, and every `Signal.emit` drops one to True. From Python 3.12 these objects are
immortal (PEP 683) and this is harmless; on 3.11 None's count (about 5,000 at start) reaches zero
after a few thousand calls — seconds of painting the timeline — and the interpreter aborts with
"none_dealloc: deallocating None" (or "bool_dealloc" at exit). `protect_singletons` gives None,
True and False the effectively endless count they have on 3.12. Remove once PySide6 is fixed or
the app requires Python >= 3.12.
"""

from __future__ import annotations

import sys

REFCOUNT_RESERVE = 1 << 48  # decades of calls; far from overflowing a 64-bit count


def protect_singletons() -> bool:
    """Makes None, True and False practically immortal on CPython < 3.12; True if it changed any."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import ctypes

    changed = False
    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))  # ob_refcnt: the first field of every object
        seen = sys.getrefcount(singleton)
        if abs(count.value - seen) > 2 or count.value > REFCOUNT_RESERVE // 2:
            continue  # an object layout we do not know (a debug build), or already done
        count.value += REFCOUNT_RESERVE
        changed = True
    return changed


