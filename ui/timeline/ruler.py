"""The time ruler above the tracks (timecode, click or drag to scrub) and the track headers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPolygonF
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from ui.timeline.view import TimelineView

PLAYHEAD = QColor("#ff4d4d")
RULER_HEIGHT = 26
HEADER_WIDTH = 96
_STEPS_SECONDS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800)


class TimeRuler(QWidget):
    def __init__(self, view: TimelineView) -> None:
        super().__init__(view)
        self.view = view
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Click or drag to move the playhead (frame accurate)")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#232428"))
        painter.setPen(QColor("#3a3c42"))
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        view = self.view
        rate = view.controller.project.format.frame_rate
        ppf = view.timeline.px_per_frame
        base = rate.timecode_base
        step = next((s for s in _STEPS_SECONDS if s * base * ppf >= 90), _STEPS_SECONDS[-1]) * base
        first_frame = max(0, view.frame_at_x(0))
        last_frame = view.frame_at_x(self.width()) + 1
        font = QFont(painter.font())
        font.setPointSizeF(7.5)
        painter.setFont(font)
        minor = step // 5 or 1
        frame = first_frame - first_frame % minor
        while frame <= last_frame:
            x = view.x_for_frame(frame)
            if frame % step == 0:
                painter.setPen(QColor("#8a8f98"))
                painter.drawLine(QPointF(x, self.height() - 10), QPointF(x, self.height() - 1))
                painter.drawText(QPointF(x + 3, 11), rate.timecode(frame))
            else:
                painter.setPen(QColor("#4a4d55"))
                painter.drawLine(QPointF(x, self.height() - 5), QPointF(x, self.height() - 1))
            frame += minor
        mark_in, mark_out = view.marks
        if mark_in is not None or mark_out is not None:  # the in/out range, as editors shade it
            left = view.x_for_frame(mark_in if mark_in is not None else 0)
            right = view.x_for_frame((mark_out if mark_out is not None else view.controller.project.duration - 1) + 1)
            painter.fillRect(QRectF(left, 0, max(2.0, right - left), self.height()), QColor(240, 180, 41, 45))
            painter.setPen(QColor("#f0b429"))
            for x in (left if mark_in is not None else None, right if mark_out is not None else None):
                if x is not None:
                    painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        x = view.x_for_frame(view.controller.playhead)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(PLAYHEAD)
        painter.drawPolygon(QPolygonF([QPointF(x - 6, self.height() - 12), QPointF(x + 6, self.height() - 12), QPointF(x, self.height() - 2)]))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.view.controller.set_playhead(self.view.frame_at_x(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.view.controller.set_playhead(self.view.frame_at_x(event.position().x()))


class TrackHeaders(QWidget):
    def __init__(self, view: TimelineView) -> None:
        super().__init__(view)
        self.view = view

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#232428"))
        font = QFont(painter.font())
        font.setPointSizeF(8)
        font.setBold(True)
        painter.setFont(font)
        offset = self.view.mapFromScene(QPointF(0, 0)).y()
        for name, top, height in self.view.timeline.layout.tracks():
            rect = QRectF(0, top + offset, self.width() - 1, height)
            painter.fillRect(rect.adjusted(0, 1, 0, -1), QColor("#2a2c31"))
            painter.setPen(QColor("#b8bec9"))
            painter.drawText(rect.adjusted(8, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
        painter.setPen(QColor("#3a3c42"))
        painter.drawLine(self.width() - 1, 0, self.width() - 1, self.height())
