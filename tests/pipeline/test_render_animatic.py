"""`studio render` end to end on the demo film: format, sync, cache, partial failures, cancel."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import numpy as np
import pytest

from studio.commands import History, SetField
from studio.demo import demo_project
from studio.frame_rate import FrameRate
from studio.project_file import load_project, save_project

STUDIO = str(Path(sys.executable).with_name("studio"))


def studio(*args: object, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([STUDIO, *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env)


def ffprobe(path: Path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-show_streams", "-show_format", "-of", "json", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


@pytest.fixture(scope="module")
def rendered_demo(tmp_path_factory) -> tuple[Path, Path, subprocess.CompletedProcess]:
    """The demo film at 640x360 rendered once for the module's read-only checks."""
    work = tmp_path_factory.mktemp("demo")
    folder = save_project(demo_project(width=640, height=360), work / "Demo.storyboard")
    out = work / "demo.mp4"
    done = studio("render", folder, "--out", out)
    assert done.returncode == 0, done.stderr
    return folder, out, done


@pytest.fixture
def demo_copy(rendered_demo, tmp_path) -> Path:
    folder, _, _ = rendered_demo
    return Path(shutil.copytree(folder, tmp_path / "Demo.storyboard"))


def test_demo_renders_to_the_projects_format_with_sound(rendered_demo):
    folder, out, _ = rendered_demo
    project = load_project(folder)
    probe = ffprobe(out)
    video = next(s for s in probe["streams"] if s["codec_type"] == "video")
    audio = [s for s in probe["streams"] if s["codec_type"] == "audio"]
    assert (video["width"], video["height"]) == (640, 360)
    assert video["codec_name"] == "h264" and video["pix_fmt"] == "yuv420p"
    assert video["r_frame_rate"] == "24/1"
    assert abs(int(video["nb_read_frames"]) - project.duration) <= 1
    assert audio and audio[0]["codec_name"] == "aac"
    assert abs(float(probe["format"]["duration"]) - project.duration / 24) <= 1 / 24 + 0.03
    assert all(shot.active_take is not None for shot in project.shots())


