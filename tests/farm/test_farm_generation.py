"""A generation backend on the farm: the tiny LTX-Video model renders the same pictures on a farm
worker as in this process (same seeds, one thread each), chained shots get their predecessor's
last frame, input files are sent once, and the takes come back signed here."""

from __future__ import annotations

import hashlib

import av
import cv2
import numpy as np
import pytest
import torch
from farm_helpers import TINY_STEPS, farm_runner, render_with

from pipeline.backends.registry import set_model_dir
from pipeline.provenance.take_signing import CREDENTIALS_KEY, SIGNED
from pipeline.queue import InlineRunner, JobState
from studio.character import Character
from studio.consent import ConsentScope, new_consent
from studio.frame_rate import FrameRate
from studio.media_store import MediaStore
from studio.project import Project, Sequence, StylePreset, VideoFormat
from studio.project_file import save_project
from studio.shot import CharacterInShot, ContinuityLink, Shot


def generated_project(tmp_path, name: str):
    shots = [
        Shot(
            id=f"s{n}",
            number=str(n),
            duration=5,
            description=f"Maya at the bar, take {n}",
            characters=[CharacterInShot("maya")],
            seed=n,
            backend="ltx",
            continuity=ContinuityLink.CHAIN if n == 2 else ContinuityLink.CUT,
        )
        for n in (1, 2, 3)
    ]
    project = Project(
        title=name,
        format=VideoFormat(32, 32, FrameRate(24)),
        style=StylePreset.CINEMATIC,
        characters=[Character(id="maya", name="MAYA", description="red coat")],
        sequences=[Sequence(id="sc1", name="1 INT. BAR - NIGHT", shots=shots)],
    )
    folder = save_project(project, tmp_path / f"{name}.storyboard")
    pixels = np.random.default_rng(1).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    maya = project.character("maya")
    maya.reference_images = [MediaStore(folder).add_bytes(cv2.imencode(".png", pixels)[1].tobytes(), ".png")]
    maya.likeness_consent = new_consent("Maya Lind", ConsentScope.PROJECT, "amber river", hashlib.sha256(b"clip").hexdigest(), project_id=project.id)
    save_project(project, folder)
    return project, folder


def distinct_contents(paths) -> int:
    return len({hashlib.sha256(path.read_bytes()).hexdigest() for path in paths})


def frames_of(folder, ref: str) -> np.ndarray:
    with av.open(str(MediaStore(folder).resolve(ref))) as container:
        return np.stack([frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)])


@pytest.fixture
def one_thread_one_step(monkeypatch):
    """Ray gives each one-CPU worker one thread; this process does the same, so the sums agree bit for bit."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    for name, value in TINY_STEPS.items():
        monkeypatch.setenv(name, value)
    yield
    torch.set_num_threads(threads)


def test_generated_takes_from_the_farm_equal_local_ones_and_come_back_signed(tmp_path, ray_session, tiny_ltx_dir, one_thread_one_step):
    set_model_dir(tiny_ltx_dir, "ltx")
    try:
        local, local_folder = generated_project(tmp_path, "Local")
        farm, farm_folder = generated_project(tmp_path, "Farm")
        render_with(local, local_folder, InlineRunner())
        runner = farm_runner(node_root=tmp_path / "nodes")
        queue, report = render_with(farm, farm_folder, runner)
    finally:
        set_model_dir(None, "ltx")

    assert not report.failures, report.failures
    assert [job.state for job in queue.jobs] == [JobState.DONE] * 3
    for here, there in zip(local.shots(), farm.shots(), strict=True):
        mine, theirs = here.active_take, there.active_take
        assert theirs.last_frame == mine.last_frame and theirs.thumbnail == mine.thumbnail and theirs.audio == mine.audio
        assert np.array_equal(frames_of(farm_folder, theirs.video), frames_of(local_folder, mine.video))
        assert theirs.provenance[CREDENTIALS_KEY] == mine.provenance[CREDENTIALS_KEY] == SIGNED
        assert theirs.seed == mine.seed and theirs.model_id == mine.model_id
    # the prompt and reference embeddings the workers computed came back into the project's cache ...
    cached = list((farm_folder / "cache" / "embeddings").rglob("*.safetensors"))
    assert runner.embeddings_received == len(cached) > 0
    # ... and each file went out once: the reference image (all three shots), shot 1's last frame (for
    # shot 2), and those embeddings that were already back when a later shot was sent
    assert 2 <= runner.files_shipped <= 2 + distinct_contents(cached)


def test_embeddings_computed_on_the_farm_are_not_computed_again_by_other_workers(tmp_path, ray_session, tiny_ltx_dir, one_thread_one_step):
    """A second render on fresh workers (new seeds, same prompts and references) gets the project's
    cached embeddings sent along and computes none."""
    set_model_dir(tiny_ltx_dir, "ltx")
    try:
        project, folder = generated_project(tmp_path, "Again")
        first = farm_runner(node_root=tmp_path / "nodes-1")
        render_with(project, folder, first)
        for shot in project.shots():
            shot.seed += 100
        second = farm_runner(node_root=tmp_path / "nodes-2")  # other workers, nothing on their disks
        _, report = render_with(project, folder, second)
    finally:
        set_model_dir(None, "ltx")

    assert not report.failures, report.failures
    assert first.embeddings_received > 0
    assert second.embeddings_computed == 0  # the workers' encoders never ran
    cached = list((folder / "cache" / "embeddings").rglob("*.safetensors"))
    assert len(cached) == first.embeddings_received
    # sent once each, by content: the reference image, shot 1's new last frame and the cached embeddings
    assert second.files_shipped == 2 + distinct_contents(cached)
