"""The locations library: add, rename, describe the places shots happen in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from studio.commands import AddLocation, RemoveLocation, SetField
from studio.ids import new_id
from studio.location import Location
from ui.document_controller import STATUS_MS, DocumentController
from ui.inspector.shot_inspector import CommitTextEdit


class LocationLibrary(QWidget):
    def __init__(self, controller: DocumentController) -> None:
        super().__init__()
        self.controller = controller
        self._loading = False
        self._shown: tuple = ()
        self.list = QListWidget()
        self.list.currentItemChanged.connect(lambda *_: None if self._loading else self._show_current())
        self.name = QLineEdit(toolTip="The place as the slugline names it")
        self.description = CommitTextEdit(toolTip="What the place looks like: goes into every shot set here")
        self.description.setFixedHeight(64)
        add = QPushButton("Add location")
        remove = QPushButton("Delete")
        add.clicked.connect(self.add_location)
        remove.clicked.connect(self.delete_current)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Description", self.description)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addLayout(form)
        self.name.editingFinished.connect(lambda: self._set("name", self.name.text().strip()))
        self.description.committed.connect(lambda text: self._set("description", text))
        controller.changed.connect(lambda _command: self.refresh(only_if_changed=True))
        controller.project_replaced.connect(self.refresh)
        self.refresh()

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def refresh(self, only_if_changed: bool = False) -> None:
        shown = tuple((c.id, c.name, c.description, c.slug) for c in self.controller.project.locations)
        if only_if_changed and shown == self._shown:
            return  # a shot edit: nothing here changed (keeps a 1,000-shot timeline edit quick)
        self._shown = shown
        current = self.current_id()
        self._loading = True
        try:
            self.list.clear()
            for location in self.controller.project.locations:
                item = QListWidgetItem(location.slug)
                item.setData(Qt.ItemDataRole.UserRole, location.id)
                item.setToolTip(location.description)
                self.list.addItem(item)
                if location.id == current:
                    self.list.setCurrentItem(item)
            if self.list.currentItem() is None and self.list.count():
                self.list.setCurrentRow(0)
        finally:
            self._loading = False
        self._show_current()

    def _location(self) -> Location | None:
        location_id = self.current_id()
        return next((loc for loc in self.controller.project.locations if loc.id == location_id), None)

    def _show_current(self) -> None:
        location = self._location()
        self._loading = True
        try:
            self.name.setText(location.name if location else "")
            self.description.setPlainText(location.description if location else "")
            for widget in (self.name, self.description):
                widget.setEnabled(location is not None)
        finally:
            self._loading = False

    def _set(self, name: str, value: str) -> None:
        location = self._location()
        if self._loading or location is None or getattr(location, name) == value:
            return
        if name == "name" and not value:
            self.controller.message.emit("A location needs a name", STATUS_MS)
            self.name.setText(location.name)
            return
        self.controller.execute(SetField("location", location.id, name, value, label=f"Edit location {location.name}"))

    def add_location(self) -> str | None:
        location = Location(id=new_id(), name=f"New location {len(self.controller.project.locations) + 1}")
        if self.controller.execute(AddLocation(location, label=f"Add location {location.name}")):
            return location.id
        return None

    def delete_current(self) -> None:
        location = self._location()
        if location is not None:
            self.controller.execute(RemoveLocation(location.id, label=f"Delete location {location.name}"))
