"""What a farm worker asks Ray for, per backend: the draft backend draws on a CPU, the video
models need a GPU each (their weights and activations fill one, see BackendCapabilities.vram_gb)."""

from __future__ import annotations

CPU_BACKENDS = frozenset({"draft"})


def gpus_for(backend: str) -> int:
    return 0 if backend in CPU_BACKENDS else 1
