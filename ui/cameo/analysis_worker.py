"""Runs the cameo analysis off the GUI thread and reports back through signals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal

from pipeline.cameo.analysis import CameoAnalysis, FaceCandidate, SeveralFacesError
from studio.errors import StudioError

Analyse = Callable[[Path, Path, FaceCandidate | None], CameoAnalysis]  # clip, output folder, chosen face -> analysis


def candidate_crops(clip: Path, candidates: list[FaceCandidate]) -> list[np.ndarray]:
    """The faces of the candidates' frame, cropped (RGB), for the user to pick one."""
    import av

    index = candidates[0].frame_index
    with av.open(str(clip)) as container:
        for i, frame in enumerate(container.decode(container.streams.video[0])):
            if i == index:
                image = frame.to_ndarray(format="rgb24")
                return [np.ascontiguousarray(image[y : y + h, x : x + w]) for x, y, w, h in (c.box for c in candidates)]
    return []


class AnalysisJob(QObject):
    finished = Signal(object)  # CameoAnalysis
    several_faces = Signal(str, list, list)  # message, candidates, RGB crops
    failed = Signal(str)

    def __init__(self, analyse: Analyse, clip: Path, out_dir: Path, face: FaceCandidate | None) -> None:
        super().__init__()
        self.analyse, self.clip, self.out_dir, self.face = analyse, clip, out_dir, face

    def run(self) -> None:
        try:
            result = self.analyse(self.clip, self.out_dir, self.face)
        except SeveralFacesError as exc:
            try:
                crops = candidate_crops(self.clip, exc.candidates)
            except Exception:  # thumbnails are a convenience: the choice still works without them
                crops = []
            self.several_faces.emit(str(exc), exc.candidates, crops)
        except (StudioError, OSError, ValueError) as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # an engine bug must not leave the dialog waiting forever
            self.failed.emit(f"cameo analysis failed unexpectedly: {exc}")
        else:
            self.finished.emit(result)


def start_analysis(job: AnalysisJob, parent: QObject) -> QThread:
    """Runs `job` on a fresh thread that quits when the job reports; the caller keeps `job` alive until then."""
    thread = QThread(parent)
    job.moveToThread(thread)
    thread.started.connect(job.run)
    for signal in (job.finished, job.several_faces, job.failed):
        signal.connect(thread.quit)
    thread.start()
    return thread
