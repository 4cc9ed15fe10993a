"""Loading the optional parts of an AnimateDiff model folder into a loaded pipeline: the IP-Adapter
(with its CLIP image encoder) and the motion LoRAs. A part that is there but unreadable is an error
naming the file and the fix; a part that is absent is the renderer's note, not an error here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.backends.animatediff.layout import MOTION_LORA_REPOS, IpAdapterFiles, adapter_name
from pipeline.models.registry import ModelNotFoundError


def peft_available() -> bool:
    try:
        from diffusers.utils import USE_PEFT_BACKEND
    except ImportError:
        return False
    return bool(USE_PEFT_BACKEND)


def load_ip_adapter(pipe: Any, files: IpAdapterFiles, folder: Path, dtype: Any) -> None:
    from diffusers.models.embeddings import ImageProjection
    from transformers import CLIPVisionModelWithProjection

    remedy = f"use h94/IP-Adapter's models/ip-adapter_sd15.safetensors with models/image_encoder/, or remove {files.weights.parent} to render without likeness"
    try:
        if files.image_encoder is not None:
            encoder = CLIPVisionModelWithProjection.from_pretrained(files.image_encoder, dtype=dtype, use_safetensors=True)
            pipe.register_modules(image_encoder=encoder)
        pipe.load_ip_adapter(str(files.weights.parent), subfolder="", weight_name=files.weights.name, image_encoder_folder=None)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise ModelNotFoundError(f"{files.weights}: cannot load this IP-Adapter into the model in {folder} ({exc}); {remedy}") from None
    if not isinstance(pipe.unet.encoder_hid_proj.image_projection_layers[0], ImageProjection):
        raise ModelNotFoundError(f"{files.weights} is an IP-Adapter variant this backend does not read (only ip-adapter_sd15 and its light version); {remedy}")


def load_motion_loras(pipe: Any, loras: dict[str, Path]) -> None:
    for lora, path in loras.items():
        try:
            pipe.load_lora_weights(str(path.parent), weight_name=path.name, adapter_name=adapter_name(lora))
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise ModelNotFoundError(
                f"{path}: not a motion LoRA for this AnimateDiff model ({exc}); download it again from {MOTION_LORA_REPOS[lora]} or remove it"
            ) from None
    pipe.disable_lora()  # each shot switches on its own move's LoRA
