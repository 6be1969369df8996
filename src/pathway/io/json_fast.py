"""A fast reader for product files written as JSON, with the position of every key and value.

The YAML reader (``yaml_safe``) is general and exact but slow; most batch inputs are JSON. This
reads a well-formed JSON document in one pass, recording 1-based line and column of every key
and value the way the YAML reader does. Anything it does not accept as plain, well-formed JSON within
the input limits (a syntax error, a duplicate key, too deep, too many values, too long a string,
trailing text) raises ``NotPlainJSON``: the caller then reads the file with the YAML reader,
which gives the located error message. So this path changes nothing but speed.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from .document import Path_

_SPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")


class NotPlainJSON(Exception):
    """Not read here: let the YAML reader read it (and report what is wrong)."""


class _Reader:
    def __init__(self, text: str, max_depth: int, max_values: int, max_string: int) -> None:
        self.text = text
        self.max_depth = max_depth
        self.max_values = max_values
        self.max_string = max_string
        self.values = 0
        self.lines = [i for i, c in enumerate(text) if c == "\n"]
        self.value_locations: dict[Path_, tuple[int, int]] = {}
        self.key_locations: dict[Path_, tuple[int, int]] = {}

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(self.lines, offset)
        start = self.lines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    def space(self, i: int) -> int:
        return _SPACE.match(self.text, i).end()  # type: ignore[union-attr]

    def string(self, i: int) -> tuple[str, int]:
        match = _STRING.match(self.text, i)
        if match is None:
            raise NotPlainJSON
        value = json.loads(match.group())
        if len(value) > self.max_string:
            raise NotPlainJSON
        return value, match.end()

    def value(self, i: int, path: Path_) -> tuple[Any, int]:
        self.values += 1
        if self.values > self.max_values or len(path) > self.max_depth:
            raise NotPlainJSON
        text = self.text
        if i >= len(text):
            raise NotPlainJSON
        char = text[i]
        if char == "{":
            return self.mapping(i + 1, path)
        if char == "[":
            return self.sequence(i + 1, path)
        if char == '"':
            return self.string(i)
        for word, meaning in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, i):
                return meaning, i + len(word)
        match = _NUMBER.match(text, i)
        if match is None or match.end() == i:
            raise NotPlainJSON
        number = match.group()
        if len(number) > 100:
            raise NotPlainJSON  # the YAML reader says what is wrong with such a number
        return (float(number) if match.group(1) or match.group(2) else int(number)), match.end()

    def mapping(self, i: int, path: Path_) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        i = self.space(i)
        if self.text.startswith("}", i):
            return out, i + 1
        while True:
            key_at = i
            key, i = self.string(i)
            self.values += 1  # a key counts as a value, as for the YAML reader's nodes
            if key in out:
                raise NotPlainJSON  # duplicate keys: the YAML reader names them
            i = self.space(i)
            if not self.text.startswith(":", i):
                raise NotPlainJSON
            i = self.space(i + 1)
            child = (*path, key)
            self.key_locations[child] = self.position(key_at)
            self.value_locations[child] = self.position(i)
            out[key], i = self.value(i, child)
            done, i = self.after_item(i, "}")
            if done:
                return out, i

    def sequence(self, i: int, path: Path_) -> tuple[list[Any], int]:
        out: list[Any] = []
        i = self.space(i)
        if self.text.startswith("]", i):
            return out, i + 1
        while True:
            child = (*path, len(out))
            self.value_locations[child] = self.position(i)
            item, i = self.value(i, child)
            out.append(item)
            done, i = self.after_item(i, "]")
            if done:
                return out, i

    def after_item(self, i: int, close: str) -> tuple[bool, int]:
        """After an item of a mapping or list: (True, past ``close``) at its end, else (False,
        the start of the next item)."""
        i = self.space(i)
        if self.text.startswith(",", i):
            return False, self.space(i + 1)
        if self.text.startswith(close, i):
            return True, i + 1
        raise NotPlainJSON


def read(
    text: str, *, max_depth: int, max_values: int, max_string: int
) -> tuple[Any, dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]:
    """(data, value locations, key locations) of a plain JSON document, or ``NotPlainJSON``."""
    reader = _Reader(text, max_depth, max_values, max_string)
    start = reader.space(0)
    try:
        data, end = reader.value(start, ())
    except RecursionError:
        raise NotPlainJSON from None
    if reader.space(end) != len(text):
        raise NotPlainJSON  # more than one document
    return data, reader.value_locations, reader.key_locations
