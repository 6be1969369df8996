"""Read YAML or JSON text into plain Python data, remembering where every value came from.

Used for product files and for the rule base, so that every error can name file, line and
column. Hostile input is refused early with an ``InputError``: oversized files, binary data,
invalid UTF-8, several documents, YAML tags (nothing is ever constructed from a tag), duplicate
keys, non-string keys, nesting deeper than a limit, and alias expansion beyond a node budget.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import InputError

Path_ = tuple[str | int, ...]

_STANDARD_TAGS = {
    None,
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass(frozen=True)
class Limits:
    """Input limits (documented in the README; the CLI exposes them as options)."""

    max_bytes: int = 1_000_000
    max_depth: int = 50
    max_nodes: int = 100_000
    max_string: int = 100_000


DEFAULT_LIMITS = Limits()


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
        field_name = dotted(path) if path else None
        return InputError(message, file=self.file, line=line, column=column, field=field_name)


def dotted(path: Path_) -> str:
    """``("processing", 2)`` -> ``processing[2]``; ``("use", "homologous")`` -> ``use.homologous``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _line_of_offset(raw: bytes, offset: int) -> tuple[int, int]:
    head = raw[:offset]
    line = head.count(b"\n") + 1
    column = offset - (head.rfind(b"\n") + 1) + 1
    return line, column


def decode_text(raw: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """Bytes to text, refusing binary data and oversized input with a located message."""
    if len(raw) > limits.max_bytes:
        raise InputError(
            f"file is {len(raw):,} bytes, larger than the limit of {limits.max_bytes:,} bytes "
            "(raise it with --max-bytes)",
            file=file,
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _line_of_offset(raw, nul)
        raise InputError(
            "file contains a NUL byte: this is not a YAML or JSON text file",
            file=file,
            line=line,
            column=column,
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_of_offset(raw, exc.start)
        raise InputError(
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save it as UTF-8 text",
            file=file,
            line=line,
            column=column,
        ) from None
    if not text.strip():
        raise InputError("file is empty: expected a YAML or JSON mapping", file=file, line=1)
    return text


class _Converter:
    """CommentedMap/Seq -> dict/list, recording locations and enforcing limits."""

    def __init__(self, doc: Document, limits: Limits) -> None:
        self.doc = doc
        self.limits = limits
        self.nodes = 0

    def _count(self, path: Path_) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise self.doc.error(
                f"document expands to more than {self.limits.max_nodes:,} values "
                "(YAML aliases expanding exponentially?)",
                path,
            )
        if len(path) > self.limits.max_depth:
            raise self.doc.error(f"nested deeper than {self.limits.max_depth} levels", path)

    def _check_tag(self, node: Any, path: Path_) -> None:
        tag = getattr(node, "tag", None)
        value = getattr(tag, "value", tag)
        if value not in _STANDARD_TAGS:
            raise self.doc.error(f"YAML tag {value!s} is not allowed", path)

    def convert(self, node: Any, path: Path_) -> Any:
        self._count(path)
        if isinstance(node, CommentedMap):
            self._check_tag(node, path)
            out: dict[str, Any] = {}
            for key in node:
                if not isinstance(key, str):
                    line, col = node.lc.key(key)
                    raise InputError(
                        f"key {key!r} is not a string",
                        file=self.doc.file,
                        line=line + 1,
                        column=col + 1,
                        field=dotted(path) or None,
                    )
                kline, kcol = node.lc.key(key)
                vline, vcol = node.lc.value(key)
                child = (*path, key)
                self.doc.key_locations[child] = (kline + 1, kcol + 1)
                self.doc.value_locations[child] = (vline + 1, vcol + 1)
                out[key] = self.convert(node[key], child)
            return out
        if isinstance(node, CommentedSeq):
            self._check_tag(node, path)
            items = []
            for index, item in enumerate(node):
                line, col = node.lc.item(index)
                child = (*path, index)
                self.doc.value_locations[child] = (line + 1, col + 1)
                items.append(self.convert(item, child))
            return items
        if isinstance(node, TaggedScalar):
            self._check_tag(node, path)
        if isinstance(node, bool) or node is None:
            return node
        if isinstance(node, int):
            return int(node)
        if isinstance(node, float):
            return float(node)
        if isinstance(node, _dt.datetime):
            return _dt.datetime(*node.timetuple()[:6])
        if isinstance(node, _dt.date):
            return _dt.date(node.year, node.month, node.day)
        if isinstance(node, str):
            if len(node) > self.limits.max_string:
                raise self.doc.error(
                    f"string of {len(node):,} characters is longer than the limit of "
                    f"{self.limits.max_string:,}",
                    path,
                )
            return str(node)
        raise self.doc.error(f"unsupported YAML value of type {type(node).__name__}", path)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def parse_text(text: str, file: str, raw: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Parse one YAML (or JSON) document held in ``text``."""
    doc = Document(file=file, data=None, sha256=hashlib.sha256(raw).hexdigest())
    try:
        node = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "duplicate key" in str(exc):
            problem = f"duplicate key: {exc.problem}"
        raise InputError(
            f"malformed YAML: {problem}",
            file=file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except RecursionError:
        raise InputError(
            f"malformed YAML: nested too deeply (limit {limits.max_depth})", file=file
        ) from None
    except YAMLError as exc:
        raise InputError(f"malformed YAML: {' '.join(str(exc).split())}", file=file) from None
    if node is None:
        raise InputError("file is empty: expected a YAML or JSON mapping", file=file, line=1)
    try:
        doc.data = _Converter(doc, limits).convert(node, ())
    except RecursionError:
        raise InputError(f"nested deeper than {limits.max_depth} levels", file=file) from None
    return doc


def parse_bytes(raw: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    return parse_text(decode_text(raw, file, limits), file, raw, limits)


def read_document(
    path: str | Path, limits: Limits = DEFAULT_LIMITS, *, display: str | None = None
) -> Document:
    """Read and parse a file; ``display`` is the name used in messages (default: the path)."""
    name = display or str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > limits.max_bytes:
            raise InputError(
                f"file is {size:,} bytes, larger than the limit of {limits.max_bytes:,} bytes "
                "(raise it with --max-bytes)",
                file=name,
            )
        raw = p.read_bytes()
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", file=name) from None
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except PermissionError:
        raise InputError("permission denied", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=name) from None
    return parse_bytes(raw, name, limits)


def walk(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) in nested dicts and lists, parents first."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from walk(value, (*path, index))
