"""Repairs for the OTIO adapters where they are wrong for our use; each says what it fixes and why.

We never write an interchange file by hand where an adapter exists: we let the adapter write it,
then correct what it gets wrong, or subclass it where the error is in its arithmetic.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from fractions import Fraction
from types import ModuleType
from urllib.parse import quote

import aaf2.cfb
import aaf2.core
import aaf2.dictionary
import aaf2.exceptions
import aaf2.file
import aaf2.metadict
import aaf2.misc
import aaf2.properties
import aaf2.rational
import opentimelineio as otio
from otio_aaf_adapter.adapters.aaf_adapter import aaf_writer
from otio_fcpx_xml_adapter.fcpx_xml import FcpxOtio, FcpxXml

from studio.frame_rate import FrameRate
from studio.project import VideoFormat

# --- Pretty-printing ----------------------------------------------------------------------------


class _IndentedTree:
    def __init__(self, root: ET.Element) -> None:
        self._root = root

    def toprettyxml(self, indent: str = "\t", encoding: str | None = None) -> str | bytes:
        ET.indent(self._root, space=indent)
        text = '<?xml version="1.0" ?>\n' + ET.tostring(self._root, encoding="unicode") + "\n"
        return text.encode(encoding) if encoding else text


class _ElementTreePrettyPrinter:
    """Stands in for `xml.dom.minidom` inside an adapter module: the same `parseString(...).toprettyxml()`
    result, made with ElementTree's C parser and `ET.indent` instead of a DOM of Python objects."""

    @staticmethod
    def parseString(data: str | bytes) -> _IndentedTree:  # noqa: N802 - minidom's name
        return _IndentedTree(ET.fromstring(data))


def _indented_xml(root: ET.Element) -> str:
    ET.indent(root, space="    ")
    return '<?xml version="1.0" ?>\n' + ET.tostring(root, encoding="unicode") + "\n"


_PATCH_LOCK = threading.RLock()  # re-entrant: one writer may swap several attributes


@contextlib.contextmanager
def _swapped(module: ModuleType, name: str, replacement: object) -> Iterator[None]:
    """`module.name` is `replacement` while the block runs. The lock keeps two exports in threads
    from restoring each other's attribute."""
    with _PATCH_LOCK:
        original = getattr(module, name)
        setattr(module, name, replacement)
        try:
            yield
        finally:
            setattr(module, name, original)


def _fcp7_backreference(module: ModuleType) -> Callable[[otio.core.SerializableObject, str, dict], tuple[str, bool]]:
    """The FCP7 writer's `_backreference_for_item` with the same ids: an item seen before gets its id
    again, a new one its preferred id from metadata if free, else the lowest free number. The stock
    version rebuilds the set of used ids and a range of candidates for every item (quadratic: half
    a second at 1,000 shots, a minute at 10,000); this one keeps them, beside the tag maps."""

    def backreference(item: otio.core.SerializableObject, tag: str, br_map: dict) -> tuple[str, bool]:
        if isinstance(item, otio.schema.ExternalReference):
            item_hash = hash(str(item.target_url))
        else:
            item_hash = hash(otio.core.serialize_json_to_string(item))
        tag_ids = br_map.setdefault(tag, {})
        if item_hash in tag_ids:
            return f"{tag}-{tag_ids[item_hash]}", False
        used = br_map.setdefault((_FAST_IDS, tag), set())
        preferred = None
        original = item.metadata.get(module.META_NAMESPACE, {}).get("@id")
        match = module.ID_RE.match(original) if original is not None else None
        if match is not None and match.group("tag") == tag:
            preferred = int(match.group("id"))
        if preferred is not None and preferred not in used:
            item_id = preferred
        else:
            item_id = br_map.get((_FAST_NEXT, tag), 1)
            while item_id in used:
                item_id += 1
        used.add(item_id)
        lowest = br_map.get((_FAST_NEXT, tag), 1)
        while lowest in used:
            lowest += 1
        br_map[(_FAST_NEXT, tag)] = lowest
        tag_ids[item_hash] = item_id
        return f"{tag}-{item_id}", True

    return backreference


_FAST_IDS, _FAST_NEXT = "storyboard-studio used ids", "storyboard-studio lowest free id"


