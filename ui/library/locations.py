"""The locations library: add, rename, describe the places shots happen in."""

from __future__ import annotations

from PySide6.QtWidgets import QListWidget, QPushButton

from studio.commands import AddLocation, Command, RemoveLocation
from studio.ids import new_id
from studio.location import Location
from ui.document_controller import DocumentController
from ui.library.library_panel import LibraryPanel


class LocationLibrary(LibraryPanel[Location]):
    def __init__(self, controller: DocumentController) -> None:
        super().__init__(
            controller,
            QListWidget(),
            kind="location",
            name_tip="The place as the slugline names it",
            description_tip="What the place looks like: goes into every shot set here",
        )
        add = QPushButton("Add location")
        add.clicked.connect(self.add_location)
        self._lay_out([add, self._delete_button()])

    def _entries(self) -> list[Location]:
        return self.controller.project.locations

    def _row_text(self, entry: Location) -> str:
        return entry.slug

    def _watched(self, entry: Location) -> tuple:
        return (entry.slug,)

    def _removal(self, entry_id: str, label: str) -> Command:
        return RemoveLocation(entry_id, label=label)

    def add_location(self) -> str | None:
        """Adds a location with a name no other has (after deletions the count alone repeats one), selected for editing."""
        taken = {location.name for location in self.controller.project.locations}
        n = len(taken) + 1
        while f"New location {n}" in taken:
            n += 1
        location = Location(id=new_id(), name=f"New location {n}")
        if self.controller.execute(AddLocation(location, label=f"Add location {location.name}")):
            self._select(location.id)
            return location.id
        return None
