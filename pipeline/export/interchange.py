"""Writing the timeline in each editor's format, and reading an edited one back, through the OTIO adapters."""

from __future__ import annotations

import contextlib
import copy
import io
from pathlib import Path
from types import ModuleType

import opentimelineio as otio
from otio_fcpx_xml_adapter import fcpx_xml

from pipeline.export import aaf_direct_writer
from pipeline.export.aaf_fast_writer import fast_aaf_writer
from pipeline.export.adapter_fixes import (
    ExactFcpxReader,
    ExactFcpxWriter,
    fast_fcp7_writer,
    fast_metadata_lookups,
    fast_pretty_printing,
    fix_kdenlive,
    offset_edl_record,
)
from pipeline.export.errors import CutImportError, ExportError
from pipeline.export.formats import CARRIES_TRANSITIONS, DESCRIPTIONS, SUFFIXES, ExportFormat, format_for_suffix
from pipeline.export.timeline_transitions import centre_transitions, has_transitions, without_transitions
from studio.frame_rate import FrameRate
from studio.project import Project

_ADAPTERS = {
    ExportFormat.OTIO: "otio_json",
    ExportFormat.FCP7: "fcp_xml",
    ExportFormat.EDL: "cmx_3600",
    ExportFormat.AAF: "AAF",
    ExportFormat.KDENLIVE: "kdenlive",
}
# Rates that SMPTE timecode (and so an EDL or FCP7 XML) can express.
_NEEDS_TIMECODE = (ExportFormat.EDL, ExportFormat.FCP7)
_TIMECODE_RATES = "23.976, 24, 25, 29.97, 30, 48, 50, 59.94 or 60"


@contextlib.contextmanager
def _quiet_adapter():
    """The Kdenlive adapter prints a deprecation banner on stdout, which would corrupt the CLI's output."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def _as_written(timeline: otio.schema.Timeline, fmt: ExportFormat) -> otio.schema.Timeline:
    """The timeline a format's writer is given: without transitions where it cannot carry them
    (formats.py), and a copy for the EDL writer, which moves the edits around dissolves in place."""
    if not has_transitions(timeline):
        return timeline
    if fmt not in CARRIES_TRANSITIONS:
        return without_transitions(timeline)
    return copy.deepcopy(timeline) if fmt is ExportFormat.EDL else timeline


def timeline_text(timeline: otio.schema.Timeline, fmt: ExportFormat, project: Project) -> str:
    """The timeline in a text format (every timeline format but AAF)."""
    with fast_metadata_lookups():
        return _timeline_text(timeline, fmt, project)


def _timeline_text(timeline: otio.schema.Timeline, fmt: ExportFormat, project: Project) -> str:
    rate = project.format.frame_rate
    timeline = _as_written(timeline, fmt)
    if fmt is ExportFormat.FCPXML:
        with fast_pretty_printing(fcpx_xml):
            return ExactFcpxWriter(timeline, project.format).to_xml()
    if fmt in _NEEDS_TIMECODE and not otio.opentime.RationalTime.is_valid_timecode_rate(rate.fps):
        raise ExportError(
            f"{DESCRIPTIONS[fmt]} counts in SMPTE timecode, which has no {rate} fps; it needs {_TIMECODE_RATES} fps (leave it out, or export OTIO instead)"
        )
    if fmt is ExportFormat.EDL:
        text = otio.adapters.write_to_string(timeline, adapter_name="cmx_3600", rate=rate.fps)
        return offset_edl_record(text, rate)
    if fmt is ExportFormat.KDENLIVE:
        with _quiet_adapter(), fast_pretty_printing(_adapter_module(ExportFormat.KDENLIVE)):
            text = otio.adapters.write_to_string(timeline, adapter_name="kdenlive")
        return fix_kdenlive(text, project.format, project.title, timeline.tracks.duration().to_frames())
    if fmt is ExportFormat.FCP7:
        with fast_fcp7_writer(_adapter_module(fmt)):
            return otio.adapters.write_to_string(timeline, adapter_name="fcp_xml")
    return otio.adapters.write_to_string(timeline, adapter_name=_ADAPTERS[fmt])


def _adapter_module(fmt: ExportFormat) -> ModuleType:
    """The adapter's Python module as OTIO's plugin system loads it (some cannot be imported directly)."""
    return otio.adapters.from_name(_ADAPTERS[fmt]).module()


def write_timeline(timeline: otio.schema.Timeline, fmt: ExportFormat, path: Path, project: Project) -> Path:
    """Writes `path` (in a staging folder: the caller moves it into place)."""
    try:
        if fmt is ExportFormat.AAF:
            _write_aaf(_as_written(timeline, fmt), path)
        else:
            path.write_text(timeline_text(timeline, fmt, project), encoding="utf-8")
    except ExportError:
        raise
    except (otio.exceptions.OTIOError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ExportError(
            f"{path.name}: the {fmt.value} writer failed ({type(exc).__name__}: {exc}); nothing was exported: leave {fmt.value} out to export the rest"
        ) from exc
    return path


def _write_aaf(timeline: otio.schema.Timeline, path: Path) -> None:
    """The objects the OTIO AAF adapter writes; for our own cuts written directly, ~10x faster
    (aaf_direct_writer.py), for anything else through the adapter and pyaaf2 with our repairs."""
    with fast_metadata_lookups():
        if aaf_direct_writer.fits(timeline):
            aaf_direct_writer.write_aaf(timeline, path)
            return
        # The AAF writer cannot make up mob ids for media it did not import (FIELD_NOTES).
        with fast_aaf_writer():
            otio.adapters.write_to_file(timeline, str(path), adapter_name="AAF", use_empty_mob_ids=True)


def read_timeline(path: Path, rate: FrameRate) -> otio.schema.Timeline:
    """An edited timeline from any format we write (chosen by its suffix). `rate` is the project's:
    an EDL does not say its rate, so it is read at the project's."""
    path = Path(path)
    fmt = format_for_suffix(path.suffix)
    if fmt is None or fmt in (ExportFormat.PDF, ExportFormat.CSV):
        known = ", ".join(SUFFIXES[f] for f in _ADAPTERS) + ", .fcpxml"
        raise CutImportError(f"{path}: not a timeline this app reads; use one of {known}")
    if not path.is_file():
        raise CutImportError(f"{path}: no such file")
    try:
        if fmt is ExportFormat.FCPXML:
            result = ExactFcpxReader(path.read_text(encoding="utf-8")).to_otio()
        elif fmt is ExportFormat.EDL:
            result = centre_transitions(otio.adapters.read_from_file(str(path), adapter_name="cmx_3600", rate=rate.fps))
        else:
            with _quiet_adapter():
                result = otio.adapters.read_from_file(str(path), adapter_name=_ADAPTERS[fmt])
    except Exception as exc:  # noqa: BLE001 - adapters raise anything from ValueError to XML parse errors
        raise CutImportError(f"{path}: could not be read as {fmt.value} ({type(exc).__name__}: {exc})") from exc
    if isinstance(result, otio.schema.Timeline):
        return result
    timelines = list(result.find_children(descended_from_type=otio.schema.Timeline)) if result is not None else []
    if not timelines:
        raise CutImportError(f"{path}: holds no timeline (sequence)")
    return timelines[0]
