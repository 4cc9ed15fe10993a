"""The full-size generation models: their published configs, built on torch's meta device (shapes and
dtypes only, no weights allocated), and their parameter counts and weight bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

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
