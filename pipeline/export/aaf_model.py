"""Class ids, property ids and definition references of the AAF objects a cut is made of, read from
pyaaf2's metadictionary and dictionary once per file, so what we write names what pyaaf2 names."""

from __future__ import annotations

import aaf2.file

from pipeline.export.aaf_properties import weak_ref

_DEFINITION_ID_PID = 0x1B01  # DefinitionObject.Identification: the key of every definition set
_HEADER, _DICTIONARY = 0x02, 0x3B04


class AafModel:
    def __init__(self, f: aaf2.file.AAFFile) -> None:
        self._file = f
        self._classes: dict[str, bytes] = {}
        self._pids: dict[tuple[str, str], int] = {}
        self.names: dict[int, str] = {}
        self._weak: dict[tuple[str, str], bytes] = {}

    def cls(self, class_name: str) -> bytes:
        found = self._classes.get(class_name)
        if found is None:
            classdef = self._file.metadict.lookup_classdef(class_name)
            if classdef is None:
                raise KeyError(f"pyaaf2 knows no AAF class {class_name}")
            found = self._classes[class_name] = bytes(classdef.auid.bytes_le)
        return found

    def pid(self, class_name: str, property_name: str) -> int:
        key = (class_name, property_name)
        found = self._pids.get(key)
        if found is None:
            for propertydef in self._file.metadict.lookup_classdef(class_name).all_propertydefs():
                if propertydef.property_name == property_name:
                    found = self._pids[key] = propertydef.pid
                    self.names[found] = property_name
                    break
            else:
                raise KeyError(f"{class_name} has no property {property_name} in pyaaf2's metadictionary")
        return found

    def encoded(self, class_name: str, property_name: str, value: object) -> bytes:
        """`value` as pyaaf2 stores it in that property (for the few values whose type is not a
        plain number or string: an enumerated usage code, an indirect value)."""
        for propertydef in self._file.metadict.lookup_classdef(class_name).all_propertydefs():
            if propertydef.property_name == property_name:
                return bytes(propertydef.typedef.encode(value))
        raise KeyError(f"{class_name} has no property {property_name} in pyaaf2's metadictionary")

    def definition(self, kind: str, name: str) -> bytes:
        """A weak reference to a dictionary definition ('DataDefinitions', 'picture'), as pyaaf2
        encodes it: the index of the dictionary's set in the file's table of referenced properties,
        then the definition's id. Registers the set's path in that table the first time, as pyaaf2 does."""
        key = (kind, name)
        found = self._weak.get(key)
        if found is None:
            dictionary = self._file.dictionary
            lookup = {
                "DataDefinitions": dictionary.lookup_datadef,
                "OperationDefinitions": dictionary.lookup_operationdef,
                "InterpolationDefinitions": dictionary.lookup_interperlationdef,
            }[kind]
            definition = lookup(name)
            set_pid = self.pid("Dictionary", kind)
            index = self._file.weakref_index([_HEADER, _DICTIONARY, set_pid])
            found = self._weak[key] = weak_ref(index, _DEFINITION_ID_PID, bytes(definition.auid.bytes_le))
        return found
