"""A tiny AnimateDiff model folder built from configs with random weights, laid out as the
animatediff backend expects (see pipeline/backends/animatediff/layout.py), so tests run the real
loading, IP-Adapter and motion-LoRA code without downloading anything:

    tiny-animatediff/                    AnimateDiffPipeline.save_pretrained (UNet + MotionAdapter, VAE, CLIP text)
    tiny-animatediff/ip_adapter/         ip-adapter_sd15.safetensors + image_encoder/ (CLIPVisionModelWithProjection)
    tiny-animatediff/motion_loras/pan-left/diffusion_pytorch_model.safetensors   (with_motion_lora only)
"""

from __future__ import annotations

from pathlib import Path

from word_tokenizer import CLIP_SPECIAL, word_level_tokenizer

WORDS = (
    "a the of in and with on at to shot close up medium wide long extreme lens mm camera static pan pans tilt "
    "dolly push pull left right style pencil ink clean cinematic noir animation lighting weather time day "
    "night dusk dawn rain sun fog bar counter woman man coat red blue neon window street film black white "
    "hard shadows interior exterior maya waits worst quality blurry jittery distorted inconsistent motion "
).split()

CROSS_ATTENTION_DIM = 8
IMAGE_EMBED_DIM = 8  # the tiny image encoder's projection_dim, what the IP-Adapter's projection reads
IMAGE_SIZE = 32


def build_tiny_animatediff(folder: Path, *, with_ip_adapter: bool = True, with_motion_lora: bool = False) -> Path:
    """Writes a few-hundred-kilobyte AnimateDiff model folder to `folder`."""
    from diffusers import AnimateDiffPipeline

    pipe = AnimateDiffPipeline(**_components())
    pipe.save_pretrained(folder, safe_serialization=True)
    if with_ip_adapter:
        _write_ip_adapter(pipe.unet, folder / "ip_adapter")
    if with_motion_lora:
        _write_motion_lora(pipe, folder / "motion_loras" / "pan-left")
    return folder


def build_tiny_parts(folder: Path) -> tuple[Path, Path]:
    """The parts AnimateDiff is published as: a Stable Diffusion 1.5 pipeline folder (with the PNDM
    sampler SD 1.5 ships) and a MotionAdapter folder, for the assembly step."""
    from diffusers import PNDMScheduler, StableDiffusionPipeline

    parts = _components()
    motion_adapter = parts.pop("motion_adapter")
    parts["scheduler"] = PNDMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", skip_prk_steps=True, steps_offset=1)
    base = StableDiffusionPipeline(**parts, safety_checker=None, feature_extractor=None, requires_safety_checker=False)
    base.save_pretrained(folder / "sd15", safe_serialization=True)
    motion_adapter.save_pretrained(folder / "motion-adapter", safe_serialization=True)
    return folder / "sd15", folder / "motion-adapter"


def _components() -> dict:
    import torch
    from diffusers import AutoencoderKL, DDIMScheduler, MotionAdapter, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    block_out_channels = (8, 8)
    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        block_out_channels=block_out_channels,
        layers_per_block=1,
        sample_size=16,
        in_channels=4,
        out_channels=4,
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        cross_attention_dim=CROSS_ATTENTION_DIM,
        attention_head_dim=2,
        norm_num_groups=2,
    )
    torch.manual_seed(0)
    motion_adapter = MotionAdapter(block_out_channels=block_out_channels, motion_layers_per_block=1, motion_norm_num_groups=2, motion_num_attention_heads=2)
    torch.manual_seed(0)
    vae = AutoencoderKL(
        block_out_channels=block_out_channels,
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
        latent_channels=4,
        norm_num_groups=2,
    )
    tokenizer = word_level_tokenizer(WORDS, CLIP_SPECIAL, model_max_length=16)
    vocab = tokenizer.get_vocab()
    torch.manual_seed(0)
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            vocab_size=len(vocab),
            hidden_size=CROSS_ATTENTION_DIM,
            intermediate_size=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            max_position_embeddings=16,
            pad_token_id=0,
            bos_token_id=1,
            eos_token_id=2,
        )
    )
    scheduler = DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="linear", clip_sample=False, steps_offset=1)
    return {"vae": vae, "text_encoder": text_encoder, "tokenizer": tokenizer, "unet": unet, "motion_adapter": motion_adapter, "scheduler": scheduler}


