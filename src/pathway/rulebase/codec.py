"""A data-only encoding of the validated rule base (``RuleBase``) for the disk cache.

``encode`` turns a rule base into JSON-ready data; ``decode`` turns such data back into a rule
base, checking it against the model as it goes: every object has exactly its class's fields,
every field the type its annotation declares (``str``, ``int``, ``bool``, a date, a ``Literal``'s
values, a tuple or dict of the declared items), and only the model's own classes are ever
built, chosen by the annotations, never by a name found in the data. Nothing in the data can
name a function to call: unlike a pickle, a planted entry can at worst fail to decode
(``ValueError``).

The shape: a dataclass is a JSON array of its fields in declaration order (where the annotation
allows several classes, as a condition does, ``[class name, fields]``); a tuple is an array, a
dict an object, a date its ordinal. A value annotated ``Any`` (a rule's value, a vocabulary
value) says what it is: a JSON scalar as itself, a tuple ``{"t": [...]}``, a list ``{"l": [...]}``,
a mapping ``{"d": {...}}``, a date ``{"date": ordinal}``.

Objects that recur (a citation shared by many rules, the days a rule is in force, a condition's
test) are written once, in a table per class, and referred to by position: the rule base reads
back with the sharing it was built with, and faster than by decoding every copy.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import sys
import threading
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, Union

from .briefs import BriefSection, BriefTemplate
from .concepts import Concept, ConceptSide
from .conditions import All, AnyOf, Leaf, Not
from .model import Classification, Decision, Due, FactDef, Jurisdiction, Pathway, Rule, RuleBase
from .references import Citation, Effective, Source
from .vocabulary import AttributeDef, AttributeValue, Term, Vocabulary

__all__ = ["decode", "encode"]

MODEL: tuple[type, ...] = (
    *(RuleBase, Jurisdiction, Pathway, Classification, FactDef, Rule, Due, Decision),
    *(Vocabulary, AttributeDef, AttributeValue, Term, Citation, Effective, Source),
    *(Leaf, All, AnyOf, Not),
    *(BriefTemplate, BriefSection, Concept, ConceptSide),
)
SHARED: tuple[type, ...] = (Citation, Effective, Leaf)  # a shared object refers to none other
NONE = type(None)
SCALARS = frozenset((str, int, bool, float, NONE))  # what a JSON scalar decodes to

Coder = Callable[[Any], Any]


_rows: dict[type, list[Any]] = {}  # the shared objects of the entry being read or written
_index: dict[type, dict[Any, int]] = {}  # writing: shared object -> its position
_decoders: dict[Any, Coder] = {}
_encoders: dict[Any, Coder] = {}
_row_decoders: dict[Any, Coder] = {}
_lock = threading.RLock()  # one entry at a time; building a coder builds those of its fields
_annotations: dict[tuple[str, str], Any] = {}


def _hints(cls: type) -> list[tuple[str, Any]]:
    """The fields of ``cls`` and their annotations, evaluated in the class's module (what
    ``typing.get_type_hints`` does, at a third of the cost: most annotations recur)."""
    module = sys.modules[cls.__module__]
    out = []
    for f in dataclasses.fields(cls):
        if not isinstance(f.type, str):
            out.append((f.name, f.type))
            continue
        key = (cls.__module__, f.type)
        if key not in _annotations:
            _annotations[key] = eval(f.type, vars(module))  # the model's own source, not data
        out.append((f.name, _annotations[key]))
    return out


# ---------------------------------------------------------------------------------- decoding


def _cached(coders: dict[Any, Coder], make: Callable[[Any], Coder], key: Any) -> Coder:
    """The coder for ``key``, made once (by one thread)."""
    found = coders.get(key)
    if found is None:
        with _lock:
            found = coders.get(key) or make(key)
            coders[key] = found
    return found


def _decoder(tp: Any) -> Coder:
    return _cached(_decoders, _make_decoder, tp)


def _make_decoder(tp: Any) -> Coder:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any:
        return _raw
    if tp in (str, int, bool):
        return _exact(tp)
    if tp is _dt.date:
        return _date
    if origin is Literal:
        allowed = frozenset(args)
        return lambda data: data if type(data) is str and data in allowed else _bad(data)
    if origin in (Union, types.UnionType):
        return _union_decoder(args)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _items_decoder(args[0])
    if origin is tuple:
        parts = [_decoder(a) for a in args]
        return lambda data: tuple(
            p(x) for p, x in zip(parts, _array(data, len(parts)), strict=True)
        )
    if origin is dict and args[0] is str:
        value = _decoder(args[1])
        return lambda data: {k: value(v) for k, v in _object(data).items()}
    if tp in SHARED:
        return _shared_decoder(tp)
    if tp in MODEL:
        return _object_decoder(tp)
    raise TypeError(f"the rule-base codec cannot read {tp!r}")


def _object_decoder(cls: type) -> Coder:
    """A dataclass from the array of its fields: scalar fields checked by type, the others
    decoded by their own decoders (resolved on first use: the classes refer to each other)."""
    fields = _hints(cls)
    names = [name for name, _ in fields]
    count = len(fields)
    checks: list[tuple[int, frozenset[type]]] = []
    nested: list[tuple[int, Any]] = []
    for i, (_, tp) in enumerate(fields):
        members = set(typing.get_args(tp)) if typing.get_origin(tp) is types.UnionType else {tp}
        if members <= {str, int, bool, NONE}:
            checks.append((i, frozenset(members)))
        else:
            nested.append((i, tp))
    parts: list[tuple[int, Coder]] | None = None
    new = object.__new__

    def decode(data: Any) -> Any:
        nonlocal parts
        if type(data) is not list or len(data) != count:
            _bad(data, f"{cls.__name__} with {count} fields")
        for i, allowed in checks:
            if type(data[i]) not in allowed:
                _bad(data[i], f"{cls.__name__}.{names[i]}")
        if parts is None:
            parts = [(i, _decoder(tp)) for i, tp in nested]
        for i, part in parts:
            data[i] = part(data[i])
        made = new(cls)  # no __init__: the model's classes set nothing else (no __post_init__)
        made.__dict__.update(zip(names, data, strict=True))
        return made

    return decode


def _shared_decoder(cls: type) -> Coder:
    def decode(data: Any) -> Any:
        rows = _rows[cls]
        if type(data) is not int or not 0 <= data < len(rows):
            _bad(data, f"a {cls.__name__} entry")
        return rows[data]

    return decode


def _union_decoder(args: tuple[Any, ...]) -> Coder:
    members = [a for a in args if a is not NONE]
    optional = len(members) < len(args)
    if len(members) == 1:
        inner = _decoder(members[0])
        return (lambda data: None if data is None else inner(data)) if optional else inner
    classes = {m.__name__: m for m in members}
    by_name: dict[str, Coder] = {}  # resolved on first use

    def decode(data: Any) -> Any:
        if data is None and optional:
            return None
        if type(data) is not list or len(data) != 2 or data[0] not in classes:
            _bad(data, "one of " + ", ".join(classes))
        part = by_name.get(data[0])
        if part is None:
            part = by_name[data[0]] = _decoder(classes[data[0]])
        return part(data[1])

    return decode


def _items_decoder(item_type: Any) -> Coder:
    """A tuple of one type: scalars checked in one pass, shared objects looked up in one."""
    if item_type in (str, int, bool):

        def scalars(data: Any) -> Any:
            if type(data) is not list or not all(type(x) is item_type for x in data):
                _bad(data, f"an array of {item_type.__name__}")
            return tuple(data)

        return scalars
    if item_type in SHARED:

        def shared(data: Any) -> Any:
            rows = _rows[item_type]
            if type(data) is not list or not all(type(x) is int for x in data):
                _bad(data, f"an array of {item_type.__name__} entries")
            if data and not (min(data) >= 0 and max(data) < len(rows)):
                _bad(data, f"{item_type.__name__} entries")
            return tuple([rows[x] for x in data])

        return shared
    item = _decoder(item_type)

    def items(data: Any) -> Any:
        if type(data) is not list:
            _bad(data, "an array")
        return tuple([item(x) for x in data])

    return items


def _exact(kind: type) -> Coder:
    return lambda data: data if type(data) is kind else _bad(data, kind.__name__)


def _date(data: Any) -> _dt.date:
    if type(data) is not int or not 0 < data <= _dt.date.max.toordinal():
        _bad(data, "a day")
    return _dt.date.fromordinal(data)


def _array(data: Any, count: int | None = None) -> list[Any]:
    if type(data) is not list or (count is not None and len(data) != count):
        _bad(data, "an array")
    return data  # type: ignore[no-any-return]


def _object(data: Any) -> dict[str, Any]:
    return data if type(data) is dict else _bad(data, "an object")


def _bad(data: Any, expected: str = "another value") -> Any:
    raise ValueError(f"expected {expected}, found {str(data)[:60]}")


def _raw(data: Any) -> Any:
    """A value annotated ``Any``: a JSON scalar, or a one-key object saying what it is."""
    if type(data) in SCALARS:
        return data
    if type(data) is dict and len(data) == 1:
        ((tag, inner),) = data.items()
        if tag == "t" and type(inner) is list:
            return tuple([_raw(x) for x in inner])
        if tag == "l" and type(inner) is list:
            return [_raw(x) for x in inner]
        if tag == "d" and type(inner) is dict:
            return {k: _raw(v) for k, v in inner.items()}
        if tag == "date":
            return _date(inner)
    return _bad(data, "a plain value")


# ---------------------------------------------------------------------------------- encoding


def _encoder(tp: Any) -> Coder:
    return _cached(_encoders, _make_encoder, tp)


def _make_encoder(tp: Any) -> Coder:
    """The inverse of ``_make_decoder``; it checks the value against the annotation too, so
    that nothing is written that would not read back."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any:
        return _raw_data
    if tp in (str, int, bool) or origin is Literal:
        return _decoder(tp)  # the same check: a scalar is written as itself
    if tp is _dt.date:
        return lambda value: _typed(value, _dt.date).toordinal()
    if origin in (Union, types.UnionType):
        members = [a for a in args if a is not NONE]
        if len(members) == 1:
            inner = _encoder(members[0])
            return lambda value: None if value is None else inner(value)
        return lambda value: None if value is None else _tagged(value, members)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _encoder(args[0])
        return lambda value: [item(x) for x in _typed(value, tuple)]
    if origin is tuple:
        parts = [_encoder(a) for a in args]
        return lambda value: [p(x) for p, x in zip(parts, _typed(value, tuple), strict=True)]
    if origin is dict and args[0] is str:
        inner = _encoder(args[1])
        return lambda value: {_typed(k, str): inner(v) for k, v in _typed(value, dict).items()}
    if tp in MODEL:
        fields = _hints(tp)
        return lambda value: _object_data(_typed(value, tp), fields)
    raise TypeError(f"the rule-base codec cannot write {tp!r}")


