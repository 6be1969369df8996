"""The values facts take: a value, ``UNKNOWN``, or a ``ListValue`` for list facts.

Three-valued logic runs through pathway: a fact is known (true, false, a term, a date...) or
unknown, and unknown is a value of its own, never a guess. A list fact (``processing``,
``combined_with``...) is *closed* (every item is known) or *open* (the product wrote ``unknown``
as an item, or left the whole list unknown: more items may be present).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any


class _Unknown:
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "unknown"

    def __bool__(self) -> bool:
        raise TypeError("unknown has no truth value; compare with `is UNKNOWN`")

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
"""The unknown value (one object; compare with ``is``)."""


@dataclass(frozen=True)
class ListValue:
    """A list fact: the items known to be present, and whether more may be present."""

    items: frozenset[Any]
    open: bool = False

    @staticmethod
    def unknown() -> ListValue:
        return ListValue(frozenset(), open=True)


Tri = bool | None
"""Three-valued result: True, False, or None for unknown."""


def is_open(value: Any) -> bool:
    """Unknown, or a list that may hold more items than those known."""
    return value is UNKNOWN or (isinstance(value, ListValue) and value.open)


def as_data(value: Any) -> Any:
    """A fact value as JSON-able data (lists sorted, open lists ending in ``unknown``)."""
    if isinstance(value, ListValue):
        items = sorted((as_data(v) for v in value.items), key=str)
        return [*items, "unknown"] if value.open else items
    if isinstance(value, _dt.date):
        return value.isoformat()
    if value is UNKNOWN:
        return "unknown"
    return value