def _write_ip_adapter(unet, folder: Path) -> None:
    """An IP-Adapter in h94's single-file layout (`image_proj.*` and `ip_adapter.N.to_k_ip/to_v_ip`
    per cross-attention) and its CLIP image encoder."""
    import torch
    from safetensors.torch import save_file
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    torch.manual_seed(1)
    tensors: dict[str, torch.Tensor] = {}
    cross_attentions = [name for name in unet.attn_processors if name.endswith("attn2.processor") and "motion_modules" not in name]
    for index, name in enumerate(cross_attentions):
        key_id = 2 * index + 1  # h94's numbering: the odd ids, one per cross-attention (the even ones were self-attention)
        hidden = _hidden_size(unet, name)
        tensors[f"ip_adapter.{key_id}.to_k_ip.weight"] = torch.randn(hidden, CROSS_ATTENTION_DIM) * 0.3
        tensors[f"ip_adapter.{key_id}.to_v_ip.weight"] = torch.randn(hidden, CROSS_ATTENTION_DIM) * 0.3
    tokens = 4  # image tokens per reference image, as in ip-adapter_sd15
    tensors["image_proj.proj.weight"] = torch.randn(tokens * CROSS_ATTENTION_DIM, IMAGE_EMBED_DIM) * 0.3
    tensors["image_proj.proj.bias"] = torch.zeros(tokens * CROSS_ATTENTION_DIM)
    tensors["image_proj.norm.weight"] = torch.ones(CROSS_ATTENTION_DIM)
    tensors["image_proj.norm.bias"] = torch.zeros(CROSS_ATTENTION_DIM)
    folder.mkdir(parents=True, exist_ok=True)
    save_file(tensors, folder / "ip-adapter_sd15.safetensors")

    torch.manual_seed(2)
    encoder = CLIPVisionModelWithProjection(
        CLIPVisionConfig(
            hidden_size=8,
            projection_dim=IMAGE_EMBED_DIM,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=16,
            image_size=IMAGE_SIZE,
            patch_size=8,
        )
    )
    encoder.save_pretrained(folder / "image_encoder", safe_serialization=True)


def _hidden_size(unet, name: str) -> int:
    channels = list(unet.config.block_out_channels)
    if name.startswith("mid_block"):
        return channels[-1]
    block = int(name.split(".")[1])
    return list(reversed(channels))[block] if name.startswith("up_blocks") else channels[block]


def _write_motion_lora(pipe, folder: Path) -> None:
    """A rank-2 LoRA on the motion modules' attention, with non-zero weights so it visibly moves
    the picture, saved as diffusers writes LoRAs (what guoyww's motion LoRAs load as)."""
    import torch
    from diffusers import AnimateDiffPipeline
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    targets = [name for name, module in pipe.unet.named_modules() if "motion_modules" in name and name.endswith(("to_q", "to_k", "to_v", "to_out.0"))]
    torch.manual_seed(3)
    pipe.unet.add_adapter(LoraConfig(r=2, lora_alpha=2, target_modules=targets, init_lora_weights=False), adapter_name="motion")
    state = get_peft_model_state_dict(pipe.unet, adapter_name="motion")
    folder.mkdir(parents=True, exist_ok=True)
    AnimateDiffPipeline.save_lora_weights(folder, unet_lora_layers=state, weight_name="diffusion_pytorch_model.safetensors", safe_serialization=True)
    pipe.unet.delete_adapters("motion")
