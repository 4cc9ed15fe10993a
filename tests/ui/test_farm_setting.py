"""The render queue's Farm setting: kept in the app's settings, a bad address refused with the
reason, and a render on an embedded Ray cluster records the same takes as on this computer."""

from __future__ import annotations

from pathlib import Path

from pipeline.farm.runner import RayRunner
from pipeline.render.batch import ShotOutcomeKind
from ui.farm_setting import FARM_KEY
from ui.main_window import MainWindow
from ui.settings import open_settings

RENDER_TIMEOUT_MS = 120_000


def type_address(window: MainWindow, text: str) -> None:
    window.render_queue.farm.field.setText(text)
    window.render_queue.farm.field.editingFinished.emit()


def test_a_bad_farm_address_is_refused_with_the_reason_and_renders_stay_here(window: MainWindow) -> None:
    type_address(window, "http://farm:10001")
    assert window.render_queue.farm.address is None
    assert "ray://HOST:PORT" in window.last_message and "this computer" in window.last_message


def test_the_farm_setting_is_kept_in_the_app_settings(window: MainWindow, settings_file: Path) -> None:
    type_address(window, "ray://10.0.0.5:10001")
    assert str(window.render_queue.farm.address) == "ray://10.0.0.5:10001"
    assert "render farm at ray://10.0.0.5:10001" in window.last_message
    window.settings.sync()
    assert open_settings(settings_file).value(FARM_KEY) == "ray://10.0.0.5:10001"


def test_rendering_on_an_embedded_farm_records_takes_through_the_undo_stack(qtbot, window: MainWindow, tiny_folder: Path) -> None:
    c = window.controller
    assert window.open_path(tiny_folder)
    type_address(window, "local-ray")

    with qtbot.waitSignal(window.render_queue.render_finished, timeout=RENDER_TIMEOUT_MS):
        window.render_queue.render_stale()
    qtbot.waitUntil(lambda: not window.render_state.busy, timeout=5000)

    assert isinstance(window.render_queue.runner, RayRunner)
    report = window.render_queue.last_report
    assert report is not None and report.count(ShotOutcomeKind.RENDERED) == 3, report
    assert [c.undo_stack.text(i) for i in range(c.undo_stack.count())] == ["Add take"] * 3
    assert window.render_queue.last_sequence is not None and window.render_queue.last_sequence.is_file()
    window.render_queue.shutdown()
    assert window.render_queue.runner is None


def test_a_runner_made_before_the_setting_changed_is_replaced_at_the_next_render(window: MainWindow) -> None:
    queue = window.render_queue
    local = queue._model_runner()  # noqa: SLF001 - the runner a render would get
    assert not isinstance(local, RayRunner) and queue._model_runner() is local  # kept between renders
    type_address(window, "local-ray")
    farm = queue._model_runner()  # noqa: SLF001
    assert isinstance(farm, RayRunner) and str(farm.address) == "local-ray"
    type_address(window, "bad address")
    assert queue.farm.field.toolTip().startswith("farm address 'bad address' is not understood")
    type_address(window, "")
    assert queue.farm.field.toolTip().startswith("Where shots render") and not isinstance(queue._model_runner(), RayRunner)  # noqa: SLF001
