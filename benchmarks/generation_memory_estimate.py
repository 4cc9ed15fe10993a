"""Peak VRAM and denoising FLOPs per generated shot, ESTIMATED on the meta device (no GPU, no weights).

Issue #6 asks for seconds per shot, peak VRAM and model FLOP utilisation of the full-size generation
models in each memory mode. Where no GPU can start, this script stands in for the measurement: it
builds every full-size component from its published config (typed into generation_memory/models.py,
nothing is downloaded) on torch's meta device, which records shapes and dtypes but allocates nothing,
and derives

* parameter counts and weight bytes per component (bf16; the Wan VAE in float32 as the studio loads it);
* latent tokens of a 5 s shot at 480p (832x480) and 720p (1280x720; LTX snaps to 1280x704);
* FLOPs per denoising forward, counted from the architecture: 2 x (linear/patch-conv weights) x the
  tokens each layer sees (video tokens, text tokens or one per sample), plus attention
  4 x N x M x inner_dim per attention layer (N queries, M keys: self N = M = video tokens, cross
  M = text length). Cross-checked against torch's FlopCounterMode on the same meta forward pass;
* activation peaks by running the real diffusers/transformers forward code on meta tensors under a
  dispatch mode that adds up the bytes of every live tensor (freed when Python frees it), so the
  peak is what torch.cuda.max_memory_allocated would show above the weights, assuming a
  flash/memory-efficient attention kernel (scaled_dot_product_attention is replaced by a stub that
  allocates only its output, as the flash kernel does; no N x N score matrix);
* peak VRAM per memory mode of pipeline/backends/memory.py, from weights + the largest phase
  (text encoder, VACE conditioning encode, denoising, VAE decode);
* the seconds per shot a GPU would need at 50 % model FLOP utilisation of an H100 (989 TFLOP/s dense
  bf16), for the denoising loop only, so that a later GPU run has a number to compare with.

These are estimates from parameter counts, configs and a shape-only simulation, not measurements:
the CUDA context (~0.5-1 GiB), the caching allocator's slack and kernel workspaces are not counted.

    .venv/bin/python benchmarks/generation_memory_estimate.py [--write-results]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

import torch

# Run as a script, Python puts benchmarks/ first on sys.path, which makes the package importable.
from generation_memory.report import H100_BF16_DENSE_TFLOPS, SECTION, TARGET_MFU, render, write_section
from generation_memory.simulation import estimate

RESULTS = Path(__file__).with_name("RESULTS.md")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference-images", type=int, default=0, help="VACE reference images per shot (each adds a latent frame)")
    parser.add_argument("--mfu", type=float, default=TARGET_MFU, help="model FLOP utilisation for the time column (default 0.5)")
    parser.add_argument("--peak-tflops", type=float, default=H100_BF16_DENSE_TFLOPS, help="the GPU's dense bf16 peak (default H100 989)")
    parser.add_argument("--no-flop-check", action="store_true", help="skip the FlopCounterMode cross-check (faster)")
    parser.add_argument("--write-results", action="store_true", help=f"write the tables into {RESULTS.name} under '{SECTION[3:]}'")
    args = parser.parse_args(argv)

    logging.getLogger("diffusers").setLevel(logging.ERROR)
    logging.getLogger("transformers").setLevel(logging.ERROR)
    from diffusers.utils import logging as diffusers_logging

    diffusers_logging.set_verbosity_error()
    torch.set_num_threads(1)

    started = time.perf_counter()
    rows, counts = estimate(args.reference_images, not args.no_flop_check, lambda m: print(f"  [{m}]", file=sys.stderr))
    seconds = time.perf_counter() - started
    section = render(rows, counts, args, seconds)
    print(section)
    if args.write_results:
        write_section(RESULTS, section)
        print(f"\nwrote the section to {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
