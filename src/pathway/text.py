"""The one place that turns a value into words.

* ``word``: a value as YAML writes it and every report shows it: ``true``/``false``, ``unknown``,
  lists in brackets (a list fact's items sorted, ``unknown`` last when it is open), dates as ISO
  dates, anything else as text;
* ``quoted``: a value as an error message quotes what the user wrote (text in quotes and cut
  short, a mapping or a list named, not printed);
* ``brief``: text on one line, cut short;
* ``suggest`` and ``nearest``: the "did you mean" of every message.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from collections.abc import Iterable
from typing import Any

from .values import ListValue


def word(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, ListValue):
        items = sorted(word(v) for v in value.items)
        return "[" + ", ".join([*items, "unknown"] if value.open else items) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(word(v) for v in value) + "]"
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def words(values: Iterable[Any], sep: str = ", ") -> str:
    """Several values in words, joined."""
    return sep.join(word(v) for v in values)


def quoted(value: Any, limit: int = 60) -> str:
    """A value as a message quotes it: repr of text (cut short when long), dates as written."""
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return repr(value[:limit]) + f"... ({len(value):,} characters)"
    if isinstance(value, bool) or value is None:
        return "true" if value is True else "false" if value is False else "null"
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return brief(repr(value), limit)


def brief(text: str, limit: int = 80) -> str:
    """``text`` on one line, cut short when longer than ``limit`` (messages stay short)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def suggest(given: str, choices: Iterable[Any]) -> str | None:
    """The choice ``given`` most likely misspells, if one is close enough."""
    options = [c for c in choices if isinstance(c, str)]
    found = difflib.get_close_matches(given, options, n=1, cutoff=0.6)
    return found[0] if found else None


def nearest(given: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` choices close to ``given`` (for an unknown vocabulary term)."""
    return difflib.get_close_matches(given.lower(), list(dict.fromkeys(choices)), n=n, cutoff=0.5)


def did_you_mean(given: str, choices: Iterable[Any], otherwise: str = "") -> str:
    """`` (did you mean 'x'?)`` when a choice is close, else ``otherwise``."""
    hint = suggest(given, choices)
    return f" (did you mean {hint!r}?)" if hint else otherwise
