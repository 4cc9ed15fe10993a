"""Take thumbnails as pixmaps, loaded once per media reference and only when first painted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap

from studio.errors import StudioError
from studio.media_store import MediaStore


class ThumbnailCache:
    def __init__(self, height: int = 120) -> None:
        self.height = height
        self.store: MediaStore | None = None
        self._pixmaps: dict[str, QPixmap | None] = {}

    def set_store(self, store: MediaStore | None) -> None:
        self.store = store
        self._pixmaps.clear()

    def get(self, ref: str | None) -> QPixmap | None:
        """The thumbnail for a media reference, or None when there is none or the file is missing."""
        if ref is None or self.store is None:
            return None
        if ref not in self._pixmaps:
            self._pixmaps[ref] = self._load(ref)
        return self._pixmaps[ref]

    def _load(self, ref: str) -> QPixmap | None:
        try:
            path = self.store.resolve(ref) if self.store else None
        except StudioError:
            return None
        if path is None or not path.is_file():
            return None
        pixmap = QPixmap(str(path))
        if pixmap.isNull():
            return None
        return pixmap.scaledToHeight(self.height, Qt.TransformationMode.SmoothTransformation)
