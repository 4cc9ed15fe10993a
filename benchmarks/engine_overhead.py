"""Generation engine overhead: rendering shots through the engine against bare pipeline calls, in one run.

Both sides use the same LTX-Video architecture (a small random-weight model built from configs, wide
enough that denoising dominates as it does with real weights), the same shots, sizes, frame counts,
steps and seeds. The bare side loads the pipeline once and calls it per shot; the engine side runs
`render_batch` with the ltx backend: requests from the document, conditioning bundle, cached prompt
embeddings, take master encode, sound, last frame, thumbnail and provenance. Prints both times, the
ratio (target <= 1.05), how often each side loaded the pipeline (target: once per session) and how
often the text encoder ran for the engine (target: once per distinct prompt).

    python benchmarks/engine_overhead.py [--shots 4] [--size 128] [--frames 17] [--steps 4]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "generation"))

from tiny_animatediff import build_tiny_animatediff  # noqa: E402
from tiny_ltx import build_tiny_ltx  # noqa: E402

from pipeline.backends import registry  # noqa: E402
from pipeline.backends.ltx.renderer import LtxRenderer  # noqa: E402
from pipeline.continuity.prompt import NEGATIVE_PROMPT  # noqa: E402
from pipeline.progress import CancelToken, no_progress  # noqa: E402
from pipeline.render.batch import BatchOptions, render_batch  # noqa: E402
from pipeline.render.request_builder import build_request  # noqa: E402
from studio.character import Character  # noqa: E402
from studio.commands import History  # noqa: E402
from studio.frame_rate import FrameRate  # noqa: E402
from studio.project import Project, Sequence, StylePreset, VideoFormat  # noqa: E402
from studio.project_file import save_project  # noqa: E402
from studio.shot import CharacterInShot, Shot  # noqa: E402

TARGET = 1.05


def bench_project(shots: int, size: int, frames: int) -> Project:
    cast = [Character(id="maya", name="MAYA", description="a woman in a red coat"), Character(id="joe", name="JOE", description="a man in a blue coat")]
    return Project(
        title="Engine",
        format=VideoFormat(size, size, FrameRate(24)),
        style=StylePreset.CINEMATIC,
        characters=cast,
        sequences=[
            Sequence(
                id="sc1",
                name="1 INT. BAR - NIGHT",
                shots=[
                    Shot(
                        id=f"s{n}",
                        number=str(n),
                        duration=frames,
                        description=f"the bar at night shot {n}",
                        characters=[CharacterInShot(cast[n % 2].id)],
                        seed=n,
                    )
                    for n in range(1, shots + 1)
                ],
            )
        ],
    )


def bare(model: Path, project: Project, folder: Path, steps: int) -> tuple[float, int]:
    """What a script calling diffusers directly would do for the same shots (prompts included)."""
    import torch
    from diffusers import LTXConditionPipeline

    from pipeline.continuity.prompt import shot_prompt

    start = time.perf_counter()
    pipe = LTXConditionPipeline.from_pretrained(model, use_safetensors=True, dtype=torch.float32)
    pipe.set_progress_bar_config(disable=True)
    for shot in project.shots():
        request = build_request(project, folder, shot)
        with torch.inference_mode():
            pipe(
                prompt=shot_prompt(request),
                negative_prompt=NEGATIVE_PROMPT,
                width=request.width,
                height=request.height,
                num_frames=request.frame_count,
                frame_rate=24,
                num_inference_steps=steps,
                guidance_scale=3.0,
                generator=torch.Generator("cpu").manual_seed(request.seed),
                output_type="np",
            )
    return time.perf_counter() - start, 1


def engine(model: Path, project: Project, folder: Path, steps: int) -> tuple[float, LtxRenderer]:
    renderer = LtxRenderer(model_dir=model, steps=steps)
    registry.register_backend("ltx", lambda: renderer)
    start = time.perf_counter()
    report = render_batch(project, folder, BatchOptions(backend="ltx", new_take=True), History(project).execute, no_progress, CancelToken())
    seconds = time.perf_counter() - start
    if report.failures:
        raise SystemExit(f"engine failed: {report.failures}")
    return seconds, renderer


def character_embeddings(root: Path, shots: int) -> tuple[int, int, int]:
    """Renders the shots with the AnimateDiff backend (the one that encodes reference images here)
    after giving each character a reference image: (image embeddings computed, characters, shots)."""
    import cv2
    import numpy as np

    from pipeline.backends.animatediff.renderer import AnimateDiffRenderer
    from studio.media_store import MediaStore

    project = bench_project(shots, 64, 9)
    folder = save_project(project, root / "Characters.storyboard")
    for index, character in enumerate(project.characters):
        pixels = np.random.default_rng(index).integers(0, 256, (64, 64, 3), dtype=np.uint8)
        character.reference_images = [MediaStore(folder).add_bytes(cv2.imencode(".png", pixels)[1].tobytes(), ".png")]
    renderer = AnimateDiffRenderer(model_dir=build_tiny_animatediff(root / "animatediff"), steps=2)
    registry.register_backend("animatediff", lambda: renderer)
    report = render_batch(project, folder, BatchOptions(backend="animatediff"), History(project).execute, no_progress, CancelToken())
    if report.failures:
        raise SystemExit(f"animatediff failed: {report.failures}")
    cache = renderer.embedding_cache(folder / "cache")
    return cache.computed_by_kind["ip-adapter-image-embeds"], len(project.characters), shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, default=4)
    parser.add_argument("--size", type=int, default=128, help="square frame size, a multiple of 32")
    parser.add_argument("--frames", type=int, default=17, help="frames per shot, 8k+1")
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the best of each side is kept")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        model = build_tiny_ltx(root / "model", num_layers=4, num_attention_heads=8, attention_head_dim=32)
        project = bench_project(args.shots, args.size, args.frames)
        folder = save_project(project, root / "Engine.storyboard")
        bare_best = engine_best = float("inf")
        renderer = None
        for _ in range(args.rounds):
            seconds, _loads = bare(model, project, folder, args.steps)
            bare_best = min(bare_best, seconds)
            seconds, renderer = engine(model, project, folder, args.steps)
            engine_best = min(engine_best, seconds)
        image_embeds, characters, shots = character_embeddings(root, args.shots)
    assert renderer is not None
    cache = next(iter(renderer._caches.values()))  # noqa: SLF001 - the benchmark reads the counters
    prompts = len({shot.description for shot in project.shots()})
    print(f"{args.shots} shots of {args.frames} frames at {args.size}x{args.size}, {args.steps} steps, best of {args.rounds} alternating rounds")
    print(f"  bare pipeline calls     {bare_best:8.2f} s  (pipeline loaded once)")
    print(f"  engine (render_batch)   {engine_best:8.2f} s  (pipeline loaded {renderer.loads}x, {renderer.pipeline_calls} calls in the last round)")
    print(f"  ratio engine / bare     {engine_best / bare_best:8.3f}   target <= {TARGET}")
    print(f"  character embeddings    {image_embeds:8d} computed for {characters} characters over {shots} shots (AnimateDiff IP-Adapter, tiny model)")
    print(
        f"  prompt embeddings       {cache.computed:8d} computed, {cache.loaded} loaded from the project's cache, for {prompts} distinct prompts in the last round"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