@contextlib.contextmanager
def fast_fcp7_writer(adapter_module: ModuleType) -> Iterator[None]:
    """The FCP7 writer with ElementTree indentation and linear-time id allocation (same output)."""
    with (
        _swapped(adapter_module, "_make_pretty_string", _indented_xml),
        _swapped(adapter_module, "_backreference_for_item", _fcp7_backreference(adapter_module)),
    ):
        yield


def fast_pretty_printing(adapter_module: ModuleType) -> contextlib.AbstractContextManager[None]:
    """The FCP7, FCP X and Kdenlive writers build their XML with ElementTree, then re-parse it into a
    minidom DOM only to indent it: at 1,000 shots that is half their time. While this is active the
    adapter indents with ElementTree instead (same elements, same text, same indentation), through
    a stand-in for the `minidom` it calls."""
    return _swapped(adapter_module, "minidom", _ElementTreePrettyPrinter)


# --- Kdenlive -----------------------------------------------------------------------------------


def fix_kdenlive(xml_text: str, video: VideoFormat, title: str, total_frames: int) -> str:
    """The Kdenlive adapter (0.0.3) writes a fixed 'HD 1080p' profile and a black background
    producer with no length; melt then renders 15,000 frames (625 s) at 1920x1080 whatever the cut.
    We set the project's real size, aspect and exact rate, give the background the cut's length,
    and keep the title."""
    root = ET.fromstring(xml_text)
    rate = video.frame_rate
    profile = root.find("profile")
    if profile is None:
        profile = ET.SubElement(root, "profile")
    aspect_num, aspect_den = (int(part) for part in video.aspect.split(":"))
    profile.attrib.update(
        {
            "description": f"{video.width}x{video.height} {rate.fps:.3f} fps",
            "width": str(video.width),
            "height": str(video.height),
            "frame_rate_num": str(rate.numerator),
            "frame_rate_den": str(rate.denominator),
            "display_aspect_num": str(aspect_num),
            "display_aspect_den": str(aspect_den),
            "sample_aspect_num": "1",
            "sample_aspect_den": "1",
        }
    )
    root.set("title", title)
    black = root.find("producer[@id='black_track']")
    if black is not None and total_frames > 0:
        black.set("in", "0")
        black.set("out", str(total_frames - 1))
        length = black.find("property[@name='length']")
        if length is None:
            length = ET.SubElement(black, "property", {"name": "length"})
        length.text = str(total_frames)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --- CMX 3600 EDL -------------------------------------------------------------------------------

_TC = r"\d\d:\d\d:\d\d[:;]\d\d"
_EVENT_LINE = re.compile(rf"^(?P<head>\d{{3,}}\s.*?)(?P<src_in>{_TC}) (?P<src_out>{_TC}) (?P<rec_in>{_TC}) (?P<rec_out>{_TC})\s*$")
_LOCATOR_LINE = re.compile(rf"^(?P<head>\* LOC: )(?P<tc>{_TC})(?P<tail>.*)$")


def offset_edl_record(edl_text: str, rate: FrameRate) -> str:
    """The CMX 3600 writer records the cut from 00:00:00:00, ignoring the timeline's start (editors
    expect 01:00:00:00), and writes drop-frame timecode at 29.97 and 59.94 while every other
    timecode we write is non-drop. Rewrites each event's and locator's timecodes as non-drop, shifts
    the record in and out by one hour, and states the frame code mode, which the writer leaves out."""
    fps = rate.fps
    hour = otio.opentime.RationalTime(3600 * rate.timecode_base, fps)

    def ndf(tc: str, offset: otio.opentime.RationalTime | None = None) -> str:
        time = otio.opentime.from_timecode(tc, fps)
        return otio.opentime.to_timecode(time + offset if offset is not None else time, fps, False)

    lines = []
    for line in edl_text.splitlines():
        if match := _EVENT_LINE.match(line):
            line = f"{match['head']}{ndf(match['src_in'])} {ndf(match['src_out'])} {ndf(match['rec_in'], hour)} {ndf(match['rec_out'], hour)}"
        elif match := _LOCATOR_LINE.match(line):
            line = f"{match['head']}{ndf(match['tc'])}{match['tail']}"
        lines.append(line)
        if line.startswith("TITLE:"):
            lines.append("FCM: NON-DROP FRAME")
    return "\n".join(lines) + "\n"


# --- Final Cut Pro X XML ------------------------------------------------------------------------


def _exact_rate(rate: float) -> Fraction:
    return Fraction(rate).limit_denominator(1001 * 240)


