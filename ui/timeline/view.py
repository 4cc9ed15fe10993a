"""The timeline view: zoom (Ctrl+wheel, fit), scroll, playhead scrubbing, drag to reorder, trim.

Drags only preview on the items; the document changes once, on release, through one command.
"""

from __future__ import annotations

import bisect
import math

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen, QResizeEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from ui.document_controller import DocumentController
from ui.timeline.clip_item import ShotClipItem
from ui.timeline.edits import TimelineEdits
from ui.timeline.ruler import HEADER_WIDTH, PLAYHEAD, RULER_HEIGHT, TimeRuler, TrackHeaders
from ui.timeline.scene import TimelineScene

MIN_PX_PER_FRAME = 0.02
MAX_PX_PER_FRAME = 40.0
DRAG_THRESHOLD = 6


class TimelineView(QGraphicsView):
    zoom_changed = Signal(float)

    def __init__(self, timeline: TimelineScene, edits: TimelineEdits, parent: QWidget | None = None) -> None:
        super().__init__(timeline, parent)
        self.timeline = timeline
        self.edits = edits
        self.controller: DocumentController = timeline.controller
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setViewportMargins(HEADER_WIDTH, RULER_HEIGHT, 0, 0)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setMouseTracking(True)
        self.ruler = TimeRuler(self)
        self.headers = TrackHeaders(self)
        self._press: tuple[QPointF, ShotClipItem | None, str] | None = None  # where, on what, mode
        self._drop_gap: int | None = None
        self.marks: list[int | None] = [None, None]  # in and out points, shaded on the ruler
        self.controller.playhead_changed.connect(self._on_playhead)
        self.controller.project_replaced.connect(self.fit)
        self.controller.project_replaced.connect(lambda: self.marks.__setitem__(slice(None), [None, None]))
        self.horizontalScrollBar().valueChanged.connect(self.ruler.update)
        self.setToolTip("")

    # --- coordinates ------------------------------------------------------------------------------
    def x_for_frame(self, frame: int) -> float:
        return self.mapFromScene(QPointF(frame, 0)).x()

    def frame_at_x(self, x: float) -> int:
        return math.floor(self.mapToScene(int(x), 0).x())

    def _gap_at(self, scene_x: float) -> int:
        frame = scene_x
        starts = [self.timeline.starts[i] for i in self.timeline.order]
        index = bisect.bisect_right(starts, frame) - 1
        if index < 0:
            return 0
        shot_id = self.timeline.order[index]
        middle = starts[index] + self.timeline.clips[shot_id].shot.duration / 2
        return index if frame < middle else index + 1

    # --- zoom and scroll --------------------------------------------------------------------------
    def set_zoom(self, px_per_frame: float, anchor_x: float | None = None) -> None:
        px_per_frame = min(MAX_PX_PER_FRAME, max(MIN_PX_PER_FRAME, px_per_frame))
        anchor_x = self.viewport().width() / 2 if anchor_x is None else anchor_x
        anchor_frame = self.mapToScene(int(anchor_x), 0).x()
        self._apply_zoom(px_per_frame)
        self.horizontalScrollBar().setValue(round(anchor_frame * px_per_frame - anchor_x))
        self.ruler.update()
        self.viewport().update()
        self.zoom_changed.emit(px_per_frame)

    def _apply_zoom(self, px_per_frame: float) -> None:
        """Zoom is one transform on the view: no item moves or changes, whatever the shot count."""
        self.timeline.set_px_per_frame(px_per_frame)
        self.setTransform(QTransform.fromScale(px_per_frame, 1.0))

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.timeline.px_per_frame * factor)

    def fit(self) -> None:
        total = max(1, self.controller.project.duration)
        width = max(200, self.viewport().width() - 24)
        self._apply_zoom(min(MAX_PX_PER_FRAME, max(MIN_PX_PER_FRAME, width / total)))
        self.horizontalScrollBar().setValue(0)
        self.ruler.update()
        self.viewport().update()
        self.zoom_changed.emit(self.timeline.px_per_frame)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y() or event.angleDelta().x()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.set_zoom(self.timeline.px_per_frame * (1.25 if delta > 0 else 0.8), event.position().x())
        else:  # a plain wheel scrolls along time, as in every editor
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - delta)
        event.accept()

    def scroll_to_frame(self, frame: int) -> None:
        x = frame * self.timeline.px_per_frame  # scroll bar units are pixels
        bar = self.horizontalScrollBar()
        if not bar.value() <= x <= bar.value() + self.viewport().width() - 20:
            bar.setValue(round(x - self.viewport().width() * 0.3))

    # --- playhead ---------------------------------------------------------------------------------
    def _on_playhead(self, frame: int) -> None:
        self.viewport().update()
        self.ruler.update()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        layout = self.timeline.layout
        if self._drop_gap is not None:
            order = self.timeline.order
            frame = self.timeline.starts[order[self._drop_gap]] if self._drop_gap < len(order) else self.controller.project.duration
            half = 2 / self.timeline.px_per_frame  # 4 pixels wide at any zoom
            painter.fillRect(QRectF(frame - half, layout.shots_y - 4, 2 * half, layout.clip_height + 8), QColor("#f0b429"))
        pen = QPen(PLAYHEAD, 1.5)
        pen.setCosmetic(True)
        painter.setPen(pen)
        x = self.controller.playhead
        painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, QColor("#1b1c1f"))
        for _, top, height in self.timeline.layout.tracks():
            painter.fillRect(QRectF(rect.left(), top, rect.width(), height), QColor("#212226"))

    # --- mouse: select, scrub, reorder, trim ------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        scene_pos = self.mapToScene(event.position().toPoint())
        item = self._clip_at(scene_pos)
        trimmed = self._trim_handle_at(scene_pos)
        if trimmed is not None:
            item = trimmed
            self._press = (scene_pos, item, "trim")
            if not item.isSelected():
                self.controller.select([item.shot.id])
            event.accept()
            return
        if item is None:  # a click on empty track parks the playhead; a drag there selects (marquee)
            self.controller.set_playhead(math.floor(scene_pos.x()))
        self._press = (scene_pos, item, "press")
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        scene_pos = self.mapToScene(event.position().toPoint())
        if self._press is None:
            on_handle = self._trim_handle_at(scene_pos) is not None
            self.viewport().setCursor(Qt.CursorShape.SizeHorCursor if on_handle else Qt.CursorShape.ArrowCursor)
            super().mouseMoveEvent(event)
            return
        start, item, mode = self._press
        if mode == "trim" and item is not None:
            frames = max(1, round(scene_pos.x() - item.x()))
            item.set_preview_duration(frames)
            return
        if item is not None and (mode == "drag" or abs(scene_pos.x() - start.x()) > DRAG_THRESHOLD):
            if mode != "drag":
                self._press = (start, item, "drag")
                item.setOpacity(0.5)
            self._drop_gap = self._gap_at(scene_pos.x())
            self.viewport().update()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press = self._press, None
        if press is not None and press[1] is not None:
            _, item, mode = press
            if mode == "trim":
                frames = item.preview_duration
                item.set_preview_duration(None)
                if frames is not None:
                    self.edits.trim(item.shot.id, frames)
                return
            if mode == "drag":
                item.setOpacity(1.0)
                gap, self._drop_gap = self._drop_gap, None
                super().mouseReleaseEvent(event)  # the scene ends its mouse grab from the press
                self.viewport().update()
                if gap is not None:
                    self.edits.move_shot(item.shot.id, gap)
                return
        super().mouseReleaseEvent(event)

    def _clip_at(self, scene_pos: QPointF) -> ShotClipItem | None:
        layout = self.timeline.layout
        if not layout.shots_y <= scene_pos.y() <= layout.shots_y + layout.clip_height:
            return None
        index = bisect.bisect_right([self.timeline.starts[i] for i in self.timeline.order], scene_pos.x()) - 1
        if index < 0:
            return None
        item = self.timeline.clips[self.timeline.order[index]]
        return item if scene_pos.x() <= item.x() + item.duration + 2 / self.timeline.px_per_frame else None

    def _trim_handle_at(self, scene_pos: QPointF) -> ShotClipItem | None:
        item = self._clip_at(QPointF(scene_pos.x() - 3 / self.timeline.px_per_frame, scene_pos.y()))
        return item if item is not None and item.on_trim_handle(scene_pos.x()) else None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.ruler.setGeometry(HEADER_WIDTH, 0, self.viewport().width(), RULER_HEIGHT)
        self.headers.setGeometry(0, RULER_HEIGHT, HEADER_WIDTH, self.viewport().height())
