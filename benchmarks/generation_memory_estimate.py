"""Peak VRAM and denoising FLOPs per generated shot, ESTIMATED on the meta device (no GPU, no weights).

Issue #6 asks for seconds per shot, peak VRAM and model FLOP utilisation of the full-size generation
models in each memory mode. Where no GPU can start, this script stands in for the measurement: it
builds every full-size component from its published config (typed in below, nothing is downloaded)
on torch's meta device, which records shapes and dtypes but allocates nothing, and derives

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
import contextlib
import datetime
import logging
import math
import re
import sys
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten
from torch.utils.flop_counter import FlopCounterMode

GIB = 2**30
H100_BF16_DENSE_TFLOPS = 989.0  # NVIDIA H100 SXM datasheet, dense (no sparsity) bf16 tensor-core peak
TARGET_MFU = 0.5
RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## Generation memory and FLOPs (estimated, no GPU)"
SHOT_SECONDS = 5.0
MODES = ("full", "full, VAE tiled", "model-offload", "group-offload", "8bit")
SIZES = {"480p": (832, 480), "720p": (1280, 720)}

# ---------------------------------------------------------------------------------------------
# Published configs, typed in from the Hugging Face repositories' config.json files (no download).
# ---------------------------------------------------------------------------------------------

# Wan-AI/Wan2.1-T2V-1.3B-Diffusers, transformer/config.json (WanTransformer3DModel).
WAN_T2V_1_3B = {
    "patch_size": (1, 2, 2),
    "num_attention_heads": 12,
    "attention_head_dim": 128,
    "in_channels": 16,
    "out_channels": 16,
    "text_dim": 4096,
    "freq_dim": 256,
    "ffn_dim": 8960,
    "num_layers": 30,
    "cross_attn_norm": True,
    "qk_norm": "rms_norm_across_heads",
    "eps": 1e-6,
    "image_dim": None,
    "added_kv_proj_dim": None,
    "rope_max_seq_len": 1024,
}
# Wan-AI/Wan2.1-T2V-14B-Diffusers, transformer/config.json: 40 heads x 128 = 5120 wide, 40 layers.
WAN_T2V_14B = {**WAN_T2V_1_3B, "num_attention_heads": 40, "ffn_dim": 13824, "num_layers": 40}
# Wan-AI/Wan2.1-VACE-1.3B-diffusers, transformer/config.json (WanVACETransformer3DModel): a VACE block
# beside every second layer, fed 96 control channels (16 inactive + 16 reactive latents + 64 mask).
WAN_VACE_1_3B = {**WAN_T2V_1_3B, "vace_layers": list(range(0, 30, 2)), "vace_in_channels": 96}
# Wan-AI/Wan2.1-VACE-14B-diffusers, transformer/config.json: a VACE block beside every fifth layer.
WAN_VACE_14B = {**WAN_T2V_14B, "vace_layers": list(range(0, 40, 5)), "vace_in_channels": 96}
# Lightricks/LTX-Video, transformer/config.json (LTXVideoTransformer3DModel; the 2B shape of 0.9.0-0.9.6,
# the distilled 2B checkpoints included): 32 heads x 64 = 2048 wide, 28 layers, patch 1.
LTX_2B = {
    "in_channels": 128,
    "out_channels": 128,
    "patch_size": 1,
    "patch_size_t": 1,
    "num_attention_heads": 32,
    "attention_head_dim": 64,
    "cross_attention_dim": 2048,
    "num_layers": 28,
    "activation_fn": "gelu-approximate",
    "qk_norm": "rms_norm_across_heads",
    "norm_elementwise_affine": False,
    "norm_eps": 1e-6,
    "caption_channels": 4096,
    "attention_bias": True,
    "attention_out_bias": True,
}
# Wan-AI/Wan2.1-*-Diffusers, vae/config.json (AutoencoderKLWan; latents_mean/std are statistics, not
# parameters, and left at the class defaults, which are the published values).
WAN_VAE = {
    "base_dim": 96,
    "z_dim": 16,
    "dim_mult": [1, 2, 4, 4],
    "num_res_blocks": 2,
    "attn_scales": [],
    "temperal_downsample": [False, True, True],
    "dropout": 0.0,
}
# Lightricks/LTX-Video, vae/config.json (AutoencoderKLLTXVideo, the 0.9.0 VAE; the same values as
# get_vae_config("0.9.0") in diffusers' scripts/convert_ltx_to_diffusers.py).
LTX_VAE = {
    "in_channels": 3,
    "out_channels": 3,
    "latent_channels": 128,
    "block_out_channels": (128, 256, 512, 512),
    "decoder_block_out_channels": (128, 256, 512, 512),
    "layers_per_block": (4, 3, 3, 3, 4),
    "decoder_layers_per_block": (4, 3, 3, 3, 4),
    "spatio_temporal_scaling": (True, True, True, False),
    "decoder_spatio_temporal_scaling": (True, True, True, False),
    "decoder_inject_noise": (False, False, False, False, False),
    "upsample_residual": (False, False, False, False),
    "upsample_factor": (1, 1, 1, 1),
    "patch_size": 4,
    "patch_size_t": 1,
    "resnet_norm_eps": 1e-6,
    "scaling_factor": 1.0,
    "encoder_causal": True,
    "decoder_causal": False,
    "timestep_conditioning": False,
}
# Wan-AI/Wan2.1-T2V-1.3B-Diffusers, text_encoder/config.json (UMT5EncoderModel, google/umt5-xxl).
UMT5_XXL = {
    "vocab_size": 256384,
    "d_model": 4096,
    "d_kv": 64,
    "d_ff": 10240,
    "num_layers": 24,
    "num_heads": 64,
    "relative_attention_num_buckets": 32,
    "relative_attention_max_distance": 128,
    "feed_forward_proj": "gated-gelu",
    "tie_word_embeddings": False,
}
# Lightricks/LTX-Video, text_encoder/config.json (T5EncoderModel, google/t5-v1_1-xxl).
T5_XXL = {**UMT5_XXL, "vocab_size": 32128}

# Published sizes, for the sanity check (billions of parameters).
PUBLISHED = {
    "wan-t2v-1.3b": (1.3, "Wan 2.1 report / model card: 1.3B (the checkpoint holds 1.42B)"),
    "wan-t2v-14b": (14.0, "Wan 2.1 report / model card: 14B"),
    "wan-vace-1.3b": (None, "VACE: the 1.3B plus its VACE blocks (no separate figure published)"),
    "wan-vace-14b": (None, "VACE: the 14B plus its VACE blocks (no separate figure published)"),
    "ltx-2b": (1.9, 'LTX-Video paper: 1.9B ("2B")'),
    "umt5-xxl": (5.7, "UMT5-XXL encoder half: ~5.7B"),
    "t5-xxl": (4.7, "T5 v1.1 XXL encoder half: ~4.7B"),
    "wan-vae": (0.127, "Wan 2.1 report: 127M"),
    "ltx-vae": (0.4, "LTX-Video 0.9.0 VAE: ~0.4B"),
}


@dataclass(frozen=True)
class Model:
    key: str
    label: str
    family: str  # "wan" or "ltx"
    transformer: str  # a key of PUBLISHED / COMPONENTS
    steps: int
    cfg: str  # "sequential": cond and uncond forwards one after the other; "batched": one batch-2 forward; "none"
    text_len: int
    note: str = ""

    @property
    def forwards_per_step(self) -> int:
        return 2 if self.cfg == "sequential" else 1

    @property
    def batch(self) -> int:
        return 2 if self.cfg == "batched" else 1


# Steps as issue #6 asks (Wan's and LTX-Video's published settings); the studio's renderers default to 30.
# Text lengths as the studio's renderers pass them (Wan 512; LTX 256, diffusers' LTXPipeline default is 128).
MODELS = (
    Model("wan-t2v-1.3b", "Wan2.1 T2V 1.3B", "wan", "wan-t2v-1.3b", 50, "sequential", 512, "trained at 480p only"),
    Model("wan-t2v-14b", "Wan2.1 T2V 14B", "wan", "wan-t2v-14b", 50, "sequential", 512),
    Model("wan-vace-1.3b", "Wan2.1 VACE 1.3B", "wan", "wan-vace-1.3b", 50, "sequential", 512, "studio default; max 832 px"),
    Model("wan-vace-14b", "Wan2.1 VACE 14B", "wan", "wan-vace-14b", 50, "sequential", 512),
    Model("ltx-2b", "LTX-Video 2B", "ltx", "ltx-2b", 40, "batched", 256),
    Model("ltx-2b-distilled", "LTX-Video 2B distilled", "ltx", "ltx-2b", 8, "none", 256, "guidance 1: no CFG"),
)


def build(key: str) -> torch.nn.Module:
    """One full-size component on the meta device, in the dtypes the studio loads it in."""
    from diffusers import AutoencoderKLLTXVideo, AutoencoderKLWan, LTXVideoTransformer3DModel, WanTransformer3DModel, WanVACETransformer3DModel
    from transformers import T5Config, T5EncoderModel, UMT5Config, UMT5EncoderModel

    makers: dict[str, Callable[[], torch.nn.Module]] = {
        "wan-t2v-1.3b": lambda: WanTransformer3DModel(**WAN_T2V_1_3B),
        "wan-t2v-14b": lambda: WanTransformer3DModel(**WAN_T2V_14B),
        "wan-vace-1.3b": lambda: WanVACETransformer3DModel(**WAN_VACE_1_3B),
        "wan-vace-14b": lambda: WanVACETransformer3DModel(**WAN_VACE_14B),
        "ltx-2b": lambda: LTXVideoTransformer3DModel(**LTX_2B),
        "umt5-xxl": lambda: UMT5EncoderModel(UMT5Config(**UMT5_XXL)),
        "t5-xxl": lambda: T5EncoderModel(T5Config(**T5_XXL)),
        "wan-vae": lambda: AutoencoderKLWan(**WAN_VAE),
        "ltx-vae": lambda: AutoencoderKLLTXVideo(**LTX_VAE),
    }
    with torch.device("meta"):
        module = makers[key]().eval().requires_grad_(False)
    if key == "wan-vae":
        return module  # float32: pipeline/backends/wan/renderer.py loads the VAE so
    module.to(torch.bfloat16)
    # What from_pretrained(torch_dtype=torch.bfloat16) keeps in float32: diffusers honours _keep_in_fp32_modules
    # for any dtype; transformers only for float16 (T5's "wo"), or its _strict list for bf16 too.
    from diffusers import ModelMixin

    attr = "_keep_in_fp32_modules" if isinstance(module, ModelMixin) else "_keep_in_fp32_modules_strict"
    keep = set(getattr(module, attr, None) or ())
    for name, sub in module.named_modules():
        for pname, p in list(sub.named_parameters(recurse=False)):
            if keep & set(f"{name}.{pname}".split(".")):
                sub._parameters[pname] = torch.nn.Parameter(p.float(), requires_grad=False)
        for bname, b in list(sub.named_buffers(recurse=False)):
            if b is not None and b.is_floating_point() and keep & set(f"{name}.{bname}".split(".")):
                sub._buffers[bname] = b.float()
    return module


def weight_bytes(module: torch.nn.Module) -> int:
    return sum(t.numel() * t.element_size() for t in [*module.parameters(), *module.buffers()])


def params(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def int8_weight_bytes(module: torch.nn.Module) -> int:
    """Weight-only int8 of every nn.Linear (torchao int8wo / bitsandbytes 8-bit): 1 byte per weight plus
    a bf16 scale per output channel; everything else stays as loaded."""
    total = weight_bytes(module)
    for sub in module.modules():
        if isinstance(sub, torch.nn.Linear):
            w = sub.weight
            total -= w.numel() * w.element_size() - w.numel() - 2 * w.shape[0]
    return total


def blocks(transformer: torch.nn.Module) -> list[torch.nn.Module]:
    main = getattr(transformer, "transformer_blocks", None) or transformer.blocks  # LTX / Wan
    return [*main, *getattr(transformer, "vace_blocks", [])]


# ---------------------------------------------------------------------------------------------
# Shape-only simulation: live bytes of every tensor created, attention as flash does it.
# ---------------------------------------------------------------------------------------------


class LiveBytes(TorchDispatchMode):
    """Adds up the storage bytes of every tensor an op creates and subtracts them when the last Python
    reference to that storage goes: the allocated-bytes curve of the same code on a GPU (without the
    caching allocator's rounding). Tensors made before entering (weights) are not counted."""

    def __init__(self) -> None:
        super().__init__()
        self.size: dict[int, int] = {}
        self.refs: dict[int, int] = {}
        self.cur = self.peak = self.local = 0

    def _release(self, key: int) -> None:
        self.refs[key] -= 1
        if not self.refs[key]:
            del self.refs[key]
            self.cur -= self.size.pop(key)

    def bump(self, transient: int) -> None:
        """A stubbed-out computation that would hold `transient` more bytes for a moment."""
        self.peak = max(self.peak, self.cur + transient)
        self.local = max(self.local, self.cur + transient)

    def __torch_dispatch__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        out = func(*args, **(kwargs or {}))
        inputs = {t.untyped_storage()._cdata for t in tree_flatten((args, kwargs))[0] if isinstance(t, torch.Tensor)}
        for t in tree_flatten(out)[0]:
            if isinstance(t, torch.Tensor):
                storage = t.untyped_storage()
                key = storage._cdata
                if key not in self.size:
                    if key in inputs:
                        continue  # a view of (or in-place op on) a tensor made outside: a weight, say
                    self.size[key], self.refs[key] = storage.nbytes(), 0
                    self.cur += storage.nbytes()
                    self.peak, self.local = max(self.peak, self.cur), max(self.local, self.cur)
                self.refs[key] += 1
                weakref.finalize(t, self._release, key)
        return out


@dataclass
class Sim:
    peak: int = 0  # bytes above the weights
    matmul_flops: int = 0  # FlopCounterMode: mm/bmm/addmm/conv
    attention_flops: int = 0  # the attention stub's 4 x B x H x N x M x D


_ATTENTION_FLOPS = [0]


def _flash_like_sdpa(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attn_mask: torch.Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> torch.Tensor:
    """Stands in for F.scaled_dot_product_attention on meta tensors: the flash kernel's output only."""
    b, h, n, d = query.shape
    _ATTENTION_FLOPS[0] += 4 * b * h * n * key.shape[-2] * d
    return torch.empty(*query.shape[:-1], value.shape[-1], dtype=query.dtype, device=query.device)


@contextlib.contextmanager
def simulate(count_flops: bool = False) -> Iterator[tuple[LiveBytes, Sim]]:
    live, result = LiveBytes(), Sim()
    original = F.scaled_dot_product_attention
    F.scaled_dot_product_attention = _flash_like_sdpa
    _ATTENTION_FLOPS[0] = 0
    counter = FlopCounterMode(display=False) if count_flops else contextlib.nullcontext()
    try:
        with torch.inference_mode(), counter, live:
            yield live, result
    finally:
        F.scaled_dot_product_attention = original
    result.peak = live.peak
    result.attention_flops = _ATTENTION_FLOPS[0]
    if count_flops:
        result.matmul_flops = counter.get_total_flops()


def meta(*shape: int, dtype: torch.dtype = torch.bfloat16) -> torch.Tensor:
    return torch.empty(*shape, dtype=dtype, device="meta")


# ---------------------------------------------------------------------------------------------
# Shapes of a shot
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shot:
    width: int
    height: int
    frames: int
    fps: int
    latent: tuple[int, int, int]  # latent frames, height, width
    tokens: int


def shot_shape(model: Model, size: str, reference_images: int) -> Shot:
    width, height = SIZES[size]
    if model.family == "wan":  # 16 fps native, frames 4k+1; VAE 4x time, 8x space; patch (1, 2, 2)
        fps, t_mult, s_mult, patch = 16, 4, 8, 2
    else:  # LTX: the shot's own rate, frames 8k+1; VAE 8x time, 32x space; patch 1; sizes snap to 32
        fps, t_mult, s_mult, patch = 24, 8, 32, 1
        width, height = (round(v / 32) * 32 for v in (width, height))  # as capabilities.snap: 720 -> 704
    frames = math.ceil((math.ceil(SHOT_SECONDS * fps) - 1) / t_mult) * t_mult + 1
    latent_t = (frames - 1) // t_mult + 1
    if model.family == "wan" and model.key.startswith("wan-vace"):
        latent_t += reference_images  # VACE prepends one latent frame per reference image
    latent = (latent_t, height // s_mult, width // s_mult)
    return Shot(width, height, frames, fps, latent, latent_t * (latent[1] // patch) * (latent[2] // patch))


# ---------------------------------------------------------------------------------------------
# FLOPs from the architecture
# ---------------------------------------------------------------------------------------------

TEXT_SIDE = re.compile(r"(^|\.)(attn2\.to_k|attn2\.to_v|text_embedder|caption_projection)(\.|$)")
ONCE_PER_SAMPLE = re.compile(r"(^|\.)(time_embedder|time_proj|time_embed)(\.|$)")


@dataclass(frozen=True)
class Flops:
    video_linear_params: int  # weights applied to every video token
    text_linear_params: int  # weights applied to every text token
    once_params: int  # weights applied once per sample (timestep embedding)
    attention_layers: int
    inner_dim: int

    def forward(self, tokens: int, text_len: int, batch: int = 1) -> tuple[int, int]:
        """(matmul FLOPs, attention FLOPs) of one forward pass."""
        matmul = 2 * (self.video_linear_params * tokens + self.text_linear_params * text_len + self.once_params)
        attention = self.attention_layers * 4 * tokens * (tokens + text_len) * self.inner_dim
        return batch * matmul, batch * attention


def flops_of(transformer: torch.nn.Module) -> Flops:
    video = text = once = 0
    for name, sub in transformer.named_modules():
        if isinstance(sub, torch.nn.Linear | torch.nn.Conv3d):  # the patch embeddings are kernel = stride convs
            n = sub.weight.numel()
            if TEXT_SIDE.search(name):
                text += n
            elif ONCE_PER_SAMPLE.search(name):
                once += n
            else:
                video += n
    config = transformer.config
    inner = config.num_attention_heads * config.attention_head_dim
    return Flops(video, text, once, len(blocks(transformer)), inner)


# ---------------------------------------------------------------------------------------------
# Phases
# ---------------------------------------------------------------------------------------------


def denoise_forward(model: Model, transformer: torch.nn.Module, shot: Shot, count_flops: bool) -> Sim:
    """One transformer call as the pipeline makes it, inputs included; plus what the loop holds across it."""
    t, h, w = shot.latent
    b = model.batch
    with simulate(count_flops) as (live, result):
        if model.family == "wan":
            held = [meta(1, 16, t, h, w, dtype=torch.float32)]  # the scheduler's float32 latents
            if model.forwards_per_step == 2:
                held.append(meta(1, 16, t, h, w))  # the cond prediction, kept while the uncond pass runs
            kwargs: dict[str, Any] = {
                "hidden_states": meta(b, 16, t, h, w),
                "timestep": meta(b, dtype=torch.float32),
                "encoder_hidden_states": meta(b, model.text_len, 4096),
            }
            if "vace_layers" in transformer.config:
                held.append(meta(1, 96, t, h, w))  # VACE conditioning latents, prepared once
                kwargs["control_hidden_states"] = meta(b, 96, t, h, w)
            out = transformer(**kwargs, return_dict=False)[0]
        else:
            n = t * h * w
            held = [meta(1, n, 128, dtype=torch.float32)]
            out = transformer(
                hidden_states=meta(b, n, 128),
                encoder_hidden_states=meta(b, model.text_len, 4096),
                timestep=meta(b, dtype=torch.float32),
                encoder_attention_mask=meta(b, model.text_len),
                num_frames=t,
                height=h,
                width=w,
                rope_interpolation_scale=(8 / shot.fps, 32, 32),
                return_dict=False,
            )[0]
        del out, held
    return result


def text_encoder_forward(encoder: torch.nn.Module, text_len: int) -> int:
    # No attention mask: transformers' mask builder calls .item(), which meta tensors cannot answer;
    # the mask is a 1 x L x L tensor, negligible here.
    with simulate() as (live, result):
        out = encoder(input_ids=torch.zeros(1, text_len, dtype=torch.long, device="meta")).last_hidden_state
        del out
    return result.peak


def _chunk_working_set(vae: torch.nn.Module, part: str, tile: tuple[int, int], chunks: int) -> int:
    """The most one tile chunk of Wan's causal VAE holds beyond what the tiled loop itself keeps
    (its output list): working tensors plus the causal-conv feature cache, in steady state."""
    th, tw = tile
    worst = 0
    with simulate() as (live, _):
        vae.clear_cache()
        outputs: list[torch.Tensor] = []
        base = live.cur
        for k in range(chunks):
            live.local = live.cur
            if part == "decoder":
                vae._conv_idx = [0]
                z = vae.post_quant_conv(meta(1, 16, 1, th // 8, tw // 8, dtype=torch.float32))
                outputs.append(vae.decoder(z, feat_cache=vae._feat_map, feat_idx=vae._conv_idx, first_chunk=k == 0))
            else:
                vae._enc_conv_idx = [0]
                x = meta(1, 3, 1 if k == 0 else 4, th, tw, dtype=torch.float32)
                outputs.append(vae.quant_conv(vae.encoder(x, feat_cache=vae._enc_feat_map, feat_idx=vae._enc_conv_idx)))
            held_before = sum(o.untyped_storage().nbytes() for o in outputs[:-1])
            worst = max(worst, live.local - base - held_before)
        vae.clear_cache()
        del outputs
    return worst


class _ChunkStub(torch.nn.Module):
    """Replaces Wan's VAE encoder or decoder inside its tiled loops: returns the right shape at once and
    books the measured per-chunk working set as a momentary peak."""

    def __init__(self, live: LiveBytes, working_set: int, part: str) -> None:
        super().__init__()
        self.live, self.working_set, self.part = live, working_set, part

    def forward(self, x: torch.Tensor, feat_cache: Any = None, feat_idx: Any = None, first_chunk: bool = False) -> torch.Tensor:
        self.live.bump(self.working_set)
        b, _, f, h, w = x.shape
        if self.part == "decoder":
            return torch.empty(b, 3, 1 if first_chunk else 4 * f, h * 8, w * 8, dtype=x.dtype, device=x.device)
        return torch.empty(b, 32, 1, h // 8, w // 8, dtype=x.dtype, device=x.device)


def vae_decode(family: str, vae: torch.nn.Module, shot: Shot, tiled: bool) -> int:
    """Decoding the shot's latents and the pipeline's postprocess (x * 0.5 + 0.5, clamp) on the GPU."""
    t, h, w = shot.latent
    if family == "wan":
        t = (shot.frames - 1) // 4 + 1  # reference frames are dropped before decoding
    channels = 16 if family == "wan" else 128
    vae.disable_tiling()
    stub = None
    if tiled:
        vae.enable_tiling()
        if family == "wan":
            ws = _chunk_working_set(vae, "decoder", (vae.tile_sample_min_height, vae.tile_sample_min_width), 4)
    with simulate() as (live, result):
        if tiled and family == "wan":
            decoder, stub = vae.decoder, _ChunkStub(live, ws, "decoder")
            vae.decoder = stub
        try:
            z = meta(1, channels, t, h, w, dtype=vae.dtype)
            video = vae.decode(z, return_dict=False)[0]
            del z
            video = (video * 0.5 + 0.5).clamp(0, 1)
            del video
        finally:
            if stub is not None:
                vae.decoder = decoder
    vae.disable_tiling()
    return result.peak


def vace_conditioning_encode(vae: torch.nn.Module, shot: Shot, tiled: bool) -> int:
    """WanVACEPipeline.prepare_video_latents with no control video: a zero video and an all-ones mask,
    masked into inactive and reactive videos, each VAE-encoded (the first encode is the peak: the
    second holds the same tensors less the inactive video)."""
    shape = (1, 3, shot.frames, shot.height, shot.width)
    vae.disable_tiling()
    stub = None
    if tiled:
        vae.enable_tiling()
        ws = _chunk_working_set(vae, "encoder", (vae.tile_sample_min_height, vae.tile_sample_min_width), 4)
    with simulate() as (live, result):
        if tiled:
            encoder, stub = vae.encoder, _ChunkStub(live, ws, "encoder")
            vae.encoder = stub
        try:
            video = torch.zeros(shape, device="meta")
            mask = torch.ones_like(video)
            binary = torch.where(mask > 0.5, 1.0, 0.0)
            inactive, reactive = video * (1 - binary), video * binary
            latents = vae.encode(inactive).latent_dist.mode()
            del video, mask, binary, inactive, reactive, latents
        finally:
            if stub is not None:
                vae.encoder = encoder
    vae.disable_tiling()
    return result.peak


# ---------------------------------------------------------------------------------------------
# Memory modes (pipeline/backends/memory.py)
# ---------------------------------------------------------------------------------------------


@dataclass
class Row:
    model: Model
    size: str
    shot: Shot
    matmul: int  # analytic, per forward pass
    attention: int
    counted: int  # FlopCounterMode + attention stub, per forward pass
    w_te: int
    w_dit: int
    w_dit_int8: int
    w_two_blocks: int
    w_vae: int
    a_te: int
    a_enc: tuple[int, int]  # VACE conditioning encode (untiled, tiled); 0 for the others
    a_den: int
    a_dec: tuple[int, int]  # VAE decode (untiled, tiled)
    int8_extra: int
    modes: dict[str, tuple[int, int]] = field(default_factory=dict)  # mode: (first prompt, cached prompt)

    @property
    def per_forward(self) -> int:
        return self.matmul + self.attention

    @property
    def per_shot(self) -> int:
        return self.per_forward * self.model.steps * self.model.forwards_per_step

    def seconds_at(self, mfu: float, peak_tflops: float) -> float:
        return self.per_shot / (mfu * peak_tflops * 1e12)

    def plan(self) -> None:
        te, dit, vae = self.w_te, self.w_dit, self.w_vae
        enc_u, enc_t = self.a_enc
        dec_u, dec_t = self.a_dec
        vace = enc_u > 0
        # Full GPU (an override, as a benchmark forces each mode): everything resident, VAE untiled.
        full_phases = [self.a_te, enc_u, self.a_den, dec_u]
        full = te + dit + vae + max(full_phases)
        full_cached = te + dit + vae + max(full_phases[1:])
        # Full GPU as the automatic plan runs it when free VRAM < 2x the declared need: VAE tiled.
        tiled_phases = [self.a_te, enc_t, self.a_den, dec_t]
        full_tiled = (te + dit + vae + max(tiled_phases), te + dit + vae + max(tiled_phases[1:]))
        # Model CPU offload: one component at a time; the VAE used for VACE's encode stays on the GPU
        # during denoising (the transformer's hook offloads only the text encoder). VAE tiled.
        phases = [vae + enc_t, dit + (vae if vace else 0) + self.a_den, vae + dec_t]
        offload = (max([te + self.a_te, *phases]), max(phases))
        # Group offload (leaf level, CUDA stream): ~2 transformer blocks resident (conservative: leaf-level
        # prefetch holds about two layers); the text encoder is onloaded whole, since block-level offload
        # finds no ModuleList at the top of a transformers T5 model. VAE counted whole, tiled.
        phases = [vae + enc_t, self.w_two_blocks + self.a_den, vae + dec_t]
        group = (max([te + self.a_te, *phases]), max(phases))
        # 8-bit: the whole pipeline on the GPU (pipe.to("cuda")), the transformer's linears int8, the text
        # encoder still bf16; VAE tiled; plus the dequantised copy of the largest linear and its output.
        phases8 = [self.a_te, enc_t, self.a_den + self.int8_extra, dec_t]
        eight = te + self.w_dit_int8 + vae
        self.modes = {
            "full": (full, full_cached),
            "full, VAE tiled": full_tiled,
            "model-offload": offload,
            "group-offload": group,
            "8bit": (eight + max(phases8), eight + max(phases8[1:])),
        }


def estimate(reference_images: int, count_flops: bool, log: Callable[[str], None]) -> tuple[list[Row], dict[str, int]]:
    started = time.perf_counter()
    components: dict[str, torch.nn.Module] = {}
    counts: dict[str, int] = {}
    for key in ("umt5-xxl", "t5-xxl", "wan-vae", "ltx-vae"):
        components[key] = build(key)
        counts[key] = params(components[key])
    a_te = {"wan": text_encoder_forward(components["umt5-xxl"], 512), "ltx": text_encoder_forward(components["t5-xxl"], 256)}
    log(f"text encoders: {time.perf_counter() - started:.0f} s")
    vae_cache: dict[tuple[str, str, bool], int] = {}
    enc_cache: dict[tuple[str, bool], int] = {}
    rows = []
    for key in dict.fromkeys(m.transformer for m in MODELS):
        transformer = build(key)
        counts[key] = params(transformer)
        flops = flops_of(transformer)
        largest_block = max(weight_bytes(b) for b in blocks(transformer))
        largest_linear = max((m for m in transformer.modules() if isinstance(m, torch.nn.Linear)), key=lambda m: m.weight.numel())
        for model in (m for m in MODELS if m.transformer == key):
            family = model.family
            te, vae = ("umt5-xxl", "wan-vae") if family == "wan" else ("t5-xxl", "ltx-vae")
            for size in SIZES:
                shot = shot_shape(model, size, reference_images)
                sim = denoise_forward(model, transformer, shot, count_flops)
                matmul, attention = flops.forward(shot.tokens, model.text_len, model.batch)
                for tiled in (False, True):
                    if (family, size, tiled) not in vae_cache:
                        vae_cache[family, size, tiled] = vae_decode(family, components[vae], shot, tiled)
                    if "vace" in key and (size, tiled) not in enc_cache:
                        enc_cache[size, tiled] = vace_conditioning_encode(components[vae], shot, tiled)
                row = Row(
                    model=model,
                    size=size,
                    shot=shot,
                    matmul=matmul,
                    attention=attention,
                    counted=sim.matmul_flops + sim.attention_flops if count_flops else 0,
                    w_te=weight_bytes(components[te]),
                    w_dit=weight_bytes(transformer),
                    w_dit_int8=int8_weight_bytes(transformer),
                    w_two_blocks=2 * largest_block,
                    w_vae=weight_bytes(components[vae]),
                    a_te=a_te[family],
                    a_enc=(enc_cache[size, False], enc_cache[size, True]) if "vace" in key else (0, 0),
                    a_den=sim.peak,
                    a_dec=(vae_cache[family, size, False], vae_cache[family, size, True]),
                    int8_extra=2 * largest_linear.weight.numel() + 2 * model.batch * shot.tokens * largest_linear.out_features,
                )
                row.plan()
                rows.append(row)
            log(f"{model.label}: {time.perf_counter() - started:.0f} s")
        del transformer
    return rows, counts


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

- Every component is built at full size on the meta device from the published config typed into the script (sources cited there);
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
