"""A faster AAF write through otio-aaf-adapter and pyaaf2 (see the section comment below).

Our own cuts no longer come this way: aaf_direct_writer.py writes the same objects without pyaaf2's
per-object cost. This path remains for timelines it does not cover (a cut read from another
editor and written back with clip attributes, nested tracks, hooks): interchange._write_aaf."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

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

from pipeline.export.patching import swapped

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
        swapped(aaf2.dictionary.Dictionary, "lookup_datadef", lambda dictionary, name: datadefs(dictionary, name)),
        swapped(aaf2.cfb.DirEntry, "makedir", _makedir),
        swapped(aaf2.cfb.DirEntry, "touch", _touch),
        swapped(aaf2.core.AAFObject, "get", lambda obj, key, default=None, allkeys=True: lookups.get(obj, key, default, allkeys)),
        swapped(aaf2.core.AAFObject, "validate", lambda obj, *_: lookups.validate(obj)),
        swapped(aaf2.metadict.PropertyDef, "typedef", property(lookups.typedef)),
        swapped(aaf2.metadict.ClassDef, "isinstance", lambda classdef, other: lookups.isinstance(classdef, other)),
        swapped(aaf2.properties.StrongRefVectorProperty, "extend", _extend_attaching_new_only),
        swapped(aaf_writer, "AudioTrackTranscriber", _OncePerTrackAudio),
        swapped(aaf_writer, "AAFFileTranscriber", _deferring_transcriber(deferred)),
        swapped(aaf2.properties.StrongRefSetProperty, "extend", lambda prop, values: deferred.extend(prop, values)),
        swapped(aaf2.file.AAFFile, "save", _saving_held_mobs(deferred)),
    ):
        yield
