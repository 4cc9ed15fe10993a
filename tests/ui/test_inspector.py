"""Every field of the shot inspector is one undoable command on the document."""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import Qt

from studio.shot import ContinuityLink, DialogueLine, ShotSize, Transition, TransitionType
from ui.main_window import MainWindow


def _choose(box, value) -> None:
    box.setCurrentIndex(box.findData(value))
    box.activated.emit(box.currentIndex())


def test_each_inspector_field_is_one_command_and_undo_restores_the_shot(window: MainWindow, tiny_folder: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    c.select(["a"])
    before = copy.deepcopy(c.project)
    inspector = window.inspector

    _choose(inspector.size_box, ShotSize.ECU)
    inspector.lens.setValue(100)
    inspector.lens.editingFinished.emit()
    inspector.cast.item(0).setCheckState(Qt.CheckState.Checked)  # HERO joins the shot
    _choose(inspector.location, None)
    inspector.dialogue.add_line()
    table = inspector.dialogue.table
    table.item(0, 2).setText("Who's there?")  # edits the line's text in place
    _choose(inspector.transition, TransitionType.DISSOLVE)
    inspector.transition_frames.setValue(6)
    inspector.transition_frames.editingFinished.emit()
    inspector.seed.setValue(4242)
    inspector.seed.editingFinished.emit()
    inspector.seed_pinned.setChecked(True)
    inspector.chain.setChecked(True)
    _choose(inspector.backend, "draft")  # unchanged: no command

    shot = c.project.shot("a")
    assert shot.size is ShotSize.ECU and shot.lens_mm == 100
    assert [m.character_id for m in shot.characters] == ["hero"]
    assert shot.location_id is None
    assert shot.dialogue == [DialogueLine("hero", "Who's there?", 0)]
    assert shot.transition == Transition(TransitionType.DISSOLVE, 6)
    assert shot.seed == 4242 and shot.seed_pinned and shot.continuity is ContinuityLink.CHAIN
    labels = [c.undo_stack.text(i) for i in range(c.undo_stack.count())]
    assert len(labels) == 11, labels
    assert labels[0] == "Set size of shot 1" and "Chain shot 1" in labels
    assert window.timeline.scene.clips["a"].toolTip().startswith("Shot 1 — ECU, 100 mm")
    assert len(window.timeline.scene._lanes["a"][3]) == 1  # the new line is on the dialogue track

    c.undo_stack.setIndex(0)
    assert c.project == before
    assert inspector.size_box.currentData() == ShotSize.WS and inspector.dialogue.table.rowCount() == 0
