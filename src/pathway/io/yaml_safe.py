"""The hardened YAML reader: ruamel.yaml's pure-Python scanner, parser and composer, with the
input limits enforced while the text is parsed, and plain data built node by node.

Hostile input is refused early with an ``InputError``: YAML tags (nothing is ever constructed from
a tag), duplicate keys, non-string keys, merge keys, nesting deeper than a limit, and alias
expansion beyond a node budget.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scanner import Scanner

from ..errors import InputError
from ..text import brief, quoted
from .document import Document, Limits, Path_, field_of

_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")  # what ruamel's reader counts as a new line


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of character ``offset``, counting lines as the YAML reader does."""
    line, start = 1, 0
    for match in _BREAK.finditer(text, 0, offset):
        line += 1
        start = match.end()
    return line, offset - start + 1


#
# ruamel.yaml's pure-Python scanner, parser and composer build a graph of nodes; nothing is
# constructed from it but plain data, here, node by node (``_Converter``). A tag is checked
# before its node is touched, so no tag can reach a constructor. The limits are enforced while
# the text is parsed, not after, so that a hostile file costs no more than the limits allow:
# the scanner stops after ``_TOKENS_PER_VALUE * max_nodes`` tokens, the composer at the
# ``max_nodes``-th value or below ``max_depth`` levels, the converter when aliases expand the
# document beyond ``max_nodes`` values.

_TOKENS_PER_VALUE = 4  # a mapping entry is 4 tokens (key, scalar, value, scalar) for 2 values
_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP, _MAP, _SEQ, _MERGE = (
    _TAG + name
    for name in ("str", "null", "bool", "int", "float", "timestamp", "map", "seq", "merge")
)
_KIND = {
    _NULL: "null",
    _BOOL: "true or false",
    _INT: "integer",
    _FLOAT: "number",
    _TIMESTAMP: "date",
}


