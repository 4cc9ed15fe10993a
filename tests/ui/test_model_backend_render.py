"""Rendering a shot with a model backend from the app: through the render queue and its worker
process, which stays loaded between renders and closes with the window; a worker killed mid-shot
fails that shot in the panel and the app renders on. The model backend is the render queue tests'
flat backend, which a spawned worker loads by its "module:function" name. Spawning a worker takes
a second or two, so these tests are few."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).parents[1] / "queue"))  # the flat backend; spawned workers inherit sys.path

from queue_backends import CONTROL_VARIABLE, FACTORIES, FLAT, HOLD_STAGE, flat_backend, log_lines  # noqa: E402

from pipeline.backends import registry  # noqa: E402
from pipeline.progress import ProgressEvent  # noqa: E402
from pipeline.render.batch import ShotOutcomeKind  # noqa: E402
from studio.commands import SetField  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

RENDER_TIMEOUT_MS = 60_000


@pytest.fixture
def control(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the flat backend logs to; workers inherit the variable when they start. The
    app's own registry needs the backend too, for the planner's take settings."""
    folder = tmp_path / "control"
    folder.mkdir()
    monkeypatch.setenv(CONTROL_VARIABLE, str(folder))
    monkeypatch.setitem(registry._FACTORIES, FLAT, flat_backend)
    return folder


def _render_and_wait(qtbot, window: MainWindow, button) -> None:
    with qtbot.waitSignal(window.render_queue.render_finished, timeout=RENDER_TIMEOUT_MS):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.render_state.busy, timeout=5000)


def _rows(window: MainWindow) -> dict[str, tuple[str, str]]:
    """Shot number -> (state, message) as the queue panel shows them."""
    rows = window.render_queue.rows
    return {rows.topLevelItem(i).text(0): (rows.topLevelItem(i).text(1), rows.topLevelItem(i).text(3)) for i in range(rows.topLevelItemCount())}


def _worker_pids(control: Path, shot_number: str) -> list[int]:
    return [int(pid) for number, pid, _, _ in log_lines(control, "renders.log") if number == shot_number]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_shot_with_a_model_backend_renders_in_the_worker_process_which_stays_loaded_between_renders_and_closes_with_the_window(
    qtbot, window: MainWindow, tiny_folder: Path, control: Path
) -> None:
    c = window.controller
    queue = window.render_queue
    queue.backend_factories = FACTORIES
    assert window.open_path(tiny_folder)
    assert c.execute(SetField("shot", "b", "backend", FLAT))
    gui_thread = threading.get_ident()
    applied_on: list[int] = []
    c.changed.connect(lambda _command: applied_on.append(threading.get_ident()))

    _render_and_wait(qtbot, window, queue.render_stale_button)

    report = queue.last_report
    assert report is not None and report.count(ShotOutcomeKind.RENDERED) == 3, report
    assert _rows(window) == {"1": ("done", ""), "2": ("done", ""), "3": ("done", "")}
    worker = queue.runner.pid if queue.runner is not None else None
    assert worker is not None and worker != os.getpid()
    assert _worker_pids(control, "2") == [worker], "the flat shot rendered in the worker process"
    assert [take.backend for take in c.project.shot("b").takes] == [FLAT]
    assert [len(s.takes) for s in c.project.shots()] == [1, 1, 1]
    assert applied_on and set(applied_on) == {gui_thread}, "the document is only edited on the GUI thread"
    assert [c.undo_stack.text(i) for i in range(1, c.undo_stack.count())] == ["Add take"] * 3
    assert queue.last_sequence is not None and queue.last_sequence.is_file()
    assert not queue.retry_button.isEnabled()

    # Regenerate shot 2: a second take from the same worker, whose backend was loaded once.
    c.select(["b"])
    _render_and_wait(qtbot, window, queue.regenerate_button)
    assert [t.number for t in c.project.shot("b").takes] == [1, 2]
    assert _rows(window) == {"2": ("done", "")}
    assert _worker_pids(control, "2") == [worker, worker] and queue.runner.pid == worker
    assert [int(pid) for (pid,) in log_lines(control, "created.log") if int(pid) != os.getpid()] == [worker]

    window.close()  # nothing to save: the window's question is answered Discard
    assert queue.runner is None
    qtbot.waitUntil(lambda: not _alive(worker), timeout=5000)


