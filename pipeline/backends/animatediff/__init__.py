"""The AnimateDiff backend: Stable Diffusion 1.5 with a motion adapter through diffusers, with
IP-Adapter character likeness and motion LoRAs for camera moves; the low-VRAM option."""
