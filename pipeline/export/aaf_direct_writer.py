"""Writing our cut as AAF in one pass: the same objects and values the OTIO AAF adapter writes
through pyaaf2, without pyaaf2's per-object cost (~7 ms a shot; here well under 1 ms).

The adapter builds every object through pyaaf2's object model and files each in a compound-file
directory kept on disk as it goes; at 1,000 shots that is ~34,000 objects and ~76,000 directory
entries and 7-8 s. We build only the fixed part with pyaaf2 (aaf_dictionary.py), the mobs as light
objects (aaf_mobs.py), and lay the container out once (aaf_compound_file.py).

This covers the timelines this app exports (timeline.py, timeline_transitions.py): a picture track
of clips and dissolves, an optional sound track of clips and gaps, every clip with a MobID and
string comments, media by URL or offline. Anything else (`fits` says no) goes through the adapter.
tests/export/test_aaf_direct_writer.py compares the two writers' files object by object.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Mapping
from pathlib import Path

import aaf2.auid
import opentimelineio as otio
from otio_aaf_adapter.adapters.aaf_adapter import hooks

from pipeline.export.aaf_compound_file import Storage, Stream, write_compound_file
from pipeline.export.aaf_dictionary import (
    as_storage,
    new_file,
    referenced_properties,
    register_dissolve_defs,
    register_sound_pan_defs,
    register_sound_pan_operation,
)
from pipeline.export.aaf_mobs import MobBuilder
from pipeline.export.aaf_model import AafModel
from pipeline.export.aaf_objects import AafObject, Namer, to_storage
from pipeline.export.aaf_properties import STRONG_REF_SET

# The compound file's own class id for AAF with 4 KiB sectors, as pyaaf2 writes it.
_AAF_4K_CLASS_ID = bytes(aaf2.auid.AUID("0d010201-0200-0000-060e-2b3403020101").bytes_le)


def fits(timeline: otio.schema.Timeline) -> bool:
    """Whether the direct writer writes exactly what the adapter would for this timeline."""
    if not isinstance(timeline, otio.schema.Timeline) or "AAF" in timeline.metadata:
        return False
    if any(otio.hooks.scripts_attached_to(hook) for hook in (hooks.HOOK_PRE_WRITE_TRANSCRIBE, hooks.HOOK_POST_WRITE_TRANSCRIBE) if hook in otio.hooks.names()):
        return False  # a hook script may change anything the adapter writes
    tracks = [track for track in timeline.tracks if len(track)]
    if not tracks or not isinstance(timeline.tracks, otio.schema.Stack):
        return False
    kinds = [track.kind for track in tracks]
    if kinds not in ([otio.schema.TrackKind.Video], [otio.schema.TrackKind.Video, otio.schema.TrackKind.Audio]):
        return False
    rate = tracks[0][0].duration().rate
    if timeline.duration().rate != rate:
        return False  # the adapter refuses it (validate_metadata)
    for track in tracks:
        video = track.kind == otio.schema.TrackKind.Video
        if not isinstance(track[0], otio.schema.Clip) and not (not video and isinstance(track[0], otio.schema.Gap)):
            return False
        for item in track:
            if isinstance(item, otio.schema.Clip):
                if not _clip_fits(item, rate):
                    return False
            elif isinstance(item, otio.schema.Transition):
                if not video or not _transition_fits(item, rate):
                    return False
            elif not isinstance(item, otio.schema.Gap) or item.duration().rate != rate:
                return False
    return True


def _clip_fits(clip: otio.schema.Clip, rate: float) -> bool:
    aaf = clip.metadata.get("AAF")
    reference = clip.media_reference
    if not isinstance(aaf, Mapping):
        return False
    if set(aaf.keys()) - {"MobID", "UserComments"} or not isinstance(aaf.get("MobID"), str):
        return False
    if not all(isinstance(key, str) and isinstance(value, str) for key, value in aaf.get("UserComments", {}).items()):
        return False
    if not isinstance(reference, (otio.schema.ExternalReference, otio.schema.MissingReference)) or reference.metadata.get("AAF"):
        return False
    available = reference.available_range
    if available is None or available.duration.value <= 0 or available.duration.rate != rate or available.start_time.rate != rate:
        return False
    if isinstance(reference, otio.schema.ExternalReference) and not reference.target_url:
        return False
    duration = clip.duration()
    return duration.rate == rate and duration.value > 0


_OPERATION_KEYS = ("Identification", "Name", "Description", "IsTimeWarp", "Bypass", "NumberInputs", "OperationCategory")


def _transition_fits(transition: otio.schema.Transition, rate: float) -> bool:
    if transition.transition_type != otio.schema.TransitionTypes.SMPTE_Dissolve or transition.duration().rate != rate:
        return False
    aaf = transition.metadata.get("AAF", {})
    try:
        operation = aaf["OperationGroup"]["Operation"]
        points = aaf["PointList"]
        return (
            len(points) == 2
            and all(key in operation for key in _OPERATION_KEYS)
            and operation["DataDefinition"]["Name"] == "Picture"
            and isinstance(aaf["CutPoint"], int)
        )
    except (KeyError, TypeError):
        return False


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The write makes ~300,000 small containers (objects, property lists, folders), none in a
    reference cycle, all freed by reference counting when it returns. Python's cycle collector
    still walks them, and everything older, every few hundred allocations: a third of the writing
    time at 1,000 shots. It is paused for the write and resumed after (if it was running)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_aaf(timeline: otio.schema.Timeline, path: Path) -> None:
    """Writes `timeline` (one `fits` accepts) to `path` as the OTIO AAF adapter would, with
    use_empty_mob_ids (random MobIDs for the file and tape mobs)."""
    with _without_cycle_collection():
        _write(timeline, path)


def _write(timeline: otio.schema.Timeline, path: Path) -> None:
    f = new_file()  # held in memory only: pyaaf2 never writes it
    tracks = [track for track in timeline.tracks if len(track)]
    # The dictionary definitions, in the order the adapter registers them.
    for track in tracks:
        if track.kind == otio.schema.TrackKind.Video:
            seen = set()
            for item in track:
                if isinstance(item, otio.schema.Transition):
                    operation = item.metadata["AAF"]["OperationGroup"]["Operation"]
                    if repr(operation) not in seen:
                        seen.add(repr(operation))
                        register_dissolve_defs(f, dict(operation))
        else:
            register_sound_pan_operation(f)
            if any(isinstance(item, otio.schema.Clip) for item in track):
                register_sound_pan_defs(f)
    model = AafModel(f)
    builder = MobBuilder(f, model, timeline)
    for track in tracks:
        builder.add_track(track)
    builder.add_timecode(timeline, tracks[0][0].duration().rate)

    # pyaaf2's objects as folders, with our mobs in the content storage's (empty) Mobs set.
    mobs_pid = model.pid("ContentStorage", "Mobs")
    holder = AafObject(b"")
    holder.props[mobs_pid] = (STRONG_REF_SET, builder.mob_set())
    namer = Namer(model.names)
    root = as_storage(f.root, "Root Entry")
    header = _child(root, namer.single(model.pid("Root", "Header"))[0])
    content = _child(header, namer.single(model.pid("Header", "Content"))[0])
    empty_index = namer.index(mobs_pid)[0] + " index"
    mob_folders = [c for c in to_storage(holder, "mobs", namer).children if c.name != "properties"]
    content.children = [c for c in content.children if c.name != empty_index] + mob_folders
    root.children.append(Stream("referenced properties", referenced_properties(f)))
    with open(path, "wb") as out:
        write_compound_file(root, out, root.class_id, _AAF_4K_CLASS_ID)


def _child(storage: Storage, name: str) -> Storage:
    found = next(c for c in storage.children if c.name == name)
    assert isinstance(found, Storage)  # noqa: S101 - pyaaf2's layout
    return found
