"""Editing on the real widgets: add, drag-reorder, trim, split, camera move; undo/redo exactly."""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from studio.camera import CameraMove, CameraMoveType, Direction, Easing
from studio.project_file import load_project
from ui.main_window import MainWindow
from ui.timeline.clip_item import ShotClipItem


def _clip_point(window: MainWindow, shot_id: str, fraction: float) -> QPoint:
    """Viewport position at `fraction` of a clip's width, halfway down the clip."""
    view = window.timeline.view
    item: ShotClipItem = window.timeline.scene.clips[shot_id]
    rect = item.sceneBoundingRect()
    return view.mapFromScene(rect.left() + rect.width() * fraction, rect.center().y())


def _drag(window: MainWindow, start: QPoint, end: QPoint) -> None:
    viewport = window.timeline.view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 6):
        QTest.mouseMove(viewport, start + (end - start) * step / 5)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def _order(window: MainWindow) -> list[str]:
    return [s.number for s in window.controller.project.shots()]


def test_edits_on_the_timeline_and_inspector_undo_back_to_the_start_exactly(window: MainWindow, tmp_path: Path) -> None:
    c = window.controller
    assert c.save_as(tmp_path / "Flow")
    start = copy.deepcopy(c.project)

    for _ in range(3):
        window.actions_by_name["add_shot"].trigger()
    assert _order(window) == ["1", "2", "3"]
    assert len(window.timeline.scene.clips) == 3
    window.timeline.view.fit()
    ids = [s.id for s in c.project.shots()]

    # Drag shot 1 past the middle of shot 3: it lands last.
    _drag(window, _clip_point(window, ids[0], 0.4), _clip_point(window, ids[2], 0.8))
    assert _order(window) == ["2", "3", "1"]
    assert c.undo_stack.undoText() == "Move shot 1"
    scene = window.timeline.scene
    assert scene.clips[ids[0]].x() > scene.clips[ids[2]].x()  # the items followed the document

    # Trim shot 2 (now first) by dragging its right edge half its length to the left.
    shot2 = c.project.shot(ids[1])
    before = shot2.duration
    edge = _clip_point(window, ids[1], 1.0) - QPoint(2, 0)
    _drag(window, edge, edge - QPoint(round(scene.clips[ids[1]].width() / 2), 0))
    assert c.project.shot(ids[1]).duration < before
    assert c.undo_stack.undoText() == "Trim shot 2"
    assert scene.clips[ids[2]].x() == c.project.shot(ids[1]).duration  # the cut rippled (scene x is in frames)

    # Split at the playhead (B): a new shot numbered between its neighbours.
    c.set_playhead(c.project.shot_starts()[ids[2]] + 5)
    QTest.keyClick(window, Qt.Key.Key_B)
    assert _order(window) == ["2", "3", "3A", "1"]
    assert c.project.shot_by_number("3").duration == 5

    # Edit the camera move of shot 1 in the inspector, widget by widget.
    c.select([ids[0]])
    camera = window.inspector.camera
    camera.type_box.setCurrentIndex(camera.type_box.findData(CameraMoveType.PAN))
    camera.type_box.activated.emit(camera.type_box.currentIndex())
    camera.direction_box.setCurrentIndex(camera.direction_box.findData(Direction.LEFT))
    camera.direction_box.activated.emit(camera.direction_box.currentIndex())
    camera.amount.setValue(0.5)
    camera.amount.editingFinished.emit()
    camera.easing_box.setCurrentIndex(camera.easing_box.findData(Easing.EASE_OUT))
    camera.easing_box.activated.emit(camera.easing_box.currentIndex())
    assert c.project.shot(ids[0]).camera == CameraMove(CameraMoveType.PAN, Direction.LEFT, 0.5, Easing.EASE_OUT)

    # Describe it, and duplicate it.
    window.inspector.description.setPlainText("A slow pan across the rooftops.")
    window.inspector.description.committed.emit(window.inspector.description.toPlainText())
    assert c.project.shot(ids[0]).description == "A slow pan across the rooftops."
    window.actions_by_name["duplicate"].trigger()
    assert _order(window) == ["2", "3", "3A", "1", "2A"]
    end = copy.deepcopy(c.project)
    assert c.is_modified and window.isWindowModified()

    # Undo everything through the Edit menu's action: exactly the start, in the document and the view.
    while c.undo_stack.canUndo():
        window.actions_by_name["undo"].trigger()
    assert c.project == start
    assert scene.clips == {}
    assert not c.is_modified and not window.isWindowModified()

    # Redo everything (Ctrl+Shift+Z): exactly the end state again.
    while c.undo_stack.canRedo():
        QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert c.project == end
    assert [scene.clips[s.id].x() for s in c.project.shots()] == [c.project.shot_starts()[s.id] for s in c.project.shots()]

    # Save, reopen: the same project.
    assert c.save()
    assert load_project(c.folder) == end
    assert window.open_path(c.folder)
    assert c.project == end and not c.is_modified


def test_history_panel_lists_edits_and_jumps_back(window: MainWindow) -> None:
    c = window.controller
    window.edits.add_shot()
    window.edits.add_shot()
    assert window.history_view.stack() is c.undo_stack
    assert [c.undo_stack.text(i) for i in range(c.undo_stack.count())] == ["Add shot 1", "Add shot 2"]
    c.undo_stack.setIndex(0)  # what clicking "Opened project" in the history panel does
    assert list(c.project.shots()) == []


def test_delete_and_refused_edits_report_in_the_status_bar(window: MainWindow) -> None:
    c = window.controller
    first = window.edits.add_shot()
    window.edits.add_shot()
    c.select([first])
    QTest.keyClick(window, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    assert [s.number for s in c.project.shots()] == ["2"]
    c.set_playhead(0)
    assert not window.edits.split_at_playhead()  # the first frame of a shot cannot be split
    assert "first frame" in window.last_message
    window.inspector.number.setText("not a number")
    c.select([next(iter(c.project.shots())).id])
    window.inspector.number.setText("12 B")
    window.inspector.number.editingFinished.emit()
    assert "not a shot number" in window.last_message
    assert [s.number for s in c.project.shots()] == ["2"]
