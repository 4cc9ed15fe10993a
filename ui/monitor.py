"""The program monitor: video frames from a QVideoSink painted letterboxed, with the shot and
timecode burnt in like an editor's viewer. With no animatic yet it shows the active take's still."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtMultimedia import QVideoFrame
from PySide6.QtWidgets import QSizePolicy, QWidget


class VideoMonitor(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.image: QImage | None = None
        self.poster: QPixmap | None = None
        self.caption = ""
        self.timecode = ""
        self.empty_text = "No animatic yet — Render ▸ Render All Stale (Ctrl+R)"
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def show_frame(self, frame: QVideoFrame) -> None:
        if frame.isValid():
            self.image = frame.toImage()
            self.update()

    def clear_frame(self) -> None:
        self.image = None
        self.update()

    def set_overlay(self, caption: str, timecode: str, poster: QPixmap | None) -> None:
        self.caption, self.timecode, self.poster = caption, timecode, poster
        self.update()

    def picture_rect(self, width: int, height: int) -> QRectF:
        """Where a width x height picture goes: as large as fits, centred, aspect kept."""
        area = QRectF(self.rect()).adjusted(12, 12, -12, -12)
        scale = min(area.width() / max(1, width), area.height() / max(1, height))
        w, h = width * scale, height * scale
        return QRectF(area.center().x() - w / 2, area.center().y() - h / 2, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#111214"))
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        if self.image is not None and not self.image.isNull():
            target = self.picture_rect(self.image.width(), self.image.height())
            painter.drawImage(target, self.image)
            return  # the animatic carries its own burnt-in slate, timecode and subtitles
        if self.poster is not None:
            target = self.picture_rect(self.poster.width(), self.poster.height())
            painter.drawPixmap(target, self.poster, QRectF(self.poster.rect()))
        else:
            target = self.picture_rect(16, 9)
            painter.fillRect(target, QColor("#000000"))
            painter.setPen(QColor("#6b707a"))
            painter.drawText(target, Qt.AlignmentFlag.AlignCenter, self.empty_text)
        painter.setPen(QColor("#2a2c31"))
        painter.drawRect(target.adjusted(-1, -1, 0, 0))
        font = QFont(painter.font())
        font.setPointSizeF(9)
        font.setBold(True)
        painter.setFont(font)
        for text, align in ((self.caption, Qt.AlignmentFlag.AlignLeft), (self.timecode, Qt.AlignmentFlag.AlignRight)):
            if not text:
                continue
            box = painter.fontMetrics().boundingRect(text).adjusted(-6, -3, 6, 3)
            x = target.left() + 8 if align == Qt.AlignmentFlag.AlignLeft else target.right() - box.width() - 8
            rect = QRectF(x, target.bottom() - box.height() - 8, box.width(), box.height())
            painter.fillRect(rect, QColor(0, 0, 0, 150))
            painter.setPen(QColor("#f0b429") if align == Qt.AlignmentFlag.AlignRight else QColor("#ffffff"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
