"""The AnimateDiff backend, run for real on a tiny AnimateDiffPipeline with a tiny IP-Adapter built
from configs (no downloads): shots of exactly the asked size and length, one load for many shots,
reproducible by seed, a step at a time and cancellable, chained shots refused with the fix, clear
messages for missing and broken inputs, and each character's reference images encoded once and
fed bit-identically to every later shot, in this session and the next."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("diffusers", reason="the generation backends need diffusers")
torch = pytest.importorskip("torch", reason="the generation backends need torch")

from backend_rig import count_forwards, import_in_fresh_python, noise_image, record_pipeline_calls, render, shot_request, write_png  # noqa: E402

from pipeline.backends.animatediff.renderer import AnimateDiffRenderer  # noqa: E402
from pipeline.backends.base import GenerationRenderer, ShotRenderError  # noqa: E402
from pipeline.models.registry import ModelNotFoundError  # noqa: E402
from pipeline.progress import CancelToken, ProgressEvent, RenderCancelled  # noqa: E402
from studio.camera import CameraMove, CameraMoveType, Direction  # noqa: E402

STEPS = 2
# Half a second at 24 fps: 4 generated frames at AnimateDiff's 8 fps. A static camera unless a test pans.
make_request = partial(shot_request, frames=12, width=32, height=32, camera=CameraMove())


def reference_png(path: Path, seed: int) -> Path:
    return write_png(path, noise_image(seed, 40, 32))


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny models are all overhead: with the cores shared, torch's worker threads only wait on each other (20x slower)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def renderer(tiny_animatediff_dir: Path) -> AnimateDiffRenderer:
    return AnimateDiffRenderer(model_dir=tiny_animatediff_dir, steps=STEPS)


def test_a_shot_renders_exactly_its_frames_at_its_size(renderer):
    frames = render(renderer, make_request(frames=10, width=40, height=24))
    assert frames.shape == (10, 24, 40, 3) and frames.dtype == np.uint8
    assert frames.std() > 0, "a generated picture, not a blank"
    assert isinstance(renderer, GenerationRenderer)


def test_the_model_is_loaded_once_for_several_shots(tiny_animatediff_dir):
    renderer = AnimateDiffRenderer(model_dir=tiny_animatediff_dir, steps=STEPS)
    for number in ("1", "2", "3"):
        render(renderer, make_request(number=number, seed=int(number)))
    assert renderer.loads == 1


def test_the_same_seed_renders_the_same_frames_and_another_seed_different_ones(renderer):
    first, again, other = (render(renderer, make_request(seed=seed)) for seed in (5, 5, 6))
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_progress_is_reported_per_denoising_step_with_the_generated_size_and_rate(renderer):
    events: list[ProgressEvent] = []
    render(renderer, make_request(frames=24), events.append)
    denoising = [e for e in events if e.stage == "denoise"]
    assert [e.done for e in denoising] == [0, *range(1, STEPS + 1)]
    assert "8 frames at 8 fps" in denoising[0].message


def test_cancelling_during_denoising_stops_within_one_step(tiny_animatediff_dir):
    renderer = AnimateDiffRenderer(model_dir=tiny_animatediff_dir, steps=10)
    cancel = CancelToken()
    steps_done: list[int] = []

    def progress(event: ProgressEvent) -> None:
        if event.done:
            steps_done.append(event.done)
        if event.done == 2:
            cancel.cancel()

    with pytest.raises(RenderCancelled):
        render(renderer, make_request(), progress, cancel)
    assert steps_done == [1, 2]


def test_a_chained_shot_starts_afresh_and_the_note_says_so_with_the_fix(tiny_animatediff_dir):
    renderer = AnimateDiffRenderer(model_dir=tiny_animatediff_dir, steps=STEPS)
    events: list[ProgressEvent] = []
    frames = render(renderer, make_request(number="7", chained=True), events.append)
    assert len(frames) == make_request(number="7", chained=True).frame_count
    messages = " ".join(e.message for e in events)
    assert "shot 7 is chained" in messages and "starts afresh" in messages and "set its continuity to cut" in messages


def test_the_conditioning_of_the_next_shot_holds_the_characters_embeddings_of_the_last_bit_identically(tiny_animatediff_dir, tmp_path):
    cache_dir = tmp_path / "cache"
    references = (reference_png(tmp_path / "maya-front.png", 1), reference_png(tmp_path / "maya-side.png", 2))
    renderer = AnimateDiffRenderer(model_dir=tiny_animatediff_dir, steps=STEPS)
    pipeline_inputs = record_pipeline_calls(renderer.pipeline())
    encoder_runs = count_forwards(renderer.pipeline().image_encoder)

    render(renderer, make_request(number="1", seed=1, references=references, cache_dir=cache_dir))
    render(renderer, make_request(number="2", seed=2, references=references, cache_dir=cache_dir))
    first, second = (call["ip_adapter_image_embeds"][0] for call in pipeline_inputs)
    assert first.shape[:2] == (2, 2), "negative and positive, one row per reference image"
    assert torch.equal(first, second) and first[1].abs().sum() > 0
    assert len(encoder_runs) == 1 and renderer.embedding_cache(cache_dir).computed == 2  # the images once, the prompt once

    # The next session: a new renderer reads the stored tensors and never runs the image encoder.
    later = AnimateDiffRenderer(model_dir=tiny_animatediff_dir, steps=STEPS)
    later_inputs = record_pipeline_calls(later.pipeline())
    later_runs = count_forwards(later.pipeline().image_encoder)
    render(later, make_request(number="3", seed=3, references=references, cache_dir=cache_dir))
    assert torch.equal(later_inputs[0]["ip_adapter_image_embeds"][0], first)
    assert later.embedding_cache(cache_dir).computed == 0 and later_runs == []


def test_reference_images_change_the_picture_and_provenance_records_the_adapter_scale(renderer, tmp_path):
    references = (reference_png(tmp_path / "maya.png", 4),)
    plain, with_likeness = render(renderer, make_request()), render(renderer, make_request(references=references))
    assert not np.array_equal(plain, with_likeness)
    assert renderer.take_provenance(make_request(references=references))["ip_adapter_scale"] == "0.6"
    record = renderer.take_provenance(make_request())
    assert record["ip_adapter_scale"] == "0"
    assert record["pipeline_class"] == "AnimateDiffPipeline" and record["memory_mode"] == "cpu" and record["input:prompt"]


def test_a_reference_that_is_not_an_image_is_refused_naming_the_file(renderer, tmp_path):
    broken = tmp_path / "maya-notes.png"
    broken.write_text("not a picture")
    with pytest.raises(ShotRenderError) as caught:
        render(renderer, make_request(number="4", references=(broken,)))
    assert "shot 4" in str(caught.value) and "maya-notes.png" in str(caught.value) and "PNG or JPEG" in str(caught.value)


def test_without_ip_adapter_files_references_render_from_the_description_with_a_note_saying_how_to_add_them(tmp_path):
    from tiny_animatediff import build_tiny_animatediff

    folder = build_tiny_animatediff(tmp_path / "no-ip-adapter", with_ip_adapter=False)
    renderer = AnimateDiffRenderer(model_dir=folder, steps=STEPS)
    events: list[ProgressEvent] = []
    frames = render(renderer, make_request(references=(reference_png(tmp_path / "maya.png", 5),)), events.append)
    assert frames.shape == (12, 32, 32, 3)
    note = next(e.message for e in events if e.stage == "denoise" and e.done == 0)
    assert "reference images of MAYA are not used" in note and "ip-adapter_sd15.safetensors" in note
    assert renderer.take_provenance(make_request())["ip_adapter_scale"] == "0"


def test_without_motion_loras_the_camera_move_is_said_once_to_come_from_the_prompt(renderer):
    pan = CameraMove(CameraMoveType.PAN, Direction.LEFT, 0.5)
    notes = []
    for number in ("1", "2"):
        events: list[ProgressEvent] = []
        render(renderer, make_request(number=number, camera=pan), events.append)
        notes.append(next(e.message for e in events if e.stage == "denoise" and e.done == 0))
    assert "no motion LoRAs" in notes[0] and "guoyww/animatediff-motion-lora-pan-left" in notes[0]
    assert "no motion LoRAs" not in notes[1]
    assert renderer.take_provenance(make_request(camera=pan))["motion_lora"] == ""


def test_a_pan_uses_the_pan_motion_lora_and_a_static_shot_renders_as_without_it(tiny_animatediff_dir, tmp_path):
    pytest.importorskip("peft", reason="diffusers loads LoRAs through peft")
    from tiny_animatediff import build_tiny_animatediff

    with_lora = AnimateDiffRenderer(model_dir=build_tiny_animatediff(tmp_path / "with-lora", with_motion_lora=True), steps=STEPS)
    without = AnimateDiffRenderer(model_dir=tiny_animatediff_dir, steps=STEPS)
    pan = make_request(camera=CameraMove(CameraMoveType.PAN, Direction.LEFT, 0.5))
    assert not np.array_equal(render(with_lora, pan), render(without, pan))
    assert with_lora.take_provenance(pan)["motion_lora"] == "pan-left@1"
    still = make_request()
    assert np.array_equal(render(with_lora, still), render(without, still))


def test_a_missing_model_folder_says_how_to_build_one(tmp_path):
    with pytest.raises(ModelNotFoundError) as caught:
        render(AnimateDiffRenderer(model_dir=None, steps=STEPS), make_request())
    message = str(caught.value)
    assert "STORYBOARD_ANIMATEDIFF_MODEL_DIR" in message and "python -m pipeline.backends.animatediff.assemble" in message
    with pytest.raises(ModelNotFoundError, match="no model_index.json"):
        render(AnimateDiffRenderer(model_dir=tmp_path, steps=STEPS), make_request())


def test_the_assembly_command_joins_sd15_and_a_motion_adapter_into_a_folder_the_backend_renders_from(tmp_path):
    from tiny_animatediff import build_tiny_parts

    from pipeline.backends.animatediff.assemble import main

    base, adapter = build_tiny_parts(tmp_path / "parts")
    assert main([str(tmp_path / "assembled"), "--base", str(base), "--motion-adapter", str(adapter)]) == 0
    index = (tmp_path / "assembled" / "model_index.json").read_text()
    assert "UNetMotionModel" in index and "DDIMScheduler" in index
    frames = render(AnimateDiffRenderer(model_dir=tmp_path / "assembled", steps=STEPS), make_request())
    assert frames.shape == (12, 32, 32, 3)


def test_the_registry_creates_the_backend_with_the_model_folder_from_the_environment(tiny_animatediff_dir, monkeypatch):
    from pipeline.backends.registry import backend_names, create_backend

    monkeypatch.setenv("STORYBOARD_ANIMATEDIFF_MODEL_DIR", str(tiny_animatediff_dir))
    renderer = create_backend("animatediff")
    assert "animatediff" in backend_names() and isinstance(renderer, AnimateDiffRenderer)
    assert renderer.folder() == tiny_animatediff_dir


def test_importing_the_backend_loads_neither_torch_nor_diffusers():
    done = import_in_fresh_python(("pipeline.backends.animatediff.renderer", "pipeline.backends.animatediff.assemble"), {"torch", "diffusers", "transformers"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
