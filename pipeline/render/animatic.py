"""Rendering what changed and assembling the animatic in one pass.

A shot that needs a new take is rendered while the cut is being encoded: each frame goes to the
take's own master file (encoded on another thread) and straight on into the sequence, so no frame
is encoded, decoded and encoded again. Shots whose takes are current are decoded from their takes.
Shots are visited in timeline order, so a chained shot is prepared only after the shot it
continues from has its new take.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import av
import numpy as np

from pipeline.assemble.clips import Clip, clip_for, clip_frames, cut_clips, problem_slate
from pipeline.assemble.overlays import OverlaySettings
from pipeline.assemble.sequence import AssemblyResult, assemble_sequence, assembly_key, encode_cut, sequence_audio
from pipeline.audio.loudness import prepare_in_background
from pipeline.encode.codecs import VideoCodec
from pipeline.progress import CancelToken, ProgressCallback, RenderCancelled
from pipeline.render.batch import BatchOptions, BatchReport, PreparedShot, TakePlanner
from pipeline.render.shot_render import TakeRecorder
from studio.commands import Command
from studio.project import Project


@dataclass
class AnimaticResult:
    report: BatchReport
    assembly: AssemblyResult | None  # None when cancelled


def render_animatic(
    project: Project,
    folder: Path,
    options: BatchOptions,
    out: Path,
    codec: VideoCodec,
    overlays: OverlaySettings,
    apply: Callable[[Command], None],
    progress: ProgressCallback,
    cancel: CancelToken,
) -> AnimaticResult:
    report = BatchReport()
    planner = TakePlanner(project, folder, options, apply, report)
    shots = list(project.shots())
    first: tuple[int, PreparedShot] | None = None
    for index, shot in enumerate(shots):  # re-use current takes up to the first shot that needs a render
        prepared = planner.prepare(shot, cancel)
        if prepared is not None:
            first = (index, prepared)
            break
    if report.cancelled:
        return AnimaticResult(report, None)
    if first is None:
        return AnimaticResult(report, assemble_sequence(project, folder, out, codec, overlays, progress, cancel, options.size, report.failures))

    prepare_in_background()  # shots to render: the mix's loudness meter imports while they encode
    width, height = planner.size
    clips = cut_clips(project, folder, report.failures)  # entries are refreshed as their shots resolve
    live = _LiveCut(planner, folder, clips, width, height, progress, cancel)
    sources = [live.frames(i, first[1] if i == first[0] else None, prepare=i > first[0]) for i in range(len(clips))]
    try:
        assembly = encode_cut(
            project,
            out,
            codec,
            overlays,
            (width, height),
            clips,
            sources,
            lambda: sequence_audio(project, folder, cut_clips(project, folder, report.failures)),
            "",  # known only once every take exists: stamped below
            progress,
            cancel,
        )
    except RenderCancelled:
        report.cancelled = True
        return AnimaticResult(report, None)
    _stamp_assembly_key(out, assembly_key(project, cut_clips(project, folder, report.failures), codec, overlays, (width, height)))
    return AnimaticResult(report, assembly)


@dataclass
class _LiveCut:
    planner: TakePlanner
    folder: Path
    clips: list[Clip]
    width: int
    height: int
    progress: ProgressCallback
    cancel: CancelToken

    def frames(self, index: int, prepared: PreparedShot | None, prepare: bool) -> Iterator[np.ndarray]:
        """The clip's frames: rendered now into a new take, or decoded from the take it has."""
        clip = self.clips[index]
        shot = self.planner.project.shot(clip.shot.id)
        if prepare:
            prepared = self.planner.prepare(shot, self.cancel)
            if self.planner.report.cancelled:
                raise RenderCancelled()
        if prepared is None:
            self.clips[index] = resolved = clip_for(self.planner.project, self.folder, shot, clip.start, self.planner.report.failures.get(shot.id))
            yield from clip_frames(resolved, self.width, self.height)
            return
        recorder = None
        made = 0
        try:
            recorder = TakeRecorder(prepared.request, prepared.renderer, self.folder, prepared.take_number, self.cancel, self.progress)
            self.clips[index] = replace(clip, take_label=f"T{prepared.take_number}", problem=None, stale=False)
            for frame in prepared.renderer.render_frames(prepared.request, self.progress, self.cancel):
                recorder.add(frame)
                made += 1
                yield frame
            self.planner.record(shot, recorder.finish())
        except (RenderCancelled, GeneratorExit):  # GeneratorExit: the cut saw the cancel first and stopped reading this shot
            if recorder is not None:
                recorder.abort()  # no half-written take master stays behind
            self.planner.cancelled(shot)
            raise
        except Exception as exc:  # noqa: BLE001 - the cut goes on, with a slate saying why for this shot
            if recorder is not None:
                recorder.abort()
            self.clips[index] = broken = replace(clip, problem=self.planner.fail(shot, exc), video=None, take_label="")
            slate = problem_slate(broken, self.width, self.height)
            for _ in range(clip.duration - made):
                yield slate


def _stamp_assembly_key(out: Path, key: str) -> None:
    """Re-writes the file's container (no re-encoding) with the cut's key, so an unchanged cut is re-used next time."""
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.partial{out.suffix}")
    try:
        with av.open(str(out)) as source, av.open(str(tmp), "w", options={"movflags": "+faststart"} if out.suffix == ".mp4" else {}) as target:
            for name, value in source.metadata.items():
                target.metadata[name] = value
            target.metadata["comment"] = key
            streams = {s.index: target.add_stream_from_template(s) for s in source.streams}
            for packet in source.demux():
                if packet.dts is None:
                    continue
                packet.stream = streams[packet.stream.index]
                target.mux(packet)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
