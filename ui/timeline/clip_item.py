"""One shot on the timeline's picture track: thumbnail (or a plain card), number, length, status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from studio.render_inputs import ShotStatus
from studio.shot import Shot

if TYPE_CHECKING:
    from ui.timeline.scene import TimelineScene

TRIM_HANDLE_PX = 7
CLIP_COLORS = ("#2f4a5e", "#3d3a5c", "#2f5449", "#5a4330")  # per sequence, like an editor's clip colours
SELECTED = QColor("#f0b429")
BADGES = {
    ShotStatus.NO_TAKE: ("NO TAKE", QColor("#5c6370")),
    ShotStatus.CURRENT: ("CURRENT", QColor("#2e8b57")),
    ShotStatus.STALE: ("STALE", QColor("#c98a1a")),
}
RENDERING = QColor("#2f7ad1")
FAILED = QColor("#c0392b")


class ShotClipItem(QGraphicsItem):
    def __init__(self, timeline: TimelineScene, shot: Shot, color_index: int) -> None:
        super().__init__()
        self.timeline = timeline
        self.shot = shot
        self.color_index = color_index
        self.signature: tuple = ()
        self.preview_duration: int | None = None  # while a trim drag is under way
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)

    # --- geometry -------------------------------------------------------------------------------
    @property
    def duration(self) -> int:
        return self.preview_duration if self.preview_duration is not None else self.shot.duration

    def boundingRect(self) -> QRectF:
        # Scene x is in frames (the view's transform does the zoom); y is in pixels.
        return QRectF(0, 0, self.duration, self.timeline.layout.clip_height)

    def width(self) -> float:
        """Width on screen in pixels at the current zoom."""
        return self.duration * self.timeline.px_per_frame

    def set_preview_duration(self, frames: int | None) -> None:
        self.prepareGeometryChange()
        self.preview_duration = frames
        self.update()

    def geometry_changed(self) -> None:
        self.prepareGeometryChange()
        self.update()

    def on_trim_handle(self, scene_x: float) -> bool:
        ppf = self.timeline.px_per_frame
        right = self.x() + self.duration
        return self.width() > 3 * TRIM_HANDLE_PX and right - TRIM_HANDLE_PX / ppf <= scene_x <= right + 2 / ppf

    # --- painting -------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        # Paint in screen pixels, so text and pictures keep their size whatever the zoom.
        rect = painter.worldTransform().mapRect(self.boundingRect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.save()
        painter.resetTransform()
        try:
            self._paint_on_screen(painter, rect)
        finally:
            painter.restore()

    def _paint_on_screen(self, painter: QPainter, rect: QRectF) -> None:
        w = rect.width()
        base = QColor(CLIP_COLORS[self.color_index % len(CLIP_COLORS)])
        selected = self.isSelected()
        if w < 6:  # zoomed far out: a sliver of colour is all that reads
            painter.fillRect(rect, SELECTED if selected else base.lighter(130))
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(SELECTED, 2) if selected else QPen(QColor("#101114"), 1))
        painter.setBrush(QBrush(base))
        painter.drawRoundedRect(rect, 3, 3)
        if w < 26:
            self._paint_number(painter, rect, compact=True)
            return
        text_top = self._paint_picture(painter, rect)
        self._paint_number(painter, rect, compact=False)
        self._paint_caption(painter, rect, text_top)
        self._paint_badge(painter, rect)
        if self.isUnderMouse() or self.preview_duration is not None:
            handle = QRectF(rect.right() - TRIM_HANDLE_PX + 2, rect.top() + 4, 3, rect.height() - 8)
            painter.fillRect(handle, QColor(255, 255, 255, 150))

    def _paint_picture(self, painter: QPainter, rect: QRectF) -> float:
        """The active take's thumbnail across the top of the clip; returns where the text band starts."""
        band = 20.0
        pic = QRectF(rect.left() + 3, rect.top() + 3, rect.width() - 6, rect.height() - band - 5)
        take = self.shot.active_take
        pixmap = self.timeline.thumbnails.get(take.thumbnail if take else None)
        painter.save()
        painter.setClipRect(pic)
        if pixmap is not None:
            # Tile the frame like an editor's filmstrip so long shots read as one continuous clip.
            scaled_w = pixmap.width() * pic.height() / max(1, pixmap.height())
            x = pic.left()
            while x < pic.right():
                painter.drawPixmap(QRectF(x, pic.top(), scaled_w, pic.height()), pixmap, QRectF(pixmap.rect()))
                x += scaled_w
                if pic.width() < scaled_w * 1.5:
                    break
        else:
            painter.fillRect(pic, QColor(0, 0, 0, 60))
            painter.setPen(QColor(255, 255, 255, 90))
            font = QFont(painter.font())
            font.setPointSizeF(8)
            painter.setFont(font)
            card = f"{self.shot.size.value} · {self.shot.lens_mm:g}mm\n{self.shot.camera.describe()}"
            painter.drawText(pic.adjusted(6, 14, -4, -2), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, card)
        painter.restore()
        return pic.bottom() + 1

    def _paint_number(self, painter: QPainter, rect: QRectF, compact: bool) -> None:
        font = QFont(painter.font())
        font.setBold(True)
        font.setPointSizeF(8.5)
        painter.setFont(font)
        text = self.shot.number
        metrics = QFontMetrics(font)
        box = QRectF(rect.left() + 4, rect.top() + 4, metrics.horizontalAdvance(text) + 8, metrics.height() + 2)
        if compact:
            painter.setPen(QColor("#e8e8e8"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 170))
        painter.drawRoundedRect(box, 2, 2)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_caption(self, painter: QPainter, rect: QRectF, top: float) -> None:
        font = QFont(painter.font())
        font.setBold(False)
        font.setPointSizeF(8)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        band = QRectF(rect.left() + 5, top, rect.width() - 10, rect.bottom() - top)
        length = self.timeline.duration_text(self.duration)
        painter.setPen(QColor("#aab2bf"))
        painter.drawText(band, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, length)
        room = band.width() - metrics.horizontalAdvance(length) - 8
        if room > 20:
            text = metrics.elidedText(self.shot.description or "(no description)", Qt.TextElideMode.ElideRight, int(room))
            painter.setPen(QColor("#d7dae0"))
            painter.drawText(band, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_badge(self, painter: QPainter, rect: QRectF) -> None:
        state = self.timeline.render_state
        if self.shot.id in state.progress:
            text, color = f"{round(state.progress[self.shot.id] * 100)}%", RENDERING
        elif self.shot.id in state.failures:
            text, color = "FAILED", FAILED
        else:
            status = self.timeline.status_of(self.shot)
            text, color = BADGES[status]
            if status is ShotStatus.CURRENT:  # the normal state stays quiet: a small green dot
                text = ""
        font = QFont(painter.font())
        font.setBold(True)
        font.setPointSizeF(6.5)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        width = metrics.horizontalAdvance(text) + 8
        if not text or width + 30 > rect.width():
            box = QRectF(rect.right() - 13, rect.top() + 6, 8, 8)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawEllipse(box)
            return
        box = QRectF(rect.right() - width - 4, rect.top() + 4, width, metrics.height() + 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(box, 2, 2)
        if self.shot.id in state.progress:  # a progress fill behind the percentage
            painter.setBrush(QColor(255, 255, 255, 60))
            painter.drawRect(QRectF(box.left(), box.bottom() - 2, box.width() * state.progress[self.shot.id], 2))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def hoverEnterEvent(self, event) -> None:
        self.update()

    def hoverLeaveEvent(self, event) -> None:
        self.update()
