"""The shape-only simulation of a shot: the real forward code run on meta tensors under a dispatch mode
that adds up live tensor bytes (attention replaced by a flash-like stub), the FLOPs of a denoising
forward, and the per-phase peaks that become one Row per model and size."""

from __future__ import annotations

import contextlib
import math
import re
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten
from torch.utils.flop_counter import FlopCounterMode

from .models import MODELS, Model, blocks, build, int8_weight_bytes, params, weight_bytes

SHOT_SECONDS = 5.0
MODES = ("full", "full, VAE tiled", "model-offload", "group-offload", "8bit")
SIZES = {"480p": (832, 480), "720p": (1280, 720)}

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
