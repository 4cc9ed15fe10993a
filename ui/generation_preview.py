"""A small picture of the shot being generated: the engine's latent preview every few denoising
steps, with the step and the time left, so a long generation shows it is getting somewhere."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pipeline.progress import ProgressEvent

PREVIEW_HEIGHT = 96


def rgb_pixmap(rgb: np.ndarray, height: int) -> QPixmap:
    rgb = np.ascontiguousarray(rgb)
    image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format.Format_RGB888).copy()  # copy: rgb's buffer is not Qt's
    return QPixmap.fromImage(image).scaledToHeight(height, Qt.TransformationMode.FastTransformation)


class GenerationPreview(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.picture = QLabel(objectName="generationPreview")
        self.caption = QLabel(objectName="generationPreviewCaption")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.picture)
        layout.addWidget(self.caption)
        self.setVisible(False)

    def show_event(self, event: ProgressEvent) -> None:
        """Takes every progress event; shows those that carry a preview, and the time left."""
        if event.preview is not None:
            self.picture.setPixmap(rgb_pixmap(event.preview, PREVIEW_HEIGHT))
            self.setVisible(True)
        if self.isVisible() and event.stage == "denoise" and event.done:
            left = f", about {event.eta_s:.0f} s left" if event.eta_s is not None else ""
            self.caption.setText(f"{event.job}: step {event.done} of {event.total}{left}")

    def clear(self) -> None:
        self.picture.clear()
        self.caption.clear()
        self.setVisible(False)
