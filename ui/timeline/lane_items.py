"""Dialogue lines and sound cues on their own tracks, each placed at its frame in its shot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from studio.shot import SoundCueKind

if TYPE_CHECKING:
    from ui.timeline.scene import TimelineScene

SOUND_COLORS = {SoundCueKind.AMBIENCE: "#3a6b5a", SoundCueKind.SFX: "#7a5a2e", SoundCueKind.MUSIC: "#5b4a7a"}
DIALOGUE_COLOR = "#2e5f8a"


class LaneItem(QGraphicsItem):
    """A labelled bar `frames` long on a lane; the scene sets its x from the shot's start."""

    def __init__(self, timeline: TimelineScene, shot_id: str, offset: int, frames: int, text: str, color: str, height: float) -> None:
        super().__init__()
        self.timeline = timeline
        self.shot_id = shot_id
        self.offset = offset  # frames from the shot's start
        self.frames = max(1, frames)
        self.text = text
        self.color = QColor(color)
        self.height = height
        self.setToolTip(text)
        self.setZValue(1)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.frames, self.height)  # x in frames: the view's transform zooms

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        rect = painter.worldTransform().mapRect(self.boundingRect()).adjusted(0.5, 1.5, -0.5, -1.5)
        painter.save()
        painter.resetTransform()
        try:
            self._paint_on_screen(painter, rect)
        finally:
            painter.restore()

    def _paint_on_screen(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(QPen(self.color.lighter(140), 1))
        painter.setBrush(self.color)
        painter.drawRect(rect)
        if rect.width() < 24:
            return
        font = QFont(painter.font())
        font.setPointSizeF(7.5)
        painter.setFont(font)
        painter.setPen(QColor("#e6e6e6"))
        text = QFontMetrics(font).elidedText(self.text, Qt.TextElideMode.ElideRight, int(rect.width() - 8))
        painter.drawText(rect.adjusted(4, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)


def dialogue_frames(text: str, words_per_minute: int, fps: float) -> int:
    """How long a line plays, read at the character's pace (what the scratch voice will take)."""
    words = max(1, len(text.split()))
    return max(1, round(words / max(60, words_per_minute) * 60 * fps))
