"""The timeline's editor habits (zoom, marquee, multi-select, badges) and the preview player."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest

from ui.main_window import MainWindow


def _wheel(view, delta: int, modifiers: Qt.KeyboardModifier) -> None:
    pos = QPointF(view.viewport().width() / 2, 40)
    event = QWheelEvent(
        pos, view.viewport().mapToGlobal(pos), QPoint(), QPoint(0, delta), Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False
    )
    view.wheelEvent(event)


def test_ctrl_wheel_zooms_around_the_cursor_and_fit_shows_the_whole_cut(window: MainWindow, tiny_folder: Path) -> None:
    assert window.open_path(tiny_folder)
    view = window.timeline.view
    view.fit()
    fitted = window.timeline.scene.px_per_frame
    assert view.x_for_frame(window.controller.project.duration) <= view.viewport().width()
    _wheel(view, 120, Qt.KeyboardModifier.ControlModifier)
    assert window.timeline.scene.px_per_frame > fitted
    assert view.transform().m11() == window.timeline.scene.px_per_frame  # zoom is the view's transform
    _wheel(view, -120, Qt.KeyboardModifier.ControlModifier)
    _wheel(view, -120, Qt.KeyboardModifier.ControlModifier)
    assert window.timeline.scene.px_per_frame < fitted


def test_clicking_the_ruler_moves_the_playhead_frame_accurately(window: MainWindow, tiny_folder: Path) -> None:
    assert window.open_path(tiny_folder)
    view = window.timeline.view
    view.set_zoom(20.0)
    view.horizontalScrollBar().setValue(0)
    QTest.mouseClick(view.ruler, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(round(view.x_for_frame(13) + 5), 10))
    assert window.controller.playhead == 13
    assert window.timeline.timecode.text().startswith("00:00:00:13  shot 2 +5f")
    QTest.keyClick(window, Qt.Key.Key_Right)
    assert window.controller.playhead == 14
    QTest.keyClick(window, Qt.Key.Key_Down)
    assert window.controller.playhead == 18  # start of shot 3


def test_marquee_and_ctrl_click_select_several_shots_and_delete_removes_them_in_one_undo(window: MainWindow, tiny_folder: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    view = window.timeline.view
    view.fit()
    viewport = view.viewport()
    scene = window.timeline.scene
    first = view.mapFromScene(scene.clips["a"].sceneBoundingRect().center())
    third = view.mapFromScene(scene.clips["c"].sceneBoundingRect().center())
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, first)
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, third)
    assert c.selected_ids == ["a", "c"]
    QTest.keyClick(window, Qt.Key.Key_Delete)
    assert [s.id for s in c.project.shots()] == ["b"]
    assert c.undo_stack.undoText() == "Delete 2 shots"
    window.actions_by_name["undo"].trigger()
    assert [s.id for s in c.project.shots()] == ["a", "b", "c"]

    # A marquee from empty track space below the clips, up across shots 2 and 3, selects both.
    start = view.mapFromScene(QPointF(scene.clips["b"].x() + 2, scene.layout.sound_y + 10))
    end = view.mapFromScene(QPointF(scene.clips["c"].x() + 6, scene.layout.shots_y + 30))
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 6):
        QTest.mouseMove(viewport, start + (end - start) * step / 5)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    assert c.selected_ids == ["b", "c"]


def test_render_progress_shows_on_the_clip_badge(window: MainWindow, tiny_folder: Path) -> None:
    assert window.open_path(tiny_folder)
    window.render_state.set_progress("b", 0.42)
    assert window.timeline.scene.clips["b"].isVisible()
    picture = window.timeline.view.viewport().grab()  # paints the "42%" badge path without error
    assert not picture.isNull()
    window.render_state.set_failed("b", "shot 2: boom")
    assert window.render_state.failures == {"b": "shot 2: boom"} and window.render_state.progress == {}


def test_the_preview_plays_the_assembled_animatic_from_the_playhead(qtbot, window: MainWindow, tiny_folder: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    with qtbot.waitSignal(window.render_queue.render_finished, timeout=60_000):
        window.render_queue.render_stale()
    preview = window.preview
    assert preview.source is not None and preview.source.is_file()
    qtbot.waitUntil(lambda: preview.monitor.image is not None, timeout=10_000)  # the frame under the playhead
    c.set_playhead(4)
    QTest.keyClick(window, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: c.playhead > 8, timeout=10_000)
    QTest.keyClick(window, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: not preview.playing, timeout=5_000)
    QTest.keyClick(window, Qt.Key.Key_J)
    assert not preview.playing


def test_bare_key_shortcuts_yield_to_the_input_being_edited(qtbot, window: MainWindow, tiny_folder: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    c.select(["b"])
    c.set_playhead(12)
    spin = window.inspector.duration
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    QTest.keyClick(spin, Qt.Key.Key_Up)
    assert spin.value() == 11 and c.playhead == 12  # the spin box stepped; the playhead stayed
    window.timeline.view.setFocus()
    qtbot.waitUntil(window.timeline.view.hasFocus)
    QTest.keyClick(window.timeline.view, Qt.Key.Key_Up)
    assert c.playhead == 8  # on the timeline, Up goes to the previous shot's start


def test_i_and_o_mark_a_range_and_select_the_shots_in_it(window: MainWindow, tiny_folder: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    c.set_playhead(3)
    QTest.keyClick(window, Qt.Key.Key_I)
    c.set_playhead(12)
    QTest.keyClick(window, Qt.Key.Key_O)
    assert window.timeline.view.marks == [3, 12]
    assert c.selected_ids == ["a", "b"]
    assert not window.timeline.view.ruler.grab().isNull()  # paints the shaded range


def test_f_shows_the_preview_full_screen_and_esc_brings_the_layout_back(qtbot, window: MainWindow, tiny_folder: Path) -> None:
    assert window.open_path(tiny_folder)
    QTest.keyClick(window, Qt.Key.Key_F)
    qtbot.waitUntil(window.isFullScreen, timeout=2_000)
    assert window.preview_full_screen and window.preview.isVisible()
    assert not any(d.isVisible() for d in window.docks.values()) and not window.menuBar().isVisible()
    QTest.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=2_000)
    assert not window.preview_full_screen and window.menuBar().isVisible() and window.statusBar().isVisible()
    assert window.docks["timeline"].isVisible() and window.docks["inspector"].isVisible()
    assert not window.actions_by_name["leave_full_screen"].isEnabled()  # Esc is the widgets' again
    window.actions_by_name["full_screen"].trigger()  # View > Full Screen Preview toggles too
    assert window.preview_full_screen
    window.actions_by_name["full_screen"].trigger()
    assert not window.preview_full_screen and window.docks["timeline"].isVisible()


def test_looping_plays_the_marked_range_over_and_over(qtbot, window: MainWindow, tiny_folder: Path) -> None:
    c = window.controller
    preview = window.preview
    assert window.open_path(tiny_folder)
    c.set_playhead(4)
    QTest.keyClick(window, Qt.Key.Key_I)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.actions_by_name["loop"].isChecked() and preview.loop
    assert preview.loop_range() is None and "mark an in" in window.last_message  # no out point yet
    c.set_playhead(14)
    QTest.keyClick(window, Qt.Key.Key_O)
    assert preview.loop_range() == (4, 14)
    with qtbot.waitSignal(window.render_queue.render_finished, timeout=60_000):
        window.render_queue.render_stale()
    qtbot.waitUntil(lambda: preview.monitor.image is not None, timeout=10_000)
    c.set_playhead(20)  # outside the range: play starts at the in point
    seen: list[int] = []
    c.playhead_changed.connect(seen.append)
    window.actions_by_name["play"].trigger()
    assert c.playhead == 4 and preview.loop_range() == (4, 14)
    # went past the out point's neighbourhood and came back to the in point
    qtbot.waitUntil(lambda: any(f >= 11 for f in seen) and seen[-1] < 9 and seen.index(max(seen)) < len(seen) - 1, timeout=15_000)
    QTest.keyClick(window, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: not preview.playing, timeout=5_000)
    assert all(4 <= f <= 14 for f in seen[1:])
    window.actions_by_name["loop"].trigger()
    assert not preview.loop and preview.loop_range() is None
