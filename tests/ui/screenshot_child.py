"""Run by test_screenshot in its own process on an X server: opens a rendered project and saves
a screenshot of the whole main window (video frame included) to the path given."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from ui.app import build_app


def settle(seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def main(project: str, out: str, select: str) -> int:
    parts = build_app(project, autosave=3600, route_errors=False)
    window = parts.window
    window.resize(1600, 1000)
    window.move(0, 0)
    window.show()
    settle(1.0)
    controller = parts.controller
    shot = controller.project.shot_by_number(select)
    controller.select([shot.id])
    controller.set_playhead(controller.project.shot_starts()[shot.id] + shot.duration // 2)
    window.timeline.view.fit()
    settle(2.0)
    screen = window.screen()
    picture = screen.grabWindow(0, window.x(), window.y(), window.frameGeometry().width(), window.frameGeometry().height())
    if picture.isNull() or picture.width() < 100:
        picture = window.grab()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    ok = picture.save(out)
    print(f"saved {out} {picture.width()}x{picture.height()} ok={ok} message={window.last_message!r}", flush=True)
    controller.close_cleanly()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
