"""A Microsoft Compound File Binary (the container an AAF file is) written in one pass from a tree held in memory.

pyaaf2 keeps the container's directory on disk while the file is built: every new entry is inserted
into a red-black tree whose nodes it reads back from the file, so at 1,000 shots (~76,000 entries)
the directory alone costs seconds. Here the whole tree is known before anything is written, so the
layout is computed once (each folder's children as one balanced tree, every stream's sectors in a
row) and the file is written front to back:

    [header 4 KiB][directory][mini FAT][mini stream][large streams][FAT]

Version 4 (4 KiB sectors), as pyaaf2 and Avid write AAF files. Streams under 4 KiB live in the mini
stream (64-byte sectors), which is itself a regular stream of the root entry.
"""

from __future__ import annotations

import math
import struct
from typing import BinaryIO

SECTOR = 4096
MINI_SECTOR = 64
MINI_CUTOFF = 4096
_ENTRIES_PER_SECTOR = SECTOR // 128
_IDS_PER_SECTOR = SECTOR // 4
_HEADER_DIFAT = 109  # FAT sector ids the header itself holds

_FREESECT, _ENDOFCHAIN, _FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_DIR_ENTRY = struct.Struct("<64sHBBIII16sIQQIQ")
_NO_CLASS = bytes(16)


class Stream:
    __slots__ = ("name", "data")
    kind = 2  # _STREAM

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data = name, data


class Storage:
    """A folder of the compound file; `class_id` is the 16 bytes written in its entry (an AAF
    object's class, as GUID bytes_le)."""

    __slots__ = ("name", "class_id", "children")
    kind = 1  # _STORAGE

    def __init__(self, name: str, class_id: bytes = bytes(16), children: list[Storage | Stream] | None = None) -> None:
        self.name, self.class_id = name, class_id
        self.children = children if children is not None else []


_SORT_KEYS: dict[str, tuple[int, str]] = {}


def _sort_key(entry: Storage | Stream) -> tuple[int, str]:
    """The compound file orders siblings by name length first, then by upper-cased name. (Names
    repeat from object to object, 'properties', 'Slots-4403 index': each key is made once.)"""
    key = _SORT_KEYS.get(entry.name)
    if key is None:
        key = _SORT_KEYS[entry.name] = (len(entry.name), entry.name.upper())
    return key


class _Layout:
    """Directory ids, tree links and sector positions of every entry, computed before writing."""

    def __init__(self, root: Storage) -> None:
        self.entries: list[Storage | Stream] = [root]
        self.left: list[int] = [_NOSTREAM]
        self.right: list[int] = [_NOSTREAM]
        self.child: list[int] = [_NOSTREAM]
        self.color: list[int] = [_BLACK]
        self._number(root, 0)

    def _number(self, storage: Storage, storage_id: int) -> None:
        # Breadth of one folder at a time: its children get consecutive ids, then each sub-folder.
        children = storage.children
        count = len(children)
        if count > 1:
            children = sorted(children, key=_sort_key)
            for before, after in zip(children, children[1:], strict=False):
                if _sort_key(before) == _sort_key(after):
                    raise ValueError(f"{storage.name}: two entries are named {after.name} (names compare without case)")
        first = len(self.entries)
        self.entries += children
        self.left += [_NOSTREAM] * count
        self.right += [_NOSTREAM] * count
        self.child += [_NOSTREAM] * count
        self.color += [_BLACK] * count
        if count == 1:  # most folders: an object with only its properties stream
            self.child[storage_id] = first
        elif count:
            self.child[storage_id] = self._balanced(first, first + count, 0, _depth_limit(count))
        for offset, child in enumerate(children):
            if child.kind == _STORAGE:
                self._number(child, first + offset)

    def _balanced(self, lo: int, hi: int, depth: int, full_depth: int) -> int:
        """The middle entry of ids lo..hi as the root of a balanced tree of them. Nodes below the
        last complete level are red, the rest black, so every path holds the same black count."""
        if lo >= hi:
            return _NOSTREAM
        mid = (lo + hi) // 2
        self.color[mid] = _RED if depth >= full_depth else _BLACK
        self.left[mid] = self._balanced(lo, mid, depth + 1, full_depth)
        self.right[mid] = self._balanced(mid + 1, hi, depth + 1, full_depth)
        return mid


def _depth_limit(count: int) -> int:
    """How many levels of a balanced tree of `count` nodes are complete."""
    return int(math.log2(count + 1))