def _fcpx_format_name(video: VideoFormat) -> str:
    """FCP X's own names for the common formats; others are described by width and height alone."""
    rate = video.frame_rate
    code = {Fraction(24000, 1001): "2398", Fraction(30000, 1001): "2997", Fraction(60000, 1001): "5994"}.get(rate.fraction)
    if code is None and rate.denominator == 1:
        code = str(rate.numerator)
    if code and (video.width, video.height) in ((1920, 1080), (1280, 720), (3840, 2160)):
        return f"FFVideoFormat{video.height if video.height != 2160 else '3840x2160'}p{code}"
    return "FFVideoFormatRateUndefined"


class ExactFcpxWriter(FcpxOtio):
    """The FCP X writer (otio-fcpx-xml-adapter 1.0.0) knows frame durations only for a table of
    integer-keyed rates, so 23.976 and 29.97 crash it ('not enough values to unpack'), and it
    names formats by running ffprobe on every clip. We give it the exact frame duration, the
    project's frame size, and a format name without probing."""

    def __init__(self, timeline: otio.schema.Timeline, video: VideoFormat) -> None:
        super().__init__(timeline)
        self._video = video
        self._fps = video.frame_rate.fraction
        # The stock writer finds every asset, asset-clip and format by an XPath search over all
        # resources, and every audio clip's parent by walking the whole spine: quadratic, a minute
        # for 1,000 shots. These indexes make each lookup constant (or logarithmic) time.
        self._assets_by_url: dict[str, ET.Element] = {}
        self._assets_by_id: dict[str, ET.Element] = {}
        self._asset_clips_by_name: dict[str, ET.Element] = {}
        self._formats: dict[str, ET.Element] = {}
        self._spine_index: tuple[int, list[Fraction], list[ET.Element]] | None = None

    @staticmethod
    def _framerate_to_frame_duration(framerate: float) -> str:
        exact = _exact_rate(framerate)
        return f"{exact.denominator}/{exact.numerator}s"

    def _clip_format_name(self, clip: otio.core.Composable) -> str:
        return _fcpx_format_name(self._video)

    @staticmethod
    def _target_url_from_clip(clip: otio.schema.Clip) -> str:
        # The stock writer points offline clips at file:///tmp/<name>; say plainly they are offline.
        if clip.media_reference and not clip.media_reference.is_missing_reference:
            return clip.media_reference.target_url
        return f"file:///offline/{quote(clip.name)}"

    def _asset_by_path(self, path: str) -> ET.Element | None:
        return self._assets_by_url.get(path)

    def _asset_by_id(self, asset_id: str) -> ET.Element | None:
        return self._assets_by_id.get(asset_id)

    def _asset_clip_by_name(self, name: str) -> ET.Element | None:
        return self._asset_clips_by_name.get(name)

    def _format_by_frame_rate(self, frame_rate: float) -> ET.Element | None:
        key = self._framerate_to_frame_duration(frame_rate)
        if key not in self._formats:
            found = super()._format_by_frame_rate(frame_rate)
            if found is None:
                return None
            self._formats[key] = found
        return self._formats[key]

    def _create_asset_element(self, clip: otio.schema.Clip, format_element: ET.Element) -> ET.Element:
        asset = super()._create_asset_element(clip, format_element)
        self._assets_by_url[asset.get("src")] = asset
        self._assets_by_id[asset.get("id")] = asset
        return asset

    def _create_asset_clip_element(self, clip: otio.schema.Clip, format_element: ET.Element, resource_id: str) -> None:
        super()._create_asset_clip_element(clip, format_element, resource_id)
        self._asset_clips_by_name.setdefault(clip.name, self.event_resource[-1])

    def _find_parent_element(self, spine: ET.Element, trimmed_range: otio.opentime.RationalTime, format_id: str) -> ET.Element | None:
        """The primary-storyline item playing at `trimmed_range` (a time), found by bisection over the
        spine's start offsets; the stock version walks the spine for every connected clip."""
        children = len(spine)
        if self._spine_index is None or self._spine_index[0] != children:
            starts, items = [], []
            for item in spine:
                if item.tag in ("clip", "asset-clip", "gap", "ref-clip") and item.get("lane") is None:
                    starts.append(_fcpx_time(item.get("offset")))
                    items.append(item)
            self._spine_index = (children, starts, items)
        _, starts, items = self._spine_index
        at = Fraction(round(trimmed_range.value)) / _exact_rate(trimmed_range.rate)
        index = bisect.bisect_right(starts, at) - 1
        if index < 0:
            return None
        item = items[index]
        return item if at < starts[index] + _fcpx_time(item.get("duration")) else None

    def _offset_based_on_parent(self, child: ET.Element, parent: ET.Element, default_format_id: str) -> otio.opentime.RationalTime:
        """Where a connected clip sits in its parent's own time, exactly; the stock version converts
        through an integer frame rate and misplaces sound at 23.976 and 29.97."""
        seconds = _fcpx_time(child.get("offset")) - _fcpx_time(parent.get("offset")) + _fcpx_time(parent.get("start"))
        return otio.opentime.RationalTime(round(seconds * self._fps), float(self._fps))

    def _find_or_create_format_from(self, clip: otio.core.Composable) -> ET.Element:
        element = super()._find_or_create_format_from(clip)
        element.set("width", str(self._video.width))
        element.set("height", str(self._video.height))
        return element


