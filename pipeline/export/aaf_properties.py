"""How an AAF object is stored inside the compound file, byte for byte as pyaaf2 stores it.

Each object is a folder (its class id on the folder's entry) holding a `properties` stream:

    0x4c, version, count | (pid, stored form, size) x count | the values, in the same order

A strong reference names the child folder; a strong-reference vector or set names an index stream
(`<name> index`) listing its children's keys, each child in a folder `<name>{key in hex}`. A weak
reference is (index into the file's table of referenced properties, key pid, key size, key).
Values are little-endian; strings are UTF-16LE with a terminating NUL.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from pipeline.export.aaf_compound_file import Storage, Stream

PROPERTY_VERSION = 0x20  # pyaaf2's properties.PROPERTY_VERSION
DATA, WEAK_REF, STRONG_REF, STRONG_REF_VECTOR, STRONG_REF_SET = 0x82, 0x02, 0x22, 0x32, 0x3A
_NO_FREE_KEY = 0xFFFFFFFF

_I64, _I32, _U32, _U16, _U8 = struct.Struct("<q"), struct.Struct("<i"), struct.Struct("<I"), struct.Struct("<H"), struct.Struct("<B")
_RATIONAL = struct.Struct("<ii")
_TIMESTAMP = struct.Struct("<hBBBBBB")
_WEAK_REF = struct.Struct("<HHB")

Entry = tuple[int, int, bytes]  # pid, stored form, value bytes


def string(value: str) -> bytes:
    return value.encode("utf-16-le") + b"\0\0"


def int64(value: int) -> bytes:
    return _I64.pack(value)


def int32(value: int) -> bytes:
    return _I32.pack(value)


def uint32(value: int) -> bytes:
    return _U32.pack(value)


def uint16(value: int) -> bytes:
    return _U16.pack(value)


def uint8(value: int) -> bytes:
    return _U8.pack(value)


def rational(numerator: int, denominator: int) -> bytes:
    return _RATIONAL.pack(numerator, denominator)


def timestamp(moment) -> bytes:  # noqa: ANN001 - a datetime, stored to the second as pyaaf2 does
    return _TIMESTAMP.pack(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second, 0)


def weak_ref(table_index: int, key_pid: int, key: bytes) -> bytes:
    return _WEAK_REF.pack(table_index, key_pid, len(key)) + key


_HEADS: dict[int, struct.Struct] = {}


def properties_stream(entries: list[Entry]) -> bytes:
    count = len(entries)
    head = _HEADS.get(count)
    if head is None:
        head = _HEADS[count] = struct.Struct(f"<BBH{3 * count}H")
    fields: list[int] = []
    for pid, form, data in entries:
        fields += (pid, form, len(data))
    return head.pack(0x4C, PROPERTY_VERSION, count, *fields) + b"".join([data for _, _, data in entries])


def vector_index(keys: list[int], next_free_key: int, last_free_key: int = _NO_FREE_KEY) -> bytes:
    return struct.pack(f"<III{len(keys)}I", len(keys), next_free_key, last_free_key, *keys)


def set_index(items: Iterable[tuple[int, bytes]], count: int, next_free_key: int, key_pid: int, key_size: int, last_free_key: int = _NO_FREE_KEY) -> bytes:
    """`items`: (local key, unique key bytes) of each member, in the set's order."""
    parts = [struct.pack("<IIIHB", count, next_free_key, last_free_key, key_pid, key_size)]
    parts += [struct.pack("<II", local, 1) + key for local, key in items]
    return b"".join(parts)


def aaf_object(name: str, class_id: bytes, entries: list[Entry], children: list[Storage | Stream] | None = None) -> Storage:
    """An object's folder: its properties stream and whatever its references hold."""
    kids = children if children is not None else []
    kids.append(Stream("properties", properties_stream(entries)))
    return Storage(name, class_id, kids)
