"""Export into a hidden staging folder, then move the results into place only when all are complete.

A failed, cancelled or crashed export leaves the destination as it was: no half-written timeline
next to a good one, no media folder missing half its shots. The staging folder sits inside the
destination (or beside it, when the destination is a new folder) so the final moves are renames on
one file system.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from types import TracebackType

from pipeline.export.errors import ExportError


def _describe(exc: OSError) -> str:
    return exc.strerror or str(exc)


# Written into every folder an export creates: only such a folder is ever replaced by a later export,
# so an export into a busy folder cannot delete a 'media' folder that is not ours.
EXPORT_MARKER = ".storyboard-studio-export"


def check_replaceable(folder: Path) -> None:
    """Raises ExportError if `folder` exists and is not one a previous export made."""
    if folder.exists() and not (folder / EXPORT_MARKER).is_file():
        raise ExportError(
            f"{folder}: a folder of that name is already there and was not written by a Storyboard Studio export; choose another destination or move it"
        )


class Staging:
    def __init__(self, destination: Path) -> None:
        self.destination = Path(destination).absolute()
        self._creates_destination = not self.destination.exists()
        self.root: Path | None = None

    def __enter__(self) -> Staging:
        parent = self.destination.parent
        if self.destination.exists() and not self.destination.is_dir():
            raise ExportError(f"{self.destination}: is a file, not a folder; choose a folder to export into")
        if not parent.is_dir():
            raise ExportError(f"{parent}: no such folder; create it first or choose another destination")
        where = parent if self._creates_destination else self.destination
        try:
            # Not mkdtemp: its folder is private (0700), and when it becomes the destination the
            # export must have the permissions any new folder of the user's has.
            root = where / f".{self.destination.name}.export-{uuid.uuid4().hex[:12]}"
            root.mkdir(mode=0o777)
            self.root = root
        except OSError as exc:
            raise ExportError(f"{where}: cannot write there ({_describe(exc)}); choose a folder you can write to") from None
        return self

    def path(self, name: str) -> Path:
        """Where to write the entry that will end up as destination/name."""
        assert self.root is not None
        return self.root / name

    def final(self, name: str) -> Path:
        return self.destination / name

    def commit(self) -> list[Path]:
        """Moves every staged entry into the destination; returns the final paths."""
        assert self.root is not None
        entries = sorted(self.root.iterdir(), key=lambda e: (not e.is_dir(), e.name))  # media before the timelines that point at them
        for entry in entries:
            if entry.is_dir():
                (entry / EXPORT_MARKER).write_text("written by Storyboard Studio; a later export may replace this folder\n", encoding="utf-8")
        try:
            if self._creates_destination:
                os.rename(self.root, self.destination)
                self.root = None
                return [self.destination / e.name for e in entries]
            for entry in entries:
                self._move_into_place(entry, self.destination / entry.name)
        except OSError as exc:
            raise ExportError(f"{self.destination}: could not move the finished export into place ({_describe(exc)})") from None
        return [self.destination / e.name for e in entries]

    def _move_into_place(self, staged: Path, final: Path) -> None:
        if not staged.is_dir() or not final.exists():
            if staged.is_file() and final.is_dir():
                raise ExportError(f"{final}: a folder is in the way of the exported file; move it or choose another name")
            os.replace(staged, final)
            return
        if not final.is_dir():
            raise ExportError(f"{final}: a file is in the way of the exported folder; move it or choose another name")
        check_replaceable(final)
        # A folder (the media) replaces the previous export's folder: old aside, new in, old removed.
        assert self.root is not None
        old = self.root / f".previous-{final.name}"
        os.rename(final, old)
        os.rename(staged, final)
        shutil.rmtree(old, ignore_errors=True)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
