"""The tensors an AnimateDiff shot is conditioned on, each computed once and kept in the project's
embedding cache: the prompt's CLIP text embeddings per prompt, and the IP-Adapter image embeddings
per character (its reference images, by content). Every later shot with the same character gets
the stored tensors, bit-identical, and the image encoder does not run again.

Cache keys name the encoder that made the tensors (its weights, configs and dtype), not the whole
model folder, so adding a motion LoRA or another IP-Adapter projection keeps them valid.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pipeline.backends.diffusers_support import load_rgb
from pipeline.continuity.bundle import CharacterReference, ConditioningBundle
from pipeline.continuity.embedding_cache import EmbeddingCache, model_fingerprint

PROMPT_KIND = "prompt"
IMAGE_EMBEDS_KIND = "ip-adapter-image-embeds"  # CLIP's projected image embedding, what ip-adapter_sd15 reads


def encoder_key(name: str, dtype: Any, *folders: Path) -> str:
    """A cache key for an encoder: its weights (model_fingerprint), its small config and tokenizer
    files, and the dtype it runs in (float16 and float32 embeddings differ in their last bits)."""
    digest = hashlib.sha256()
    for folder in (folder for folder in folders if folder.is_dir()):
        digest.update(model_fingerprint(folder).encode())
        for path in sorted(folder.glob("*")):
            if path.suffix in (".json", ".txt") and path.stat().st_size < 4 << 20:
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return f"animatediff-{name}-{digest.hexdigest()[:16]}-{str(dtype).removeprefix('torch.')}"


def images_hash(character: CharacterReference) -> str:
    """Image embeddings depend on the pictures alone: renaming or re-describing a character keeps them."""
    return hashlib.sha256("\n".join(character.image_hashes).encode()).hexdigest()


def prompt_embeds(pipe: Any, bundle: ConditioningBundle, cache: EmbeddingCache, key: str) -> dict[str, Any]:
    import torch

    def encode() -> dict[str, Any]:
        with torch.inference_mode():
            positive, negative = pipe.encode_prompt(
                bundle.prompt,
                pipe._execution_device,  # noqa: SLF001 - where the text encoder runs, offloaded or not
                1,
                True,  # always keep the negative: the guidance scale may change without a new prompt
                bundle.negative_prompt,
            )
        return {"prompt_embeds": positive, "negative_prompt_embeds": negative}

    return cache.get(key, PROMPT_KIND, bundle.prompt_hash, encode)


def character_image_embeds(pipe: Any, character: CharacterReference, label: str, cache: EmbeddingCache, key: str) -> dict[str, Any]:
    """One character's reference images through the IP-Adapter's image encoder: `image_embeds`
    (one row per image) and the matching `negative_image_embeds` for classifier-free guidance."""
    import torch

    def encode() -> dict[str, Any]:
        pictures = [load_rgb(path, label, f"{character.name}'s reference image") for path in character.images]
        with torch.inference_mode():
            positive, negative = pipe.encode_image(pictures, pipe._execution_device, 1, False)  # noqa: SLF001
        return {"image_embeds": positive, "negative_image_embeds": negative}

    return cache.get(key, IMAGE_EMBEDS_KIND, images_hash(character), encode)


def ip_adapter_input(per_character: list[dict[str, Any]], guidance: bool) -> list[Any]:
    """The pipeline's `ip_adapter_image_embeds` for one IP-Adapter: every character's images side
    by side (each becomes its own image tokens), negatives first when guiding, as diffusers expects."""
    import torch

    positive = torch.cat([embeds["image_embeds"] for embeds in per_character])[None]
    if not guidance:
        return [positive]
    negative = torch.cat([embeds["negative_image_embeds"] for embeds in per_character])[None]
    return [torch.cat([negative, positive])]


def no_reference_input(pipe: Any, guidance: bool) -> list[Any]:
    """Stand-in embeddings for a shot without reference images. A UNet with an IP-Adapter loaded
    requires image embeddings on every call; with the adapter's scale at 0 the image branch adds
    exactly zero, so the shot renders as it would without the adapter, and unloading and reloading
    the adapter per shot is avoided."""
    import torch

    projection = pipe.unet.encoder_hid_proj.image_projection_layers[0]
    zeros = torch.zeros((1, 1, projection.image_embeds.in_features), dtype=pipe.unet.dtype)
    return [torch.cat([zeros, zeros]) if guidance else zeros]
