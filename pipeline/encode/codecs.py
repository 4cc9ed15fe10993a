"""The encodings the app writes, named for what they are used for."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class VideoCodec:
    name: str  # FFmpeg encoder
    pix_fmt: str
    container_suffix: str
    options: dict[str, str] = field(default_factory=dict)
    audio_codec: str = "aac"
    audio_format: str = "fltp"
    threads: int = 0  # encoder threads; 0: as many as FFmpeg sees cores
    quantiser: int | None = None  # a fixed quantiser scale, as ffmpeg's -q:v (2: finest, 31: coarsest); None: the codec's own rate control


# Take masters: written while the cut is encoded and decoded again for every assembly, export and
# scrub, so intra-frame (every frame seekable), cheap to write (about half x264 ultrafast's CPU per
# frame) and near lossless (quantiser 3: 40-45 dB PSNR); Motion JPEG in QuickTime with PCM sound
# opens in every editor.
# One thread: FFmpeg's Motion JPEG encoder writes other Huffman codes with one thread than with
# several, so with FFmpeg's default (a thread per core) a take's bytes would depend on the cores of
# the machine that rendered it, and a farm node's take would not be the one this machine renders.
# The standard Huffman tables are what it writes with several, and cost a fifth less CPU than
# "optimal" ones computed per frame, for files a fifth larger.
TAKE_MASTER = VideoCodec("mjpeg", "yuvj420p", ".mov", {"huffman": "default"}, "pcm_s16le", "s16", threads=1, quantiser=3)
# What people watch and share: small files every player opens.
DELIVERY_H264 = VideoCodec("libx264", "yuv420p", ".mp4", {"preset": "veryfast", "crf": "20", "movflags": "+faststart"})
# What editors ask for: ProRes 422 (profile 2) with uncompressed sound.
DELIVERY_PRORES = VideoCodec("prores_ks", "yuv422p10le", ".mov", {"profile": "2", "vendor": "apl0"}, "pcm_s16le", "s16")