def speech_onsets(samples: np.ndarray, rate: int, threshold: float) -> list[int]:
    window = rate * 5 // 1000
    energy = np.sqrt(np.mean(samples[: len(samples) // window * window].reshape(-1, window) ** 2, axis=1))
    loud = energy > threshold
    return [int(i * window) for i in np.flatnonzero(loud[1:] & ~loud[:-1]) + 1]


def decode_audio(path: Path) -> tuple[np.ndarray, int]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        chunks = [frame.to_ndarray().mean(axis=0) for frame in container.decode(stream)]
        return np.concatenate(chunks), stream.rate


def test_dialogue_starts_on_its_frame_in_the_assembled_animatic(tmp_path):
    project = demo_project(width=320, height=180)
    for shot in project.shots():
        shot.sound_cues = []  # only speech, so an onset is a line starting
    folder = save_project(project, tmp_path / "Talk.storyboard")
    out = tmp_path / "talk.mp4"
    done = studio("render", folder, "--out", out, "--no-overlays")
    assert done.returncode == 0, done.stderr
    samples, rate = decode_audio(out)
    # AAC's encoder delay is trimmed by the decoder's edit list handling; allow for its priming frames.
    onsets = speech_onsets(samples, rate, threshold=0.01)
    starts = project.shot_starts()
    fps = project.format.frame_rate.fps
    for shot in project.shots():
        for line in shot.dialogue:
            expected = (starts[shot.id] + line.start) / fps * rate
            nearest = min(onsets, key=lambda s: abs(s - expected))
            assert abs(nearest - expected) <= rate / fps, f"shot {shot.number}: line starts {abs(nearest - expected) / rate * fps:.2f} frames off"


def test_rendering_again_without_changes_renders_nothing_quickly(rendered_demo, demo_copy, tmp_path):
    _, out, _ = rendered_demo
    out_copy = tmp_path / "demo.mp4"
    shutil.copy(out, out_copy)
    before = {s.id: len(s.takes) for s in load_project(demo_copy).shots()}
    started = time.perf_counter()
    done = studio("render", demo_copy, "--out", out_copy)
    elapsed = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    assert "0 rendered, 11 unchanged" in done.stdout
    assert "up to date" in done.stdout
    assert elapsed < 1.5, f"a no-change render took {elapsed:.2f} s"
    assert {s.id: len(s.takes) for s in load_project(demo_copy).shots()} == before


def test_changing_one_shot_rerenders_only_that_shot_and_the_shot_chained_to_it(demo_copy, tmp_path):
    project = load_project(demo_copy)
    history = History(project)
    history.execute(SetField("shot", "s03", "description", "MAYA drops a glass."))
    history.execute(SetField("shot", "s07", "lens_mm", 135.0))  # shot 8 continues from shot 7's last frame
    save_project(project, demo_copy)
    before = {s.id: s.active_take_id for s in project.shots()}
    done = studio("render", demo_copy, "--out", tmp_path / "again.mp4")
    assert done.returncode == 0, done.stderr
    after = {s.id: s.active_take_id for s in load_project(demo_copy).shots()}
    changed = {shot_id for shot_id in before if before[shot_id] != after[shot_id]}
    assert changed == {"s03", "s07", "s08"}
    assert "3 rendered, 8 unchanged" in done.stdout


def test_a_broken_shot_fails_alone_and_is_marked_in_the_animatic(demo_copy, tmp_path):
    project = load_project(demo_copy)
    bad = demo_copy / "media" / "bad-panel.png"
    bad.write_bytes(b"this is not a png")
    project.shot("s04").panel = "media/bad-panel.png"
    data = json.loads((demo_copy / "project.json").read_text())
    save_project(project, demo_copy)
    data = json.loads((demo_copy / "project.json").read_text())
    shots = data["project"]["sequences"][1]["shots"]
    shots[3]["camera"]["direction"] = "up"  # shot 6 zooms: up is no zoom direction
    shots[1]["duration"] = 0  # shot 4 at index 1 of scene 2... and shot 4 also has the bad panel
    (demo_copy / "project.json").write_text(json.dumps(data))
    out = tmp_path / "partial.mp4"
    done = studio("render", demo_copy, "--out", out)
    assert done.returncode == 2
    assert "traceback" not in done.stderr.lower()
    errors = [line for line in done.stderr.splitlines() if line.startswith("studio: error:")]
    assert any("shot 4" in e and ("no length" in e or "panel" in e) for e in errors), errors
    assert any("shot 6" in e and "zoom" in e for e in errors), errors
    assert len(errors) == 2
    assert "2 failed" in done.stdout
    assert out.exists(), "the rest of the project still renders"
    total = load_project(demo_copy).duration
    assert abs(int(next(s for s in ffprobe(out)["streams"] if s["codec_type"] == "video")["nb_read_frames"]) - total) <= 1


def test_missing_espeak_fails_only_the_talking_shots_with_the_install_hint(tmp_path):
    project = demo_project(width=160, height=90)
    folder = save_project(project, tmp_path / "Mute.storyboard")
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))
    done = studio("render", folder, "--out", tmp_path / "mute.mp4", env=env)
    assert done.returncode == 2
    talking = {s.number for s in project.shots() if s.dialogue}
    failed = {line.split()[3].rstrip(":") for line in done.stderr.splitlines() if line.startswith("studio: error: shot")}
    assert failed == talking
    assert "espeak-ng" in done.stderr and "apt-get install espeak-ng" in done.stderr
    assert (tmp_path / "mute.mp4").exists()


def test_ctrl_c_stops_the_render_and_leaves_no_half_written_file(tmp_path):
    folder = save_project(demo_project(width=640, height=360), tmp_path / "Stop.storyboard")
    out = tmp_path / "stop.mp4"
    out.write_bytes(b"previous good file")
    process = subprocess.Popen([STUDIO, "render", str(folder), "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and not list((folder / "media").glob("*.mov")):
        time.sleep(0.1)  # wait until at least one take is finished, then interrupt mid-shot
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, (stdout, stderr)
    assert out.read_bytes() == b"previous good file"
    leftovers = [p for p in tmp_path.rglob("*") if "partial" in p.name or p.name.startswith(".incoming")]
    assert not leftovers
    project = load_project(folder)
    takes = [s.active_take for s in project.shots() if s.active_take]
    assert 1 <= len(takes) < 11, (stdout, stderr)
    for take in takes:
        assert (folder / take.video).is_file()


def test_frame_rate_23976_keeps_picture_and_sound_the_same_length(tmp_path):
    project = demo_project(FrameRate(24000, 1001), width=160, height=90)
    project.sequences = project.sequences[:1]
    folder = save_project(project, tmp_path / "Ntsc.storyboard")
    out = tmp_path / "ntsc.mp4"
    done = studio("render", folder, "--out", out)
    assert done.returncode == 0, done.stderr
    probe = ffprobe(out)
    video = next(s for s in probe["streams"] if s["codec_type"] == "video")
    audio = next(s for s in probe["streams"] if s["codec_type"] == "audio")
    assert video["r_frame_rate"] == "24000/1001"
    assert int(video["nb_read_frames"]) == project.duration
    assert abs(float(audio["duration"]) - project.duration * 1001 / 24000) < 0.05


def test_an_unknown_camera_move_in_the_file_is_refused_naming_the_shot(tmp_path):
    folder = save_project(demo_project(width=160, height=90), tmp_path / "Odd.storyboard")
    data = json.loads((folder / "project.json").read_text())
    data["project"]["sequences"][1]["shots"][2]["camera"]["type"] = "whip_pan"
    (folder / "project.json").write_text(json.dumps(data))
    done = studio("render", folder)
    assert done.returncode == 2
    assert "(shot 5)" in done.stderr and "whip_pan" in done.stderr and "dolly_in" in done.stderr
    assert "Traceback" not in done.stderr


def test_selected_shots_only_and_prores_delivery(tmp_path):
    folder = save_project(demo_project(width=160, height=90), tmp_path / "Pick.storyboard")
    out = tmp_path / "pick.mov"
    done = studio("render", folder, "--shots", "2-3,7", "--prores", "--out", out)
    assert done.returncode == 0, done.stderr
    project = load_project(folder)
    assert {s.number for s in project.shots() if s.active_take} == {"2", "3", "7"}
    video = next(s for s in ffprobe(out)["streams"] if s["codec_type"] == "video")
    assert video["codec_name"] == "prores" and video["pix_fmt"].startswith("yuv422p10")
    assert int(video["nb_read_frames"]) == project.duration, "shots without takes still hold their place, on a slate"


def test_bad_render_arguments_are_one_line_errors(tmp_path):
    folder = save_project(demo_project(width=160, height=90), tmp_path / "Args.storyboard")
    for args, expected in [
        (["--shots", "99"], "no shot numbered 99"),
        (["--shots", "7-3"], "runs backwards"),
        (["--backend", "nope"], "unknown backend"),
        (["--size", "big"], "not WxH"),
        (["--out", str(tmp_path / "x.avi")], ".mp4"),
    ]:
        done = studio("render", folder, *args)
        assert done.returncode == 2, (args, done.stderr)
        assert expected in done.stderr and "Traceback" not in done.stderr