class _Refused(Exception):
    """A limit was reached while parsing: message and the ruamel mark where it was."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _Scanner(Scanner):
    def fetch_more_tokens(self) -> Any:
        result = super().fetch_more_tokens()
        limits: Limits = self.loader.pathway_limits
        if self.tokens_taken + len(self.tokens) > _TOKENS_PER_VALUE * limits.max_nodes:
            raise _Refused(
                f"document is too large: more than {_TOKENS_PER_VALUE * limits.max_nodes:,} "
                f"YAML tokens (limit: {_TOKENS_PER_VALUE} per value, {limits.max_nodes:,} values)",
                self.reader.get_mark(),
            )
        # the scanner looks up to 1,024 characters ahead for a simple key at each open bracket:
        # refuse deep flow nesting here, before that lookahead costs depth x 1,024 steps
        if len(self.flow_context) > limits.max_depth + 1:
            raise _Refused(
                f"nested deeper than {limits.max_depth} levels", self.tokens[-1].start_mark
            )
        return result


class _Composer(Composer):
    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.warn_double_anchors = False  # YAML allows it; the later anchor wins
        self.values = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        limits: Limits = self.loader.pathway_limits
        event = self.parser.peek_event()
        self.values += 1
        if self.values > limits.max_nodes:
            raise _Refused(f"document has more than {limits.max_nodes:,} values", event.start_mark)
        if self.depth > limits.max_depth and not isinstance(event, AliasEvent):
            raise _Refused(f"nested deeper than {limits.max_depth} levels", event.start_mark)
        return super().compose_node(parent, index)


def _yaml(limits: Limits) -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.Scanner = _Scanner
    yaml.Composer = _Composer
    yaml.pathway_limits = limits  # type: ignore[attr-defined]
    return yaml


def _tag_name(tag: Any) -> str:
    value = str(getattr(tag, "value", tag))
    return "!!" + value[len(_TAG) :] if value.startswith(_TAG) else value


class _Converter:
    """Nodes -> dict/list/scalars, recording locations and enforcing limits."""

    def __init__(self, doc: Document, limits: Limits, yaml: YAML) -> None:
        self.doc = doc
        self.limits = limits
        self.constructor = yaml.constructor  # scalar construction only (int, float, bool, date)
        self.values = 0
        self.open: set[int] = set()  # collections being converted: an alias to one is a cycle

    def _error(self, message: str, node: Any, path: Path_) -> InputError:
        mark = node.start_mark
        return InputError(
            message,
            file=self.doc.file,
            line=mark.line + 1,
            column=mark.column + 1,
            field=field_of(path),
        )

    def _check_tag(self, node: Any, path: Path_, allowed: tuple[str, ...]) -> str:
        tag = str(getattr(node.tag, "value", node.tag))
        if tag not in allowed:
            kind = {MappingNode: "mapping", SequenceNode: "list"}.get(type(node), "value")
            known = tag in (_STR, _NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP, _MAP, _SEQ)
            raise self._error(
                f"YAML tag {brief(_tag_name(tag))} "
                + (f"cannot be put on a {kind}" if known else "is not allowed")
                + " (a product file holds plain data only)",
                node,
                path,
            )
        return tag

    def convert(self, node: Any, path: Path_) -> Any:
        self.values += 1
        if self.values > self.limits.max_nodes:
            raise self._error(
                f"YAML aliases expand the document to more than {self.limits.max_nodes:,} values",
                node,
                path,
            )
        if len(path) > self.limits.max_depth:
            raise self._error(f"nested deeper than {self.limits.max_depth} levels", node, path)
        if isinstance(node, MappingNode):
            self._check_tag(node, path, (_MAP,))
            return self._collection(node, path, self._mapping)
        if isinstance(node, SequenceNode):
            self._check_tag(node, path, (_SEQ,))
            return self._collection(node, path, self._sequence)
        return self._scalar(node, path)

    def _collection(self, node: Any, path: Path_, build: Any) -> Any:
        if id(node) in self.open:
            raise self._error("a YAML alias refers to a collection that contains it", node, path)
        self.open.add(id(node))
        try:
            return build(node, path)
        finally:
            self.open.discard(id(node))

    def _mapping(self, node: Any, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, path)
            kline, kcol = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key in out:
                raise self._error(
                    f"duplicate key {quoted(key)} (first given on line {lines[key]})",
                    key_node,
                    path,
                )
            lines[key] = kline
            child = (*path, key)
            self.doc.key_locations[child] = (kline, kcol)
            mark = value_node.start_mark
            self.doc.value_locations[child] = (mark.line + 1, mark.column + 1)
            out[key] = self.convert(value_node, child)
        return out

    def _sequence(self, node: Any, path: Path_) -> list[Any]:
        items = []
        for index, item in enumerate(node.value):
            child = (*path, index)
            mark = item.start_mark
            self.doc.value_locations[child] = (mark.line + 1, mark.column + 1)
            items.append(self.convert(item, child))
        return items

    def _key(self, node: Any, path: Path_) -> str:
        if not isinstance(node, ScalarNode):
            kind = "a mapping" if isinstance(node, MappingNode) else "a list"
            raise self._error(f"key is {kind}, not a string", node, path)
        tag = str(getattr(node.tag, "value", node.tag))
        if tag == _MERGE:
            raise self._error(
                "YAML merge keys (<<) are not supported: write the keys out", node, path
            )
        key = self._scalar(node, path)
        if not isinstance(key, str):
            raise self._error(f"key {quoted(key)} is not a string", node, path)
        return key

    def _scalar(self, node: Any, path: Path_) -> Any:
        tag = self._check_tag(node, path, (_STR, _NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP))
        text = node.value
        if tag == _STR:
            return self._string(text, node, path)
        if tag == _NULL:
            if text not in ("", "~", "null", "Null", "NULL"):
                raise self._error(f"{quoted(text)} is not a valid {_KIND[tag]}", node, path)
            return None
        try:
            if tag == _BOOL:
                return bool(self.constructor.construct_yaml_bool(node))
            if tag == _INT:
                return int(self.constructor.construct_yaml_int(node))
            if tag == _FLOAT:
                return float(self.constructor.construct_yaml_float(node))
            value = self.constructor.construct_yaml_timestamp(node)
        except (ValueError, KeyError, IndexError, TypeError, OverflowError, YAMLError):
            raise self._error(f"{quoted(text)} is not a valid {_KIND[tag]}", node, path) from None
        if isinstance(value, _dt.datetime):
            return _dt.datetime(*value.timetuple()[:6])
        return _dt.date(value.year, value.month, value.day)

    def _string(self, text: str, node: Any, path: Path_) -> str:
        if len(text) > self.limits.max_string:
            raise self._error(
                f"string of {len(text):,} characters is longer than the limit of "
                f"{self.limits.max_string:,}",
                node,
                path,
            )
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise self._error(
                    f"string holds U+{ord(text[exc.start]):04X}, half of a UTF-16 surrogate "
                    "pair: not a character",
                    node,
                    path,
                ) from None
        return str(text)


def load(doc: Document, text: str, limits: Limits) -> None:
    """Parse the YAML ``text`` into ``doc`` (its data and locations), or raise ``InputError``."""
    file = doc.file
    yaml = _yaml(limits)
    try:
        node = yaml.compose(text)
    except _Refused as exc:
        mark = exc.mark
        raise InputError(
            exc.message,
            file=file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except ReaderError as exc:
        line, column = position(text, exc.position)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise InputError(
            f"file contains the control character U+{ord(char):04X}, not allowed in YAML",
            file=file,
            line=line,
            column=column,
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "another document" in problem:
            problem = "a product file is one YAML document, but found another one (---)"
        elif "expected '<document start>'" in problem:
            problem = "a product file is one YAML or JSON document, but more follows its end"
        raise InputError(
            f"malformed YAML: {brief(problem, 200)}",
            file=file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except RecursionError:
        raise InputError(
            f"malformed YAML: nested too deeply (limit {limits.max_depth})", file=file
        ) from None
    except YAMLError as exc:
        raise InputError(f"malformed YAML: {brief(str(exc), 200)}", file=file) from None
    if node is None:
        raise InputError("file is empty: expected a YAML or JSON mapping", file=file, line=1)
    doc.data = _Converter(doc, limits, yaml).convert(node, ())