def _object_data(value: Any, fields: list[tuple[str, Any]]) -> Any:
    data = [_encoder(tp)(getattr(value, name)) for name, tp in fields]
    cls = type(value)
    if cls not in SHARED:
        return data
    index = _index[cls]
    found = index.get(value)
    if found is None:
        found = index[value] = len(index)
        _rows[cls].append(data)
    return found


def _tagged(value: Any, members: list[type]) -> list[Any]:
    if type(value) not in members:
        _bad(type(value).__name__, "one of the annotated classes")
    return [type(value).__name__, _encoder(type(value))(value)]


def _typed(value: Any, kind: type) -> Any:
    return value if type(value) is kind else _bad(type(value).__name__, kind.__name__)


def _raw_data(value: Any) -> Any:
    kind = type(value)
    if kind in SCALARS:
        return value
    if kind is tuple:
        return {"t": [_raw_data(x) for x in value]}
    if kind is list:
        return {"l": [_raw_data(x) for x in value]}
    if kind is dict:
        return {"d": {_typed(k, str): _raw_data(v) for k, v in value.items()}}
    if kind is _dt.date:
        return {"date": value.toordinal()}
    return _bad(kind.__name__, "a plain value")


# ---------------------------------------------------------------------------------- entry points


def encode(rulebase: RuleBase) -> dict[str, Any]:
    """The rule base as JSON-ready data (``ValueError`` for a value the model does not allow)."""
    with _lock:
        _rows.update({cls: [] for cls in SHARED})
        _index.update({cls: {} for cls in SHARED})
        try:
            value = _encoder(RuleBase)(rulebase)
            return {"tables": {c.__name__: _rows[c] for c in SHARED}, "value": value}
        finally:
            _rows.clear()
            _index.clear()


def decode(data: Any) -> RuleBase:
    """The rule base ``encode`` wrote, checked against the model (``ValueError`` otherwise).
    ``data`` is consumed: its arrays are reused for the objects' fields."""
    tables = _object(_object(data).get("tables"))
    if set(data) != {"tables", "value"} or set(tables) != {c.__name__ for c in SHARED}:
        _bad(sorted(data), "an encoded rule base")
    with _lock:
        try:
            for cls in SHARED:  # a shared object refers to no other: any order will do
                read = _cached(_row_decoders, _object_decoder, cls)  # its rows: its fields
                _rows[cls] = [read(row) for row in _array(tables[cls.__name__])]
            return _decoder(RuleBase)(data["value"])  # type: ignore[no-any-return]
        finally:
            _rows.clear()
