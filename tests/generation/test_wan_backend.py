"""The Wan VACE backend, run for real on a tiny WanVACEPipeline built from configs (no downloads):
shots of exactly the asked size and length, one load for many shots, reproducible by seed, a step
at a time and cancellable, clear messages for wrong folders and files, character references
encoded once and fed bit-identically to every shot, and chained shots that start from exactly the
previous take's last frame."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("diffusers", reason="the generation backends need diffusers")
torch = pytest.importorskip("torch", reason="the generation backends need torch")

from backend_rig import import_in_fresh_python, noise_image, render, shot_request, write_png  # noqa: E402

from pipeline.backends.base import GenerationRenderer, ShotRenderError  # noqa: E402
from pipeline.backends.registry import create_backend  # noqa: E402
from pipeline.backends.wan.renderer import WanRenderer  # noqa: E402
from pipeline.models.registry import ModelNotFoundError  # noqa: E402
from pipeline.progress import CancelToken, ProgressEvent, RenderCancelled  # noqa: E402

STEPS = 2
make_request = partial(shot_request, frames=5, width=32, height=32)


class TransformerInputs:
    """Records the conditioning tensors each denoising call of the transformer receives."""

    def __init__(self, pipe) -> None:
        self.calls: list[dict] = []
        self._handle = pipe.transformer.register_forward_pre_hook(self._record, with_kwargs=True)

    def _record(self, module, args, kwargs) -> None:
        self.calls.append({name: kwargs[name].detach().clone() for name in ("control_hidden_states", "encoder_hidden_states")})

    def remove(self) -> None:
        self._handle.remove()


@pytest.fixture(scope="module")
def renderer(tiny_wan_dir: Path) -> WanRenderer:
    return WanRenderer(model_dir=tiny_wan_dir, steps=STEPS, max_sequence_length=32, device="cpu")


def test_a_shot_renders_exactly_its_frames_at_its_size_even_when_wan_cannot_generate_that_size(renderer):
    frames = render(renderer, make_request(frames=7, width=40, height=24))  # Wan makes 5 frames of 32x32 at 16 fps
    assert frames.shape == (7, 24, 40, 3) and frames.dtype == np.uint8
    assert frames.std() > 0, "a generated picture, not a blank"


def test_the_model_is_loaded_once_for_several_shots(tiny_wan_dir):
    renderer = WanRenderer(model_dir=tiny_wan_dir, steps=STEPS, max_sequence_length=32, device="cpu")
    for number in ("1", "2", "3"):
        render(renderer, make_request(number=number, seed=int(number)))
    assert renderer.loads == 1


def test_the_same_seed_renders_the_same_frames_and_another_seed_different_ones(renderer):
    first, again, other = (render(renderer, make_request(seed=seed)) for seed in (5, 5, 6))
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_progress_is_reported_per_denoising_step_with_the_plan_and_its_adjustments(renderer):
    events: list[ProgressEvent] = []
    render(renderer, make_request(width=40, height=24), events.append)
    denoising = [e for e in events if e.stage == "denoise"]
    assert [e.done for e in denoising] == [0, *range(1, STEPS + 1)]
    assert "generating 32x32, 5 frames at 16 fps" in denoising[0].message
    assert "scaled to 40x24" in denoising[0].message


def test_cancelling_during_denoising_stops_within_one_step(tiny_wan_dir):
    renderer = WanRenderer(model_dir=tiny_wan_dir, steps=10, max_sequence_length=32, device="cpu")
    cancel = CancelToken()
    steps_done: list[int] = []

    def progress(event: ProgressEvent) -> None:
        if event.stage == "denoise" and event.done:
            steps_done.append(event.done)
        if event.done == 2:
            cancel.cancel()

    with pytest.raises(RenderCancelled):
        render(renderer, make_request(), progress, cancel)
    assert steps_done == [1, 2]


def test_a_character_is_encoded_once_and_later_shots_get_its_conditioning_bit_identically(renderer, tmp_path):
    """Issue #6: the conditioning tensors fed to shot N+1 contain the character embeddings of shot N bit-identically."""
    maya = write_png(tmp_path / "maya.png", noise_image(1, 40, 24))
    plate = write_png(tmp_path / "bar.png", noise_image(2, 24, 48))
    cache_dir = tmp_path / "cache"
    shots = [
        make_request(number="1", seed=1, description="Maya waits at the counter", references=(maya,), plate=plate, cache_dir=cache_dir),
        make_request(number="2", seed=2, description="Maya pours coffee", references=(maya,), plate=plate, cache_dir=cache_dir),
    ]
    pipe = renderer.pipeline()
    cache = renderer.embedding_cache(cache_dir)
    fed, computed = [], []
    for request in shots:
        recorder = TransformerInputs(pipe)
        try:
            render(renderer, request)
        finally:
            recorder.remove()
        fed.append(recorder.calls[0])
        computed.append(cache.computed)
    assert computed == [3, 4], "shot 1 encodes its prompt, MAYA's picture and the plate; shot 2 only its new prompt"

    references = 2  # one latent frame each for MAYA's picture and the plate, ahead of the clip
    first, second = (call["control_hidden_states"][:, :, :references] for call in fed)
    assert torch.equal(first, second)
    assert not torch.equal(fed[0]["encoder_hidden_states"], fed[1]["encoder_hidden_states"]), "the shots really differ"
    stored = [path for path in (cache_dir / "embeddings").rglob("*.safetensors") if "vace-reference" in str(path)]
    assert len(stored) == 2

    next_session = WanRenderer(model_dir=renderer.model_dir, steps=STEPS, max_sequence_length=32, device="cpu")
    recorder = TransformerInputs(next_session.pipeline())
    try:
        render(next_session, shots[1])
    finally:
        recorder.remove()
    assert next_session.embedding_cache(cache_dir).computed == 0, "a later session loads every embedding from the project's cache"
    assert torch.equal(recorder.calls[0]["control_hidden_states"][:, :, :references], first)
    assert torch.equal(recorder.calls[0]["encoder_hidden_states"], fed[1]["encoder_hidden_states"])


