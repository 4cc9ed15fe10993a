"""A tiny Wan 2.1 VACE pipeline built from configs and saved as a diffusers folder, so tests exercise
the real loading, conditioning and denoising code without downloading any weights.

Shapes follow the real model where the backend depends on them: the VAE compresses 8x in space
and 4x in time, the transformer's patch is 1x2x2 (so sizes are multiples of 16), and the VACE
branch takes 96 channels (16 inactive + 16 reactive latent channels + 64 for the 8x8 mask)."""

from __future__ import annotations

from pathlib import Path

from word_tokenizer import T5_SPECIAL, word_level_tokenizer

WORDS = (
    "a the of in and with on at to shot close up medium wide long extreme lens mm camera static pan tilt "
    "dolly push pull left right style pencil ink clean cinematic noir animation lighting weather time day "
    "night dusk dawn rain sun fog bar counter woman man coat red blue neon window street film black white "
    "hard shadows interior exterior waits pours leaves coffee quality motion blurry jittery distorted worst "
    "inconsistent maya"
).split()


def build_tiny_wan(folder: Path) -> Path:
    """Writes a few-hundred-kilobyte WanVACEPipeline (VACE transformer, Wan VAE, UMT5 encoder,
    word-level tokenizer, flow-matching scheduler) to folder."""
    import torch
    from diffusers import AutoencoderKLWan, FlowMatchEulerDiscreteScheduler, WanVACEPipeline, WanVACETransformer3DModel
    from transformers import UMT5Config, UMT5EncoderModel

    torch.manual_seed(0)
    vae = AutoencoderKLWan(base_dim=3, z_dim=16, dim_mult=[1, 1, 1, 1], num_res_blocks=1, temperal_downsample=[False, True, True])
    torch.manual_seed(0)
    transformer = WanVACETransformer3DModel(
        patch_size=(1, 2, 2),
        num_attention_heads=2,
        attention_head_dim=12,
        in_channels=16,
        out_channels=16,
        text_dim=32,
        freq_dim=32,
        ffn_dim=32,
        num_layers=2,
        cross_attn_norm=True,
        qk_norm="rms_norm_across_heads",
        rope_max_seq_len=32,
        vace_layers=[0, 1],
        vace_in_channels=96,
    )

    tokenizer = word_level_tokenizer(WORDS, T5_SPECIAL, lowercase=True)
    vocab = tokenizer.get_vocab()

    torch.manual_seed(0)
    text_encoder = UMT5EncoderModel(
        UMT5Config(
            vocab_size=len(vocab), d_model=32, d_kv=8, d_ff=37, num_layers=1, num_heads=4, relative_attention_num_buckets=8, pad_token_id=0, eos_token_id=1
        )
    )
    pipe = WanVACEPipeline(
        transformer=transformer, vae=vae, scheduler=FlowMatchEulerDiscreteScheduler(shift=3.0), text_encoder=text_encoder, tokenizer=tokenizer
    )
    pipe.save_pretrained(folder, safe_serialization=True)
    return folder
