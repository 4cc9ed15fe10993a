"""Recording a cameo clip from the webcam and microphone (QtMultimedia)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QAudioInput, QCamera, QMediaCaptureSession, QMediaDevices, QMediaFormat, QMediaRecorder

MIN_SECONDS = 5
MAX_SECONDS = 15
NO_CAMERA = "No camera found: import a recorded clip instead"


def camera_available() -> bool:
    return bool(QMediaDevices.videoInputs())


class CameoRecorder(QObject):
    """One 5-15 s recording: `stop` is allowed after MIN_SECONDS, the recording ends itself at MAX_SECONDS."""

    tick = Signal(int)  # seconds recorded so far
    recorded = Signal(object)  # Path of the finished clip
    failed = Signal(str)

    def __init__(self, target: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.seconds = 0
        self.session = QMediaCaptureSession(self)
        self.camera = QCamera(QMediaDevices.defaultVideoInput(), self)
        self.session.setCamera(self.camera)
        if QMediaDevices.audioInputs():
            self.audio = QAudioInput(QMediaDevices.defaultAudioInput(), self)
            self.session.setAudioInput(self.audio)
        self.recorder = QMediaRecorder(self)
        media_format = QMediaFormat(QMediaFormat.FileFormat.MPEG4)
        media_format.setVideoCodec(QMediaFormat.VideoCodec.H264)
        media_format.setAudioCodec(QMediaFormat.AudioCodec.AAC)
        self.recorder.setMediaFormat(media_format)
        self.recorder.setOutputLocation(QUrl.fromLocalFile(str(target)))
        self.session.setRecorder(self.recorder)
        self.recorder.recorderStateChanged.connect(self._state_changed)
        self.recorder.errorOccurred.connect(lambda _error, text: self.failed.emit(f"recording failed: {text}"))
        self.camera.errorOccurred.connect(lambda _error, text: self.failed.emit(f"camera failed: {text}"))
        self.timer = QTimer(self, interval=1000)
        self.timer.timeout.connect(self._second)

    def set_preview(self, video_output: QObject) -> None:
        self.session.setVideoOutput(video_output)

    def start(self) -> None:
        self.seconds = 0
        self.camera.start()
        self.recorder.record()
        self.timer.start()

    @property
    def can_stop(self) -> bool:
        return self.seconds >= MIN_SECONDS

    def stop(self) -> None:
        self.timer.stop()
        self.recorder.stop()

    def _second(self) -> None:
        self.seconds += 1
        self.tick.emit(self.seconds)
        if self.seconds >= MAX_SECONDS:
            self.stop()

    def _state_changed(self, state: QMediaRecorder.RecorderState) -> None:
        if state == QMediaRecorder.RecorderState.StoppedState and self.seconds:
            self.camera.stop()
            location = self.recorder.actualLocation()
            path = Path(location.toLocalFile()) if location.isLocalFile() else self.target
            if self.seconds < MIN_SECONDS:
                self.failed.emit(f"the recording lasted {self.seconds} s; record at least {MIN_SECONDS} s")
            elif path.is_file():
                self.recorded.emit(path)
            else:
                self.failed.emit(f"the recording was not written to {path}")