def test_cached_reference_latents_condition_exactly_as_the_pipeline_encoding_the_pictures_itself(renderer):
    from PIL import Image

    from pipeline.backends.wan.conditioning import encode_references

    pipe = renderer.pipeline()
    picture = noise_image(7, 40, 24)
    latents = encode_references(pipe, [picture, picture[::-1]], 32, 32)
    arguments = dict(prompt="a woman in a red coat", height=32, width=32, num_frames=5, num_inference_steps=1, max_sequence_length=32, output_type="latent")
    pictures = [Image.fromarray(picture), Image.fromarray(picture[::-1])]
    results = []
    for extra in ({}, {"reference_latents": [latents["0"], latents["1"]]}):
        recorder = TransformerInputs(pipe)
        try:
            output = pipe(**arguments, reference_images=pictures, generator=torch.Generator().manual_seed(0), **extra)
        finally:
            recorder.remove()
        results.append((recorder.calls[0]["control_hidden_states"], output.frames))
    (stock_control, stock_latents), (cached_control, cached_latents) = results
    assert torch.equal(stock_control, cached_control)
    assert torch.equal(stock_latents, cached_latents)


def test_a_chained_shot_starts_from_exactly_the_previous_takes_last_frame(renderer, tmp_path):
    """Issue #6: a chained shot's first-frame condition equals the previous take's last frame pixel-exactly."""
    last_frame = noise_image(11, 32, 48)
    request = make_request(width=48, height=32, previous_last_frame=write_png(tmp_path / "last.png", last_frame))
    pipe = renderer.pipeline()
    received = {}
    original = pipe.prepare_video_latents

    def capture(video, mask, *args, **kwargs):
        received["video"], received["mask"] = video.detach().clone(), mask.detach().clone()
        return original(video, mask, *args, **kwargs)

    pipe.prepare_video_latents = capture  # records what the pipeline encodes, after its own resizing and scaling
    try:
        frames = render(renderer, request)
    finally:
        del pipe.prepare_video_latents
    assert frames.shape == (5, 32, 48, 3)
    video, mask = received["video"], received["mask"]
    first = ((video[0, :, 0].permute(1, 2, 0).float() + 1.0) * 127.5).round().to(torch.uint8).numpy()
    assert np.array_equal(first, last_frame)
    assert torch.all(mask[0, :, 0] == 0) and torch.all(mask[0, :, 1:] == 1), "frame 0 is kept, the rest generated"
    assert torch.all(video[0, :, 1:].abs() < 0.01), "the frames to generate hold neutral grey"
    assert renderer.take_provenance(request)["conditioning"] == "first frame + reference images"


