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


# Take masters: written while the cut is encoded and decoded again for every assembly, export and
# scrub, so intra-frame (every frame seekable), cheap to write (about half x264 ultrafast's CPU per
# frame) and near lossless; Motion JPEG in QuickTime with PCM sound opens in every editor.
TAKE_MASTER = VideoCodec("mjpeg", "yuvj420p", ".mov", {"q:v": "3"}, "pcm_s16le", "s16")
# What people watch and share: small files every player opens.
DELIVERY_H264 = VideoCodec("libx264", "yuv420p", ".mp4", {"preset": "veryfast", "crf": "20", "movflags": "+faststart"})
# What editors ask for: ProRes 422 (profile 2) with uncompressed sound.
DELIVERY_PRORES = VideoCodec("prores_ks", "yuv422p10le", ".mov", {"profile": "2", "vendor": "apl0"}, "pcm_s16le", "s16")
