"""A tiny LTX-Video pipeline built from configs and saved as a diffusers folder, so tests exercise
the real loading and denoising code without downloading any weights."""

from __future__ import annotations

from pathlib import Path

from word_tokenizer import T5_SPECIAL, word_level_tokenizer

WORDS = (
    "a the of in and with on at to shot close up medium wide long extreme lens mm camera static pan tilt "
    "dolly push pull left right style pencil ink clean cinematic noir animation lighting weather time day "
    "night dusk dawn rain sun fog bar counter woman man coat red blue neon window street "
).split()


def build_tiny_ltx(folder: Path, *, num_layers: int = 1, num_attention_heads: int = 4, attention_head_dim: int = 8) -> Path:
    """Writes a few-kilobyte LTXPipeline (transformer, VAE, T5 encoder, word-level tokenizer) to folder.
    A benchmark asks for a wider, deeper transformer so denoising, not bookkeeping, dominates."""
    import torch
    from diffusers import AutoencoderKLLTXVideo, FlowMatchEulerDiscreteScheduler, LTXPipeline, LTXVideoTransformer3DModel
    from transformers import T5Config, T5EncoderModel

    torch.manual_seed(0)
    transformer = LTXVideoTransformer3DModel(
        in_channels=8,
        out_channels=8,
        patch_size=1,
        patch_size_t=1,
        num_attention_heads=num_attention_heads,
        attention_head_dim=attention_head_dim,
        cross_attention_dim=num_attention_heads * attention_head_dim,
        num_layers=num_layers,
        caption_channels=32,
    )
    torch.manual_seed(0)
    vae = AutoencoderKLLTXVideo(
        latent_channels=8,
        block_out_channels=(8, 8, 8, 8),
        decoder_block_out_channels=(8, 8, 8, 8),
        spatio_temporal_scaling=(True, True, False, False),
        decoder_spatio_temporal_scaling=(True, True, False, False),
        layers_per_block=(1, 1, 1, 1, 1),
        decoder_layers_per_block=(1, 1, 1, 1, 1),
        patch_size=1,
        patch_size_t=1,
        encoder_causal=True,
        decoder_causal=False,
    )
    vae.use_framewise_encoding = False
    vae.use_framewise_decoding = False

    tokenizer = word_level_tokenizer(WORDS, T5_SPECIAL)
    vocab = tokenizer.get_vocab()

    torch.manual_seed(0)
    text_encoder = T5EncoderModel(
        T5Config(
            vocab_size=len(vocab), d_model=32, d_kv=8, d_ff=37, num_layers=1, num_heads=4, relative_attention_num_buckets=8, pad_token_id=0, eos_token_id=1
        )
    )
    pipe = LTXPipeline(transformer=transformer, vae=vae, scheduler=FlowMatchEulerDiscreteScheduler(), text_encoder=text_encoder, tokenizer=tokenizer)
    pipe.save_pretrained(folder, safe_serialization=True)
    return folder
