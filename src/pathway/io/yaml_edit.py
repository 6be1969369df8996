"""Write answers back into a product file without losing its comments or its key order.

The file is read with ruamel.yaml's round-trip loader and written back the same way: only the
value answered changes (or, for a field the file did not have, a key is added at the end of its
section, creating the section if needed). A list is written in flow style (``[a, b]``).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import InputError


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _node(value: Any) -> Any:
    if isinstance(value, list):
        seq = CommentedSeq(_node(v) for v in value)
        seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = _node(item)
        out.fa.set_flow_style()
        return out
    return value


def load(path: Path) -> Any:
    return load_text(path.read_text(encoding="utf-8"), str(path))


def load_text(text: str, name: str) -> Any:
    """The round-trip document of ``text`` (already checked by the hardened reader)."""
    try:
        return _yaml().load(text)
    except Exception as exc:
        raise InputError(f"cannot rewrite the file: {exc}", file=name) from None


def dump_text(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


def save(path: Path, data: Any) -> None:
    path.write_text(dump_text(data), encoding="utf-8")


def set_field(data: Any, field: str, value: Any) -> None:
    """Set dotted ``field`` (e.g. ``use.homologous``) in the round-trip document ``data``."""
    *parents, last = field.split(".")
    node = data
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            child = CommentedMap()
            node[part] = child
        node = child
    node[last] = _node(value)


def get_field(data: Any, field: str) -> Any:
    """The value of dotted ``field`` in ``data`` (None where a part is missing)."""
    node = data
    for part in field.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def remove_field(data: Any, field: str) -> None:
    """Remove dotted ``field`` from ``data`` (nothing happens where it is missing)."""
    *parents, last = field.split(".")
    parent = get_field(data, ".".join(parents)) if parents else data
    if isinstance(parent, dict):
        parent.pop(last, None)


def add_determination(data: Any, entry: dict[str, Any]) -> None:
    """Append (or replace, for the same fact) an entry of ``determinations``."""
    items = data.get("determinations")
    if not isinstance(items, list):
        items = CommentedSeq()
        data["determinations"] = items
    for index, existing in enumerate(items):
        if isinstance(existing, dict) and existing.get("fact") == entry["fact"]:
            items[index] = _node(entry)
            return
    items.append(_node(entry))
