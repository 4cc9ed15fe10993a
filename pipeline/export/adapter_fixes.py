"""Repairs for the OTIO adapters where they are wrong for our use; each says what it fixes and why.

We never write an interchange file by hand where an adapter exists: we let the adapter write it,
then correct what it gets wrong, or subclass it where the error is in its arithmetic.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from fractions import Fraction
from types import ModuleType
from urllib.parse import quote

import opentimelineio as otio
from otio_fcpx_xml_adapter.fcpx_xml import FcpxOtio, FcpxXml

from pipeline.export.patching import swapped
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
        swapped(adapter_module, "_make_pretty_string", _indented_xml),
        swapped(adapter_module, "_backreference_for_item", _fcp7_backreference(adapter_module)),
    ):
        yield


def fast_pretty_printing(adapter_module: ModuleType) -> contextlib.AbstractContextManager[None]:
    """The FCP7, FCP X and Kdenlive writers build their XML with ElementTree, then re-parse it into a
    minidom DOM only to indent it: at 1,000 shots that is half their time. While this is active the
    adapter indents with ElementTree instead (same elements, same text, same indentation), through
    a stand-in for the `minidom` it calls."""
    return swapped(adapter_module, "minidom", _ElementTreePrettyPrinter)


# --- Metadata look-ups ---------------------------------------------------------------------------

_ANY_DICTIONARY = otio._otio.AnyDictionary  # noqa: SLF001 - the class behind every `.metadata`
_ANY_DICTIONARY_ITER = _ANY_DICTIONARY.__iter__


def _metadata_keys(metadata: otio._otio.AnyDictionary) -> list[str]:  # noqa: SLF001
    """The keys, read without running off the end: OTIO's iterator ends by raising StopIteration
    out of C++, which costs ~9 µs, twenty times the rest of the loop."""
    keys = _ANY_DICTIONARY_ITER(metadata)
    return [next(keys) for _ in range(len(metadata))]


def _surely_absent(metadata: otio._otio.AnyDictionary, key: object) -> bool:  # noqa: SLF001
    """A string key without NUL that is not among the keys listed is not there. (OTIO lists a key
    only up to a NUL it holds: any other key is asked for the slow way.)"""
    return isinstance(key, str) and "\0" not in key and key not in _metadata_keys(metadata)


def _metadata_get(metadata: otio._otio.AnyDictionary, key: object, default: object = None) -> object:  # noqa: SLF001
    if _surely_absent(metadata, key):
        return default
    try:
        return metadata[key]
    except KeyError:
        return default


def _metadata_contains(metadata: otio._otio.AnyDictionary, key: object) -> bool:  # noqa: SLF001
    if _surely_absent(metadata, key):
        return False
    try:
        metadata[key]
    except KeyError:
        return False
    return True


def _metadata_iter(metadata: otio._otio.AnyDictionary) -> Iterator[str]:  # noqa: SLF001
    return iter(_metadata_keys(metadata))


@contextlib.contextmanager
def fast_metadata_lookups() -> Iterator[None]:
    """OTIO's metadata dictionaries answer a missing key (`get`, `in`) by catching a KeyError
    thrown from C++ (~9 µs), and end every iteration the same way. The writers ask for keys our
    clips do not have ('fcp_xml' on a marker, 'AAF' on a media reference) tens of thousands of
    times at 1,000 shots: a fifth of the FCP7 writer's time. While this is active those three
    methods list the keys first and throw only where a key is there (same answers, same order)."""
    with (
        swapped(_ANY_DICTIONARY, "get", _metadata_get),
        swapped(_ANY_DICTIONARY, "__contains__", _metadata_contains),
        swapped(_ANY_DICTIONARY, "__iter__", _metadata_iter),
    ):
        yield


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
        self._composition_formats: dict[int, tuple[otio.core.Composition, ET.Element]] = {}

    @staticmethod
    def _framerate_to_frame_duration(framerate: float) -> str:
        exact = _exact_rate(framerate)
        return f"{exact.denominator}/{exact.numerator}s"

    def _clip_format_name(self, clip: otio.core.Composable) -> str:
        return _fcpx_format_name(self._video)

    @staticmethod
    @functools.lru_cache(maxsize=4096)
    def _calculate_rational_number(duration: float, rate: float) -> str:
        """The stock conversion (a float to the nearest fraction), kept per value: a cut repeats
        the same few lengths thousands of times, and each conversion costs ~10 µs."""
        return FcpxOtio._calculate_rational_number(duration, rate)

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
        # The stock writer asks for the sound track's format twice for every sound clip, and each
        # time reads the track's duration (a sum over all its clips) twice: quadratic, a tenth of
        # a second at 1,000 shots. A track's format is the same every time: it is kept.
        if isinstance(clip, otio.core.Composition):
            kept = self._composition_formats.get(id(clip))
            if kept is not None and kept[0] is clip:
                return kept[1]
        element = super()._find_or_create_format_from(clip)
        element.set("width", str(self._video.width))
        element.set("height", str(self._video.height))
        if isinstance(clip, otio.core.Composition):
            self._composition_formats[id(clip)] = (clip, element)
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
