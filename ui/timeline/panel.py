"""The timeline dock's contents: a slim transport/zoom bar over the timeline view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from ui.document_controller import DocumentController
from ui.render_state import RenderState
from ui.thumbnails import ThumbnailCache
from ui.timeline.edits import TimelineEdits
from ui.timeline.scene import TimelineScene
from ui.timeline.view import TimelineView


class TimelinePanel(QWidget):
    def __init__(self, controller: DocumentController, edits: TimelineEdits, thumbnails: ThumbnailCache, render_state: RenderState) -> None:
        super().__init__()
        self.controller = controller
        self.setObjectName("timelinePanel")
        self.scene = TimelineScene(controller, thumbnails, render_state)
        self.view = TimelineView(self.scene, edits, self)
        bar = QWidget(objectName="timelineBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 2, 8, 2)
        self.timecode = QLabel(objectName="timecode")
        self.timecode.setToolTip("Playhead timecode (HH:MM:SS:FF) and the shot under it")
        self.summary = QLabel(objectName="timelineSummary")
        row.addWidget(self.timecode)
        row.addSpacing(16)
        row.addWidget(self.summary)
        row.addStretch(1)
        for text, tip, slot in (
            ("−", "Zoom out (Ctrl+wheel down, -)", lambda: self.view.zoom_by(0.8)),
            ("+", "Zoom in (Ctrl+wheel up, =)", lambda: self.view.zoom_by(1.25)),
            ("Fit", "Fit the whole cut in view (Shift+Z)", self.view.fit),
        ):
            button = QToolButton(text=text, toolTip=tip)
            button.clicked.connect(slot)
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(self.view, 1)
        controller.playhead_changed.connect(self._show_playhead)
        controller.changed.connect(lambda _command: self._show_playhead(controller.playhead))
        controller.project_replaced.connect(lambda: self._show_playhead(controller.playhead))
        self._show_playhead(0)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _show_playhead(self, frame: int) -> None:
        project = self.controller.project
        rate = project.format.frame_rate
        found = self.controller.shot_at(frame)
        where = f"  shot {found[0].number} +{found[1]}f" if found else ""
        self.timecode.setText(f"{rate.timecode(frame)}{where}")
        count = sum(len(s.shots) for s in project.sequences)
        self.summary.setText(f"{count} shots · {rate.timecode(project.duration)} · {project.format.size_text} @ {rate} fps")