def _fcpx_time(value: str | None) -> Fraction:
    """'1001/24000s', '4s' or '0s' as exact seconds."""
    if not value or value == "0s":
        return Fraction(0)
    return Fraction(value.rstrip("s"))


class ExactFcpxReader(FcpxXml):
    """The FCP X reader turns every rate into an int (23.976 -> 23) and truncates times to frames
    (97 frames at 25 fps read back as 96). These overrides do the same reading with exact rationals."""

    def _format_fps(self, format_id: str) -> Fraction:
        total, rate = self._format_frame_duration(format_id)
        return Fraction(rate) / Fraction(total)

    def _format_frame_rate(self, format_id: str) -> float:
        return float(self._format_fps(format_id))

    def _number_of_frames(self, time_value: str | None, format_id: str) -> int:
        return round(_fcpx_time(time_value) * self._format_fps(format_id))

    def _rational(self, value: str | None, format_id: str) -> otio.opentime.RationalTime:
        return otio.opentime.RationalTime(self._number_of_frames(value, format_id), self._format_frame_rate(format_id))

    def _time_range(self, element: ET.Element, format_id: str) -> otio.opentime.TimeRange:
        return otio.opentime.TimeRange(self._rational(element.get("start", "0s"), format_id), self._rational(element.get("duration"), format_id))

    def _reference_from_id(self, asset_id: str, default_format: str) -> otio.core.MediaReference:
        reference = super()._reference_from_id(asset_id, default_format)
        asset = self._asset_by_id(asset_id)
        if isinstance(reference, otio.schema.ExternalReference):
            format_id = asset.get("format", default_format)
            reference.available_range = otio.opentime.TimeRange(self._rational(asset.get("start"), format_id), self._rational(asset.get("duration"), format_id))
        return reference


# --- AAF ----------------------------------------------------------------------------------------
#
# The AAF adapter (otio-aaf-adapter 2.0.0) writes through pyaaf2 (1.7.1), which keeps every object of
# the file in a compound-file directory as it is built. At 1,000 shots it took 15-20 s, much of it in
# lookups pyaaf2 and the adapter repeat for every object. The repairs below (`fast_aaf_writer`) halve
# that or better and write the same objects and values (test_adapter_fixes.py compares the files
# object by object); each says what it saves. What is left (~8 ms a shot: ~34 objects, ~76 directory
# entries) is spread thinly over pyaaf2's object model and its compound-file directory, where no
# single function is more than a few per cent: pure-Python pyaaf2 cannot write 1,000 shots in 1 s.