def test_a_worker_killed_mid_shot_fails_that_shot_in_the_panel_and_retry_failed_renders_it_on_a_fresh_worker(
    qtbot, window: MainWindow, tiny_folder: Path, control: Path
) -> None:
    c = window.controller
    queue = window.render_queue
    queue.backend_factories = FACTORIES
    assert window.open_path(tiny_folder)
    assert c.execute(SetField("shot", "b", "backend", FLAT))
    assert c.execute(SetField("shot", "b", "description", "HERO walks in, hold"))
    killed: list[int] = []

    def kill_the_worker_holding_shot_2(event: ProgressEvent) -> None:
        pid = int(event.message) if event.stage == HOLD_STAGE else None
        if pid == os.getpid():  # rendering in the app's own process: let it finish, and the checks below fail
            (control / "release").touch()
        elif pid is not None and pid not in killed and not (control / "release").exists():
            killed.append(pid)
            os.kill(pid, signal.SIGKILL)

    queue.worker.progress.connect(kill_the_worker_holding_shot_2)
    c.select(["b"])
    _render_and_wait(qtbot, window, queue.regenerate_button)

    state, message = _rows(window)["2"]
    assert state == "failed"
    assert message.startswith("the render worker stopped unexpectedly (killed by signal 9, SIGKILL) while rendering shot 2;")
    assert message.endswith("(tried 2 times, each on a fresh worker)")
    assert len(killed) == 2 and window.render_state.failures == {"b": message}
    assert message in window.last_message
    assert c.project.shot("b").takes == []
    assert queue.retry_button.isEnabled() and queue.render_stale_button.isEnabled()

    # The app renders on: release the hold and retry; a fresh worker renders the shot.
    (control / "release").touch()
    _render_and_wait(qtbot, window, queue.retry_button)

    assert _rows(window) == {"2": ("done", "")}
    assert [t.backend for t in c.project.shot("b").takes] == [FLAT]
    retried_on = _worker_pids(control, "2")[-1]
    assert retried_on == queue.runner.pid and retried_on not in killed
    assert window.render_state.failures == {} and not queue.retry_button.isEnabled()


def test_cancel_stops_the_shot_in_the_worker_process_which_lives_on_for_the_next_render(qtbot, window: MainWindow, tiny_folder: Path, control: Path) -> None:
    c = window.controller
    queue = window.render_queue
    queue.backend_factories = FACTORIES
    assert window.open_path(tiny_folder)
    assert c.execute(SetField("shot", "b", "backend", FLAT))
    assert c.execute(SetField("shot", "b", "description", "HERO walks in, hold"))
    c.select(["b"])
    with qtbot.waitSignal(queue.render_finished, timeout=RENDER_TIMEOUT_MS):
        qtbot.mouseClick(queue.regenerate_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: _rows(window)["2"][0] == HOLD_STAGE, timeout=RENDER_TIMEOUT_MS)
        holding = _worker_pids(control, "2")
        qtbot.mouseClick(queue.cancel_button, Qt.MouseButton.LeftButton)

    assert _rows(window) == {"2": ("cancelled", "")}
    assert queue.last_report is not None and queue.last_report.cancelled
    assert c.project.shot("b").takes == [] and not (control / "release").exists()
    assert holding == [queue.runner.pid], "the shot stopped itself inside the worker, which is kept"
    assert not window.render_state.busy and queue.render_stale_button.isEnabled() and not queue.retry_button.isEnabled()


def test_a_render_left_unfinished_is_offered_for_resuming_when_the_project_opens_and_carries_on(
    qtbot, window: MainWindow, tiny_folder: Path, control: Path
) -> None:
    from pipeline.queue import InlineRunner, QueueSettings, RenderQueue, plan_jobs
    from studio.commands import History
    from studio.project_file import load_project, save_project

    project = load_project(tiny_folder)
    project.shot("b").backend = FLAT
    save_project(project, tiny_folder)
    # What a render killed before its first shot leaves behind: the whole queue, still queued.
    RenderQueue(project, tiny_folder, QueueSettings(), plan_jobs(project, None, False, False), History(project).execute, InlineRunner())

    queue = window.render_queue
    queue.backend_factories = FACTORIES
    assert window.open_path(tiny_folder)
    assert queue.resume_button.isVisibleTo(window) and queue.resume_button.text() == "Resume (3 shots left)"

    _render_and_wait(qtbot, window, queue.resume_button)
    assert [len(s.takes) for s in window.controller.project.shots()] == [1, 1, 1]
    assert not queue.resume_button.isVisibleTo(window)
