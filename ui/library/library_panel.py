"""What the characters and locations libraries share: a list of the project's entries above a
name-and-description form, kept in step with the document and edited only through commands."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Literal, Protocol, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from studio.commands import Command, SetField
from ui.document_controller import STATUS_MS, DocumentController
from ui.inspector.shot_inspector import CommitTextEdit


class LibraryEntry(Protocol):
    """A character or a location, as far as the shared form is concerned."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str: ...


EntryT = TypeVar("EntryT", bound=LibraryEntry)


class LibraryPanel(QWidget, Generic[EntryT]):
    """Subclasses name their entries and add their own buttons and form rows, then call
    `_lay_out`, which lays the panel out and starts following the document."""

    def __init__(
        self,
        controller: DocumentController,
        entries: QListWidget,
        *,
        kind: Literal["character", "location"],
        name_tip: str,
        description_tip: str,
    ) -> None:
        super().__init__()
        self.controller = controller
        self._kind: Literal["character", "location"] = kind
        self._loading = False
        self._shown: tuple = ()
        self.list = entries
        self.list.currentItemChanged.connect(lambda *_: None if self._loading else self._show_current())
        self.name = QLineEdit(toolTip=name_tip)
        self.description = CommitTextEdit(toolTip=description_tip)
        self.description.setFixedHeight(64)
        self.name.editingFinished.connect(lambda: self._set("name", self.name.text().strip()))
        self.description.committed.connect(lambda text: self._set("description", text))

    # Each library answers these for its own kind of entry; the panel needs nothing more from it.

    def _entries(self) -> Sequence[EntryT]:
        raise NotImplementedError

    def _row_text(self, entry: EntryT) -> str:
        raise NotImplementedError

    def _watched(self, entry: EntryT) -> tuple:
        """Fields beyond name and description whose change must redraw the panel."""
        raise NotImplementedError

    def _removal(self, entry_id: str, label: str) -> Command:
        raise NotImplementedError

    def _show_details(self, entry: EntryT | None) -> None:
        """Fills the library's own widgets; called inside the _loading guard."""

    def _lay_out(self, buttons: Sequence[QPushButton], rows: Sequence[tuple[str, QWidget]] = ()) -> None:
        # Called last from the subclass: refresh() reaches widgets that only the subclass creates.
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Description", self.description)
        for label, widget in rows:
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addLayout(form)
        self.controller.changed.connect(lambda _command: self.refresh(only_if_changed=True))
        self.controller.project_replaced.connect(self.refresh)
        self.refresh()

    def _delete_button(self) -> QPushButton:
        remove = QPushButton("Delete")
        remove.clicked.connect(self.delete_current)
        return remove

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def refresh(self, only_if_changed: bool = False) -> None:
        shown = tuple((e.id, e.name, e.description, *self._watched(e)) for e in self._entries())
        if only_if_changed and shown == self._shown:
            return  # a shot edit: nothing here changed (keeps a 1,000-shot timeline edit quick)
        self._shown = shown
        current = self.current_id()
        self._loading = True
        try:
            self.list.clear()
            for entry in self._entries():
                item = QListWidgetItem(self._row_text(entry))
                item.setData(Qt.ItemDataRole.UserRole, entry.id)
                item.setToolTip(entry.description)
                self.list.addItem(item)
                if entry.id == current:
                    self.list.setCurrentItem(item)
            if self.list.currentItem() is None and self.list.count():
                self.list.setCurrentRow(0)
        finally:
            self._loading = False
        self._show_current()

    def _select(self, entry_id: str) -> None:
        """Shows a just-added entry, without waiting for the document's change signal."""
        self.refresh()
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == entry_id:
                self.list.setCurrentRow(row)

    def _current(self) -> EntryT | None:
        entry_id = self.current_id()
        return next((e for e in self._entries() if e.id == entry_id), None)

    def _show_current(self) -> None:
        entry = self._current()
        self._loading = True
        try:
            self.name.setText(entry.name if entry else "")
            self.description.setPlainText(entry.description if entry else "")
            for widget in (self.name, self.description):
                widget.setEnabled(entry is not None)
            self._show_details(entry)
        finally:
            self._loading = False

    def _set(self, name: str, value: str) -> None:
        entry = self._current()
        if self._loading or entry is None or getattr(entry, name) == value:
            return
        if name == "name" and not value:
            self.controller.message.emit(f"A {self._kind} needs a name", STATUS_MS)
            self.name.setText(entry.name)
            return
        self.controller.execute(SetField(self._kind, entry.id, name, value, label=f"Edit {self._kind} {entry.name}"))

    def delete_current(self) -> None:
        entry = self._current()
        if entry is not None:
            self.controller.execute(self._removal(entry.id, f"Delete {self._kind} {entry.name}"))
