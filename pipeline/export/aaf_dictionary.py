"""The part of an AAF file that does not grow with the cut: metadictionary, dictionary, header.

pyaaf2 builds these in memory in a few tens of milliseconds: the metadictionary of its extension
classes, the default data, container and codec definitions, the identification, and the
definitions the OTIO AAF adapter registers for what the cut holds (a dissolve's operation and
parameters, the sound track's pan). We let pyaaf2 make them with the adapter's own arguments, then
take its objects over as compound-file folders, property by property, without pyaaf2 writing a file.
The mobs, which do grow with the cut, are added by aaf_mobs.py.
"""

from __future__ import annotations

import struct
import uuid

import aaf2
import aaf2.file
import aaf2.misc
import aaf2.properties as props
from otio_aaf_adapter.adapters.aaf_adapter import aaf_writer

from pipeline.export.aaf_compound_file import Storage, Stream
from pipeline.export.aaf_properties import aaf_object, set_index, vector_index


def new_file() -> aaf2.file.AAFFile:
    """An empty AAF file held by pyaaf2 in memory (never saved: we write the container ourselves)."""
    return aaf2.open(None, "w")


def register_dissolve_defs(f: aaf2.file.AAFFile, operation: dict) -> None:
    """What the adapter's VideoTrackTranscriber.aaf_transition registers for a dissolve, with the
    same arguments: the Avid parameters, linear interpolation and the operation."""
    dictionary = f.dictionary
    byte_order = f.create.ParameterDef(aaf_writer.AAF_PARAMETERDEF_AVIDPARAMETERBYTEORDER, "AvidParameterByteOrder", "", dictionary.lookup_typedef("aafUInt16"))
    dictionary.register_def(byte_order)
    effect_id = f.create.ParameterDef(aaf_writer.AAF_PARAMETERDEF_AVIDEFFECTID, "AvidEffectID", "", dictionary.lookup_typedef("AvidBagOfBits"))
    dictionary.register_def(effect_id)
    opacity = f.create.ParameterDef(aaf_writer.AAF_PARAMETERDEF_AFX_FG_KEY_OPACITY_U, "AFX_FG_KEY_OPACITY_U", "", dictionary.lookup_typedef("Rational"))
    dictionary.register_def(opacity)
    interpolation = f.create.InterpolationDef(aaf2.misc.LinearInterp, "LinearInterp", "Linear keyframe interpolation")
    dictionary.register_def(interpolation)
    op_def = f.create.OperationDef(uuid.UUID(operation["Identification"]), operation["Name"])
    dictionary.register_def(op_def)
    op_def.media_kind = "picture"
    op_def["IsTimeWarp"].value = operation["IsTimeWarp"]
    op_def["Bypass"].value = operation["Bypass"]
    op_def["NumberInputs"].value = operation["NumberInputs"]
    op_def["OperationCategory"].value = str(operation["OperationCategory"])
    op_def["ParametersDefined"].extend([byte_order, effect_id])
    op_def["DataDefinition"].value = dictionary.lookup_datadef("picture")
    op_def["Description"].value = str(operation["Description"])


def register_sound_pan_operation(f: aaf2.file.AAFFile) -> None:
    """The adapter's AudioTrackTranscriber wraps the sound track in a mono 'Audio Pan' operation."""
    opdef = f.create.OperationDef(aaf_writer.AAF_OPERATIONDEF_MONOAUDIOPAN, "Audio Pan")
    opdef.media_kind = "sound"
    opdef["NumberInputs"].value = 1
    f.dictionary.register_def(opdef)


def register_sound_pan_defs(f: aaf2.file.AAFFile) -> None:
    """What the adapter registers for each sound clip's pan (the same two definitions each time)."""
    param_def = f.create.ParameterDef(aaf_writer.AAF_PARAMETERDEF_PAN, "Pan", "Pan", f.dictionary.lookup_typedef("Rational"))
    f.dictionary.register_def(param_def)
    f.dictionary.register_def(f.create.InterpolationDef(aaf2.misc.LinearInterp, "LinearInterp", "LinearInterp"))


def as_storage(obj, name: str, overrides: dict[int, dict[int, bytes]] | None = None) -> Storage:  # noqa: ANN001 - a pyaaf2 AAFObject
    """A pyaaf2 object, and every object it holds, as the folders pyaaf2 would have written.
    `overrides`: for an object (by id), values to write instead of some of its properties' (by pid),
    so one object built by pyaaf2 serves as the pattern of many that differ only there."""
    overrides = overrides or {}
    children: list[Storage | Stream] = []
    for p in obj.property_entries.values():
        if isinstance(p, props.StrongRefProperty):
            children.append(as_storage(p.value, p.ref, overrides))
        elif isinstance(p, props.StrongRefVectorProperty):
            for index, key in enumerate(p.references):
                children.append(as_storage(p.get(index), f"{p.index_name}{{{key:x}}}", overrides))
            children.append(Stream(f"{p.index_name} index", vector_index(p.references, p.next_free_key, p.last_free_key)))
        elif isinstance(p, props.StrongRefSetProperty):
            for key, local in p.references.items():
                children.append(as_storage(p.get(key), f"{p.index_name}{{{local:x}}}", overrides))
            index = set_index(
                ((local, bytes(key.bytes_le)) for key, local in p.references.items()),
                len(p.references),
                p.next_free_key,
                p.key_pid,
                p.key_size,
                p.last_free_key,
            )
            children.append(Stream(f"{p.index_name} index", index))
        elif isinstance(p, props.WeakRefArrayProperty):
            children.append(Stream(f"{p.index_name} index", _weak_array_index(p)))
    replaced = overrides.get(id(obj), {})
    entries = []
    for p in obj.property_entries.values():
        data = replaced.get(p.pid, p.data)
        if data is None:
            raise ValueError(f"{obj}: pyaaf2 left {p.name} without a value")
        entries.append((p.pid, p.format, bytes(data)))
    return aaf_object(name, bytes(obj.class_id.bytes_le), entries, children)


def _weak_array_index(p) -> bytes:  # noqa: ANN001 - a pyaaf2 WeakRefArrayProperty
    head = struct.pack("<IHHB", len(p.references), p.weakref_index, p.key_pid, p.key_size)
    return head + b"".join(bytes(ref.bytes_le) for ref in p.references)


def referenced_properties(f: aaf2.file.AAFFile) -> bytes:
    """The file's table of property paths weak references point into (`referenced properties`)."""
    pids = [pid for path in f.weakref_table for pid in [*path, 0]]
    return struct.pack(f"<BHI{len(pids)}H", 0x4C, len(f.weakref_table), len(pids), *pids)