class _AafLookups:
    """pyaaf2 finds a property by name (`obj["Name"]`) by comparing the name of every property the
    object holds, then walking its class's whole ancestry of property definitions: ~450,000 lookups
    at 1,000 shots, a third of the writing time. It checks required properties before writing each
    object the same way, and finds a property's type and a class's ancestry by walking the
    metadictionary. Definitions never change once made, so each answer is kept per definition.
    Only found names are kept: a miss takes pyaaf2's own path (a definition may be added later)."""

    def __init__(self) -> None:
        self._get, self._validate = aaf2.core.AAFObject.get, aaf2.core.AAFObject.validate
        self._typedef, self._isinstance = aaf2.metadict.PropertyDef.typedef, aaf2.metadict.ClassDef.isinstance
        self._typedefs: dict[int, tuple[object, object]] = {}
        self._kinship: dict[tuple[int, int], tuple[object, object, bool]] = {}
        self._by_class: dict[int, tuple[object, dict[str, tuple[int, int]]]] = {}
        self._required: dict[int, tuple[object, tuple[tuple[int, object], ...]]] = {}

    def get(self, obj, key, default=None, allkeys=True):  # noqa: ANN001, ANN201 - pyaaf2's AAFObject.get
        classdef = obj.classdef
        if classdef is None:
            return self._get(obj, key, default, allkeys)
        names = self._by_class.setdefault(id(classdef), (classdef, {}))[1]
        found = names.get(key)
        if found is None:
            for propertydef in classdef.all_propertydefs():
                if propertydef.property_name == key:
                    fmt = propertydef.store_format
                    if propertydef.auid == aaf2.core.OPERATIONGROUP_PARAMETERS_AUID:
                        fmt = aaf2.properties.SF_STRONG_OBJECT_REFERENCE_SET  # pyaaf2's own workaround
                    found = names[key] = (propertydef.pid, fmt)
                    break
            else:
                return self._get(obj, key, default, allkeys)
        pid, fmt = found
        existing = obj.property_entries.get(pid)
        if existing is not None:
            return existing
        if not allkeys:
            return default
        return aaf2.properties.property_formats[fmt](obj, pid, fmt)

    def validate(self, obj) -> None:  # noqa: ANN001 - pyaaf2's AAFObject.validate
        classdef = obj.classdef
        kept = self._required.get(id(classdef))
        if kept is None:
            required = tuple((p.pid, p) for p in classdef.all_propertydefs() if not p.optional and p.property_name != "ObjClass")
            kept = self._required[id(classdef)] = (classdef, required)
        if any(pid not in obj.property_entries for pid, _ in kept[1]):
            self._validate(obj)  # raises pyaaf2's own error, naming what is missing

    def typedef(self, propertydef):  # noqa: ANN001, ANN201 - pyaaf2's PropertyDef.typedef
        """A property's type, which pyaaf2 looks up in the metadictionary on every value read or set."""
        kept = self._typedefs.get(id(propertydef))
        if kept is None:
            kept = self._typedefs[id(propertydef)] = (propertydef, self._typedef.fget(propertydef))
        return kept[1]

    def isinstance(self, classdef, other) -> bool:  # noqa: ANN001 - pyaaf2's ClassDef.isinstance
        """Whether `other` is `classdef` or descends from it: checked for every object added to a list,
        by walking `other`'s ancestry."""
        key = (id(classdef), id(other))
        kept = self._kinship.get(key)
        if kept is None:
            kept = self._kinship[key] = (classdef, other, self._isinstance(classdef, other))
        return kept[2]


def _extend_attaching_new_only(vector, values) -> None:  # noqa: ANN001 - pyaaf2's StrongRefVectorProperty.extend
    """pyaaf2's `StrongRefVectorProperty.extend` with the same checks and bookkeeping, but once the
    owner is in the file it files only the objects it adds; the stock one re-files the whole vector
    on every append, so a sequence of n clips built one append at a time costs n² directory look-ups."""
    if not vector.writeable:
        raise aaf2.exceptions.AAFPropertyError("file readonly")
    values = list(values)
    vector.index_name  # noqa: B018 - reading it sets the vector's data, as in pyaaf2
    ref_classdef = vector.ref_classdef
    for obj in values:
        assert ref_classdef.isinstance(obj.classdef)  # noqa: S101 - pyaaf2's own check
        if obj.root is not vector.parent.root:
            raise aaf2.exceptions.AAFAttachError("Object is from a different root")
        if obj.dir:
            raise aaf2.exceptions.AAFAttachError("Object already attached")
    first = len(vector.references)
    for obj in values:
        vector.objects[len(vector.references)] = obj
        vector.references.append(vector.next_free_key)
        vector.next_free_key += 1
    vector.add_pid_entry()
    parent_dir = vector.parent.dir
    if parent_dir:
        for index in range(first, len(vector.references)):
            ref = vector.index_ref_name(index)
            dir_entry = parent_dir.get(ref) or parent_dir.makedir(ref)
            vector.get(index).attach(dir_entry)
    vector.mark_modified()


