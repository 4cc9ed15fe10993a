"""Every take of the selected shot, newest last, with thumbnails: choose the active one, delete."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from studio.commands import RemoveTake, SetActiveTake
from studio.render_inputs import shot_input_hash
from ui.document_controller import DocumentController
from ui.thumbnails import ThumbnailCache


class TakesBrowser(QWidget):
    def __init__(self, controller: DocumentController, thumbnails: ThumbnailCache) -> None:
        super().__init__()
        self.controller = controller
        self.thumbnails = thumbnails
        self.title = QLabel("No shot selected", objectName="panelTitle")
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(160, 90))
        self.list.setGridSize(QSize(176, 134))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        self.list.itemDoubleClicked.connect(lambda _item: self.make_active())
        self.use_button = QPushButton("Use this take", toolTip="Make the selected take the one the cut plays (double-click)")
        self.delete_button = QPushButton("Delete take", toolTip="Remove the selected take from the shot (undoable)")
        self.use_button.clicked.connect(self.make_active)
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        controller.selection_changed.connect(self.refresh)
        controller.changed.connect(lambda _command: self.refresh())
        controller.project_replaced.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        shot = self.controller.current_shot
        self.list.clear()
        if shot is None:
            self.title.setText("No shot selected")
            return
        self.title.setText(f"Shot {shot.number}: {len(shot.takes)} take(s)")
        current_hash = shot_input_hash(self.controller.project, shot) if shot.takes else ""
        for take in shot.takes:
            active = take.id == shot.active_take_id
            stale = "" if take.input_hash == current_hash else " · stale"
            label = f"{'● ' if active else ''}T{take.number} · {take.backend}{stale}\n{take.created.replace('T', ' ')[:16]}"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, take.id)
            pixmap = self.thumbnails.get(take.thumbnail)
            if pixmap is not None:
                item.setIcon(QIcon(pixmap))
            item.setToolTip(f"Take {take.number}, seed {take.seed}, {take.settings.get('size', '')}" + (" (active)" if active else ""))
            self.list.addItem(item)
            if active:
                self.list.setCurrentItem(item)

    def _selected_take_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def make_active(self) -> None:
        shot = self.controller.current_shot
        take_id = self._selected_take_id()
        if shot is None or take_id is None or take_id == shot.active_take_id:
            return
        number = shot.take(take_id).number
        self.controller.execute(SetActiveTake(shot.id, take_id, label=f"Use take {number} of shot {shot.number}"))

    def delete_selected(self) -> None:
        shot = self.controller.current_shot
        take_id = self._selected_take_id()
        if shot is None or take_id is None:
            return
        number = shot.take(take_id).number
        self.controller.execute(RemoveTake(shot.id, take_id, label=f"Delete take {number} of shot {shot.number}"))
