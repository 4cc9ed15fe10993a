"""The shot inspector: every field of the selected shot; each change is one SetField command."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pipeline.backends.registry import backend_names
from studio.commands import AddCharacterToShot, RemoveCharacterFromShot, SetField
from studio.shot import SHOT_SIZE_NAMES, CharacterInShot, ContinuityLink, Shot, ShotSize, Transition, TransitionType
from studio.shot_number import is_valid_number
from ui.document_controller import STATUS_MS, DocumentController
from ui.inspector.camera_editor import CameraEditor
from ui.inspector.dialogue_editor import DialogueEditor


class CommitTextEdit(QPlainTextEdit):
    """A multi-line text box that commits once, when it loses focus, not on every keystroke."""

    committed = Signal(str)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.committed.emit(self.toPlainText())


def _section(title: str) -> QLabel:
    label = QLabel(title.upper(), objectName="sectionHeader")
    return label


class ShotInspector(QScrollArea):
    def __init__(self, controller: DocumentController) -> None:
        super().__init__()
        self.controller = controller
        self.shot: Shot | None = None
        self._loading = False
        self.setWidgetResizable(True)
        self.setObjectName("inspector")
        body = QWidget()
        self.setWidget(body)
        outer = QVBoxLayout(body)
        self.title = QLabel("No shot selected", objectName="inspectorTitle")
        outer.addWidget(self.title)
        self.form_host = QWidget()
        form = QFormLayout(self.form_host)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        outer.addWidget(self.form_host)
        outer.addStretch(1)

        self.number = QLineEdit(toolTip="Shot number as the production writes it: 12, 12A …")
        self.duration = QSpinBox(minimum=1, maximum=100000, suffix=" f", toolTip="Length in frames at the project rate")
        self.description = CommitTextEdit(toolTip="What the audience sees; the prompt for generation")
        self.description.setFixedHeight(72)
        self.size_box = QComboBox(toolTip="Shot size")
        for size in ShotSize:
            self.size_box.addItem(f"{size.value} — {SHOT_SIZE_NAMES[size]}", size)
        self.lens = QDoubleSpinBox(minimum=8, maximum=600, decimals=0, suffix=" mm", toolTip="Focal length (full-frame equivalent)")
        self.camera = CameraEditor()
        self.cast = QListWidget(toolTip="Tick the characters who appear in this shot")
        self.cast.setMaximumHeight(84)
        self.location = QComboBox(toolTip="Where the shot takes place")
        self.dialogue = DialogueEditor()
        self.transition = QComboBox(toolTip="How this shot begins, coming from the previous one")
        for kind in TransitionType:
            self.transition.addItem(kind.value, kind)
        self.transition_frames = QSpinBox(minimum=0, maximum=1000, suffix=" f", toolTip="Transition length in frames, centred on the cut")
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, toolTip="Generation seed")
        self.seed_pinned = QCheckBox("Pin seed", toolTip="Keep this seed for every re-render")
        self.backend = QComboBox(toolTip="Renderer for this shot")
        for name in backend_names():
            self.backend.addItem(name, name)
        self.chain = QCheckBox("Chain from previous shot", toolTip="Start generation from the previous shot's last frame (continuous action)")

        form.addRow(_section("Shot"))
        form.addRow("Number", self.number)
        form.addRow("Duration", self.duration)
        form.addRow("Description", self.description)
        form.addRow("Size", self.size_box)
        form.addRow("Lens", self.lens)
        form.addRow(_section("Camera"))
        form.addRow(self.camera)
        form.addRow(_section("Cast & place"))
        form.addRow("Characters", self.cast)
        form.addRow("Location", self.location)
        form.addRow(_section("Dialogue"))
        form.addRow(self.dialogue)
        form.addRow(_section("Edit & render"))
        form.addRow("Transition", self.transition)
        form.addRow("Trans. length", self.transition_frames)
        form.addRow("Seed", self.seed)
        form.addRow("", self.seed_pinned)
        form.addRow("Backend", self.backend)
        form.addRow("", self.chain)

        self.number.editingFinished.connect(self._number_edited)
        self.duration.editingFinished.connect(lambda: self._set("duration", self.duration.value(), "Trim"))
        self.description.committed.connect(lambda text: self._set("description", text, "Describe"))
        self.size_box.activated.connect(lambda _i: self._set("size", ShotSize(self.size_box.currentData()), "Set size of"))
        self.lens.editingFinished.connect(lambda: self._set("lens_mm", float(self.lens.value()), "Set lens of"))
        self.camera.move_edited.connect(lambda move: self._set("camera", move, "Set camera move of"))
        self.cast.itemChanged.connect(self._cast_changed)
        self.location.activated.connect(lambda _i: self._set("location_id", self.location.currentData(), "Set location of"))
        self.dialogue.lines_edited.connect(lambda lines: self._set("dialogue", lines, "Edit dialogue of"))
        self.transition.activated.connect(lambda _i: self._transition_edited())
        self.transition_frames.editingFinished.connect(self._transition_edited)
        self.seed.editingFinished.connect(lambda: self._set("seed", self.seed.value(), "Set seed of"))
        self.seed_pinned.toggled.connect(lambda on: self._set("seed_pinned", on, "Pin seed of" if on else "Unpin seed of"))
        self.backend.activated.connect(lambda _i: self._set("backend", self.backend.currentData(), "Set backend of"))
        self.chain.toggled.connect(lambda on: self._set("continuity", ContinuityLink.CHAIN if on else ContinuityLink.CUT, "Chain" if on else "Unchain"))

        controller.selection_changed.connect(self.refresh)
        controller.changed.connect(lambda _command: self.refresh())
        controller.project_replaced.connect(self.refresh)
        self.refresh()

    # --- showing --------------------------------------------------------------------------------
    def refresh(self) -> None:
        shot = self.controller.current_shot
        self.shot = shot
        self.form_host.setEnabled(shot is not None)
        if shot is None:
            self.title.setText("No shot selected")
            return
        project = self.controller.project
        self._loading = True
        try:
            self.title.setText(f"Shot {shot.number}  ·  {project.format.frame_rate.timecode(shot.duration)}")
            self.number.setText(shot.number)
            self.duration.setValue(shot.duration)
            if self.description.toPlainText() != shot.description:
                self.description.setPlainText(shot.description)
            self.size_box.setCurrentIndex(self.size_box.findData(shot.size))
            self.lens.setValue(shot.lens_mm)
            self.camera.show_move(shot.camera)
            self._show_cast(shot)
            self.location.clear()
            self.location.addItem("(none)", None)
            for location in project.locations:
                self.location.addItem(location.slug, location.id)
            self.location.setCurrentIndex(max(0, self.location.findData(shot.location_id)))
            self.dialogue.show_shot(project, shot)
            self.transition.setCurrentIndex(self.transition.findData(shot.transition.type))
            self.transition_frames.setValue(shot.transition.duration)
            self.seed.setValue(shot.seed)
            self.seed_pinned.setChecked(shot.seed_pinned)
            if self.backend.findData(shot.backend) < 0:
                self.backend.addItem(shot.backend, shot.backend)
            self.backend.setCurrentIndex(self.backend.findData(shot.backend))
            self.chain.setChecked(shot.continuity is ContinuityLink.CHAIN)
        finally:
            self._loading = False

    def _show_cast(self, shot: Shot) -> None:
        project = self.controller.project
        names = [(c.id, c.name) for c in project.characters]
        shown = [(self.cast.item(i).data(Qt.ItemDataRole.UserRole), self.cast.item(i).text()) for i in range(self.cast.count())]
        if shown != names:  # rebuilt only when the cast list itself changed (never under a click)
            self.cast.clear()
            for character_id, name in names:
                item = QListWidgetItem(name)
                item.setData(Qt.ItemDataRole.UserRole, character_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                self.cast.addItem(item)
        cast_ids = {c.character_id for c in shot.characters}
        for i in range(self.cast.count()):
            item = self.cast.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in cast_ids else Qt.CheckState.Unchecked)

    # --- editing --------------------------------------------------------------------------------
    def _set(self, name: str, value: Any, verb: str) -> None:
        if self._loading or self.shot is None or getattr(self.shot, name) == value:
            return
        self.controller.execute(SetField("shot", self.shot.id, name, value, label=f"{verb} shot {self.shot.number}"))

    def _number_edited(self) -> None:
        text = self.number.text().strip().upper()
        if self._loading or self.shot is None or text == self.shot.number:
            return
        if not is_valid_number(text):
            self.controller.message.emit(f"'{text}' is not a shot number: use digits with optional letters, like 12 or 12A", STATUS_MS)
            self.number.setText(self.shot.number)
            return
        if any(s.number == text for s in self.controller.project.shots()):
            self.controller.message.emit(f"Shot number {text} is already used by another shot", STATUS_MS)
            self.number.setText(self.shot.number)
            return
        self._set("number", text, "Renumber")

    def _transition_edited(self) -> None:
        kind = TransitionType(self.transition.currentData())
        value = Transition(kind, self.transition_frames.value() if kind is not TransitionType.CUT else 0)
        self._set("transition", value, "Set transition of")

    def _cast_changed(self, item: QListWidgetItem) -> None:
        if self._loading or self.shot is None:
            return
        character_id = item.data(Qt.ItemDataRole.UserRole)
        shot = self.shot
        if item.checkState() == Qt.CheckState.Checked:
            self.controller.execute(AddCharacterToShot(shot.id, CharacterInShot(character_id), label=f"Add {item.text()} to shot {shot.number}"))
        else:
            self.controller.execute(RemoveCharacterFromShot(shot.id, character_id, label=f"Remove {item.text()} from shot {shot.number}"))
