"""The cameo dialog: consent statement and one-time phrase, record or import a clip, pick the likeness, apply.

Accepting applies one undoable edit: the character's reference images become the clip's best frames
and its consent record names the person, the scope, the phrase and the clip's sha256.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt, QThread
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pipeline.cameo.analysis import CameoAnalysis, FaceCandidate, FaceDetector, analyse_clip
from studio.commands import MacroCommand, SetField
from studio.commands.consent import GrantConsent
from studio.consent import ConsentScope, consent_phrase, new_consent
from studio.errors import StudioError
from studio.media_store import sha256_of_file
from ui.cameo.analysis_worker import Analyse, AnalysisJob, start_analysis
from ui.cameo.capture import MAX_SECONDS, MIN_SECONDS, NO_CAMERA, CameoRecorder, camera_available
from ui.document_controller import STATUS_MS, DocumentController

CLIP_FILTER = "Video clips (*.mp4 *.mov *.m4v *.mkv *.webm *.avi);;All files (*)"


def _icon(rgb: np.ndarray) -> QIcon:
    rgb = np.ascontiguousarray(rgb)
    height, width = rgb.shape[:2]
    image = QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
    return QIcon(QPixmap.fromImage(image))


class CameoDialog(QDialog):
    """Cameo capture for one character. `detector` or `analyse` replace the face analysis (tests)."""

    def __init__(
        self,
        controller: DocumentController,
        character_id: str,
        parent: QWidget | None = None,
        detector: FaceDetector | None = None,
        analyse: Analyse | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.character_id = character_id
        self.analyse: Analyse = analyse or (lambda clip, out, face: analyse_clip(clip, out, face=face, detector=detector))
        self.phrase = consent_phrase()
        self.clip: Path | None = None
        self.analysis: CameoAnalysis | None = None
        self.recorder: CameoRecorder | None = None
        self._thread: QThread | None = None
        self._job: AnalysisJob | None = None
        self._candidates: list[FaceCandidate] = []
        self._work = tempfile.TemporaryDirectory(prefix="cameo-")
        character = controller.project.character(character_id)
        self.setWindowTitle(f"Record cameo for {character.name}")

        self.person = QLineEdit(placeholderText="Full name of the person on camera")
        self.person.textChanged.connect(self._update_statement)
        self.scope_project = QRadioButton(f"This project ({controller.project.title})", checked=True)
        self.scope_all = QRadioButton("All my projects")
        self.scopes = QButtonGroup(self)
        for button in (self.scope_project, self.scope_all):
            self.scopes.addButton(button)
            button.toggled.connect(self._update_statement)
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.scope_project)
        scope_row.addWidget(self.scope_all)
        scope_row.addStretch(1)
        self.statement = QLabel(wordWrap=True)
        self.phrase_label = QLabel(self.phrase, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        self.phrase_label.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.phrase_label.setToolTip("Read this phrase aloud on camera: it ties the clip to this consent")

        self.record_button = QPushButton("Record")
        self.stop_button = QPushButton("Stop", enabled=False)
        self.import_button = QPushButton("Import clip…")
        self.record_button.clicked.connect(self.start_recording)
        self.stop_button.clicked.connect(self.stop_recording)
        self.import_button.clicked.connect(self.choose_clip)
        if camera_available():
            self.record_button.setToolTip(f"Record {MIN_SECONDS}-{MAX_SECONDS} s from the camera and microphone; read the phrase aloud")
        else:
            self.record_button.setEnabled(False)
            self.record_button.setToolTip(NO_CAMERA)
        capture_row = QHBoxLayout()
        for button in (self.record_button, self.stop_button, self.import_button):
            capture_row.addWidget(button)
        capture_row.addStretch(1)
        self.preview_area = QVBoxLayout()

        self.status = QLabel(wordWrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.candidates = QListWidget(visible=False)
        self._icon_list(self.candidates)
        self.candidates.setToolTip("Several faces: click the person whose likeness this is")
        self.candidates.itemClicked.connect(self._candidate_chosen)
        self.frames = QListWidget()
        self._icon_list(self.frames)
        self.frames.setToolTip("The reference frames that will become the character's likeness")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.accept_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.accept_button.setText("Attach likeness")
        self.accept_button.setEnabled(False)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Person", self.person)
        form.addRow("Scope", scope_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.statement)
        layout.addWidget(QLabel("One-time phrase to read on camera:"))
        layout.addWidget(self.phrase_label)
        layout.addLayout(capture_row)
        layout.addLayout(self.preview_area)
        layout.addWidget(self.status)
        layout.addWidget(self.candidates)
        layout.addWidget(self.frames)
        layout.addWidget(self.buttons)
        self._update_statement()

    @staticmethod
    def _icon_list(widget: QListWidget) -> None:
        widget.setViewMode(QListWidget.ViewMode.IconMode)
        widget.setIconSize(QSize(96, 96))
        widget.setMaximumHeight(124)

    # --- consent ---------------------------------------------------------------------------------
    def scope(self) -> ConsentScope:
        return ConsentScope.ALL_PROJECTS if self.scope_all.isChecked() else ConsentScope.PROJECT

    def _update_statement(self) -> None:
        character = self.controller.project.character(self.character_id)
        who = self.person.text().strip() or "[your name]"
        where = "all of my Storyboard Studio projects" if self.scope() == ConsentScope.ALL_PROJECTS else f"the project “{self.controller.project.title}”"
        self.statement.setText(
            f"I, {who}, agree that Storyboard Studio may use my likeness and voice from this clip for the character {character.name} "
            f"in {where}, to generate storyboard and previz shots. I read the phrase below on camera. "
            "I can revoke this consent at any time; takes made from my likeness are then marked as revoked."
        )

    # --- capture ---------------------------------------------------------------------------------
    def start_recording(self) -> None:
        if not camera_available():
            self._show_error(NO_CAMERA)
            return
        self.recorder = CameoRecorder(Path(self._work.name) / "cameo.mp4", self)
        try:
            from PySide6.QtMultimediaWidgets import QVideoWidget

            preview = QVideoWidget()
            preview.setMinimumSize(320, 180)
            self.preview_area.addWidget(preview)
            self.recorder.set_preview(preview)
        except ImportError:
            pass  # no preview, the recording still works
        self.recorder.tick.connect(self._recording_tick)
        self.recorder.recorded.connect(self._analyse)
        self.recorder.failed.connect(self._recording_failed)
        self.record_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.status.setText(f"Recording… read the consent statement and the phrase aloud ({MIN_SECONDS}-{MAX_SECONDS} s)")
        self.recorder.start()

    def _recording_tick(self, seconds: int) -> None:
        self.stop_button.setEnabled(self.recorder is not None and self.recorder.can_stop)
        self.status.setText(f"Recording… {seconds} s (stops by itself at {MAX_SECONDS} s)")

    def stop_recording(self) -> None:
        if self.recorder is not None:
            self.stop_button.setEnabled(False)
            self.recorder.stop()

    def _recording_failed(self, message: str) -> None:
        self.stop_button.setEnabled(False)
        self._show_error(message)

    def choose_clip(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import cameo clip", "", CLIP_FILTER)
        if path:
            self.import_clip(Path(path))

    def import_clip(self, path: Path) -> None:
        self._analyse(Path(path))

    # --- analysis --------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._thread is not None

    def _analyse(self, clip: Path, face: FaceCandidate | None = None) -> None:
        if self.busy:
            return
        self.clip = Path(clip)
        self.analysis = None
        self.frames.clear()
        self.accept_button.setEnabled(False)
        for button in (self.record_button, self.import_button):
            button.setEnabled(False)
        self.candidates.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(f"Analysing {self.clip.name}…")
        out_dir = Path(tempfile.mkdtemp(prefix="analysis-", dir=self._work.name))
        job = AnalysisJob(self.analyse, self.clip, out_dir, face)
        job.finished.connect(self._analysed)
        job.several_faces.connect(self._several_faces)
        job.failed.connect(self._show_error)
        self._job = job  # keeps the job alive while its thread runs it
        self._thread = start_analysis(job, self)
        self._thread.finished.connect(self._thread_done)

    def _thread_done(self) -> None:
        if self._thread is not None:
            self._thread.wait()  # finished is emitted just before the thread ends
            self._thread.deleteLater()
        self._thread = None
        self._job = None
        self.import_button.setEnabled(True)
        self.record_button.setEnabled(camera_available())
        self.candidates.setEnabled(True)

    def _analysed(self, analysis: CameoAnalysis) -> None:
        self.analysis = analysis
        self.candidates.hide()
        self.frames.clear()
        for frame in analysis.frames:
            item = QListWidgetItem(QIcon(str(frame.path)), f"{frame.time:.1f} s")
            item.setToolTip(f"frame {frame.frame_index} at {frame.time:.2f} s, sharpness {frame.sharpness:.0f}")
            self.frames.addItem(item)
        voice = "with a voice sample" if analysis.voice else "no audio track, so no voice sample"
        self.status.setText(f"{len(analysis.frames)} reference frame(s) from {self.clip.name if self.clip else 'the clip'}, {voice}.")
        self.accept_button.setEnabled(True)

    def _several_faces(self, message: str, candidates: list[FaceCandidate], crops: list[np.ndarray]) -> None:
        self._candidates = candidates
        self.candidates.clear()
        for i in range(len(candidates)):
            icon = _icon(crops[i]) if i < len(crops) and crops[i].size else QIcon()
            item = QListWidgetItem(icon, f"Face {i + 1}")
            item.setData(Qt.ItemDataRole.UserRole, i)
            self.candidates.addItem(item)
        self.candidates.show()
        self.status.setStyleSheet("")
        self.status.setText(f"{message}: click the face to use.")

    def _candidate_chosen(self, item: QListWidgetItem) -> None:
        if self.clip is not None and not self.busy:
            self._analyse(self.clip, self._candidates[item.data(Qt.ItemDataRole.UserRole)])

    def _show_error(self, message: str) -> None:
        self.status.setStyleSheet("color: #c0392b;")
        self.status.setText(f"{message}. Nothing was changed.")

    # --- apply -----------------------------------------------------------------------------------
    def apply(self) -> bool:
        """Attaches the likeness and records the consent as one undoable edit; False (and a message) when it cannot."""
        if self.analysis is None or self.clip is None:
            self._show_error("Record or import a clip first")
            return False
        person = self.person.text().strip()
        if not person:
            self._show_error("Enter the name of the person who gives consent")
            self.person.setFocus()
            return False
        store = self.controller.media
        if store is None:
            self._show_error("Save the project first: reference frames are copied into its media folder")
            return False
        character = self.controller.project.character(self.character_id)
        try:
            refs = [store.add_file(frame.path) for frame in self.analysis.frames]
            voice = store.add_file(self.analysis.voice) if self.analysis.voice else None
            record = new_consent(person, self.scope(), self.phrase, sha256_of_file(self.clip), project_id=self.controller.project.id)
        except (StudioError, OSError, ValueError) as exc:
            self._show_error(str(exc))
            return False
        label = f"Record cameo of {person} for {character.name}"
        command = MacroCommand(
            label,
            [
                SetField("character", character.id, "reference_images", refs, label=f"Set {character.name}'s likeness"),
                SetField("character", character.id, "voice_sample", voice, label=f"Set {character.name}'s voice sample"),
                GrantConsent(character.id, record, label=f"Record {person}'s consent"),
            ],
        )
        if not self.controller.execute(command):
            self._show_error(f"{character.name}'s likeness could not be attached")
            return False
        voice_note = " and a voice sample" if voice else " (the clip had no sound, so no voice sample)"
        self.controller.message.emit(f"{label}: {len(refs)} reference frame(s){voice_note}.", STATUS_MS)
        self.accept()
        return True

    def done(self, result: int) -> None:
        if self.recorder is not None:
            self.recorder.stop()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        super().done(result)
