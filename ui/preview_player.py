"""The preview player: the assembled animatic from the playhead, with editor transport keys.

J/K/L shuttle (L again plays faster, J steps back a second: the media backend cannot play in
reverse), K or Space stop/start; the playhead follows playback and playback starts at the playhead.
With looping on and both in and out points marked, playback stays between them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QMetaObject, Qt, QTimer, QUrl
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoSink
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from ui.document_controller import STATUS_MS, DocumentController
from ui.monitor import VideoMonitor
from ui.render_worker import sequence_output
from ui.thumbnails import ThumbnailCache

RATES = (1.0, 2.0, 4.0)


class PreviewPlayer(QWidget):
    def __init__(self, controller: DocumentController, thumbnails: ThumbnailCache) -> None:
        super().__init__()
        self.controller = controller
        self.thumbnails = thumbnails
        self.source: Path | None = None
        self._following = False  # the playhead is being moved by playback, not by the user
        self._closed = False
        self.loop = False
        # The in and out points (frames or None); the window hands over the timeline's marks.
        self.range_provider: Callable[[], Sequence[int | None]] = lambda: (None, None)
        self.monitor = VideoMonitor()
        self.sink = QVideoSink(self)
        self.sink.videoFrameChanged.connect(self.monitor.show_frame)
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        self.player.setVideoSink(self.sink)
        self.player.positionChanged.connect(self._on_position)
        self.player.errorOccurred.connect(lambda _e, text: controller.message.emit(f"Preview: {text}", STATUS_MS))
        self.label = QLabel("No animatic yet: render (Ctrl+R) to assemble one", objectName="previewLabel")
        bar = QHBoxLayout()
        for text, tip, slot in (
            ("J", "Back one second (J)", self.shuttle_back),
            ("K", "Stop (K)", self.stop),
            ("▶", "Play / pause from the playhead (Space)", self.toggle),
            ("L", "Play forward; again to play faster (L)", self.shuttle_forward),
        ):
            button = QToolButton(text=text, toolTip=tip)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addWidget(self.label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.monitor, 1)
        layout.addLayout(bar)
        controller.project_replaced.connect(self.load_existing)
        controller.playhead_changed.connect(self._on_playhead)
        controller.changed.connect(lambda _command: self._show_overlay(controller.playhead))
        self.player.mediaStatusChanged.connect(self._on_media_status)
        self.load_existing()

    @property
    def playing(self) -> bool:
        return self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def load_existing(self) -> None:
        self.player.stop()
        folder = self.controller.folder
        path = sequence_output(folder, self.controller.project.title) if folder else None
        self.set_source(path if path and path.is_file() else None)

    def set_source(self, path: Path | None) -> None:
        self.source = path
        self.monitor.clear_frame()
        self.player.setSource(QUrl.fromLocalFile(str(path)) if path else QUrl())
        self.label.setText(path.name if path else "No animatic yet: render (Ctrl+R) to assemble one")
        self._show_overlay(self.controller.playhead)

    def _on_media_status(self, status: QMediaPlayer.MediaStatus) -> None:
        # Never call into the player from its own status signal (stop() emits LoadedMedia, and a
        # pause() made from inside that emission can deadlock the media backend): queue it.
        if status == QMediaPlayer.MediaStatus.LoadedMedia and not self._closed:
            QTimer.singleShot(0, self._park_on_playhead)
        elif status == QMediaPlayer.MediaStatus.EndOfMedia and not self._closed and self.loop_range() is not None:
            QTimer.singleShot(0, self._restart_loop)  # the out point was the last frame

    def _restart_loop(self) -> None:
        loop = self.loop_range()
        if loop is None or self._closed:
            return
        self.controller.set_playhead(loop[0])
        self.player.setPosition(self._ms(loop[0]))
        self.player.play()

    def _park_on_playhead(self) -> None:
        if self._closed or self.playing or self.source is None:
            return
        self.player.setPosition(self._ms(self.controller.playhead))
        self.player.pause()  # paused, not stopped: the monitor shows the frame under the playhead

    def shutdown(self) -> None:
        """The window is closing: stop playback without reacting to the player's last signals.

        The stop is queued, not called: called from Python it runs holding the GIL, and the FFmpeg
        backend's thread may at that moment hold a Qt connection lock while it waits for the GIL to
        tell our sink that a connection went away, so both wait forever (seen closing right after a
        render). Run from the event loop, where the GIL is released, it cannot meet that thread.
        The slots check `_closed` rather than being disconnected, for the same reason."""
        if self._closed:
            return
        self._closed = True
        QMetaObject.invokeMethod(self.player, "stop", Qt.ConnectionType.QueuedConnection)

    def _show_overlay(self, frame: int) -> None:
        found = self.controller.shot_at(frame)
        take = found[0].active_take if found else None
        poster = self.thumbnails.get(take.thumbnail if take else None)
        caption = f"SHOT {found[0].number}" if found else ""
        self.monitor.set_overlay(caption, self.controller.project.format.frame_rate.timecode(frame), poster)

    def _ms(self, frame: int) -> int:
        """Milliseconds into the animatic for a frame: its middle, so a seek never lands on the frame
        before (a frame's start time rounded to whole ms can fall a hair short of it)."""
        rate = self.controller.project.format.frame_rate
        return int((rate.frames_to_seconds(frame) + rate.frames_to_seconds(1) / 2) * 1000)

    def loop_range(self) -> tuple[int, int] | None:
        """The frames playback loops over: looping is on and both marks are set; else None."""
        if not self.loop:
            return None
        marks = list(self.range_provider())[:2]
        if len(marks) < 2 or marks[0] is None or marks[1] is None:
            return None
        return min(marks[0], marks[1]), max(marks[0], marks[1])

    def set_loop(self, on: bool) -> None:
        self.loop = on
        if on and self.loop_range() is None:
            self.controller.message.emit("Looping is on; mark an in (I) and an out point (O) to loop between them", STATUS_MS)
        else:
            self.controller.message.emit("Looping the in/out range" if on else "Looping off", STATUS_MS)

    def play(self) -> None:
        if self.source is None:
            self.controller.message.emit("Nothing to play yet: render the sequence first (Ctrl+R)", STATUS_MS)
            return
        if not self.playing:
            loop = self.loop_range()
            if loop is not None and not loop[0] <= self.controller.playhead <= loop[1]:
                self.controller.set_playhead(loop[0])
            self.player.setPosition(self._ms(self.controller.playhead))
        self.player.play()

    def toggle(self) -> None:
        if self.playing:
            self.player.pause()
        else:
            self.player.setPlaybackRate(1.0)
            self.play()

    def stop(self) -> None:
        self.player.pause()
        self.player.setPlaybackRate(1.0)

    def shuttle_forward(self) -> None:
        if self.playing:
            rate = self.player.playbackRate()
            self.player.setPlaybackRate(next((r for r in RATES if r > rate), RATES[-1]))
        else:
            self.player.setPlaybackRate(1.0)
            self.play()

    def shuttle_back(self) -> None:
        self.player.pause()
        fps = self.controller.project.format.frame_rate.timecode_base
        self.controller.set_playhead(self.controller.playhead - fps)

    def _on_position(self, ms: int) -> None:
        if not self.playing:
            return
        frame = self.controller.project.format.frame_rate.seconds_to_frames(ms / 1000)
        loop = self.loop_range()
        if loop is not None and frame > loop[1]:
            frame = loop[0]
            self.player.setPosition(self._ms(frame))
        self._following = True
        try:
            self.controller.set_playhead(frame)
        finally:
            self._following = False

    def _on_playhead(self, frame: int) -> None:
        self._show_overlay(frame)
        if not self._following and not self.playing and self.source is not None:
            self.player.setPosition(self._ms(frame))  # show the frame under the playhead
