"""Desktop app timings on a 1,000-shot project: start, open, zoom/scroll repaint, reorder.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/ui_timeline.py [--shots 1000]

Targets: window shown < 2 s from process start without importing torch; open to interactive
< 1.5 s; zoom and scroll repaint < 16 ms median; reorder one shot (with its undo entry) < 10 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

START_CHILD = """
import time
t0 = time.perf_counter()
import sys
from ui.app import build_app
parts = build_app(None, autosave=3600, route_errors=False)
parts.window.show()
parts.app.processEvents()
shown = time.perf_counter() - t0
heavy = sorted({n.split('.')[0] for n in sys.modules} & {'torch', 'diffusers', 'transformers'})
print(f"{shown:.4f} {','.join(heavy) or '-'}")
"""


def big_project(shots: int):
    import copy

    from studio.demo import demo_project
    from studio.project import Sequence

    project = demo_project()
    template = list(project.shots())
    sequences = []
    per_scene = 25
    for scene in range(shots // per_scene):
        seq_shots = []
        for i in range(per_scene):
            n = scene * per_scene + i
            shot = copy.deepcopy(template[n % len(template)])
            shot.id, shot.number = f"s{n:05d}", str(n + 1)
            seq_shots.append(shot)
        sequences.append(Sequence(id=f"sc{scene + 1}", name=f"{scene + 1} SCENE", shots=seq_shots))
    project.sequences = sequences
    return project


def measure_start() -> tuple[float, float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", START_CHILD], capture_output=True, text=True, cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    wall = time.perf_counter() - started
    inside, heavy = done.stdout.split()[-2:]
    return wall, float(inside), heavy


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", type=int, default=1000)
    args = parser.parse_args()

    from studio.project_file import save_project

    with tempfile.TemporaryDirectory() as tmp:
        folder = save_project(big_project(args.shots), Path(tmp) / "Big.storyboard")
        wall, inside, heavy = measure_start()
        print(f"start to window shown: {wall:.2f} s wall (process start), {inside:.2f} s in-process   target < 2 s   heavy modules imported: {heavy}")

        from PySide6.QtWidgets import QMessageBox

        from ui.app import build_app

        parts = build_app(None, autosave=3600, route_errors=False)
        app, window = parts.app, parts.window
        window.show()
        app.processEvents()
        view = window.timeline.view
        started = time.perf_counter()
        assert window.open_path(folder)
        app.processEvents()
        view.viewport().repaint()
        opened = time.perf_counter() - started
        shots = len(window.timeline.scene.clips)
        print(f"open {shots} shots to interactive: {opened:.3f} s   target < 1.5 s")

        view.set_zoom(2.0)
        app.processEvents()
        zoom, scroll = [], []
        for i in range(40):
            started = time.perf_counter()
            view.set_zoom(2.0 * (1.25 if i % 2 == 0 else 0.8) ** (i % 4))
            view.viewport().repaint()
            zoom.append(time.perf_counter() - started)
        bar = view.horizontalScrollBar()
        for i in range(40):
            started = time.perf_counter()
            bar.setValue(bar.maximum() * i // 40)
            view.viewport().repaint()
            scroll.append(time.perf_counter() - started)
        print(f"zoom repaint: median {median_ms(zoom):.2f} ms, max {max(zoom) * 1000:.2f} ms   target < 16 ms median")
        print(f"scroll repaint: median {median_ms(scroll):.2f} ms, max {max(scroll) * 1000:.2f} ms   target < 16 ms median")

        c = window.controller
        order = [s.id for s in c.project.shots()]
        moves = []
        for i in range(30):
            shot_id = order[(i * 37) % len(order)]
            gap = (i * 131) % len(order)
            depth = c.undo_stack.count()
            started = time.perf_counter()
            moved = window.edits.move_shot(shot_id, gap)
            moves.append(time.perf_counter() - started)
            assert moved is False or c.undo_stack.count() == depth + 1
        print(f"reorder one shot (MoveShot + undo entry + timeline update): median {median_ms(moves):.2f} ms, max {max(moves) * 1000:.2f} ms   target < 10 ms")
        started = time.perf_counter()
        view.viewport().repaint()
        print(f"repaint after reorders: {(time.perf_counter() - started) * 1000:.2f} ms")
        window.ask = lambda *args: QMessageBox.StandardButton.Discard  # no question at exit
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
