"""`export_project`: every chosen format in one go, written to a staging folder and moved into place.

Export never changes the project: it reads the document and the takes' files, and writes only
under the destination. Where the files go:

- one format, `out` a file name (`cut.xml`): that file, and its media in a `cut_media/` folder beside it;
- several formats, or `out` an existing folder: `out/<Title>.otio`, `out/<Title>.xml` ...,
  `out/<Title>_storyboard.pdf`, `out/<Title>_shot_list.csv`, and its media in `out/media/`.

The media folder holds `shots/12A_T3.mp4|mov`, `sound/12A_T3.wav`, the animatic and `stems/`: the
sequence's sound as `<Title>_mix.wav` and its stems `<Title>_dialogue.wav`, `<Title>_effects.wav`
(sound effects and ambience: the E of a DME split) and `<Title>_music.wav`, each 48 kHz
and exactly as long as the cut, summing to the mix. Without a media encoding, timelines point at
the takes' own files in the project, and the folder holds only the stand-ins (draft animatic or
slate) of shots that have no usable take.
"""

from __future__ import annotations

import time
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path

import opentimelineio as otio

from pipeline.export.errors import ExportError
from pipeline.export.formats import CARRIES_TRANSITIONS, DESCRIPTIONS, NAME_TAILS, SUFFIXES, TIMELINE_FORMATS, ExportFormat, MediaEncoding
from pipeline.export.interchange import write_timeline
from pipeline.export.naming import safe_file_stem
from pipeline.export.shot_clips import ShotSource, shot_sources
from pipeline.export.shot_list import write_shot_list
from pipeline.export.shot_media import CODECS, SHOTS_DIR, MediaExport, encode_shot_media, reference_media, write_sequence_media
from pipeline.export.staging import Staging, check_replaceable
from pipeline.export.storyboard_pdf import StoryboardLayout, write_storyboard_pdf
from pipeline.export.timeline import build_timeline
from pipeline.export.timeline_transitions import add_transitions, has_transitions
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent
from pipeline.provenance.export_signing import export_jobs, sign_exported
from studio.commands.consent import revoked_likenesses
from studio.consent import tampered_consents
from studio.project import Project

MAX_HANDLES = 1000
MAX_EDL_EVENTS = 999


@dataclass(frozen=True)
class ExportOptions:
    formats: tuple[ExportFormat, ...]
    media: MediaEncoding | None = None  # None: timelines point at the takes' files in the project (stand-ins aside)
    handles: int = 0  # frames each side of every shot in its media file; needs media
    storyboard: StoryboardLayout = field(default_factory=StoryboardLayout)
    sequence_media: bool = True  # with media: the assembled animatic, the sound mix and its stems too


@dataclass
class ExportReport:
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # time per format / stage


@dataclass(frozen=True)
class ExportPlan:
    destination: Path  # the folder everything lands in
    names: dict[ExportFormat, str]  # file name per format, inside the destination
    media_folder: str


def plan_export(project: Project, out: Path, options: ExportOptions) -> ExportPlan:
    if not options.formats:
        raise ExportError("choose at least one format to export")
    if options.handles < 0 or options.handles > MAX_HANDLES:
        raise ExportError(f"handles are a number of frames from 0 to {MAX_HANDLES}, not {options.handles}")
    if options.handles and options.media is None:
        raise ExportError("handles live in the exported media files: choose a media encoding (h264 or prores) or set handles to 0")
    out = Path(out)
    formats = list(dict.fromkeys(options.formats))
    if len(formats) == 1 and not out.is_dir():
        fmt = formats[0]
        if out.suffix.lower() != SUFFIXES[fmt]:
            raise ExportError(f"{out}: {DESCRIPTIONS[fmt]} is written to a {SUFFIXES[fmt]} file; change the name or the format")
        return ExportPlan(out.parent, {fmt: out.name}, f"{safe_file_stem(out.stem, 'export')}_media")
    stem = safe_file_stem(project.title, fallback="storyboard")
    return ExportPlan(out, {fmt: f"{stem}{NAME_TAILS.get(fmt, '')}{SUFFIXES[fmt]}" for fmt in formats}, "media")


def _check_destination(plan: ExportPlan, project_folder: Path, writes_media: bool) -> None:
    """Refuses, before any work, destinations where moving the export into place would destroy something."""
    destination, project_folder = plan.destination.resolve(), project_folder.resolve()
    if destination == project_folder or destination.is_relative_to(project_folder / "media"):
        raise ExportError(
            f"{plan.destination}: that is the project's own folder; export to a folder outside it, or to a subfolder such as {project_folder / 'exports'}"
        )
    if writes_media:
        check_replaceable(destination / plan.media_folder)


def _warn_once(report: ExportReport, messages: list[str]) -> None:
    for message in messages:
        if message not in report.warnings:
            report.warnings.append(message)


def _dropped_transitions(timeline: otio.schema.Timeline, formats: list[ExportFormat]) -> list[str]:
    if not has_transitions(timeline):
        return []
    keep = ", ".join(DESCRIPTIONS[f] for f in CARRIES_TRANSITIONS)
    return [
        f"{DESCRIPTIONS[fmt]}: the dissolves and fades are left out (its writer cannot carry transitions) and the shots meet in plain cuts; {keep} keep them"
        for fmt in formats
        if fmt not in CARRIES_TRANSITIONS
    ]


