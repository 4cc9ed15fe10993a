"""A built one-folder bundle works on a machine without the project's Python environment: it creates,
renders and exports the demo from the command line, and its window comes up on an X server.

Skipped unless STORYBOARD_BUNDLE_DIR names the bundle (dist/storyboard-studio from
packaging/linux/build.sh): building takes minutes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

START_TO_WINDOW_LIMIT_S = 10.0  # generous for shared CI machines; the target on a desktop is under 3 s


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """No venv, no PYTHONPATH: what a user's shell has."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "STORYBOARD_PROVENANCE_DIR": str(home / "provenance"), **extra}


def run_bundle(bundle: Path, *args: str | Path, cwd: Path, timeout: float = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle / "studio"), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env or clean_env(cwd / "home"), timeout=timeout
    )


def test_the_bundle_carries_no_torch_and_no_python_environment_is_needed(bundle_dir: Path) -> None:
    internal = bundle_dir / "_internal"
    for heavy in ("torch", "diffusers", "transformers", "ray"):
        assert not (internal / heavy).exists(), f"the draft bundle carries {heavy}"
    for needed in ("resources/styles/dark.qss", "resources/moderation/minors.txt", "resources/icons/storyboard-studio-256.png", "c2pa/libs"):
        assert (internal / needed).exists(), needed


def test_the_bundle_renders_and_exports_the_demo(bundle_dir: Path, tmp_path: Path) -> None:
    created = run_bundle(bundle_dir, "new", "demo", "--demo", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    rendered = run_bundle(bundle_dir, "render", "demo.storyboard", "--out", "demo.mp4", cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    assert (tmp_path / "demo.mp4").stat().st_size > 100_000
    if shutil.which("ffprobe"):
        streams = subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", str(tmp_path / "demo.mp4")], capture_output=True, text=True
        ).stdout.split()
        assert sorted(streams) == ["audio", "video"]
    exported = run_bundle(bundle_dir, "export", "demo.storyboard", "--format", "all", "--out", "x", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    suffixes = sorted(p.suffix for p in (tmp_path / "x").iterdir())
    assert suffixes == sorted([".aaf", ".edl", ".fcpxml", ".kdenlive", ".otio", ".xml", ".csv", ".pdf"])
    assert (tmp_path / "x" / "Last_Order_storyboard.pdf").read_bytes().startswith(b"%PDF")


def test_the_bundle_reports_itself_as_a_draft_only_standalone_app(bundle_dir: Path, tmp_path: Path) -> None:
    done = run_bundle(bundle_dir, "diagnostics", cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "(standalone bundle)" in done.stdout
    assert "  torch: not installed" in done.stdout
    assert "no CUDA GPU (torch is not installed" in done.stdout


def test_the_bundled_app_shows_its_window_under_xvfb(bundle_dir: Path, tmp_path: Path) -> None:
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb)")
    from PySide6.QtGui import QImage

    picture = tmp_path / "window.png"
    env = clean_env(tmp_path / "home", STORYBOARD_STARTUP_PROBE=str(picture), STORYBOARD_SETTINGS_FILE=str(tmp_path / "settings.ini"))
    started = time.perf_counter()
    done = subprocess.run(
        [xvfb_run, "-a", "-s", "-screen 0 1600x1000x24", str(bundle_dir / "studio")], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120
    )
    wall = time.perf_counter() - started
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    shown = [line for line in done.stdout.splitlines() if line.startswith("startup-probe: window shown after")]
    assert shown, done.stdout
    seconds = float(shown[0].split()[-2])
    print(f"start to window: {seconds:.2f} s (whole run under xvfb-run {wall:.1f} s)")
    assert seconds < START_TO_WINDOW_LIMIT_S
    image = QImage(str(picture))
    assert (image.width(), image.height()) == (1600, 1000)
    colours = {image.pixelColor(x, y).rgb() for x in range(0, 1600, 20) for y in range(0, 1000, 20)}
    assert len(colours) > 20, "the screen is blank: no window was drawn"
    assert image.pixelColor(5, image.height() - 5).lightness() < 60  # the dark theme came along with the bundle


def test_the_tarball_launcher_runs_the_bundle(bundle_dir: Path, tmp_path: Path) -> None:
    launcher = bundle_dir / "storyboard-studio"
    if not launcher.is_file():
        pytest.skip("the bundle was built without packaging/linux/build.sh: no launcher")
    link = tmp_path / "bin" / "storyboard-studio"
    link.parent.mkdir()
    link.symlink_to(launcher)
    done = subprocess.run([str(link), "--help"], capture_output=True, text=True, env=clean_env(tmp_path), timeout=60)
    assert done.returncode == 0, done.stderr
    assert "usage: studio" in done.stdout


def test_install_sh_registers_the_menu_entry_mime_type_and_icons(bundle_dir: Path, tmp_path: Path) -> None:
    install = bundle_dir / "install.sh"
    if not install.is_file():
        pytest.skip("the bundle was built without packaging/linux/build.sh: no install.sh")
    env = clean_env(tmp_path, XDG_DATA_HOME=str(tmp_path / "share"))
    done = subprocess.run(["sh", str(install)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    share = tmp_path / "share"
    desktop = (share / "applications" / "storyboard-studio.desktop").read_text()
    assert f"Exec={bundle_dir}/storyboard-studio open %f" in desktop
    assert (share / "mime" / "packages" / "storyboard-studio.xml").is_file()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "storyboard-studio.png").is_file()
    assert os.path.realpath(tmp_path / ".local" / "bin" / "storyboard-studio") == str(bundle_dir / "storyboard-studio")
    undone = subprocess.run(["sh", str(install), "--uninstall"], capture_output=True, text=True, env=env, timeout=60)
    assert undone.returncode == 0, undone.stderr
    assert not (share / "applications" / "storyboard-studio.desktop").exists()
