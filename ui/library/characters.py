"""The characters library: add, rename, describe; drop images on a character for references."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFileDialog, QInputDialog, QListWidget, QListWidgetItem, QPushButton

from studio.character import Character
from studio.character_import import import_character
from studio.commands import AddCharacter, Command, RemoveCharacter, SetField
from studio.errors import StudioError
from studio.ids import new_id
from studio.project_file import load_project, project_folder_for
from ui.document_controller import STATUS_MS, DocumentController
from ui.library.drop_list import FileDropList, image_problem
from ui.library.library_panel import LibraryPanel
from ui.thumbnails import ThumbnailCache


class CharacterLibrary(LibraryPanel[Character]):
    def __init__(self, controller: DocumentController, thumbnails: ThumbnailCache) -> None:
        drops = FileDropList()
        super().__init__(
            controller,
            drops,
            kind="character",
            name_tip="The name as the script writes it",
            description_tip="Look, age, wardrobe: goes into every shot with this character",
        )
        self.thumbnails = thumbnails
        self.list.setToolTip("Characters of the project. Drop photos on a character to add reference images.")
        drops.files_dropped.connect(self.add_reference_images)
        self.references = QListWidget()
        self.references.setViewMode(QListWidget.ViewMode.IconMode)
        self.references.setIconSize(QSize(64, 64))
        self.references.setMaximumHeight(84)
        self.references.setToolTip("Reference images (drop image files on the character in the list above)")
        add = QPushButton("Add character")
        self.cameo = QPushButton("Record cameo…", toolTip="Record or import a clip of a person: their likeness and consent for this character")
        borrow = QPushButton("Import…", toolTip="Bring a character from another project: description, voice, likeness and its consent")
        add.clicked.connect(self.add_character)
        borrow.clicked.connect(lambda: self.import_from_project())
        self.cameo.clicked.connect(self.record_cameo)
        self._lay_out([add, borrow, self._delete_button(), self.cameo], rows=[("References", self.references)])

    def _entries(self) -> list[Character]:
        return self.controller.project.characters

    def _row_text(self, entry: Character) -> str:
        return f"{entry.name}  ·  {len(entry.reference_images)} ref."

    def _watched(self, entry: Character) -> tuple:
        return (tuple(entry.reference_images),)

    def _removal(self, entry_id: str, label: str) -> Command:
        return RemoveCharacter(entry_id, label=label)

    def _show_details(self, entry: Character | None) -> None:
        self.references.clear()
        for ref in entry.reference_images if entry else []:
            pixmap = self.thumbnails.get(ref)
            item = QListWidgetItem(QIcon(pixmap) if pixmap else QIcon(), "")
            item.setToolTip(ref)
            self.references.addItem(item)
        self.cameo.setEnabled(entry is not None)

    def add_character(self) -> str | None:
        taken = {c.name for c in self.controller.project.characters}
        n = len(taken) + 1
        while f"CHARACTER {n}" in taken:
            n += 1
        character = Character(id=new_id(), name=f"CHARACTER {n}")
        if self.controller.execute(AddCharacter(character, label=f"Add character {character.name}")):
            self._select(character.id)
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
        self._select(character.id)
        self.controller.message.emit(" ".join([f"Imported {character.name} from {other.title!r}.", *(f"{note}." for note in imported.notes)]), 0)
        return character.id

    def record_cameo(self) -> None:
        """Opens cameo capture for the current character (ui.cameo imports QtMultimedia, so only when asked)."""
        character = self._current()
        if character is not None:
            from ui.cameo import CameoDialog

            CameoDialog(self.controller, character.id, self).exec()

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
