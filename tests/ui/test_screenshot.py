"""A real X11 window (Xvfb) of the demo film, rendered first so thumbnails and the animatic exist;
the picture is kept as docs/screenshot.png."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO_ROOT / "docs" / "screenshot.png"


@pytest.fixture(scope="module")
def x_display() -> Iterator[str]:
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("no DISPLAY and no Xvfb to make one")
    read_end, write_end = os.pipe()  # Xvfb picks a free display and writes its number here
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    with os.fdopen(read_end) as numbers:
        number = numbers.readline().strip()
    if server.poll() is not None or not number.isdigit():
        server.kill()
        pytest.skip("Xvfb did not start")
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_main_window_with_the_rendered_demo_looks_like_an_editor(x_display: str, tmp_path: Path, run_cli) -> None:
    assert run_cli("new", tmp_path / "demo", "--demo").returncode == 0
    folder = tmp_path / "demo.storyboard"
    rendered = run_cli("render", folder, "--size", "960x540", timeout=180)
    assert rendered.returncode == 0, rendered.stderr
    out = tmp_path / "screenshot.png"
    env = {**os.environ, "DISPLAY": x_display, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("screenshot_child.py")), str(folder), str(out), "6"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Opened Last Order" in done.stdout
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1600, 1000)
    # A dark theme: the window's corners are dark grey, not the light default.
    corner = image.pixelColor(5, image.height() - 5)
    assert corner.lightness() < 60
    # The monitor shows a frame of the animatic (not an empty black box): many distinct colours there.
    colours = {image.pixelColor(x, y).rgb() for x in range(400, 1200, 16) for y in range(120, 560, 16)}
    assert len(colours) > 40
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(out, SCREENSHOT)