def write_compound_file(root: Storage, out: BinaryIO, root_class_id: bytes, file_class_id: bytes) -> None:
    layout = _Layout(root)
    entries = layout.entries
    count = len(entries)
    dir_sectors = -(-count // _ENTRIES_PER_SECTOR)

    # Small streams into the mini stream, large ones into sectors of their own.
    starts = [_ENDOFCHAIN] * count
    sizes = [0] * count
    mini_parts: list[bytes] = []
    minifat: list[int] = []
    large: list[tuple[int, bytes]] = []
    for index, entry in enumerate(entries):
        if entry.kind != _STREAM:
            continue
        size = len(entry.data)
        sizes[index] = size
        if size == 0:
            continue
        if size < MINI_CUTOFF:
            first = len(minifat)
            used = -(-size // MINI_SECTOR)
            minifat.extend(range(first + 1, first + used))
            minifat.append(_ENDOFCHAIN)
            starts[index] = first
            mini_parts.append(entry.data)
            pad = used * MINI_SECTOR - size
            if pad:
                mini_parts.append(bytes(pad))
        else:
            large.append((index, entry.data))
    mini_stream = b"".join(mini_parts)
    minifat_sectors = -(-len(minifat) * 4 // SECTOR)
    mini_stream_sectors = -(-len(mini_stream) // SECTOR)

    # Sector numbers: directory, mini FAT, mini stream, large streams, then the FAT itself.
    fat: list[int] = []

    def chain(length: int) -> int:
        first = len(fat)
        if length:
            fat.extend(range(first + 1, first + length))
            fat.append(_ENDOFCHAIN)
        return first

    dir_start = chain(dir_sectors)
    minifat_start = chain(minifat_sectors) if minifat_sectors else _ENDOFCHAIN
    mini_stream_start = chain(mini_stream_sectors) if mini_stream_sectors else _ENDOFCHAIN
    for index, data in large:
        starts[index] = chain(-(-len(data) // SECTOR))
    used = len(fat)
    fat_sectors = 1
    while (used + fat_sectors) > fat_sectors * _IDS_PER_SECTOR:
        fat_sectors += 1
    if fat_sectors > _HEADER_DIFAT:
        raise ValueError(f"the AAF file would need {fat_sectors} FAT sectors; this writer handles {_HEADER_DIFAT} (about 450 MB)")
    fat_start = len(fat)
    fat.extend([_FATSECT] * fat_sectors)
    fat.extend([_FREESECT] * (fat_sectors * _IDS_PER_SECTOR - len(fat)))

    # The root entry's stream is the mini stream.
    starts[0] = mini_stream_start
    sizes[0] = len(mini_stream)

    directory = bytearray(dir_sectors * SECTOR)
    pack_into = _DIR_ENTRY.pack_into
    names: dict[str, bytes] = {}
    for index, entry in enumerate(entries):
        name = names.get(entry.name)
        if name is None:
            name = names[entry.name] = entry.name.encode("utf-16-le")
            if len(name) > 62:
                raise ValueError(f"{entry.name}: a compound-file name holds 31 characters at most")
        kind = entry.kind
        if index == 0:
            kind, class_id = _ROOT, root_class_id
        else:
            class_id = entry.class_id if kind == _STORAGE else _NO_CLASS
        start = starts[index] if kind != _STORAGE else 0
        pack_into(
            directory, index * 128, name, len(name) + 2, kind, layout.color[index],
            layout.left[index], layout.right[index], layout.child[index], class_id, 0, 0, 0, start, sizes[index],
        )  # fmt: skip
    for index in range(count, dir_sectors * _ENTRIES_PER_SECTOR):
        pack_into(directory, index * 128, b"", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM, _NO_CLASS, 0, 0, 0, 0, 0)

    difat = [fat_start + i for i in range(fat_sectors)] + [_FREESECT] * (_HEADER_DIFAT - fat_sectors)
    header = bytearray(SECTOR)
    struct.pack_into(
        "<8s16sHHHHH6sIIIIIIIII109I", header, 0,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", file_class_id, 62, 4, 0xFFFE, 12, 6, bytes(6),
        dir_sectors, fat_sectors, dir_start, 1, MINI_CUTOFF,
        minifat_start, minifat_sectors, _ENDOFCHAIN, 0, *difat,
    )  # fmt: skip

    out.write(header)
    out.write(directory)
    if minifat_sectors:
        minifat.extend([_FREESECT] * (minifat_sectors * _IDS_PER_SECTOR - len(minifat)))
        out.write(struct.pack(f"<{len(minifat)}I", *minifat))
    if mini_stream_sectors:
        out.write(mini_stream)
        out.write(bytes(mini_stream_sectors * SECTOR - len(mini_stream)))
    for _, data in large:
        out.write(data)
        out.write(bytes(-len(data) % SECTOR))
    out.write(struct.pack(f"<{len(fat)}I", *fat))
