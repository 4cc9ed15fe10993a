"""The wan backend: Wan 2.1 VACE, with character references and chained first frames (see renderer.py)."""
