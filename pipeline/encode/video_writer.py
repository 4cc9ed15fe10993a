"""Streaming frames (and optionally a WAV) into a video file, atomically.

The file appears at its final path only when it is complete: a crash, an error or a cancel leaves
the previous good file (if any) in place and no half-written one.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import numpy as np

from pipeline.audio.pcm import MIX_RATE
from pipeline.encode.codecs import VideoCodec
from pipeline.encode.yuv420 import converts, yuv420_frame
from studio.frame_rate import FrameRate

AUDIO_RATE = MIX_RATE  # the takes' and the cut's sound: one rate everywhere


class VideoWriter:
    def __init__(
        self,
        path: Path,
        width: int,
        height: int,
        rate: FrameRate,
        codec: VideoCodec,
        with_audio: bool = False,
        metadata: dict[str, str] | None = None,
    ) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = self.path.with_name(f".{self.path.stem}.{os.getpid()}.partial{self.path.suffix}")
        container_options = {k: v for k, v in codec.options.items() if k == "movflags"}
        self._container = av.open(str(self._tmp), "w", options=container_options)
        for key, value in (metadata or {}).items():
            self._container.metadata[key] = value
        stream_options = {k: v for k, v in codec.options.items() if k != "movflags"}
        self._video = self._container.add_stream(codec.name, rate=rate.fraction)
        self._video.width, self._video.height = width, height
        self._video.pix_fmt = codec.pix_fmt
        self._video.time_base = Fraction(rate.denominator, rate.numerator)
        self._video.options = stream_options
        self._video.codec_context.thread_count = codec.threads
        if codec.quantiser is not None:
            # "-q:v" is an option of the ffmpeg command, not of the encoder (given to the encoder it
            # is ignored); the command pins the quantiser per frame, a bounded range pins it here.
            self._video.codec_context.qscale = True
            self._video.codec_context.qmin = self._video.codec_context.qmax = codec.quantiser
        self._audio = None
        if with_audio:
            self._audio = self._container.add_stream(codec.audio_codec, rate=AUDIO_RATE)
            self._audio.layout = "stereo"
            self._audio_format = codec.audio_format
        self._yuv420 = converts(codec.pix_fmt, width, height)
        self._frames = 0
        self._closed = False

    @property
    def frames_written(self) -> int:
        return self._frames

    def write(self, rgb: np.ndarray) -> None:
        frame = yuv420_frame(rgb, self._video.pix_fmt) if self._yuv420 else av.VideoFrame.from_ndarray(rgb, format="rgb24")
        frame.pts = self._frames
        self._frames += 1
        for packet in self._video.encode(frame):
            self._container.mux(packet)

    def write_audio(self, samples: np.ndarray) -> None:
        """Encodes interleaved-or-planar stereo s16 samples, shape (n, 2), 48 kHz."""
        assert self._audio is not None, "writer was opened without audio"
        planar = np.ascontiguousarray(samples.T.astype(np.int16))
        chunk = 1024 * 8
        pts = 0
        for start in range(0, planar.shape[1], chunk):
            block = np.ascontiguousarray(planar[:, start : start + chunk])
            frame = av.AudioFrame.from_ndarray(block, format="s16p", layout="stereo")
            frame.sample_rate = AUDIO_RATE
            frame.pts = pts
            pts += block.shape[1]
            for packet in self._audio.encode(frame):
                self._container.mux(packet)

    def finish(self) -> Path:
        for packet in self._video.encode():
            self._container.mux(packet)
        if self._audio is not None:
            for packet in self._audio.encode():
                self._container.mux(packet)
        self._container.close()
        self._closed = True
        os.replace(self._tmp, self.path)
        return self.path

    def abort(self) -> None:
        if not self._closed:
            try:
                self._container.close()
            except Exception:  # noqa: BLE001 - the partial file is being thrown away anyway
                pass
            self._closed = True
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is not None:
            self.abort()
        elif not self._closed:
            self.finish()


def read_video_frames(path: Path):
    """Yields the RGB frames of a video file."""
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            yield frame.to_ndarray(format="rgb24")


def read_container_comment(path: Path) -> str | None:
    try:
        with av.open(str(path)) as container:
            return container.metadata.get("comment")
    except (av.FFmpegError, OSError):
        return None
