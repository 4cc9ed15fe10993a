"""Peak VRAM and FLOPs of the full-size generation models, estimated on the meta device; the entry point
is benchmarks/generation_memory_estimate.py."""
