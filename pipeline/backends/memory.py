"""Memory modes for the generation backends, chosen from free VRAM and RAM, overridable.

Local users run 8-16 GB cards, so refusing or crashing when the weights do not fit is the worst
outcome: from fastest to leanest, the whole pipeline on the GPU; model CPU offload (one component
on the GPU at a time); 8-bit transformer weights, also offloaded (half the largest component);
and group offload (every component's layers streamed from pinned RAM on a CUDA stream, overlapping
copies with compute: a few layers on the GPU at any time). VAE tiling is switched on whenever the
GPU is not roomy, since decoding a clip at once is the peak. The order follows the estimates in
benchmarks/RESULTS.md: 8-bit weights kept wholly on the GPU would hold the bf16 text encoder there
too and peak above model offload, so 8-bit always goes with offload.
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
    MemoryMode.MODEL_OFFLOAD: MemoryMode.EIGHT_BIT,
    MemoryMode.EIGHT_BIT: MemoryMode.GROUP_OFFLOAD,
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
    # Every leaner mode keeps the weights in RAM and moves what runs now onto the GPU.
    if free_ram_gb < need_gb * HEADROOM:
        return MemoryPlan(MemoryMode.EIGHT_BIT, True, f"{free_ram_gb:.1f} GB free RAM and {free_vram_gb:.1f} GB VRAM: 8-bit weights, offloaded")
    largest_component = need_gb * 0.6  # the transformer dominates every video pipeline
    if free_vram_gb >= largest_component * HEADROOM:
        return MemoryPlan(MemoryMode.MODEL_OFFLOAD, True, f"{free_vram_gb:.1f} GB free VRAM < {need_gb:.1f} GB: one component on the GPU at a time")
    if free_vram_gb >= largest_component / 2 * HEADROOM:
        return MemoryPlan(MemoryMode.EIGHT_BIT, True, f"{free_vram_gb:.1f} GB free VRAM: 8-bit transformer, one component on the GPU at a time")
    return MemoryPlan(MemoryMode.GROUP_OFFLOAD, True, f"{free_vram_gb:.1f} GB free VRAM: layers streamed from RAM (slowest, leanest)")


def apply_memory_plan(pipe: Any, plan: MemoryPlan) -> None:
    """Places a loaded pipeline per the plan (8-bit weights are chosen at load time, see load kwargs)."""
    if plan.mode is MemoryMode.CPU:
        pipe.to("cpu")
    elif plan.mode is MemoryMode.FULL_GPU:
        pipe.to("cuda")
    elif plan.mode in (MemoryMode.MODEL_OFFLOAD, MemoryMode.EIGHT_BIT):
        pipe.enable_model_cpu_offload()
    elif plan.mode is MemoryMode.GROUP_OFFLOAD:
        import torch
        from diffusers.hooks import apply_group_offloading

        onload, offload = torch.device("cuda"), torch.device("cpu")
        for name, component in pipe.components.items():
            if not isinstance(component, torch.nn.Module):
                continue
            # leaf level for every component: block level finds no block list at the top of a T5 or
            # UMT5 encoder and would load the whole encoder at once (~9-11 GB)
            apply_group_offloading(component, onload_device=onload, offload_device=offload, offload_type="leaf_level", use_stream=True)
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
