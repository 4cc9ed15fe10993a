"""The characters and locations libraries share one form: rename, refuse a blank name, delete, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from studio.commands import RemoveLocation
from ui.main_window import MainWindow

BOTH = pytest.mark.parametrize(("attribute", "kind"), [("characters", "character"), ("locations", "location")])


@BOTH
def test_renaming_in_the_form_is_one_undoable_edit_named_for_the_entry(window: MainWindow, tiny_folder: Path, attribute: str, kind: str) -> None:
    assert window.open_path(tiny_folder)
    library = getattr(window, attribute)
    old = library.name.text()
    library.name.setText("Harbour")
    library.name.editingFinished.emit()
    assert window.controller.undo_stack.undoText() == f"Edit {kind} {old}"
    assert library.list.currentItem().data(Qt.ItemDataRole.UserRole) == library.current_id()
    assert "HARBOUR" in library.list.currentItem().text().upper()
    window.controller.undo_stack.undo()
    assert library.name.text() == old


@BOTH
def test_a_blank_name_is_refused_with_a_message_and_the_old_name_comes_back(window: MainWindow, tiny_folder: Path, attribute: str, kind: str) -> None:
    assert window.open_path(tiny_folder)
    library = getattr(window, attribute)
    messages: list[str] = []
    window.controller.message.connect(lambda text, _ms: messages.append(text))
    old = library.name.text()
    index = window.controller.undo_stack.index()
    library.name.setText("   ")
    library.name.editingFinished.emit()
    assert messages[-1] == f"A {kind} needs a name"
    assert library.name.text() == old and window.controller.undo_stack.index() == index


def test_the_location_list_shows_the_slugline_and_follows_edits_to_it(window: MainWindow, tiny_folder: Path) -> None:
    assert window.open_path(tiny_folder)
    assert window.locations.list.item(0).text() == "EXT. STREET - " + window.controller.project.locations[0].world.time_of_day.value.upper()
    window.locations.add_location()
    assert window.locations.list.count() == 2 and window.locations.list.currentRow() == 1  # the new location, selected for editing


def test_an_added_character_is_selected_and_deleting_it_is_named_in_the_undo_label(window: MainWindow, tiny_folder: Path) -> None:
    assert window.open_path(tiny_folder)
    new_id = window.characters.add_character()
    assert window.characters.current_id() == new_id and window.characters.name.text() == "CHARACTER 2"
    window.characters.delete_current()
    assert window.controller.undo_stack.undoText() == "Delete character CHARACTER 2"
    assert [c.id for c in window.controller.project.characters] == ["hero"]
    assert window.characters.current_id() == "hero"


def test_an_unused_location_is_deleted_and_the_form_empties(window: MainWindow, tiny_folder: Path) -> None:
    assert window.open_path(tiny_folder)
    new_id = window.locations.add_location()
    window.locations.list.setCurrentRow(1)
    assert window.locations.current_id() == new_id
    window.locations.delete_current()
    assert window.controller.undo_stack.undoText() == "Delete location New location 2"
    assert window.locations.current_id() == "street"


def test_a_new_location_gets_a_name_no_other_has_and_is_selected(window: MainWindow) -> None:
    library = window.locations
    first, second = library.add_location(), library.add_location()
    window.controller.execute(RemoveLocation(first, label="Delete"))
    third = library.add_location()
    names = [location.name for location in window.controller.project.locations]
    assert len(names) == len(set(names)), names
    assert library.current_id() == third and window.controller.project.location(second).name != window.controller.project.location(third).name
