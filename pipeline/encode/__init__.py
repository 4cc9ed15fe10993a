"""Video and audio files written with PyAV (FFmpeg's libraries, bundled in the wheel)."""
