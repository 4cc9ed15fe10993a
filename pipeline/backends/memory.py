"""Memory modes for the generation backends, chosen from free VRAM and RAM, overridable.

Local users run 8-16 GB cards, so refusing or crashing when the weights do not fit is the worst
outcome: from fastest to leanest, the whole pipeline on the GPU; model CPU offload (one component
on the GPU at a time); group offload (the transformer's layers streamed from pinned RAM on a CUDA
stream, overlapping copies with compute); and 8-bit weights (halve the transformer). VAE tiling is
switched on whenever the GPU is not roomy, since decoding a clip at once is the peak.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)


class MemoryMode(StrEnum):
    FULL_GPU = "full"
    MODEL_OFFLOAD = "model-offload"
    GROUP_OFFLOAD = "group-offload"
    EIGHT_BIT = "8bit"
    CPU = "cpu"  # no GPU: everything on the processor, in float32


LEANER = {
    MemoryMode.FULL_GPU: MemoryMode.MODEL_OFFLOAD,
    MemoryMode.MODEL_OFFLOAD: MemoryMode.GROUP_OFFLOAD,
    MemoryMode.GROUP_OFFLOAD: MemoryMode.EIGHT_BIT,
}
HEADROOM = 1.2  # activations and the CUDA context on top of the declared need


@dataclass(frozen=True)
class MemoryPlan:
    mode: MemoryMode
    vae_tiling: bool
    reason: str


def free_memory_gb() -> tuple[float | None, float]:
    """(free VRAM on the current CUDA device or None without one, available RAM)."""
    import psutil

    ram = psutil.virtual_memory().available / 2**30
    try:
        import torch

        if torch.cuda.is_available():
            free, _total = torch.cuda.mem_get_info()
            return free / 2**30, ram
    except ImportError:
        pass
    return None, ram


def choose_memory_plan(need_gb: float, free_vram_gb: float | None, free_ram_gb: float, override: MemoryMode | None = None) -> MemoryPlan:
    if free_vram_gb is None:
        return MemoryPlan(MemoryMode.CPU, False, "no CUDA GPU: generating on the processor (slow; fine for tiny models and tests)")
    if override is not None:
        return MemoryPlan(override, override is not MemoryMode.FULL_GPU, f"{override.value} as set in the settings")
    if free_vram_gb >= need_gb * HEADROOM:
        return MemoryPlan(MemoryMode.FULL_GPU, free_vram_gb < need_gb * 2, f"{free_vram_gb:.1f} GB free VRAM holds the whole model ({need_gb:.1f} GB)")
    # Offloading keeps the weights in RAM: with too little of that, only 8-bit weights fit anywhere.
    if free_ram_gb >= need_gb * HEADROOM:
        largest_component = need_gb * 0.75  # the transformer dominates every video pipeline
        if free_vram_gb >= largest_component * HEADROOM:
            return MemoryPlan(MemoryMode.MODEL_OFFLOAD, True, f"{free_vram_gb:.1f} GB free VRAM < {need_gb:.1f} GB: one component on the GPU at a time")
        return MemoryPlan(MemoryMode.GROUP_OFFLOAD, True, f"{free_vram_gb:.1f} GB free VRAM: transformer layers streamed from RAM")
    return MemoryPlan(MemoryMode.EIGHT_BIT, True, f"{free_ram_gb:.1f} GB free RAM and {free_vram_gb:.1f} GB VRAM: 8-bit weights")


def apply_memory_plan(pipe: Any, plan: MemoryPlan) -> None:
    """Places a loaded pipeline per the plan (8-bit weights are chosen at load time, see load kwargs)."""
    if plan.mode is MemoryMode.CPU:
        pipe.to("cpu")
    elif plan.mode in (MemoryMode.FULL_GPU, MemoryMode.EIGHT_BIT):
        pipe.to("cuda")
    elif plan.mode is MemoryMode.MODEL_OFFLOAD:
        pipe.enable_model_cpu_offload()
    elif plan.mode is MemoryMode.GROUP_OFFLOAD:
        import torch

        onload, offload = torch.device("cuda"), torch.device("cpu")
        for name, component in pipe.components.items():
            if not isinstance(component, torch.nn.Module):
                continue
            if hasattr(component, "enable_group_offload"):  # diffusers models
                component.enable_group_offload(onload_device=onload, offload_device=offload, offload_type="leaf_level", use_stream=True)
            else:  # text encoders from transformers: whole-module offload is enough, they run once per prompt
                from diffusers.hooks import apply_group_offloading

                apply_group_offloading(component, onload_device=onload, offload_device=offload, offload_type="block_level", num_blocks_per_group=1)
            log.debug("group offload on %s", name)
    vae = getattr(pipe, "vae", None)
    if plan.vae_tiling and vae is not None and hasattr(vae, "enable_tiling"):
        vae.enable_tiling()


def quantization_kwargs(plan: MemoryPlan) -> dict[str, Any]:
    """from_pretrained arguments for 8-bit transformer weights, when a quantization library is installed."""
    if plan.mode is not MemoryMode.EIGHT_BIT:
        return {}
    from diffusers import PipelineQuantizationConfig

    try:
        import torchao  # noqa: F401

        return {
            "quantization_config": PipelineQuantizationConfig(
                quant_backend="torchao", quant_kwargs={"quant_type": "int8wo"}, components_to_quantize=["transformer"]
            )
        }
    except ImportError:
        pass
    try:
        import bitsandbytes  # noqa: F401

        return {
            "quantization_config": PipelineQuantizationConfig(
                quant_backend="bitsandbytes_8bit", quant_kwargs={"load_in_8bit": True}, components_to_quantize=["transformer"]
            )
        }
    except ImportError:
        from pipeline.backends.base import ShotRenderError

        raise ShotRenderError(
            "this GPU needs 8-bit weights but neither torchao nor bitsandbytes is installed; `pip install torchao` or free GPU memory"
        ) from None


def is_out_of_memory(exc: BaseException) -> bool:
    try:
        import torch

        if isinstance(exc, torch.cuda.OutOfMemoryError):
            return True
    except ImportError:
        pass
    return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()
