"""The characters library: add, rename, describe; drop images on a character for references."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.character import Character
from studio.character_import import import_character
from studio.commands import AddCharacter, RemoveCharacter, SetField
from studio.errors import StudioError
from studio.ids import new_id
from studio.project_file import load_project, project_folder_for
from ui.document_controller import STATUS_MS, DocumentController
from ui.inspector.shot_inspector import CommitTextEdit
from ui.library.drop_list import FileDropList, image_problem
from ui.thumbnails import ThumbnailCache


class CharacterLibrary(QWidget):
    def __init__(self, controller: DocumentController, thumbnails: ThumbnailCache) -> None:
        super().__init__()
        self.controller = controller
        self.thumbnails = thumbnails
        self._loading = False
        self._shown: tuple = ()
        self.list = FileDropList()
        self.list.setToolTip("Characters of the project. Drop photos on a character to add reference images.")
        self.list.currentItemChanged.connect(lambda *_: None if self._loading else self._show_current())
        self.list.files_dropped.connect(self.add_reference_images)
        self.name = QLineEdit(toolTip="The name as the script writes it")
        self.description = CommitTextEdit(toolTip="Look, age, wardrobe: goes into every shot with this character")
        self.description.setFixedHeight(64)
        self.references = QListWidget()
        self.references.setViewMode(QListWidget.ViewMode.IconMode)
        self.references.setIconSize(QSize(64, 64))
        self.references.setMaximumHeight(84)
        self.references.setToolTip("Reference images (drop image files on the character in the list above)")
        add = QPushButton("Add character")
        remove = QPushButton("Delete")
        self.cameo = QPushButton("Record cameo…", toolTip="Record or import a clip of a person: their likeness and consent for this character")
        borrow = QPushButton("Import…", toolTip="Bring a character from another project: description, voice, likeness and its consent")
        add.clicked.connect(self.add_character)
        borrow.clicked.connect(lambda: self.import_from_project())
        remove.clicked.connect(self.delete_current)
        self.cameo.clicked.connect(self.record_cameo)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(borrow)
        buttons.addWidget(remove)
        buttons.addWidget(self.cameo)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Description", self.description)
        form.addRow("References", self.references)
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
        shown = tuple((c.id, c.name, c.description, tuple(c.reference_images)) for c in self.controller.project.characters)
        if only_if_changed and shown == self._shown:
            return  # a shot edit: nothing here changed (keeps a 1,000-shot timeline edit quick)
        self._shown = shown
        current = self.current_id()
        self._loading = True
        try:
            self.list.clear()
            for character in self.controller.project.characters:
                item = QListWidgetItem(f"{character.name}  ·  {len(character.reference_images)} ref.")
                item.setData(Qt.ItemDataRole.UserRole, character.id)
                item.setToolTip(character.description)
                self.list.addItem(item)
                if character.id == current:
                    self.list.setCurrentItem(item)
            if self.list.currentItem() is None and self.list.count():
                self.list.setCurrentRow(0)
        finally:
            self._loading = False
        self._show_current()

    def _character(self) -> Character | None:
        character_id = self.current_id()
        return next((ch for ch in self.controller.project.characters if ch.id == character_id), None)

    def _show_current(self) -> None:
        character = self._character()
        self._loading = True
        try:
            self.name.setText(character.name if character else "")
            self.description.setPlainText(character.description if character else "")
            self.references.clear()
            for ref in character.reference_images if character else []:
                pixmap = self.thumbnails.get(ref)
                item = QListWidgetItem(QIcon(pixmap) if pixmap else QIcon(), "")
                item.setToolTip(ref)
                self.references.addItem(item)
            for widget in (self.name, self.description, self.cameo):
                widget.setEnabled(character is not None)
        finally:
            self._loading = False

    def _set(self, name: str, value: str) -> None:
        character = self._character()
        if self._loading or character is None or getattr(character, name) == value:
            return
        if name == "name" and not value:
            self.controller.message.emit("A character needs a name", STATUS_MS)
            self.name.setText(character.name)
            return
        self.controller.execute(SetField("character", character.id, name, value, label=f"Edit character {character.name}"))

    def add_character(self) -> str | None:
        taken = {c.name for c in self.controller.project.characters}
        n = len(taken) + 1
        while f"CHARACTER {n}" in taken:
            n += 1
        character = Character(id=new_id(), name=f"CHARACTER {n}")
        if self.controller.execute(AddCharacter(character, label=f"Add character {character.name}")):
            self.refresh()
            for row in range(self.list.count()):
                if self.list.item(row).data(Qt.ItemDataRole.UserRole) == character.id:
                    self.list.setCurrentRow(row)
            return character.id
        return None

    def import_from_project(self, source: Path | None = None, name: str | None = None) -> str | None:
        """Brings a character from another project, asking for the project and the character when
        not given; one undoable edit. Returns the new character's id, None when nothing changed."""
        target = self.controller.folder
        if target is None:
            self.controller.message.emit("Save the project first: the character's likeness is copied into its media folder", STATUS_MS)
            return None
        if source is None:
            chosen = QFileDialog.getExistingDirectory(self, "Import a character from the project…")
            if not chosen:
                return None
            source = Path(chosen)
        try:
            folder = project_folder_for(source)
            other = load_project(folder)
            if name is None:
                names = [c.name for c in other.characters]
                if not names:
                    self.controller.message.emit(f"{other.title!r} has no characters to import", STATUS_MS)
                    return None
                name, ok = QInputDialog.getItem(self, "Import a character", f"Character from {other.title!r}:", names, 0, False)
                if not ok:
                    return None
            imported = import_character(other, folder, name, self.controller.project, target)
        except (StudioError, OSError) as exc:
            self.controller.message.emit(f"Nothing imported: {exc}", 0)
            return None
        character = imported.character
        if not self.controller.execute(AddCharacter(character, label=f"Import {character.name} from {other.title}")):
            return None
        self.refresh()
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == character.id:
                self.list.setCurrentRow(row)
        self.controller.message.emit(" ".join([f"Imported {character.name} from {other.title!r}.", *(f"{note}." for note in imported.notes)]), 0)
        return character.id

    def record_cameo(self) -> None:
        """Opens cameo capture for the current character (ui.cameo imports QtMultimedia, so only when asked)."""
        character = self._character()
        if character is not None:
            from ui.cameo import CameoDialog

            CameoDialog(self.controller, character.id, self).exec()

    def delete_current(self) -> None:
        character = self._character()
        if character is not None:
            self.controller.execute(RemoveCharacter(character.id, label=f"Delete character {character.name}"))

    def add_reference_images(self, character_id: str, paths: list[Path]) -> bool:
        """Adds dropped images to a character's references; anything else is refused, nothing changes."""
        character = self.controller.project.character(character_id)
        for path in paths:
            problem = image_problem(Path(path))
            if problem:
                self.controller.message.emit(f"Not added to {character.name}: {problem}. Nothing was changed.", STATUS_MS)
                return False
        store = self.controller.media
        if store is None:
            self.controller.message.emit("Save the project first: reference images are copied into its media folder", STATUS_MS)
            return False
        try:
            refs = [store.add_file(Path(p)) for p in paths]
        except (StudioError, OSError) as exc:
            self.controller.message.emit(f"Could not add the image: {exc}", STATUS_MS)
            return False
        new = [r for r in refs if r not in character.reference_images]
        if not new:
            self.controller.message.emit(f"{character.name} already has that reference image", STATUS_MS)
            return False
        label = f"Add {len(new)} reference image(s) to {character.name}"
        done = self.controller.execute(SetField("character", character.id, "reference_images", [*character.reference_images, *new], label=label))
        if done:
            self.controller.message.emit(label, STATUS_MS)
        return done
