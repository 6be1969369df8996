"""Turn a pydantic ``ValidationError`` into one clear, located ``InputError``.

pydantic reports one error per union branch (``bool``, ``literal['unknown']``...) with the branch
name inside the location. Here the branches are folded back into the field they belong to, the
expected values are merged ("expected true, false or unknown"), unknown keys get a "did you mean"
from the model's own field names, and the location is looked up in the parsed document.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import InputError
from ..text import brief, quoted, suggest
from .document import Document, Path_

_EXPECT_WORDS = {
    "bool_type": "true|false",
    "bool_parsing": "true|false",
    "string_type": "a text string",
    "int_type": "an integer",
    "float_type": "a number",
    "date_type": "a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date (YYYY-MM-DD)",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _step(annotation: Any, part: str | int) -> Any:
    """The annotation of ``part`` inside a value annotated ``annotation``."""
    if isinstance(part, int):
        for candidate in (annotation, *typing.get_args(annotation)):
            origin = typing.get_origin(candidate)
            if origin in (list, tuple):
                return typing.get_args(candidate)[0]
            if origin in (typing.Union, types.UnionType):
                for arg in typing.get_args(candidate):
                    if typing.get_origin(arg) in (list, tuple):
                        return typing.get_args(arg)[0]
        return None
    model = _model_of(annotation)
    if model is None:
        for candidate in typing.get_args(annotation):
            if typing.get_origin(candidate) is dict:
                return typing.get_args(candidate)[1]
        return None
    field = model.model_fields.get(part)
    return field.annotation if field else None


def allowed_keys(model: type[BaseModel], path: Path_) -> list[str]:
    annotation: Any = model
    for part in path:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    found = _model_of(annotation)
    if found is None:
        return []
    return [name for name, f in found.model_fields.items() if not f.exclude]


def _present(current: Any, part: Any) -> bool:
    """Is ``part`` a key or index that exists in ``current``?"""
    if isinstance(current, dict):
        return isinstance(part, str) and part in current
    if isinstance(current, list):
        return isinstance(part, int) and 0 <= part < len(current)
    return False


def _split(loc: tuple[Any, ...], data: Any, err_type: str) -> Path_:
    """The part of ``loc`` that names real keys and indexes of ``data`` (union tags dropped)."""
    real: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        if _present(current, part):
            real.append(part)
            current = current[part]
            continue
        missing_key = err_type == "missing" and i == len(loc) - 1
        extra_key = err_type == "extra_forbidden" and isinstance(current, dict)
        if isinstance(part, str) and (missing_key or extra_key):
            real.append(part)  # a key that is absent (missing) or not allowed (extra)
    return tuple(real)


def _expected(err: dict[str, Any]) -> list[str]:
    kind = err["type"]
    if kind == "literal_error":
        text = (err.get("ctx") or {}).get("expected", "")
        return [a or b for a, b in re.findall(r"'([^']*)'|\b(\d+)\b", text)]
    if kind in _EXPECT_WORDS:
        return _EXPECT_WORDS[kind].split("|")
    return []


def to_input_error(
    exc: ValidationError,
    doc: Document,
    model: type[BaseModel],
    base: Path_ = (),
) -> InputError:
    """The first problem in ``exc`` as a located, one-line ``InputError``."""
    data = doc.data
    for part in base:
        data = data[part]
    groups: dict[Path_, list[dict[str, Any]]] = {}
    for err in exc.errors(include_url=False):
        path = _split(err["loc"], data, err["type"])
        error = (err.get("ctx") or {}).get("error")
        if err["type"] == "value_error" and getattr(error, "path", None) is not None:
            path = tuple(error.path)
        groups.setdefault(path, []).append(err)
    # a misspelt key shows up as "unknown key" plus "required field missing": report the former
    ordered = sorted(groups.items(), key=lambda kv: kv[1][0]["type"] != "extra_forbidden")
    path, errs = ordered[0]
    full = (*base, *path)
    first = errs[0]
    more = len(groups) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""

    if first["type"] == "extra_forbidden":
        key = str(path[-1])
        allowed = allowed_keys(model, path[:-1])
        hint = suggest(key, allowed)
        if hint:
            message = f"unknown key {quoted(key)} (did you mean {hint!r}?)"
        else:
            message = f"unknown key {quoted(key)}; allowed keys: {', '.join(allowed)}"
        return doc.error(message + tail, full, key=True)
    if first["type"] == "missing":
        return doc.error("required field is missing" + tail, full, key=True)
    error = (first.get("ctx") or {}).get("error")
    if first["type"] == "value_error" and error is not None:
        message = getattr(error, "message", None) or str(error)
        return doc.error(brief(message, 300) + tail, full)

    expected: list[str] = []
    for err in errs:
        for word in _expected(err):
            if word not in expected:
                expected.append(word)
    given = first.get("input")
    if expected:
        listing = ", ".join(expected[:-1]) + (" or " if len(expected) > 1 else "") + expected[-1]
        message = f"got {quoted(given)}; expected {listing}"
        if isinstance(given, str):
            hint = suggest(given, expected)
            if given.lower() in ("true", "false") and "true" in expected:
                message += " (write true or false without quotes)"
            elif hint:
                message += f" (did you mean {hint!r}?)"
            elif given.lower() in ("yes", "no", "on", "off", "y", "n") and "true" in expected:
                message += " (YAML 1.2: write true or false)"
    else:
        message = brief(first["msg"], 300)
    return doc.error(message + tail, full)
