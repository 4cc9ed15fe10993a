"""A tiny Stable Audio Open pipeline built from configs and saved as a diffusers folder, so tests exercise
the real loading, denoising and decoding code of StableAudioPipeline without downloading any weights.

Sizes: latents of 1024 steps, a VAE hop of 32 samples at 16 kHz, so the model makes up to 2.048 s of
stereo per call; a rate other than 44.1 kHz (the real model's) also proves the 48 kHz resampling.
Below the builder: the shot requests and WAV reading the Stable Audio tests share."""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from word_tokenizer import T5_SPECIAL, word_level_tokenizer

from studio.frame_rate import FrameRate
from studio.project import StylePreset
from studio.shot import Shot, SoundCue

SAMPLING_RATE = 16_000
SAMPLE_SIZE = 1024  # latent steps per generation (the real model: 1024 at a hop of 2048)
HOP = 32  # product of the VAE's downsampling ratios
MAX_SECONDS = SAMPLE_SIZE * HOP / SAMPLING_RATE

WORDS = (
    "a the of in and with on at to rain wind door slam bell piano music theme warm lonely tense ambience room tone "
    "traffic street city night storm thunder footsteps glass coffee pouring neon hum distant soft loud strings drums"
).split()


def build_tiny_stable_audio(folder: Path) -> Path:
    """Writes a StableAudioPipeline of a few hundred kilobytes (DiT, Oobleck VAE, T5 encoder, word-level
    tokenizer, duration projection, cosine DPM-Solver scheduler) to folder."""
    import torch
    from diffusers import AutoencoderOobleck, CosineDPMSolverMultistepScheduler, StableAudioDiTModel, StableAudioPipeline, StableAudioProjectionModel
    from transformers import T5Config, T5EncoderModel

    latent_channels, conditioning_dim = 4, 16
    torch.manual_seed(0)
    transformer = StableAudioDiTModel(
        sample_size=SAMPLE_SIZE,
        in_channels=latent_channels,
        out_channels=latent_channels,
        num_layers=1,
        attention_head_dim=8,
        num_attention_heads=2,
        num_key_value_attention_heads=1,
        cross_attention_dim=conditioning_dim,
        cross_attention_input_dim=conditioning_dim,
        global_states_input_dim=2 * conditioning_dim,  # the start and end seconds, concatenated
        time_proj_dim=8,
    )
    torch.manual_seed(0)
    vae = AutoencoderOobleck(
        encoder_hidden_size=4,
        downsampling_ratios=[2, 4, 4],
        channel_multiples=[1, 2, 2],
        decoder_channels=4,
        decoder_input_channels=latent_channels,
        audio_channels=2,
        sampling_rate=SAMPLING_RATE,
    )

    # model_max_length matters: the pipeline pads every prompt to it.
    tokenizer = word_level_tokenizer(WORDS, T5_SPECIAL, model_max_length=16)
    vocab = tokenizer.get_vocab()

    torch.manual_seed(0)
    text_encoder = T5EncoderModel(
        T5Config(
            vocab_size=len(vocab), d_model=16, d_kv=8, d_ff=24, num_layers=1, num_heads=2, relative_attention_num_buckets=8, pad_token_id=0, eos_token_id=1
        )
    )
    torch.manual_seed(0)
    projection_model = StableAudioProjectionModel(text_encoder_dim=16, conditioning_dim=conditioning_dim, min_value=0, max_value=64)
    scheduler = CosineDPMSolverMultistepScheduler(solver_order=2, prediction_type="v_prediction", sigma_data=1.0, sigma_schedule="exponential")

    pipe = StableAudioPipeline(
        vae=vae, text_encoder=text_encoder, projection_model=projection_model, tokenizer=tokenizer, transformer=transformer, scheduler=scheduler
    )
    pipe.save_pretrained(folder, safe_serialization=True)
    return folder


# --- what the Stable Audio tests share: shot requests with cues, and reading a mix back ------------------------


@dataclass(frozen=True)
class Wav:
    samples: np.ndarray  # (channels, samples), -1..1
    rate: int
    channels: int


def shot_request(frames: int, *, cues: list[SoundCue], number: str = "4", sound_media: dict[str, Path] | None = None, cache_dir: Path | None = None):
    from pipeline.backends.base import ShotRenderRequest

    shot = Shot(id=f"shot-{number}", number=number, duration=frames, sound_cues=list(cues))
    return ShotRenderRequest(
        shot=shot,
        width=64,
        height=36,
        frame_rate=FrameRate(24),
        style=StylePreset.CLEAN,
        characters=(),
        location=None,
        world=None,
        panel_path=None,
        previous_last_frame=None,
        sound_media=dict(sound_media or {}),
        seed=0,
        input_hash="test",
        cache_dir=cache_dir,
    )


def request_with(cues: list[SoundCue], cache_dir: Path | None, *, frames: int = 36, number: str = "4"):
    return shot_request(frames, cues=cues, number=number, cache_dir=cache_dir)


def read_wav(path: Path) -> Wav:
    with wave.open(str(path), "rb") as wav:
        params = wav.getparams()
        data = np.frombuffer(wav.readframes(params.nframes), dtype="<i2").astype(np.float64) / 32768.0
    return Wav(data.reshape(-1, params.nchannels).T, params.framerate, params.nchannels)


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x)))) if x.size else 0.0