def _child_entry(parent: aaf2.cfb.DirEntry, name: str, dir_type: str, class_id: object = None) -> aaf2.cfb.DirEntry:
    """pyaaf2's `create_dir_entry` for a child of `parent`, which the caller already holds: the stock
    `DirEntry.makedir` and `touch` turn it into a path, and the compound file then walks that path
    down from the root twice (does it exist? where is its folder?) for each of ~76,000 entries."""
    if not parent.isdir():
        raise TypeError("can only add a DirEntry to a storage type")
    if parent.get(name) is not None:
        raise ValueError(f"{parent.path()}/{name} already exists")
    storage = parent.storage
    dir_id = storage.next_free_dir_id()
    entry = aaf2.cfb.DirEntry(storage, dir_id)
    entry.name = name
    entry.type = dir_type
    entry.class_id = class_id
    parent.add_child(entry)
    storage.dir_cache[dir_id] = entry
    return entry


def _makedir(parent: aaf2.cfb.DirEntry, relative_path: str, class_id: object = None) -> aaf2.cfb.DirEntry:
    if "/" in relative_path:
        return _STOCK_MAKEDIR(parent, relative_path, class_id)
    return _child_entry(parent, relative_path, "storage", class_id)


def _touch(parent: aaf2.cfb.DirEntry, name: str) -> aaf2.cfb.DirEntry:
    return parent.get(name, None) or _child_entry(parent, name, "stream")


_STOCK_MAKEDIR = aaf2.cfb.DirEntry.makedir


class _DataDefsByName:
    """Every clip, filler and sequence names its kind ('picture', 'sound'): pyaaf2 finds the data
    definition by reading and comparing each one in the dictionary, ~10,000 times at 1,000 shots.
    Found definitions are kept per dictionary (by name) while the writer runs."""

    def __init__(self, lookup: Callable) -> None:
        self._lookup = lookup
        self._found: dict[tuple[int, str], tuple[object, object]] = {}

    def __call__(self, dictionary, name):  # noqa: ANN001, ANN204 - pyaaf2's Dictionary.lookup_datadef
        if not isinstance(name, str):
            return self._lookup(dictionary, name)
        key = (id(dictionary), name)
        if key not in self._found:
            self._found[key] = (dictionary, self._lookup(dictionary, name))
        return self._found[key][1]


class _OncePerTrackAudio(aaf_writer.AudioTrackTranscriber):
    """The stock sound-track writer creates and registers the same 'Pan' parameter and 'LinearInterp'
    interpolation definitions again for every clip (each replaces the last: the file keeps one of
    each). We make them once per track; each clip's pan control is written as before."""

    def aaf_sourceclip(self, otio_clip: otio.schema.Clip):  # noqa: ANN201 - an aaf2 SourceClip
        if not hasattr(self, "_pan_defs"):
            typedef = self.aaf_file.dictionary.lookup_typedef("Rational")
            param_def = self.aaf_file.create.ParameterDef(aaf_writer.AAF_PARAMETERDEF_PAN, "Pan", "Pan", typedef)
            self.aaf_file.dictionary.register_def(param_def)
            interp_def = self.aaf_file.create.InterpolationDef(aaf2.misc.LinearInterp, "LinearInterp", "LinearInterp")
            self.aaf_file.dictionary.register_def(interp_def)
            self._pan_defs = (param_def, interp_def)
        param_def, interp_def = self._pan_defs
        varying_value = self.aaf_file.create.VaryingValue()
        varying_value.parameterdef = param_def
        varying_value["Interpolation"].value = interp_def
        length = int(otio_clip.duration().value)
        default_points = [
            {"ControlPointSource": 2, "Time": f"0/{length}", "Value": "1/2"},
            {"ControlPointSource": 2, "Time": f"{length - 1}/{length}", "Value": "1/2"},
        ]
        for cp_dict in otio_clip.metadata.get("AAF", {}).get("Pan", {}).get("ControlPoints", default_points):
            point = self.aaf_file.create.ControlPoint()
            point["Time"].value = aaf2.rational.AAFRational(cp_dict["Time"])
            point["Value"].value = aaf2.rational.AAFRational(cp_dict["Value"])
            point["ControlPointSource"].value = cp_dict["ControlPointSource"]
            varying_value["PointList"].append(point)
        self.timeline_mobslot.segment.parameters.append(varying_value)
        return aaf_writer._TrackTranscriber.aaf_sourceclip(self, otio_clip)  # noqa: SLF001 - skipping only the stock pan set-up


