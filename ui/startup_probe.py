"""A start-up probe for packaging checks: with STORYBOARD_STARTUP_PROBE=FILE.png set, the app notes
how long it took from process start until the main window was on screen, prints it, saves a
picture of the screen to FILE.png and quits. Unset (always, for users), nothing happens.

    STORYBOARD_STARTUP_PROBE=/tmp/shot.png xvfb-run -s "-screen 0 1600x1000x24" dist/storyboard-studio/studio
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

PROBE_ENV = "STORYBOARD_STARTUP_PROBE"
SETTLE_MS = 1500  # after the window is exposed: docks laid out and painted before the picture


def process_age_seconds() -> float:
    """Seconds since this process started (the bundle's bootloader included)."""
    import psutil

    return time.time() - psutil.Process().create_time()


def install_startup_probe(app: QApplication, window: QMainWindow) -> bool:
    out = os.environ.get(PROBE_ENV, "").strip()
    if not out:
        return False

    def exposed() -> None:
        handle = window.windowHandle()
        if handle is None or not handle.isExposed():
            QTimer.singleShot(10, exposed)
            return
        print(f"startup-probe: window shown after {process_age_seconds():.2f} s", flush=True)
        QTimer.singleShot(SETTLE_MS, capture)

    def capture() -> None:
        picture = window.screen().grabWindow(0)  # the whole screen, as the X server has it
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        saved = picture.save(out)
        print(f"startup-probe: saved {out} {picture.width()}x{picture.height()} ok={saved}", flush=True)
        window.controller.close_cleanly()
        app.exit(0 if saved else 1)

    QTimer.singleShot(0, exposed)
    return True
