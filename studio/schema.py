"""Typed conversion between document dataclasses and JSON values.

Every dataclass is written as an object tagged `"schema": "Name.version"`. Reading checks every
value against the field's type and reports the exact place of a problem; an older object version
is upgraded by the functions registered with `upgrader` (on raw dicts, before conversion), a
newer one is refused. Converters are built once per type, so loading stays fast for big projects.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any

SCHEMA_KEY = "schema"


class SchemaError(ValueError):
    """A JSON value that does not fit the document's types; `where` is a path like shots[3].duration."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where or 'top level'}: {problem}")


class NewerSchemaError(SchemaError):
    """An object written by a newer version of the app."""


_registry: dict[str, tuple[type, int]] = {}
_names: dict[type, tuple[str, int]] = {}
_upgrades: dict[tuple[str, int], Callable[[dict], dict]] = {}


def register(cls: type, name: str | None = None, version: int = 1) -> type:
    name = name or cls.__name__
    _registry[name] = (cls, version)
    _names[cls] = (name, version)
    _decoders.pop(cls, None)
    _encoders.pop(cls, None)
    return cls


def upgrader(name: str, from_version: int) -> Callable[[Callable[[dict], dict]], Callable[[dict], dict]]:
    """Registers a function that turns a raw `name` object of `from_version` into `from_version + 1`."""

    def wrap(fn: Callable[[dict], dict]) -> Callable[[dict], dict]:
        _upgrades[(name, from_version)] = fn
        return fn

    return wrap


def schema_version(cls: type) -> int:
    return _names[cls][1]


# --- encoding -------------------------------------------------------------------------------

_encoders: dict[Any, Callable[[Any], Any]] = {}


def to_json(value: Any) -> Any:
    return _encoder(type(value))(value)


def _encoder(tp: Any) -> Callable[[Any], Any]:
    try:
        return _encoders[tp]
    except (KeyError, TypeError):
        pass
    enc = _build_encoder(tp)
    _encoders[tp] = enc
    return enc


def _build_encoder(tp: Any) -> Callable[[Any], Any]:
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        name, version = _names[tp]
        tag = f"{name}.{version}"
        hints = typing.get_type_hints(tp)
        plan = [(f.name, _encoder_for_hint(hints[f.name])) for f in dataclasses.fields(tp)]

        def encode_dataclass(obj: Any) -> dict:
            out: dict[str, Any] = {SCHEMA_KEY: tag}
            for fname, enc in plan:
                out[fname] = enc(getattr(obj, fname))
            return out

        return encode_dataclass
    return _encoder_for_hint(tp)


def _encoder_for_hint(hint: Any) -> Callable[[Any], Any]:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        enc = _encoder_for_hint(inner[0])
        return lambda v: None if v is None else enc(v)
    if origin in (list, tuple):
        enc = _encoder_for_hint(args[0])
        return lambda v: [enc(x) for x in v]
    if origin is dict:
        enc = _encoder_for_hint(args[1])
        return lambda v: {k: enc(x) for k, x in v.items()}
    if isinstance(hint, type) and issubclass(hint, Enum):
        return lambda v: v.value
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda v: _encoder(type(v))(v)
    return lambda v: v


# --- decoding -------------------------------------------------------------------------------

_decoders: dict[Any, Callable[[Any, str], Any]] = {}


def from_json(cls: type, data: Any, where: str = "") -> Any:
    return _decoder(cls)(data, where)


def _decoder(tp: Any) -> Callable[[Any, str], Any]:
    try:
        return _decoders[tp]
    except (KeyError, TypeError):
        pass
    dec = _build_decoder(tp)
    _decoders[tp] = dec
    return dec


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _build_decoder(tp: Any) -> Callable[[Any, str], Any]:
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    return _decoder_for_hint(tp)


