"""The export formats, their file suffixes, and what each one cannot carry.

Verified by writing the timeline and reading it back with the same OpenTimelineIO adapters
(tests/export/test_timeline_round_trip.py, at 24, 23.976 and 25 fps): every timeline format keeps
the clip count, order, names (`12A_T3`) and durations to the frame at the project's rate, and the
handles (source range inside the media's available range) in all but the EDL. What is lost:

- otio (OpenTimelineIO JSON): nothing. The reference format for pipelines.
- fcp7 (Final Cut Pro 7 XML, for Premiere and Resolve): track names, marker colours and our clip
  metadata; the shot id travels in each clip's log note, the scene and shot/take in its logging
  info, marker comments in the marker's <comment>. Keeps the 01:00:00:00 start, the frame size,
  sound, clip and scene markers.
- fcpxml (Final Cut Pro X): our metadata, marker comments, the scene markers, track names and the
  start timecode (this writer starts projects at 0); the sound lane is read back before the picture.
  The stock adapter crashes on 23.976/29.97, truncates frames on read and misplaces sound at NTSC
  rates: we write and read through exact-time subclasses (adapter_fixes.py).
- edl (CMX 3600): one video track only (sound is dropped), scene markers, metadata and comments;
  marker names are upper-cased, reel names cut to 8 letters and digits ('12A_T3' -> '12AT3'); clip
  names survive as `* FROM CLIP NAME` comments. More than 999 events are numbered with 4 digits,
  which some systems reject. Needs a SMPTE timecode rate (23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60).
- aaf (Avid): all markers and track names; our metadata except what Avid shows as master-clip
  comments (scene, shot, take, description, shot id). Picture and sound of a shot share one master
  clip (one MobID). Written by our direct writer (aaf_direct_writer.py: the same objects, property
  by property, as the OTIO adapter through pyaaf2, in about 0.5 ms a shot against pyaaf2's 8-10);
  timelines it does not cover go through the adapter. Reading AAF back (import-cut) is pyaaf2's, slow.
- kdenlive (MLT XML): clip markers, metadata, the start timecode and, on read, the timeline name
  (the file has it). Offline clips lose their names (the adapter shares one placeholder), so export
  never leaves a clip offline. The adapter hard-codes a 1080p profile and gives its black background
  track no length (melt then renders 625 s): both are corrected after writing (adapter_fixes.py).
- pdf / csv: documents, not timelines; they carry what a reader needs, not media links.

Transitions (dissolves, and fades written as dissolves: timeline_transitions.py), checked the same
way, by reading back the clips and the transitions between them:

- otio, fcp7 (a centred 'Cross Dissolve' transitionitem), aaf (a VideoDissolve Transition with its
  cut point): kept exactly, clips unchanged.
- edl: kept as CMX 'D' events. CMX dissolves start at their edit, so the writer moves each edit
  point back by half the dissolve; reading moves it back to the middle (interchange.py), so the
  clips read back unchanged.
- fcpxml and kdenlive: left out, with a warning in the export report; their writers skip
  transitions (the Kdenlive one prints 'Transitions handling to be added'), and the clips are
  written as plain cuts.
"""

from __future__ import annotations

from enum import StrEnum


class ExportFormat(StrEnum):
    OTIO = "otio"
    FCP7 = "fcp7"
    FCPXML = "fcpxml"
    EDL = "edl"
    AAF = "aaf"
    KDENLIVE = "kdenlive"
    PDF = "pdf"
    CSV = "csv"


class MediaEncoding(StrEnum):
    H264 = "h264"
    PRORES = "prores"


TIMELINE_FORMATS = (ExportFormat.OTIO, ExportFormat.FCP7, ExportFormat.FCPXML, ExportFormat.EDL, ExportFormat.AAF, ExportFormat.KDENLIVE)
ALL_FORMATS = tuple(ExportFormat)
CARRIES_TRANSITIONS = (ExportFormat.OTIO, ExportFormat.FCP7, ExportFormat.EDL, ExportFormat.AAF)

SUFFIXES: dict[ExportFormat, str] = {
    ExportFormat.OTIO: ".otio",
    ExportFormat.FCP7: ".xml",
    ExportFormat.FCPXML: ".fcpxml",
    ExportFormat.EDL: ".edl",
    ExportFormat.AAF: ".aaf",
    ExportFormat.KDENLIVE: ".kdenlive",
    ExportFormat.PDF: ".pdf",
    ExportFormat.CSV: ".csv",
}

# What a file of each format is called inside an export folder, after the project's title.
NAME_TAILS: dict[ExportFormat, str] = {ExportFormat.PDF: "_storyboard", ExportFormat.CSV: "_shot_list"}

DESCRIPTIONS: dict[ExportFormat, str] = {
    ExportFormat.OTIO: "OpenTimelineIO",
    ExportFormat.FCP7: "Final Cut Pro 7 XML (Premiere, Resolve)",
    ExportFormat.FCPXML: "Final Cut Pro X XML",
    ExportFormat.EDL: "CMX 3600 EDL",
    ExportFormat.AAF: "AAF (Avid)",
    ExportFormat.KDENLIVE: "Kdenlive project",
    ExportFormat.PDF: "PDF storyboard",
    ExportFormat.CSV: "shot list CSV",
}


def format_for_suffix(suffix: str) -> ExportFormat | None:
    suffix = suffix.lower()
    return next((f for f, s in SUFFIXES.items() if s == suffix), None)
