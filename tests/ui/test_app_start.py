"""The app starts light and survives long sessions of Qt calls."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

LONG_SESSION = """
import sys
from ui.app import build_app
parts = build_app(None, autosave=3600, route_errors=False)
window = parts.window
window.show()
for i in range(60000):  # Qt calls returning nothing and signal emits: what painting and editing do all day
    window.statusBar().showMessage("x")
    parts.controller.selection_changed.emit()
heavy = sorted({n.split('.')[0] for n in sys.modules} & {'torch', 'diffusers', 'transformers'})
print("alive", heavy)
"""


def _run(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=120)


def test_a_long_session_of_qt_calls_and_signals_does_not_abort_and_torch_is_never_imported() -> None:
    done = _run(LONG_SESSION)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "alive []"


def test_cli_open_starts_the_app_through_run_app(monkeypatch) -> None:
    import ui.app
    from cli.main import main

    opened: list[str | None] = []
    monkeypatch.setattr(ui.app, "run_app", lambda path=None: opened.append(path) or 0)
    assert main(["open", "some.storyboard"]) == 0
    assert main([]) == 0
    assert opened == ["some.storyboard", None]