def _dataclass_decoder(cls: type) -> Callable[[Any, str], Any]:
    name, version = _names[cls]
    hints = typing.get_type_hints(cls)
    plan = []
    for f in dataclasses.fields(cls):
        has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        plan.append((f.name, _decoder_for_hint(hints[f.name]), has_default))
    known = {f.name for f in dataclasses.fields(cls)} | {SCHEMA_KEY}
    current_tag = f"{name}.{version}"

    def decode_dataclass(data: Any, where: str) -> Any:
        if not isinstance(data, dict):
            raise SchemaError(where, f"expected a {name} object, got {_type_name(data)}")
        if data.get(SCHEMA_KEY) != current_tag:  # the common case, current objects, skips parsing the tag
            data = _upgrade(data, name, version, where)
        number = data.get("number")
        if isinstance(number, str) and len(number) < 20:  # shots: users know them by number, not by list index
            where = f"{where} (shot {number})"
        unknown = data.keys() - known
        if unknown:
            raise SchemaError(where, f"unknown field {sorted(map(str, unknown))[0]!r} in {name}")
        kwargs = {}
        for fname, dec, has_default in plan:
            if fname in data:
                kwargs[fname] = dec(data[fname], f"{where}.{fname}" if where else fname)
            elif not has_default:
                raise SchemaError(where, f"{name} is missing its {fname!r}")
        try:
            return cls(**kwargs)
        except (ValueError, TypeError) as exc:
            raise SchemaError(where, str(exc)) from None

    return decode_dataclass


def _upgrade(data: dict, name: str, version: int, where: str) -> dict:
    tag = data.get(SCHEMA_KEY)
    if not isinstance(tag, str) or "." not in tag:
        raise SchemaError(where, f'expected a {name} object tagged "schema": "{name}.{version}"')
    tag_name, _, tag_version_text = tag.rpartition(".")
    # isdigit() alone admits '²' and other digits int() refuses; ten digits are more versions than any class will have.
    if tag_name != name or not (tag_version_text.isascii() and tag_version_text.isdigit() and len(tag_version_text) < 10):
        raise SchemaError(where, f"expected a {name} object, found schema {tag!r}")
    found = int(tag_version_text)
    if found > version:
        raise NewerSchemaError(where, f"{name} version {found} was written by a newer Storyboard Studio (this one reads up to {version})")
    while found < version:
        step = _upgrades.get((name, found))
        if step is None:
            raise SchemaError(where, f"no upgrade from {name} version {found}")
        data = step(dict(data))
        found += 1
        data[SCHEMA_KEY] = f"{name}.{found}"
    return data


def _decoder_for_hint(hint: Any) -> Callable[[Any, str], Any]:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        dec = _decoder_for_hint(inner[0])
        return lambda v, w: None if v is None else dec(v, w)
    if origin is list:
        dec = _decoder_for_hint(args[0])

        def decode_list(v: Any, w: str) -> list:
            if not isinstance(v, list):
                raise SchemaError(w, f"expected a list, got {_type_name(v)}")
            return [dec(x, f"{w}[{i}]") for i, x in enumerate(v)]

        return decode_list
    if origin is tuple:
        dec = _decoder_for_hint(args[0])

        def decode_tuple(v: Any, w: str) -> tuple:
            if not isinstance(v, list):
                raise SchemaError(w, f"expected a list, got {_type_name(v)}")
            return tuple(dec(x, f"{w}[{i}]") for i, x in enumerate(v))

        return decode_tuple
    if origin is dict:
        dec = _decoder_for_hint(args[1])

        def decode_dict(v: Any, w: str) -> dict:
            if not isinstance(v, dict):
                raise SchemaError(w, f"expected an object, got {_type_name(v)}")
            return {k: dec(x, f"{w}[{k!r}]") for k, x in v.items()}

        return decode_dict
    if isinstance(hint, type) and issubclass(hint, Enum):
        members = {m.value: m for m in hint}
        choices = ", ".join(map(str, members))

        def decode_enum(v: Any, w: str) -> Enum:
            try:
                return members[v]
            except (KeyError, TypeError):
                raise SchemaError(w, f"unknown value {v!r}; expected one of {choices}") from None

        return decode_enum
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda v, w: _decoder(hint)(v, w)
    if hint is bool:
        return _scalar(lambda v: isinstance(v, bool), "true or false")
    if hint is int:
        return _scalar(lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number")
    if hint is float:

        def decode_float(v: Any, w: str) -> float:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v in (float("inf"), float("-inf")):
                raise SchemaError(w, f"expected a number, got {_type_name(v)}")
            try:
                return float(v)
            except OverflowError:  # an integer past the largest float (about 1.8e308)
                raise SchemaError(w, "number out of range (beyond ±1.8e308)") from None

        return decode_float
    if hint is str:
        return _scalar(lambda v: isinstance(v, str), "text")
    raise TypeError(f"no decoder for {hint!r}")


def _scalar(accepts: Callable[[Any], bool], expected: str) -> Callable[[Any, str], Any]:
    def decode_scalar(v: Any, w: str) -> Any:
        if not accepts(v):
            raise SchemaError(w, f"expected {expected}, got {_type_name(v)}")
        return v

    return decode_scalar