def export_project(project: Project, folder: Path, out: Path, options: ExportOptions, progress: ProgressCallback, cancel: CancelToken) -> ExportReport:
    plan = plan_export(project, out, options)
    sources = shot_sources(project, Path(folder))
    if not sources:
        raise ExportError(f"project '{project.title}' has no shots yet; add shots before exporting")
    timeline_formats = [f for f in plan.names if f in TIMELINE_FORMATS]
    writes_media = options.media is not None or (bool(timeline_formats) and any(s.video is None for s in sources))
    _check_destination(plan, Path(folder), writes_media)
    report = ExportReport()
    _warn_once(report, tampered_consents(project.characters))
    if ExportFormat.EDL in plan.names and len(sources) > MAX_EDL_EVENTS:
        report.warnings.append(
            f"the EDL has {len(sources)} events; CMX 3600 allows {MAX_EDL_EVENTS} and some systems reject the rest (use FCP7 XML or AAF for long cuts)"
        )
    with Staging(plan.destination) as stage:
        try:
            media = (
                _media(project, Path(folder), sources, options, stage, plan, report, progress, cancel) if options.media or timeline_formats else MediaExport()
            )
            if timeline_formats:
                started = time.perf_counter()
                timeline = build_timeline(project, sources, media.clips)
                _warn_once(report, add_transitions(timeline.video_tracks()[0], sources, media.clips, project.format.frame_rate.fps))
                _warn_once(report, _dropped_transitions(timeline, timeline_formats))
                report.seconds["timeline"] = time.perf_counter() - started
                for index, fmt in enumerate(timeline_formats):
                    cancel.raise_if_cancelled()
                    progress(ProgressEvent("timeline", "export", index, len(timeline_formats), fmt.value))
                    started = time.perf_counter()
                    write_timeline(timeline, fmt, stage.path(plan.names[fmt]), project)
                    report.seconds[fmt.value] = time.perf_counter() - started
            if ExportFormat.PDF in plan.names:
                _warn_once(report, [s.problem for s in sources if s.problem])
                started = time.perf_counter()
                pdf_warnings = write_storyboard_pdf(
                    project, Path(folder), sources, stage.path(plan.names[ExportFormat.PDF]), options.storyboard, progress, cancel
                )
                _warn_once(report, pdf_warnings)
                report.seconds["pdf"] = time.perf_counter() - started
            if ExportFormat.CSV in plan.names:
                started = time.perf_counter()
                write_shot_list(project, sources, stage.path(plan.names[ExportFormat.CSV]))
                report.seconds["csv"] = time.perf_counter() - started
            cancel.raise_if_cancelled()
        except OSError as exc:
            raise ExportError(f"{plan.destination}: export failed while writing ({exc.strerror or exc}); nothing was changed there") from None
        report.files = stage.commit()
    return report


def _media(
    project: Project,
    folder: Path,
    sources: list[ShotSource],
    options: ExportOptions,
    stage: Staging,
    plan: ExportPlan,
    report: ExportReport,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> MediaExport:
    _warn_once(report, [s.problem for s in sources if s.problem])
    if options.media is None:
        media = reference_media(project, folder, sources, stage.path(plan.media_folder), stage.final(plan.media_folder), progress, cancel)
        _warn_once(report, media.warnings)
        return media
    started = time.perf_counter()
    media = encode_shot_media(
        project, folder, sources, options.media, options.handles, stage.path(plan.media_folder), stage.final(plan.media_folder), progress, cancel
    )
    _warn_once(report, media.warnings)
    report.seconds["shot media"] = time.perf_counter() - started
    if options.sequence_media:
        started = time.perf_counter()
        _warn_once(report, write_sequence_media(_without_revoked_takes(project), folder, options.media, stage.path(plan.media_folder), progress, cancel))
        report.seconds["animatic and stems"] = time.perf_counter() - started
    _sign_media(project, sources, options.media, options.sequence_media, stage.path(plan.media_folder), report)
    return media


def _without_revoked_takes(project: Project) -> Project:
    """A copy in which no shot's active take is one whose likeness consent was revoked: the assembled
    animatic and sound mix must not carry it either (the copy is read, never saved)."""
    flagged = [shot.id for shot in project.shots() if shot.active_take is not None and revoked_likenesses(shot.active_take.provenance)]
    if not flagged:
        return project
    copy = deepcopy(project)
    for shot_id in flagged:
        copy.shot(shot_id).active_take_id = None
    return copy


def _sign_media(project: Project, sources: list[ShotSource], encoding: MediaEncoding, sequence_media: bool, media_folder: Path, report: ExportReport) -> None:
    """Content credentials (C2PA) on the files that hold generated takes; an export without a usable certificate says "unsigned" and why."""
    suffix = CODECS[encoding].container_suffix
    animatic = media_folder / f"{safe_file_stem(project.title, fallback='sequence')}_animatic{suffix}" if sequence_media else None
    started = time.perf_counter()
    signing = sign_exported(export_jobs(sources, media_folder / SHOTS_DIR, suffix, animatic), {c.id: c.name for c in project.characters})
    _warn_once(report, signing.unsigned)
    if signing.signed or signing.unsigned:
        report.seconds["content credentials"] = time.perf_counter() - started
