"""The render panel shows the engine's latent previews while a shot generates, with the step and
the time left, and puts them away when the render ends."""

from __future__ import annotations

import numpy as np

from pipeline.progress import ProgressEvent
from ui.generation_preview import PREVIEW_HEIGHT
from ui.main_window import MainWindow


def test_a_preview_picture_and_the_time_left_show_while_generating_and_go_when_done(window: MainWindow) -> None:
    panel = window.render_queue
    assert not panel.preview.isVisible()
    panel._on_progress(ProgressEvent("shot 3", "denoise", 1, 10, eta_s=40.0))  # noqa: SLF001 - the worker's queued slot
    assert panel.preview.isHidden(), "nothing to show before the first preview"

    picture = np.zeros((24, 40, 3), dtype=np.uint8)
    picture[:, :20] = (255, 0, 0)
    panel._on_progress(ProgressEvent("shot 3", "denoise", 5, 10, eta_s=21.4, preview=picture))  # noqa: SLF001
    shown = panel.preview.picture.pixmap()
    assert not panel.preview.isHidden() and shown.height() == PREVIEW_HEIGHT and shown.width() == PREVIEW_HEIGHT * 40 // 24
    image = shown.toImage()
    assert image.pixelColor(2, 2).red() == 255 and image.pixelColor(shown.width() - 2, 2).red() == 0, "left half red, right half black"
    assert panel.preview.caption.text() == "shot 3: step 5 of 10, about 21 s left"

    panel._on_finished(False)  # noqa: SLF001
    assert panel.preview.isHidden() and panel.preview.picture.pixmap().isNull()
