"""Writing a file so that a reader sees its old content or its new content, never part of it:
the bytes go to a temporary file beside it, which is then renamed over it.

`durable` also waits until the bytes are on disk before the rename, for files whose loss after a
crash would lose work (media, the render queue, autosaves); caches that can be made again skip it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMP_PREFIX = ".incoming-"  # a file named so is being written, or was left by a killed writer


def write_atomically(target: Path, write: Callable[[BinaryIO], None], durable: bool = False, suffix: str = "") -> None:
    """Creates the target's folder if needed, calls `write` with the open temporary file, renames."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX, suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomically(target: Path, data: bytes, durable: bool = False) -> None:
    write_atomically(target, lambda fh: fh.write(data), durable)
