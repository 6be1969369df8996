"""The product fields that are facts, their defaults and fallbacks (contract section 1).

``input_fields`` walks the product model: every field but ``format``, ``name``, ``jurisdictions``,
``determinations`` and ``expect`` is a fact, typed from its annotation. ``defaulted_fields`` lists
the omitted fields whose default is a value rather than unknown (reported as assumptions);
``FALLBACKS`` names the fields that, left out, take the value of another field the contract says
answers them too.
"""

from __future__ import annotations

import datetime as _dt
import typing
from typing import Any, Literal

from pydantic import BaseModel, StrictBool

from .product import Product

NOT_FACTS = ("format", "name", "jurisdictions", "determinations", "expect")


def input_fields() -> list[tuple[str, str, tuple[Any, ...] | None]]:
    """Every product field that is a fact: (dotted path, type, enum values).

    Types: ``bool`` (true/false/unknown), ``enum``, ``list`` (of text terms), ``text``, ``date``.
    ``format``, ``name``, ``jurisdictions``, ``determinations`` and ``expect`` are not facts.
    """
    out: list[tuple[str, str, tuple[Any, ...] | None]] = []

    def kind_of(annotation: Any) -> tuple[str, tuple[Any, ...] | None]:
        args = typing.get_args(annotation)
        if annotation is _dt.date or _dt.date in args:
            return "date", None
        literals = [a for a in args if typing.get_origin(a) is Literal] or (
            [annotation] if typing.get_origin(annotation) is Literal else []
        )
        values = tuple(v for lit in literals for v in typing.get_args(lit) if v != "unknown")
        if any(typing.get_origin(a) is list for a in args):
            return "list", None
        if StrictBool in args or annotation is StrictBool:
            return "bool", (True, False)
        if values:
            return "enum", values
        return "text", None

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            path = f"{prefix}{name}"
            if path in NOT_FACTS:
                continue
            annotation = field.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                walk(annotation, path + ".")
                continue
            kind, values = kind_of(annotation)
            out.append((path, kind, values))

    walk(Product, "")
    return out


# A field left out takes the value of another field the contract says covers it too.
FALLBACKS: dict[str, tuple[str, str]] = {
    "use.same_essential_function": (
        "use.homologous",
        "the product contract defines use.homologous as the same basic (US) and essential (EU) "
        "function in the recipient as in the donor; give use.same_essential_function to answer "
        "the EU's question on its own",
    ),
}


def defaulted_fields(
    product: Product, known: dict[str, list[tuple[str, Any, str]]] | None = None
) -> list[tuple[str, Any, str]]:
    """Fields the product left out whose default is a value, not ``unknown`` (assumptions).
    ``known``: the entries already found for some of the product's parts (by top-level field),
    taken as they are."""
    out: list[tuple[str, Any, str]] = []

    def walk(model: BaseModel, prefix: str) -> None:
        for name, field in type(model).model_fields.items():
            value = getattr(model, name)
            if isinstance(value, BaseModel):
                if not prefix and known is not None and name in known:
                    out.extend(known[name])
                else:
                    walk(value, f"{prefix}{name}.")
                continue
            if name in model.model_fields_set or not isinstance(field.default, (str, bool)):
                continue
            extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
            if field.default != "unknown" and "when_omitted" in extra:
                out.append((f"{prefix}{name}", field.default, str(extra["when_omitted"])))

    walk(product, "")
    return out
