"""The LTX-Video backend, run for real on a tiny LTX pipeline built from configs (no downloads):
it loads the model once, renders shots of exactly the asked size and length, is reproducible by
seed, stops within a denoising step when cancelled, and explains a missing model."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("diffusers", reason="the generation backends need diffusers")
pytest.importorskip("torch", reason="the generation backends need torch")

from backend_rig import count_forwards, import_in_fresh_python, noise_image, record_pipeline_calls, render, shot_request, write_png  # noqa: E402

from pipeline.backends.capabilities import plan_generation  # noqa: E402
from pipeline.backends.ltx.renderer import CAPABILITIES, LtxRenderer  # noqa: E402
from pipeline.continuity.prompt import shot_prompt  # noqa: E402
from pipeline.models.registry import ModelNotFoundError, resolve_model_dir  # noqa: E402
from pipeline.progress import CancelToken, ProgressEvent, RenderCancelled  # noqa: E402

STEPS = 2
make_request = partial(shot_request, frames=9, width=64, height=64, continuity_text="MAYA: holding 'coffee pot'.")


@pytest.fixture(scope="module")
def renderer(tiny_ltx_dir: Path) -> LtxRenderer:
    return LtxRenderer(model_dir=tiny_ltx_dir, steps=STEPS)


def test_a_shot_renders_exactly_its_frames_at_its_size_even_when_ltx_cannot_generate_that_size(renderer):
    request = make_request(frames=12, width=80, height=48)  # LTX makes 17 frames of 96x32 or so
    frames = render(renderer, request)
    assert frames.shape == (12, 48, 80, 3) and frames.dtype == np.uint8
    assert frames.std() > 0, "a generated picture, not a blank"


def test_the_model_is_loaded_once_for_several_shots(tiny_ltx_dir):
    renderer = LtxRenderer(model_dir=tiny_ltx_dir, steps=STEPS)
    for number in ("1", "2", "3"):
        render(renderer, make_request(number=number, seed=int(number)))
    assert renderer.loads == 1


def test_the_same_seed_renders_the_same_frames_and_another_seed_different_ones(renderer):
    first, again, other = (render(renderer, make_request(seed=seed)) for seed in (5, 5, 6))
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_progress_is_reported_per_denoising_step_and_says_when_the_size_is_fitted(renderer):
    events: list[ProgressEvent] = []
    render(renderer, make_request(frames=5, width=70, height=64), events.append)
    denoising = [e for e in events if e.stage == "denoise"]
    assert [e.done for e in denoising] == [0, *range(1, STEPS + 1)]
    assert "ltx generates 64x64" in denoising[0].message and "scaled to 70x64" in denoising[0].message


def test_cancelling_during_denoising_stops_within_one_step(tiny_ltx_dir):
    renderer = LtxRenderer(model_dir=tiny_ltx_dir, steps=10)
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


def test_importing_the_backend_loads_neither_torch_nor_diffusers():
    done = import_in_fresh_python(
        ("pipeline.backends.registry", "pipeline.backends.ltx.renderer", "pipeline.models.registry"), {"torch", "diffusers", "transformers"}
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_prompt_carries_the_shot_the_look_the_world_the_cast_and_the_continuity():
    prompt = shot_prompt(make_request())
    for words in (
        "Maya waits at the counter",
        "close-up",
        "50mm lens",
        "camera pan left",
        "film noir",
        "night",
        "neon lighting",
        "rain",
        "MAYA: a woman in a red coat",
        "holding 'coffee pot'",
    ):
        assert words in prompt, words


def test_ltx_sizes_are_multiples_of_32_and_frame_counts_are_8k_plus_1_covering_the_shot():
    def plan(width: int, height: int, frames: int = 9):
        return plan_generation(CAPABILITIES, make_request(width=width, height=height, frames=frames), "ltx")

    assert (plan(1280, 720).width, plan(1280, 720).height) == (1280, 704)
    assert (plan(10, 10).width, plan(10, 10).height) == (32, 32)
    assert [plan(64, 64, n).frames for n in (1, 9, 10, 17, 120)] == [1, 9, 17, 17, 121]
    assert plan(64, 64, 300).frames == 257 and "slowed" in plan(64, 64, 300).notes[0]


def test_a_folder_without_a_model_is_refused_naming_the_folder_and_how_to_get_the_weights(tmp_path):
    with pytest.raises(ModelNotFoundError) as caught:
        resolve_model_dir("ltx-video-2b", tmp_path)
    message = str(caught.value)
    assert str(tmp_path) in message and "no model_index.json" in message
    assert "huggingface-cli download Lightricks/LTX-Video --local-dir" in message and "--model-dir" in message
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        resolve_model_dir(tmp_path / "nowhere")


def test_a_model_not_in_the_cache_is_an_error_with_the_download_command_not_a_download(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelNotFoundError, match="huggingface-cli download Lightricks/LTX-Video"):
        LtxRenderer(model_dir=None, steps=STEPS).pipeline()


def test_rendering_with_a_non_model_folder_fails_with_the_clear_error(tmp_path):
    renderer = LtxRenderer(model_dir=tmp_path, steps=STEPS)
    with pytest.raises(ModelNotFoundError, match="not a diffusers model folder"):
        render(renderer, make_request())


def test_a_chained_shot_starts_from_the_previous_takes_last_frame_pixel_for_pixel(tiny_ltx_dir, tmp_path):
    from dataclasses import replace

    renderer = LtxRenderer(model_dir=tiny_ltx_dir, steps=STEPS)
    calls = record_pipeline_calls(renderer.pipeline())
    last = noise_image(7, 64, 64)
    png = write_png(tmp_path / "last.png", last)
    render(renderer, replace(make_request(), previous_last_frame=png))
    (condition,) = calls[-1]["conditions"]
    assert condition.frame_index == 0
    assert np.array_equal(np.asarray(condition.image), last)
    render(renderer, make_request())
    assert "conditions" not in calls[-1], "an unchained shot starts from noise"


def test_prompt_embeddings_are_computed_once_and_reloaded_bit_identically_in_a_later_session(tiny_ltx_dir, tmp_path):
    from dataclasses import replace

    import torch

    request = replace(make_request(), cache_dir=tmp_path / "cache")
    first = LtxRenderer(model_dir=tiny_ltx_dir, steps=STEPS)
    first_calls = record_pipeline_calls(first.pipeline())
    render(first, request)
    render(first, replace(request, seed=9))  # a new take of the same shot: same prompt
    cache = first.embedding_cache(request.cache_dir)
    assert (cache.computed, len(list((tmp_path / "cache").rglob("*.safetensors")))) == (1, 1)
    later = LtxRenderer(model_dir=tiny_ltx_dir, steps=STEPS)
    later_calls = record_pipeline_calls(later.pipeline())
    encoder_runs = count_forwards(later.pipeline().text_encoder)
    render(later, request)
    assert later.embedding_cache(request.cache_dir).computed == 0 and not encoder_runs
    for name in ("prompt_embeds", "negative_prompt_embeds", "prompt_attention_mask"):
        assert torch.equal(first_calls[0][name], later_calls[0][name]), name


def test_a_generated_take_records_how_to_reproduce_it(renderer, tiny_ltx_dir):
    record = renderer.take_provenance(make_request(seed=42))
    assert record["pipeline_class"] == "LTXConditionPipeline" and record["model_id"] == tiny_ltx_dir.name
    assert (record["seed"], record["steps"], record["guidance"]) == ("42", str(STEPS), "3")
    assert len(record["model_fingerprint"]) == 16 and record["input:prompt"]
    assert renderer.render_settings()["steps"] == str(STEPS)


def test_a_folder_holding_another_kind_of_model_is_refused_before_loading(tmp_path):
    import json

    (tmp_path / "model_index.json").write_text(json.dumps({"_class_name": "WanVACEPipeline"}))
    with pytest.raises(ModelNotFoundError, match="holds a WanVACEPipeline model.*--backend wan"):
        render(LtxRenderer(model_dir=tmp_path, steps=STEPS), make_request())


def test_a_prompt_longer_than_the_text_encoder_reads_is_rendered_and_the_dropped_end_is_named(tiny_ltx_dir):
    from dataclasses import replace

    renderer = LtxRenderer(model_dir=tiny_ltx_dir, steps=1, max_sequence_length=16)
    request = make_request()
    long_shot = replace(request.shot, description="a woman in a red coat at the bar counter with the rain on the window " * 3 + "and a neon sign")
    events: list[ProgressEvent] = []
    frames = render(renderer, replace(request, shot=long_shot), events.append)
    assert len(frames) == request.frame_count
    (message,) = [e.message for e in events if e.stage == "denoise" and e.message]
    assert "the model reads 16, so its end is dropped" in message and "shorten the description" in message


def test_a_single_file_checkpoint_that_is_not_one_is_refused_with_the_file_named(tmp_path):
    checkpoint = tmp_path / "ltxv-2b.safetensors"
    checkpoint.write_bytes(b"not a checkpoint at all")
    with pytest.raises(ModelNotFoundError, match="ltxv-2b.safetensors: cannot load it as a LTXConditionPipeline checkpoint"):
        render(LtxRenderer(model_dir=checkpoint, steps=STEPS), make_request())
    pickled = tmp_path / "ltxv-2b.ckpt"
    pickled.write_bytes(b"\x80\x04")
    with pytest.raises(ModelNotFoundError, match="not a .safetensors checkpoint"):
        render(LtxRenderer(model_dir=pickled, steps=STEPS), make_request())


def test_denoising_progress_counts_down_the_time_left_and_shows_a_preview_every_few_steps(tiny_ltx_dir):
    from pipeline.backends.diffusers_support import PREVIEW_EVERY

    steps = PREVIEW_EVERY + 2
    events: list[ProgressEvent] = []
    render(LtxRenderer(model_dir=tiny_ltx_dir, steps=steps), make_request(frames=9, width=64, height=64), events.append)
    stepped = [e for e in events if e.stage == "denoise" and e.done]
    assert [e.done for e in stepped] == list(range(1, steps + 1))
    assert all(e.eta_s is not None and e.eta_s >= 0 for e in stepped) and stepped[-1].eta_s == 0
    previews = {e.done: e.preview for e in stepped if e.preview is not None}
    assert set(previews) == {PREVIEW_EVERY, steps}
    for picture in previews.values():
        assert picture.dtype == np.uint8 and picture.ndim == 3 and picture.shape[2] == 3 and picture.std() > 0
