"""The LTX-Video backend: text-to-video with Lightricks' LTX-Video through diffusers."""