@pytest.mark.parametrize("failing_modes", [{"full"}, {"full", "model-offload"}])
def test_running_out_of_gpu_memory_retries_once_in_the_next_leaner_mode_then_explains(tiny_wan_dir, monkeypatch, failing_modes):
    import pipeline.backends.wan.renderer as wan_renderer

    def out_of_memory(*_) -> None:
        raise RuntimeError("CUDA out of memory. Tried to allocate 9.00 GiB")

    # A roomy GPU on this CPU-only machine: placement stays on the processor, and the transformer
    # fails the way CUDA does whenever the pipeline was placed in one of `failing_modes`.
    def place(pipe, plan) -> None:
        pipe.to("cpu")
        if plan.mode.value in failing_modes:
            pipe.transformer.register_forward_pre_hook(out_of_memory)

    monkeypatch.setattr(wan_renderer, "free_memory_gb", lambda: (100.0, 100.0))
    monkeypatch.setattr(wan_renderer, "apply_memory_plan", place)
    renderer = WanRenderer(model_dir=tiny_wan_dir, steps=STEPS, max_sequence_length=32)
    events: list[ProgressEvent] = []
    if "model-offload" not in failing_modes:
        assert render(renderer, make_request(), events.append).shape == (5, 32, 32, 3)
        assert renderer.memory_plan.mode.value == "model-offload" and renderer.loads == 2
    else:
        with pytest.raises(ShotRenderError, match="shot 1: out of GPU memory at 32x32, 5 frames even in model-offload mode"):
            render(renderer, make_request(), events.append)
        assert renderer.loads == 2, "one retry, not a loop through every mode"
    assert any("reloading in model-offload mode" in event.message for event in events)


def test_a_reference_image_that_is_not_a_picture_is_refused_naming_the_character_and_file(tiny_wan_dir, tmp_path):
    broken = tmp_path / "maya-front.png"
    broken.write_bytes(b"not a picture")
    renderer = WanRenderer(model_dir=tiny_wan_dir, steps=STEPS, device="cpu")
    with pytest.raises(ShotRenderError) as caught:
        render(renderer, make_request(references=(broken,)))
    message = str(caught.value)
    assert "shot 1" in message and "MAYA's reference image" in message and "maya-front.png" in message and "PNG or JPEG" in message
    assert renderer.loads == 0, "refused before loading any weights"


def test_a_missing_or_empty_model_folder_is_refused_naming_it_and_how_to_get_the_weights(tmp_path):
    with pytest.raises(ModelNotFoundError, match="does not exist") as caught:
        render(WanRenderer(model_dir=tmp_path / "nowhere", steps=STEPS), make_request())
    assert "huggingface-cli download Wan-AI/Wan2.1-VACE-1.3B-diffusers" in str(caught.value)
    with pytest.raises(ModelNotFoundError, match="not a diffusers model folder"):
        render(WanRenderer(model_dir=tmp_path, steps=STEPS), make_request())


def test_a_folder_holding_another_model_is_refused_before_loading_it(tiny_ltx_dir):
    renderer = WanRenderer(model_dir=tiny_ltx_dir, steps=STEPS, device="cpu")
    with pytest.raises(ModelNotFoundError) as caught:
        render(renderer, make_request())
    message = str(caught.value)
    assert str(tiny_ltx_dir) in message and re.search(r"holds a LTX\w*Pipeline model", message) and "--backend ltx" in message
    assert renderer.loads == 0


def test_a_wan_folder_without_the_vace_branch_is_refused_with_the_vace_download(tmp_path):
    (tmp_path / "model_index.json").write_text('{"_class_name": "WanImageToVideoPipeline"}', encoding="utf-8")
    with pytest.raises(ModelNotFoundError) as caught:
        render(WanRenderer(model_dir=tmp_path, steps=STEPS, device="cpu"), make_request())
    message = str(caught.value)
    assert "holds a WanImageToVideoPipeline, not a Wan 2.1 VACE model" in message
    assert "huggingface-cli download Wan-AI/Wan2.1-VACE-1.3B-diffusers" in message


def test_a_take_records_the_model_settings_and_every_conditioning_input(renderer, tmp_path):
    maya = write_png(tmp_path / "maya.png", noise_image(3, 32, 32))
    request = make_request(references=(maya,), previous_last_frame=write_png(tmp_path / "last.png", noise_image(4, 32, 32)))
    assert isinstance(renderer, GenerationRenderer)
    settings = renderer.render_settings()
    assert settings == {"model": renderer.fingerprint(), "steps": "2", "guidance": "5"}
    record = renderer.take_provenance(request)
    assert all(isinstance(value, str) for value in record.values())
    assert record["pipeline_class"] == "WanVACEPipeline" and record["seed"] == "3" and record["model_id"] == renderer.model_dir.name
    assert {"input:prompt", "input:character:maya", "input:first_frame"} <= set(record)


def test_the_registry_builds_the_wan_backend_from_the_environment(tiny_wan_dir, monkeypatch):
    monkeypatch.setenv("STORYBOARD_WAN_MODEL_DIR", str(tiny_wan_dir))
    monkeypatch.setenv("STORYBOARD_WAN_STEPS", "3")
    backend = create_backend("wan")
    assert isinstance(backend, WanRenderer) and backend.model_dir == tiny_wan_dir and backend.steps == 3


def test_importing_the_backend_loads_neither_torch_nor_diffusers():
    done = import_in_fresh_python(
        ("pipeline.backends.registry", "pipeline.backends.wan.renderer", "pipeline.backends.wan.conditioning"), {"torch", "diffusers", "transformers", "PIL"}
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
