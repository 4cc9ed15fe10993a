"""A render overlaps drawing frames with encoding them on threads of their own only when it has a
CPU to spare; given one (a farm worker asks its scheduler for one), it draws and encodes on the
calling thread, and the take it makes is the same, byte for byte."""

from __future__ import annotations

import threading

import pytest
from draft_helpers import make_request

from pipeline.backends.draft.renderer import DraftRenderer
from pipeline.progress import CancelToken, ProgressEvent
from pipeline.render.cpu_share import assign_render_cpus, render_cpus
from pipeline.render.shot_render import render_shot
from studio.camera import CameraMove, CameraMoveType, Direction
from studio.media_store import MediaStore

HELPER_THREADS = ("frame-prefetch", "take-encoder")


@pytest.fixture
def restore_cpus():
    yield
    assign_render_cpus(None)


def rendered_with(cpus: int, folder) -> tuple[dict[str, bytes], set[str]]:
    assign_render_cpus(cpus)
    threads_seen: set[str] = set()

    def note_threads(event: ProgressEvent) -> None:
        threads_seen.update(thread.name.split("_")[0] for thread in threading.enumerate())

    request = make_request(move=CameraMove(CameraMoveType.PAN, Direction.LEFT, 0.5), frames=24, width=160, height=90)
    rendered = render_shot(request, DraftRenderer(), folder, 1, note_threads, CancelToken())
    store = MediaStore(folder)
    files = {ref: store.resolve(ref).read_bytes() for ref in rendered.take.media_paths}
    return files, {name for name in threads_seen if name in HELPER_THREADS}


def test_one_cpu_renders_on_one_thread_and_makes_the_same_take(tmp_path, restore_cpus):
    one_cpu, threads_with_one = rendered_with(1, tmp_path / "one")
    two_cpus, threads_with_two = rendered_with(2, tmp_path / "two")

    assert threads_with_one == set()
    assert threads_with_two == set(HELPER_THREADS)
    assert one_cpu == two_cpus and len(one_cpu) >= 3  # master, last frame, thumbnail (and sound) by content


def test_without_an_assignment_the_cores_the_process_may_use_count(restore_cpus):
    assign_render_cpus(3)
    assert render_cpus() == 3
    assign_render_cpus(0)
    assert render_cpus() == 1
    assign_render_cpus(None)
    assert render_cpus() >= 1


@pytest.mark.parametrize("cpus", [1, 2])
def test_an_encoder_error_ends_the_render_and_leaves_no_take_either_way(tmp_path, restore_cpus, monkeypatch, cpus):
    from pipeline.encode.video_writer import VideoWriter

    original = VideoWriter.write

    def fails_on_the_fifth(writer, rgb):
        if writer.frames_written == 4:
            raise OSError("disk full")
        original(writer, rgb)

    monkeypatch.setattr(VideoWriter, "write", fails_on_the_fifth)
    assign_render_cpus(cpus)
    request = make_request(frames=24, width=160, height=90)
    with pytest.raises(OSError, match="disk full"):
        render_shot(request, DraftRenderer(), tmp_path, 1, lambda event: None, CancelToken())
    store = MediaStore(tmp_path).folder
    assert not store.exists() or not any(store.iterdir())
    assert not any((tmp_path / "cache" / "tmp").iterdir())