class _DeferredMobs:
    """The adapter adds each mob to the file's content as soon as it makes it, then fills it in; from
    then on pyaaf2 files every slot, clip and property as it arrives (a directory entry each, the
    object re-registered as modified on every change). Held back and added together once complete,
    the same mobs, in the same order, are filed in one pass: a quarter of the writing time."""

    def __init__(self) -> None:
        self._pending: dict[int, tuple[object, list]] = {}  # the content's Mobs property -> mobs
        self._extend = aaf2.properties.StrongRefSetProperty.extend

    def hold(self, mobs_property) -> None:  # noqa: ANN001 - an aaf2 StrongRefSetProperty
        self._pending.setdefault(id(mobs_property), (mobs_property, []))

    def extend(self, prop, values) -> None:  # noqa: ANN001 - pyaaf2's StrongRefSetProperty.extend
        held = self._pending.get(id(prop))
        if held is None or held[0] is not prop:
            self._extend(prop, values)
        else:
            held[1].extend(values)

    def add_all(self, mobs_property) -> None:  # noqa: ANN001 - an aaf2 StrongRefSetProperty
        held = self._pending.pop(id(mobs_property), None)
        if held is not None and held[1]:
            self._extend(mobs_property, held[1])


def _deferring_transcriber(deferred: _DeferredMobs) -> type:
    class DeferringFileTranscriber(aaf_writer.AAFFileTranscriber):
        """The stock file transcriber, holding back every mob after the composition (see _DeferredMobs)
        until the composition's timecode track, the last thing the adapter writes before its hook."""

        def __init__(self, input_otio: otio.schema.Timeline, aaf_file: aaf2.file.AAFFile, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - the adapter's
            super().__init__(input_otio, aaf_file, *args, **kwargs)
            deferred.hold(aaf_file.content.mobs)

        def add_timecode(self, input_otio: otio.schema.Timeline, default_edit_rate: object) -> None:
            deferred.add_all(self.aaf_file.content.mobs)
            super().add_timecode(input_otio, default_edit_rate)

    return DeferringFileTranscriber


def _saving_held_mobs(deferred: _DeferredMobs) -> Callable:
    stock_save = aaf2.file.AAFFile.save

    def save(aaf_file: aaf2.file.AAFFile) -> None:
        """pyaaf2's save, first adding any mobs still held back (a timeline with no timecode track)."""
        if aaf_file.mode in ("wb+", "rb+") and aaf_file.is_open:
            deferred.add_all(aaf_file.content.mobs)
        stock_save(aaf_file)

    return save


@contextlib.contextmanager
def fast_aaf_writer() -> Iterator[None]:
    """The AAF adapter and pyaaf2 with the repairs above while the block runs (same file contents)."""
    lookups = _AafLookups()
    deferred = _DeferredMobs()
    datadefs = _DataDefsByName(aaf2.dictionary.Dictionary.lookup_datadef)
    with (
        _swapped(aaf2.dictionary.Dictionary, "lookup_datadef", lambda dictionary, name: datadefs(dictionary, name)),
        _swapped(aaf2.cfb.DirEntry, "makedir", _makedir),
        _swapped(aaf2.cfb.DirEntry, "touch", _touch),
        _swapped(aaf2.core.AAFObject, "get", lambda obj, key, default=None, allkeys=True: lookups.get(obj, key, default, allkeys)),
        _swapped(aaf2.core.AAFObject, "validate", lambda obj, *_: lookups.validate(obj)),
        _swapped(aaf2.metadict.PropertyDef, "typedef", property(lookups.typedef)),
        _swapped(aaf2.metadict.ClassDef, "isinstance", lambda classdef, other: lookups.isinstance(classdef, other)),
        _swapped(aaf2.properties.StrongRefVectorProperty, "extend", _extend_attaching_new_only),
        _swapped(aaf_writer, "AudioTrackTranscriber", _OncePerTrackAudio),
        _swapped(aaf_writer, "AAFFileTranscriber", _deferring_transcriber(deferred)),
        _swapped(aaf2.properties.StrongRefSetProperty, "extend", lambda prop, values: deferred.extend(prop, values)),
        _swapped(aaf2.file.AAFFile, "save", _saving_held_mobs(deferred)),
    ):
        yield
