"""Choosing a memory mode from free VRAM and RAM: the fastest mode that fits, leaner as the card
shrinks, never a refusal, and the user's override wins."""

from __future__ import annotations

from pipeline.backends.memory import LEANER, MemoryMode, choose_memory_plan

NEED = 20.0  # GB, a Wan VACE 1.3B at 480p, all resident


def mode(vram: float | None, ram: float = 64.0, override: MemoryMode | None = None) -> MemoryMode:
    return choose_memory_plan(NEED, vram, ram, override).mode


def test_the_mode_gets_leaner_as_the_card_gets_smaller_and_never_refuses():
    assert mode(80.0) is MemoryMode.FULL_GPU
    assert mode(16.0) is MemoryMode.MODEL_OFFLOAD
    assert mode(8.0) is MemoryMode.EIGHT_BIT
    assert mode(4.0) is MemoryMode.GROUP_OFFLOAD
    assert mode(0.5) is MemoryMode.GROUP_OFFLOAD


def test_without_a_gpu_everything_runs_on_the_processor_and_with_little_ram_weights_go_8_bit():
    assert mode(None) is MemoryMode.CPU
    assert mode(16.0, ram=12.0) is MemoryMode.EIGHT_BIT


def test_the_users_override_wins_and_tiles_the_vae_unless_everything_is_on_the_gpu():
    plan = choose_memory_plan(NEED, 80.0, 64.0, MemoryMode.GROUP_OFFLOAD)
    assert plan.mode is MemoryMode.GROUP_OFFLOAD and plan.vae_tiling and "settings" in plan.reason
    assert not choose_memory_plan(NEED, 80.0, 64.0).vae_tiling


def test_an_out_of_memory_retry_walks_to_the_leanest_mode_and_stops_there():
    seen, current = [MemoryMode.FULL_GPU], MemoryMode.FULL_GPU
    while current in LEANER:
        current = LEANER[current]
        seen.append(current)
    assert seen == [MemoryMode.FULL_GPU, MemoryMode.MODEL_OFFLOAD, MemoryMode.EIGHT_BIT, MemoryMode.GROUP_OFFLOAD]
