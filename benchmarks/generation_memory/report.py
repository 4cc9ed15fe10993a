"""The report: the parameter, compute and memory tables as markdown, the assumptions and observations
beneath them, and writing the section into RESULTS.md."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from .models import PUBLISHED
from .simulation import MODES, Row

GIB = 2**30
H100_BF16_DENSE_TFLOPS = 989.0  # NVIDIA H100 SXM datasheet, dense (no sparsity) bf16 tensor-core peak
TARGET_MFU = 0.5
SECTION = "## Generation memory and FLOPs (estimated, no GPU)"

# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def gib(n: int) -> str:
    return f"{n / GIB:.2f}" if n < GIB else f"{n / GIB:.1f}"


def pair(p: tuple[int, int]) -> str:
    return gib(p[0]) if p[0] == p[1] else f"{gib(p[0])} ({gib(p[1])})"


def markdown(header: list[str], rows: list[list[str]], align: str = "ll") -> str:
    """align: "l" or "r" per column; columns past its end are right-aligned (numbers)."""
    align = align.ljust(len(header), "r")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if a == "l" else "---:" for a in align) + "|"]
    return "\n".join([*lines, *("| " + " | ".join(r) + " |" for r in rows)])


def params_table(counts: dict[str, int]) -> str:
    body = []
    for key, n in counts.items():
        published, source = PUBLISHED[key]
        body.append([key, f"{n / 1e9:.3f} B", f"{published:g} B" if published else "-", source])
    for base, vace in (("wan-t2v-1.3b", "wan-vace-1.3b"), ("wan-t2v-14b", "wan-vace-14b")):
        body.append([f"{vace} - {base}", f"{(counts[vace] - counts[base]) / 1e9:.3f} B", "-", "the VACE blocks and their patch embedding"])
    return markdown(["component", "parameters (meta device)", "published", "note"], body, align="lrrl")


def compute_table(rows: list[Row], mfu: float, peak: float) -> str:
    body = []
    for r in rows:
        s = r.shot
        check = f"{r.counted / r.per_forward:.3f}" if r.counted else "-"
        body.append(
            [
                r.model.label + (f" ({r.model.note})" if r.model.note else ""),
                f"{s.width}x{s.height}",
                f"{s.frames} @ {s.fps}",
                f"{s.tokens:,}",
                f"{r.per_forward / 1e12:,.0f} ({r.attention / r.per_forward:.0%})",
                check,
                f"{r.model.steps} x {r.model.forwards_per_step}" + (" (batch 2)" if r.model.batch == 2 else ""),
                f"{r.per_shot / 1e15:,.1f}",
                f"{r.seconds_at(mfu, peak):,.{1 if r.seconds_at(mfu, peak) < 10 else 0}f}",
            ]
        )
    header = [
        "model",
        "size",
        "frames @ fps",
        "latent tokens",
        "TFLOP / forward (attention share)",
        "counted / formula",
        "steps x forwards",
        "PFLOP / shot",
        f"s / shot at {mfu:.0%} MFU (H100 {peak:g} TFLOP/s)",
    ]
    return markdown(header, body)


def memory_table(rows: list[Row]) -> str:
    body = []
    for r in rows:
        enc = f"{gib(r.a_enc[0])} / {gib(r.a_enc[1])}" if r.a_enc[0] else "-"
        body.append(
            [
                r.model.label,
                r.size,
                f"{gib(r.w_te)} / {gib(r.w_dit)} / {gib(r.w_vae)}",
                gib(r.a_te),
                enc,
                gib(r.a_den),
                f"{gib(r.a_dec[0])} / {gib(r.a_dec[1])}",
                *(pair(r.modes[m]) for m in MODES),
            ]
        )
    header = [
        "model",
        "size",
        "weights TE / DiT / VAE",
        "TE act.",
        "VACE encode untiled / tiled",
        "DiT act. (one forward)",
        "VAE decode untiled / tiled",
        *MODES,
    ]
    return markdown(header, body)


ASSUMPTIONS = """\
How the numbers are made (all GiB = 2^30 bytes; "peak" = tensors allocated, i.e. what `torch.cuda.max_memory_allocated` reports,
without the CUDA context or the caching allocator's slack):

- Every component is built at full size on the meta device from the published config typed into generation_memory/models.py (sources cited there);
  weights are bf16 (2 bytes/param; the few modules diffusers keeps in float32 stay float32), the Wan VAE float32 as the studio loads it.
- Shot: 5 s. Wan at 16 fps -> 81 frames -> 21 latent frames (VAE 4x time, 8x space), patch (1,2,2): tokens = 21 x H/16 x W/16.
  LTX at 24 fps -> 121 frames -> 16 latent frames (VAE 8x time, 32x space), patch 1: tokens = 16 x H/32 x W/32; 720p generates 1280x704.
  VACE rows run with no reference images (each one adds a latent frame: +1/21 tokens); the control branch sees as many tokens as the video.
- FLOPs per forward = 2 x (linear + patch-conv weights) x the tokens each sees (video tokens; text tokens for cross-attention K/V and
  the caption/text projection; once per sample for the timestep MLP) + 4 x N x (N + L) x inner_dim per attention block (self plus
  cross, L = 512 Wan / 256 LTX as the studio encodes prompts), x batch. "counted / formula" divides torch's FlopCounterMode count of the
  same forward on meta tensors (plus the attention stub's count) by the formula. Elementwise work (norms, RoPE, GELU) is not counted.
- Per shot: Wan 50 steps x 2 forwards (classifier-free guidance runs cond and uncond one after the other); LTX 40 steps x 1 forward of
  batch 2 (cond and uncond concatenated); LTX distilled 8 steps without guidance. The studio's renderers default to 30 steps: scale.
- s / shot at 50 % MFU = FLOPs per shot / (0.5 x 989 TFLOP/s): the denoising loop only (no text encoder, VAE, offload transfers).
- Activations: the real diffusers / transformers forward code run on meta tensors, summing the bytes of live tensors as Python frees
  them; scaled_dot_product_attention replaced by a flash-like stub (allocates only its output). "DiT act." is one transformer call with
  its inputs and what the loop holds across it (float32 latents, the cond prediction, VACE's conditioning latents). Wan VACE keeps one
  control hint (tokens x width) per VACE block for the whole forward, which is why its activations are larger than T2V's.
- VAE decode includes the pipeline's postprocess on the GPU (x * 0.5 + 0.5, clamp). Wan's tiled loops (256 px tiles, 192 px stride)
  are run with the encoder/decoder replaced by a stub that books the measured per-chunk working set (one full tile, causal cache
  included, steady state); LTX's tiled decode (512 px tiles) runs for real.
- VACE encode: WanVACEPipeline with no control video builds a zero video and an all-ones mask, splits them into inactive and reactive
  videos and VAE-encodes both (float32, 3 x 81 x H x W each); the first encode is the peak.
- Memory modes as pipeline/backends/memory.py applies them, forced (as a benchmark would, via the override: full = untiled VAE, the
  others tiled). Each cell: first render of a prompt (text encoder runs) and, in brackets, a prompt whose embeddings come from the
  studio's embedding cache (text encoder never moved to the GPU where it is offloaded).
  - full: all weights + the largest phase (text encoder, VACE encode, denoise, decode). "full, VAE tiled" is the same with tiled VAE
    passes, as the automatic plan runs full mode when free VRAM is under twice the renderer's declared need.
  - model-offload: max over phases of the component running + its activations; the VAE that encoded VACE's conditioning stays on
    the GPU through denoising (the transformer's offload hook only evicts the text encoder).
  - group-offload: text encoder whole (block-level offload finds no ModuleList at the top of a transformers T5/UMT5 model, so the
    whole stack is one group), 2 largest transformer blocks (conservative: leaf-level streaming with prefetch holds about two
    layers), the VAE counted whole.
  - 8bit: pipe.to("cuda") with the transformer's nn.Linear weights int8 + per-channel bf16 scales, the text encoder bf16 and
    resident; plus a dequantised bf16 copy of the largest linear and one more output of that layer (weight-only int8 kernels).
"""


def observations(rows: list[Row]) -> str:
    """A few facts that follow from the table, computed so they stay true when it changes."""
    n = len(rows)
    above_group = sum(r.modes["8bit"][0] > r.modes["group-offload"][0] for r in rows)
    above_model = sum(r.modes["8bit"][0] > r.modes["model-offload"][0] for r in rows)
    te_bound = sum(r.modes["group-offload"][0] == r.w_te + r.a_te for r in rows)
    phases = [
        (p, r, name) for r in rows for name, p in (("text encoder", r.a_te), ("VACE encode", r.a_enc[0]), ("denoise", r.a_den), ("VAE decode", r.a_dec[0]))
    ]
    size, worst, name = max(phases, key=lambda x: x[0])
    return "\n".join(
        [
            f"- 8bit peaks above group-offload (the step before it in memory.py's LEANER chain) in {above_group} of {n} rows and above "
            f"model-offload in {above_model}: the transformer's weights halve, but pipe.to('cuda') keeps the bf16 text encoder resident. "
            "8-bit saves RAM, not VRAM.",
            f"- group-offload's first-render peak is the text encoder, loaded whole, in {te_bound} of {n} rows (UMT5-XXL "
            f"{gib(rows[0].w_te)} GiB, T5-XXL {gib(rows[-1].w_te)} GiB of weights); with a cached prompt it falls to the number in brackets.",
            f"- The largest activation phase (untiled) is the {name}: {gib(size)} GiB for {worst.model.label} at {worst.size}"
            + (f" ({gib(worst.a_dec[1])} GiB tiled)." if name == "VAE decode" else "."),
        ]
    )


def render(rows: list[Row], counts: dict[str, int], args: argparse.Namespace, seconds: float) -> str:
    return "\n\n".join(
        [
            f"{SECTION}\n\nDate: {datetime.date.today().isoformat()}. No GPU could start for this task (device tool: not drawn), so these are "
            "**estimates from parameter counts, published configs and a shape-only (meta device) simulation, not measurements**. "
            "A GPU run of issue #6's benchmark should replace them; compare its `torch.cuda.max_memory_allocated` with the peaks "
            "and its seconds per shot with the 50 % MFU column.",
            f"Reproduce (CPU, ~{seconds:.0f} s here, allocates no weights):\n\n```\n.venv/bin/python benchmarks/generation_memory_estimate.py"
            f"{' --reference-images ' + str(args.reference_images) if args.reference_images else ''} --write-results\n```",
            "### Parameters (full-size configs on the meta device)\n\n" + params_table(counts),
            "### FLOPs per shot and time at 50 % MFU\n\n" + compute_table(rows, args.mfu, args.peak_tflops),
            "### Peak VRAM per memory mode, GiB (first prompt (cached prompt))\n\n" + memory_table(rows),
            "Observations (computed from the table):\n\n" + observations(rows),
            ASSUMPTIONS.rstrip(),
        ]
    )


def write_section(path: Path, section: str) -> None:
    """Replaces this script's section of RESULTS.md (up to the next "## " heading) or appends it."""
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    start = text.find(SECTION)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    else:
        following = text.find("\n## ", start + len(SECTION))
        end = len(text) if following < 0 else following + 1
        text = text[:start] + section + "\n" + ("\n" + text[end:] if following >= 0 else "")
    path.write_text(text)
