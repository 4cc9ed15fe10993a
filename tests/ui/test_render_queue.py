"""Rendering from the render queue panel: a worker thread, per-shot progress, takes via the undo stack."""

from __future__ import annotations

import copy
import threading
from pathlib import Path

from PySide6.QtCore import Qt

from pipeline.render.batch import ShotOutcomeKind
from studio.commands import SetField
from studio.project_file import load_project
from studio.render_inputs import ShotStatus, shot_status
from ui.main_window import MainWindow

RENDER_TIMEOUT_MS = 60_000


def _render_and_wait(qtbot, window: MainWindow, start) -> None:
    with qtbot.waitSignal(window.render_queue.render_finished, timeout=RENDER_TIMEOUT_MS):
        start()
    qtbot.waitUntil(lambda: not window.render_state.busy, timeout=5000)


def test_rendering_from_the_queue_records_takes_and_regenerating_one_shot_adds_a_second_take(qtbot, window: MainWindow, tiny_folder: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    progress_seen: list[float] = []
    window.render_state.shot_changed.connect(lambda shot_id: progress_seen.append(window.render_state.progress.get(shot_id, -1.0)))
    gui_thread = threading.get_ident()
    applied_on: list[int] = []
    c.changed.connect(lambda _command: applied_on.append(threading.get_ident()))

    _render_and_wait(qtbot, window, lambda: qtbot.mouseClick(window.render_queue.render_stale_button, Qt.MouseButton.LeftButton))

    report = window.render_queue.last_report
    assert report is not None and report.count(ShotOutcomeKind.RENDERED) == 3, report
    assert all(len(s.takes) == 1 and shot_status(c.project, s) is ShotStatus.CURRENT for s in c.project.shots())
    assert any(0.0 < p < 1.0 for p in progress_seen), "per-shot progress reached the timeline badges"
    assert applied_on and set(applied_on) == {gui_thread}, "the document is only edited on the GUI thread"
    assert [c.undo_stack.text(i) for i in range(c.undo_stack.count())] == ["Add take"] * 3
    assert window.render_queue.last_sequence is not None and window.render_queue.last_sequence.is_file()
    assert window.preview.source == window.render_queue.last_sequence
    assert window.timeline.scene.thumbnails.get(c.project.shot("a").active_take.thumbnail) is not None

    # Regenerate shot 2 only: a second take for it, the others untouched.
    others = {s.id: copy.deepcopy(s.takes) for s in c.project.shots() if s.id != "b"}
    c.select(["b"])
    _render_and_wait(qtbot, window, lambda: qtbot.mouseClick(window.render_queue.regenerate_button, Qt.MouseButton.LeftButton))
    shot = c.project.shot("b")
    assert [t.number for t in shot.takes] == [1, 2] and shot.active_take_id == shot.takes[1].id
    assert {s.id: s.takes for s in c.project.shots() if s.id != "b"} == others
    assert window.takes.list.count() == 2

    # Choose take 1 again in the takes browser, then delete take 2; both undoable.
    window.takes.list.setCurrentRow(0)
    window.takes.make_active()
    assert shot.active_take_id == shot.takes[0].id
    window.takes.list.setCurrentRow(1)
    window.takes.delete_selected()
    assert [t.number for t in c.project.shot("b").takes] == [1]
    c.undo_stack.undo()
    assert [t.number for t in c.project.shot("b").takes] == [1, 2]

    # Save and reopen: every take is still there.
    saved = copy.deepcopy(c.project)
    assert window.save()
    assert window.open_path(tiny_folder)
    assert c.project == saved == load_project(tiny_folder)


def test_a_shot_that_fails_to_render_is_marked_and_the_others_still_render(qtbot, window: MainWindow, tiny_folder: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    assert c.execute(SetField("shot", "b", "backend", "no-such-backend"))
    _render_and_wait(qtbot, window, window.render_queue.render_stale)
    assert window.render_state.failures.keys() == {"b"}
    assert "unknown backend" in window.render_state.failures["b"]
    assert "unknown backend" in window.last_message
    assert len(c.project.shot("a").takes) == 1 and len(c.project.shot("c").takes) == 1
    assert c.project.shot("b").takes == []
    # Nothing lost: the edit before the render and the two takes are all on the undo stack.
    assert c.undo_stack.count() == 3


def test_rendering_an_unsaved_project_asks_for_a_save_first(window: MainWindow) -> None:
    window.edits.add_shot()
    assert not window.render_queue.render_stale()
    assert "Save the project first" in window.last_message
    assert not window.render_state.busy


def test_cancel_stops_the_render_and_keeps_finished_takes(qtbot, window: MainWindow, tiny_folder: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    with qtbot.waitSignal(window.render_queue.render_finished, timeout=RENDER_TIMEOUT_MS):
        window.render_queue.render_stale()
        qtbot.waitUntil(lambda: bool(window.render_state.progress), timeout=RENDER_TIMEOUT_MS)
        window.render_queue.cancel()
    report = window.render_queue.last_report
    assert report is None or report.cancelled or report.count(ShotOutcomeKind.RENDERED) == 3
    assert all(len(s.takes) <= 1 for s in c.project.shots())
    assert not window.render_state.busy and window.render_queue.render_stale_button.isEnabled()
