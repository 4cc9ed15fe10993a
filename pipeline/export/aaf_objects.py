"""A light AAF object under construction, and its folder once complete (see aaf_properties.py).

pyaaf2 makes a Python object per property and files every object in the compound file as soon as
it is attached; here an object is a class id and an ordered dict of pid -> value, where a value is
its stored bytes or the objects it holds. Properties keep the position they were first set at, as
in pyaaf2 (a value set again replaces the old one in place), so the streams come out alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aaf2.utils import mangle_name

from pipeline.export.aaf_compound_file import Storage, Stream
from pipeline.export.aaf_properties import DATA, STRONG_REF, STRONG_REF_SET, STRONG_REF_VECTOR, WEAK_REF, aaf_object, set_index, string, vector_index


@dataclass
class KeyedSet:
    """A strong-reference set: members by unique key (pyaaf2 keeps a replaced member's local key)."""

    key_pid: int
    key_size: int
    members: dict[bytes, tuple[int, AafObject | Prebuilt]] = field(default_factory=dict)
    next_key: int = 0

    def add(self, key: bytes, obj: AafObject | Prebuilt) -> None:
        held = self.members.get(key)
        if held is not None:
            self.members[key] = (held[0], obj)
        else:
            self.members[key] = (self.next_key, obj)
            self.next_key += 1


class AafObject:
    __slots__ = ("class_id", "props")

    def __init__(self, class_id: bytes) -> None:
        self.class_id = class_id
        self.props: dict[int, tuple[int, object]] = {}

    def data(self, pid: int, value: bytes) -> AafObject:
        self.props[pid] = (DATA, value)
        return self

    def weak(self, pid: int, value: bytes) -> AafObject:
        self.props[pid] = (WEAK_REF, value)
        return self

    def strong(self, pid: int, child: AafObject) -> AafObject:
        self.props[pid] = (STRONG_REF, child)
        return self

    def vector(self, pid: int) -> list[AafObject]:
        held = self.props.get(pid)
        if held is None:
            held = self.props[pid] = (STRONG_REF_VECTOR, [])
        return held[1]  # type: ignore[return-value]

    def keyed_set(self, pid: int, key_pid: int, key_size: int) -> KeyedSet:
        held = self.props.get(pid)
        if held is None:
            held = self.props[pid] = (STRONG_REF_SET, KeyedSet(key_pid, key_size))
        return held[1]  # type: ignore[return-value]


# An object pyaaf2 built (a dissolve, the sound pan), as its folder once given a name.
Prebuilt = Callable[[str], Storage]


class Namer:
    """Folder names pyaaf2 derives from property names (`Slots-4403`, `Containe-nitions-2608`)."""

    def __init__(self, names: dict[int, str]) -> None:
        self._names = names
        self._single: dict[int, tuple[str, bytes]] = {}
        self._index: dict[int, tuple[str, bytes]] = {}

    def single(self, pid: int) -> tuple[str, bytes]:
        """The folder's name, and that name as the property's stored value."""
        found = self._single.get(pid)
        if found is None:
            name = mangle_name(self._names[pid], pid, 32)
            found = self._single[pid] = (name, string(name))
        return found

    def index(self, pid: int) -> tuple[str, bytes]:
        found = self._index.get(pid)
        if found is None:
            name = mangle_name(self._names[pid], pid, 32 - 10)
            found = self._index[pid] = (name, string(name))
        return found


def _member(item: AafObject | Prebuilt, name: str, namer: Namer) -> Storage:
    return to_storage(item, name, namer) if isinstance(item, AafObject) else item(name)


def to_storage(obj: AafObject, name: str, namer: Namer) -> Storage:
    entries = []
    children: list[Storage | Stream] = []
    for pid, (form, value) in obj.props.items():
        if form == DATA or form == WEAK_REF:
            entries.append((pid, form, value))
        elif form == STRONG_REF:
            child_name, stored = namer.single(pid)
            entries.append((pid, form, stored))
            children.append(to_storage(value, child_name, namer))  # type: ignore[arg-type]
        elif form == STRONG_REF_VECTOR:
            index_name, stored = namer.index(pid)
            entries.append((pid, form, stored))
            items: list[AafObject] = value  # type: ignore[assignment]
            for key, item in enumerate(items):
                children.append(_member(item, f"{index_name}{{{key:x}}}", namer))
            children.append(Stream(f"{index_name} index", vector_index(list(range(len(items))), len(items))))
        else:
            index_name, stored = namer.index(pid)
            entries.append((pid, form, stored))
            members: KeyedSet = value  # type: ignore[assignment]
            for local, item in members.members.values():
                children.append(_member(item, f"{index_name}{{{local:x}}}", namer))
            index = set_index(
                ((local, key) for key, (local, _) in members.members.items()), len(members.members), members.next_key, members.key_pid, members.key_size
            )
            children.append(Stream(f"{index_name} index", index))
    return aaf_object(name, obj.class_id, entries, children)
