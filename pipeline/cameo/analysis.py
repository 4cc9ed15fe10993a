"""Analysing a cameo clip: find the face, keep the best reference frames, extract the voice.

Frames are sampled evenly over the clip and searched for frontal faces (the Haar cascade that
OpenCV 4 ships in its wheel, so nothing is downloaded; OpenCV 5 dropped it, hence the <5 pin). The reference frames are the sharpest (variance of the
Laplacian over the face) single-face frames, one per stretch of the clip so they show the person
from several moments. The audio track, if any, is written as a 16-bit WAV voice sample.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studio.errors import StudioError

Box = tuple[int, int, int, int]  # x, y, width, height in pixels
FaceDetector = Callable[[np.ndarray], list[Box]]  # RGB frame -> face boxes


class CameoError(StudioError):
    """A cameo clip that cannot give a likeness; the message names the clip and the fix."""


class UnreadableClipError(CameoError):
    pass


class NoFaceError(CameoError):
    pass


@dataclass(frozen=True)
class FaceCandidate:
    frame_index: int
    time: float  # seconds from the clip's start
    box: Box


class SeveralFacesError(CameoError):
    """More than one face: `candidates` are the faces of one frame, for the user to pick one (pass it as `face`)."""

    def __init__(self, message: str, candidates: list[FaceCandidate]) -> None:
        self.candidates = candidates
        super().__init__(message)


@dataclass(frozen=True)
class ReferenceFrame:
    frame_index: int
    time: float
    box: Box
    sharpness: float  # variance of the Laplacian over the face
    path: Path  # PNG written to the output folder


@dataclass(frozen=True)
class CameoAnalysis:
    frames: tuple[ReferenceFrame, ...]  # in clip order
    voice: Path | None  # WAV voice sample, None when the clip has no audio


def haar_face_detector() -> FaceDetector:
    import cv2

    xml = Path(getattr(getattr(cv2, "data", None), "haarcascades", "")) / "haarcascade_frontalface_default.xml"
    if not hasattr(cv2, "CascadeClassifier") or not xml.is_file():  # OpenCV 5 moved the Haar cascades out of the main package
        raise CameoError(
            f"this OpenCV ({cv2.__version__}) has no bundled Haar face cascade; install an OpenCV 4.x build (opencv-python-headless<5) to analyse cameo clips"
        )
    cascade = cv2.CascadeClassifier(str(xml))

    def detect(frame: np.ndarray) -> list[Box]:
        grey = cv2.equalizeHist(cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY))
        smallest = max(24, min(grey.shape) // 10)
        faces = cascade.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5, minSize=(smallest, smallest))
        return [tuple(int(v) for v in face) for face in faces]

    return detect


def _sample_frames(path: Path, samples: int) -> list[tuple[int, float, np.ndarray]]:
    """About `samples` frames spread evenly over the clip. Only the kept frames are converted and
    held: a 15 s 1080p clip decoded whole would take gigabytes."""
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise UnreadableClipError(f"cameo clip {path}: has no video track; record the person on camera")
            stream = container.streams.video[0]
            step = max(1, _frame_count_estimate(container, stream) // samples)
            frames = [(i, float(f.time or 0.0), f.to_ndarray(format="rgb24")) for i, f in enumerate(container.decode(stream)) if i % step == 0]
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise UnreadableClipError(f"cameo clip {path}: cannot be read ({exc}); use an .mp4 or .mov video file") from None
    if not frames:
        raise UnreadableClipError(f"cameo clip {path}: holds no frames; record the clip again")
    step = max(1, len(frames) // samples)  # the container's estimate may have been short
    return frames[::step][:samples]


def _frame_count_estimate(container, stream) -> int:
    if stream.frames:
        return int(stream.frames)
    rate = stream.average_rate or stream.guessed_rate
    seconds = float(stream.duration * stream.time_base) if stream.duration and stream.time_base else (container.duration or 0) / 1_000_000
    return int(seconds * float(rate)) if rate else 0


def _sharpness(frame: np.ndarray, box: Box) -> float:
    import cv2

    x, y, w, h = box
    crop = cv2.cvtColor(np.ascontiguousarray(frame[y : y + h, x : x + w]), cv2.COLOR_RGB2GRAY)
    return float(cv2.Laplacian(crop, cv2.CV_64F).var())


def _overlap(a: Box, b: Box) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    h = max(0, min(ay + ah, by + bh) - max(ay, by))
    union = aw * ah + bw * bh - w * h
    return w * h / union if union else 0.0


def extract_voice(path: Path, out: Path) -> Path | None:
    """The clip's first audio track as 16-bit PCM WAV at its own rate; None when it has none."""
    import av

    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        source = container.streams.audio[0]
        with av.open(str(out), "w", format="wav") as wav:
            target = wav.add_stream("pcm_s16le", rate=source.rate, layout=source.layout.name)
            resampler = av.AudioResampler(format="s16", layout=source.layout.name, rate=source.rate)
            for frame in container.decode(source):
                for converted in resampler.resample(frame):
                    wav.mux(target.encode(converted))
            for converted in resampler.resample(None):
                wav.mux(target.encode(converted))
            wav.mux(target.encode(None))
    return out


def analyse_clip(
    path: Path, out_dir: Path, count: int = 4, samples: int = 48, face: FaceCandidate | None = None, detector: FaceDetector | None = None
) -> CameoAnalysis:
    """Best reference frames and voice sample of a cameo clip. Several people in the clip raise
    SeveralFacesError with the candidates; call again with the chosen one as `face`."""
    import cv2

    path = Path(path)
    if not path.is_file():
        raise UnreadableClipError(f"cameo clip {path}: not found; check the path")
    sampled = _sample_frames(path, samples)
    detect = detector or haar_face_detector()
    found: list[tuple[int, float, np.ndarray, list[Box]]] = [(i, t, frame, detect(frame)) for i, t, frame in sampled]
    with_faces = [entry for entry in found if entry[3]]
    if not with_faces:
        raise NoFaceError(f"cameo clip {path}: no face found; record the person facing the camera, well lit, filling a good part of the frame")
    chosen: list[tuple[int, float, np.ndarray, Box]] = []
    if face is not None:
        for i, t, frame, boxes in with_faces:  # follow the chosen face: the box that overlaps it most
            best = max(boxes, key=lambda b: _overlap(b, face.box))
            if _overlap(best, face.box) > 0.2:
                chosen.append((i, t, frame, best))
    else:
        several = [entry for entry in with_faces if len(entry[3]) > 1]
        if len(several) * 2 > len(with_faces):
            i, t, _, boxes = several[0]
            candidates = [FaceCandidate(i, t, box) for box in boxes]
            raise SeveralFacesError(f"cameo clip {path}: {len(boxes)} faces; choose whose likeness this is", candidates)
        chosen = [(i, t, frame, boxes[0]) for i, t, frame, boxes in with_faces if len(boxes) == 1]
    if not chosen:
        raise NoFaceError(f"cameo clip {path}: the chosen face was not found again; choose another candidate")
    scored = [(i, t, frame, box, _sharpness(frame, box)) for i, t, frame, box in chosen]
    bins = np.array_split(np.arange(len(scored)), min(count, len(scored)))  # one pick per stretch of the clip
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = []
    for indices in bins:
        i, t, frame, box, sharpness = max((scored[k] for k in indices), key=lambda s: s[4])
        target = out_dir / f"reference_{i:05d}.png"
        cv2.imwrite(str(target), cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
        frames.append(ReferenceFrame(i, t, box, sharpness, target))
    return CameoAnalysis(tuple(frames), extract_voice(path, out_dir / "voice.wav"))
