"""Parsed text with the location of every key and value: what every located message points at.

Used for product files and for the rule base, so that every error can name file, line and column.
``Limits`` bound what a hostile file may cost; ``Document.error`` makes the located ``InputError``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..text import brief

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    """Input limits for product files (documented in the README; ``--max-bytes`` sets the first).

    They bound what a hostile file can cost: the YAML parser is pure Python (about 1.5 us a
    byte, 50 us a value at worst), so the defaults keep any product file under half a second of
    parsing; a real one is a few kilobytes and under a hundred values."""

    max_bytes: int = 100_000
    max_depth: int = 50
    max_nodes: int = 5_000  # values (scalars, lists, mappings), with YAML aliases expanded
    max_string: int = 10_000  # characters in one string or key


DEFAULT_LIMITS = Limits()
# the rule base is the project's own data, larger than any product and parsed once (then cached)
RULE_LIMITS = Limits(max_bytes=5_000_000, max_nodes=1_000_000, max_string=1_000_000)


@dataclass
class Document:
    """Parsed text: ``data`` plus the location of every key and value (1-based)."""

    file: str
    data: Any
    sha256: str
    value_locations: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_locations: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def location(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of ``path`` (its key if ``key``), else of its nearest ancestor."""
        probe = tuple(path)
        while True:
            table = self.key_locations if key else self.value_locations
            if probe in table:
                return table[probe]
            if key and probe in self.value_locations:
                return self.value_locations[probe]
            if not probe:
                return (1, 1) if self.data is not None else (None, None)
            probe = probe[:-1]
            key = True

    def error(self, message: str, path: Path_ = (), *, key: bool = False) -> InputError:
        line, column = self.location(path, key=key)
        return InputError(message, file=self.file, line=line, column=column, field=field_of(path))


def dotted(path: Path_) -> str:
    """``("processing", 2)`` -> ``processing[2]``; ``("use", "homologous")`` -> ``use.homologous``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def field_of(path: Path_) -> str | None:
    """The field a message names: ``path`` dotted, on one line, cut short when long."""
    return brief(dotted(path), 120) if path else None


def walk(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) in nested dicts and lists, parents first."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from walk(value, (*path, index))
