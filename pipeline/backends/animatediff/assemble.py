"""Builds the animatediff backend's model folder once from the parts published on the Hugging Face
hub (the app itself never downloads weights; a person runs this):

    python -m pipeline.backends.animatediff.assemble DIR [--base REPO_OR_FOLDER] [--motion-adapter REPO_OR_FOLDER]

It joins a Stable Diffusion 1.5 checkpoint and an AnimateDiff motion adapter into one
AnimateDiffPipeline folder, with the sampler AnimateDiff was made with. The optional IP-Adapter and
motion LoRAs are added next to it by hand (see layout.py: layout.assembly_steps prints the commands).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_BASE = "stable-diffusion-v1-5/stable-diffusion-v1-5"
DEFAULT_MOTION_ADAPTER = "guoyww/animatediff-motion-adapter-v1-5-2"


def assemble(folder: Path, base: str = DEFAULT_BASE, motion_adapter: str = DEFAULT_MOTION_ADAPTER, half: bool = True) -> Path:
    """Writes an AnimateDiffPipeline (safetensors, float16 unless half is False) to folder."""
    import torch
    from diffusers import AnimateDiffPipeline, DDIMScheduler, MotionAdapter

    dtype = torch.float16 if half else torch.float32
    adapter = MotionAdapter.from_pretrained(motion_adapter, torch_dtype=dtype, use_safetensors=True)
    # SD 1.5 ships a PNDM sampler; AnimateDiff's motion modules were trained and are sampled with
    # DDIM on the linear beta schedule, and look washed out or flicker otherwise.
    scheduler = DDIMScheduler.from_pretrained(
        base, subfolder="scheduler", clip_sample=False, timestep_spacing="linspace", beta_schedule="linear", steps_offset=1
    )
    pipe = AnimateDiffPipeline.from_pretrained(base, motion_adapter=adapter, scheduler=scheduler, torch_dtype=dtype, use_safetensors=True)
    folder.mkdir(parents=True, exist_ok=True)
    pipe.save_pretrained(folder, safe_serialization=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    from pipeline.backends.animatediff.layout import assembly_steps

    parser = argparse.ArgumentParser(prog="python -m pipeline.backends.animatediff.assemble", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write the model folder (then pass it as --model-dir)")
    parser.add_argument("--base", default=DEFAULT_BASE, help="a Stable Diffusion 1.5 checkpoint in diffusers format: hub id or folder")
    parser.add_argument("--motion-adapter", default=DEFAULT_MOTION_ADAPTER, help="an AnimateDiff MotionAdapter: hub id or folder")
    parser.add_argument("--float32", action="store_true", help="keep float32 weights (twice the size; for CPU-only machines)")
    args = parser.parse_args(argv)
    folder = assemble(args.folder, args.base, args.motion_adapter, half=not args.float32)
    print(f"wrote {folder}; optional next steps: {assembly_steps(str(folder)).split('; ', 1)[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
