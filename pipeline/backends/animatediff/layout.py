"""Where the animatediff backend finds its weights in a model folder, and how a user builds one.

AnimateDiff is published in parts (a Stable Diffusion 1.5 checkpoint, a motion adapter, the
IP-Adapter, one motion LoRA per camera move), so the backend reads one folder assembled once:

    DIR/                                   AnimateDiffPipeline.save_pretrained (model_index.json, unet/,
                                           motion_adapter/, vae/, text_encoder/, tokenizer/, scheduler/)
    DIR/ip_adapter/ip-adapter_sd15.safetensors   optional: character likeness from reference images
    DIR/ip_adapter/image_encoder/                its CLIPVisionModelWithProjection (config.json, model.safetensors)
    DIR/motion_loras/pan-left/*.safetensors      optional, one folder (or DIR/motion_loras/pan-left.safetensors)
                                                 per camera move: pan-left, pan-right, tilt-up, tilt-down,
                                                 zoom-in, zoom-out

Only .safetensors files are ever read: pickled weights can run code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from studio.camera import CameraMoveType, Direction
from studio.shot import Shot

IP_ADAPTER_DIR = "ip_adapter"
IP_ADAPTER_WEIGHTS = "ip-adapter_sd15.safetensors"
IMAGE_ENCODER_DIR = "image_encoder"
MOTION_LORA_DIR = "motion_loras"

# guoyww's motion LoRAs, by the folder name their hub repositories end in.
MOTION_LORA_REPOS = {name: f"guoyww/animatediff-motion-lora-{name}" for name in ("pan-left", "pan-right", "tilt-up", "tilt-down", "zoom-in", "zoom-out")}

# The LoRAs were trained on 2-D image motion, so a move that translates the camera reads on screen
# much like the rotation that shifts the picture the same way: a truck left looks like a pan left.
_MOVE_LORAS: dict[tuple[CameraMoveType, Direction], str] = {
    (CameraMoveType.PAN, Direction.LEFT): "pan-left",
    (CameraMoveType.PAN, Direction.RIGHT): "pan-right",
    (CameraMoveType.TRUCK, Direction.LEFT): "pan-left",
    (CameraMoveType.TRUCK, Direction.RIGHT): "pan-right",
    (CameraMoveType.TILT, Direction.UP): "tilt-up",
    (CameraMoveType.TILT, Direction.DOWN): "tilt-down",
    (CameraMoveType.PEDESTAL, Direction.UP): "tilt-up",
    (CameraMoveType.PEDESTAL, Direction.DOWN): "tilt-down",
    (CameraMoveType.CRANE, Direction.UP): "tilt-up",
    (CameraMoveType.CRANE, Direction.DOWN): "tilt-down",
    (CameraMoveType.ZOOM, Direction.IN): "zoom-in",
    (CameraMoveType.ZOOM, Direction.OUT): "zoom-out",
    (CameraMoveType.DOLLY_IN, Direction.IN): "zoom-in",
    (CameraMoveType.DOLLY_OUT, Direction.OUT): "zoom-out",
}


def assembly_steps(folder: str = "DIR") -> str:
    """The one-time commands that build a model folder, for error messages and the docs."""
    return (
        f"`python -m pipeline.backends.animatediff.assemble {folder}` (downloads Stable Diffusion 1.5 and "
        f"guoyww/animatediff-motion-adapter-v1-5-2 once and saves them as one folder); for character likeness add "
        f"`huggingface-cli download h94/IP-Adapter models/ip-adapter_sd15.safetensors models/image_encoder/config.json "
        f"models/image_encoder/model.safetensors --local-dir {folder}/ip_adapter` and move the files out of "
        f"{folder}/ip_adapter/models; for camera moves `huggingface-cli download guoyww/animatediff-motion-lora-pan-left "
        f"--local-dir {folder}/motion_loras/pan-left` (likewise pan-right, tilt-up, tilt-down, zoom-in, zoom-out)"
    )


@dataclass(frozen=True)
class IpAdapterFiles:
    weights: Path
    image_encoder: Path | None  # None: the pipeline folder brings its own image_encoder component


def _component(folder: Path, name: str) -> list | None:
    """A component's [library, class] entry in the folder's model_index.json, if readable."""
    try:
        entry = json.loads((folder / "model_index.json").read_text(encoding="utf-8")).get(name)
    except (OSError, ValueError, AttributeError):
        return None
    return entry if isinstance(entry, list) and len(entry) == 2 else None


def pipeline_has_image_encoder(folder: Path) -> bool:
    """Whether the saved pipeline itself carries an image_encoder component."""
    entry = _component(folder, IMAGE_ENCODER_DIR)
    return entry is not None and entry[0] is not None and (folder / IMAGE_ENCODER_DIR).is_dir()


def saved_unet_class(folder: Path) -> str | None:
    entry = _component(folder, "unet")
    return entry[1] if entry is not None else None


def find_ip_adapter(folder: Path, pipeline_has_encoder: bool) -> tuple[IpAdapterFiles | None, str]:
    """The IP-Adapter's files, or None and why not (a sentence with the fix, for a progress note)."""
    adapter_dir = folder / IP_ADAPTER_DIR
    weights = adapter_dir / IP_ADAPTER_WEIGHTS
    if not weights.is_file():
        # h94's ip-adapter_sd15_light has the same shape and is read the same way.
        candidates = sorted(adapter_dir.glob("*.safetensors")) if adapter_dir.is_dir() else []
        if len(candidates) != 1:
            found = f"{len(candidates)} .safetensors files" if candidates else "no IP-Adapter"
            return None, (
                f"{adapter_dir} has {found}; put h94/IP-Adapter's models/{IP_ADAPTER_WEIGHTS} and models/image_encoder/ there "
                f"so reference images set the characters' likeness"
            )
        weights = candidates[0]
    encoder = adapter_dir / IMAGE_ENCODER_DIR
    if (encoder / "config.json").is_file() and any(encoder.glob("*.safetensors")):
        return IpAdapterFiles(weights, encoder), ""
    if pipeline_has_encoder:
        return IpAdapterFiles(weights, None), ""
    return None, (
        f"{encoder} holds no CLIP image encoder (config.json and model.safetensors); put h94/IP-Adapter's models/image_encoder/ "
        f"there so reference images set the characters' likeness"
    )


def find_motion_loras(folder: Path) -> dict[str, Path]:
    """Motion LoRA files by move name ("pan-left"), as `motion_loras/<name>.safetensors` or the
    single .safetensors file in `motion_loras/<name>/` (what the hub download leaves)."""
    loras: dict[str, Path] = {}
    root = folder / MOTION_LORA_DIR
    if not root.is_dir():
        return loras
    for name in MOTION_LORA_REPOS:
        single = root / f"{name}.safetensors"
        in_folder = sorted((root / name).glob("*.safetensors")) if (root / name).is_dir() else []
        if single.is_file():
            loras[name] = single
        elif len(in_folder) == 1:
            loras[name] = in_folder[0]
    return loras


def motion_lora_for(shot: Shot) -> str | None:
    """The motion LoRA that moves the picture as the shot's camera does, if one exists."""
    if shot.camera.type is CameraMoveType.STATIC:
        return None
    return _MOVE_LORAS.get((shot.camera.type, shot.camera.direction))


def adapter_name(lora: str) -> str:
    return lora.replace("-", "_")  # peft keeps adapters in module dicts, where plain identifiers are safest
