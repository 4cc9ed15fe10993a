"""A list that takes files dropped on its rows (reference images onto a character, a plate onto a place)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QImageReader
from PySide6.QtWidgets import QListWidget

IMAGE_FORMATS = {"png", "jpg", "jpeg", "webp", "bmp", "gif", "tif", "tiff"}


def image_problem(path: Path) -> str | None:
    """Why a file cannot be a reference image, or None if it is a readable still."""
    if not path.is_file():
        return f"{path.name} is not a file"
    reader = QImageReader(str(path))
    fmt = bytes(reader.format().data()).decode("ascii", "replace").lower()
    if fmt not in IMAGE_FORMATS or not reader.canRead():
        kind = path.suffix.lstrip(".").upper() or "unknown"
        return f"{path.name} is not an image ({kind} file): drop a PNG, JPEG or WebP still"
    return None


class FileDropList(QListWidget):
    files_dropped = Signal(str, object)  # the row's object id, list[Path]

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls() and self.itemAt(event.position().toPoint()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if item is None or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.files_dropped.emit(item.data(Qt.ItemDataRole.UserRole), paths)
