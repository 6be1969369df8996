"""Answering a ranked question: the typed value of an answer given as text, and the edit it
makes to a product file's round-trip document (the field itself, each list item it concerns,
or an expert determination with its reason). Shared by ``pathway interview`` and the web page."""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..io import yaml_edit
from ..io.read import parse_bytes
from ..product.load import LoadedProduct
from ..text import words
from .ranking import RankedQuestion, items_answered
from .whatif import WhatIf


def parse_answer(whatif: WhatIf, q: RankedQuestion, text: str) -> Any:
    """The typed value of an answer written as text (YAML: true, [a, b], 2024-07-31; a list of
    terms as ``a, b``); ``InputError`` when it is not one of the question's answers."""
    definition = whatif.rb.facts[q.fact]
    if definition.is_list and q.item_field is None:
        items = [t.strip() for t in text.strip().strip("[]").split(",") if t.strip()]
        if not items:
            raise InputError(
                "give at least one item, or `none` for an empty list (nothing answered is "
                "not an answer)",
                field=q.fact,
            )
        if items == ["none"]:
            return []
        vocab = whatif.rb.vocabulary_for(q.fact)
        out = []
        for item in items:
            term = vocab.resolve(item) if vocab is not None else item
            if term is None:
                raise InputError(
                    f"{item!r} is not a term of the {vocab.name} vocabulary",  # type: ignore[union-attr]
                    field=q.fact,
                )
            out.append(term)
        return out
    value = parse_bytes(text.strip().encode() or b"''", "answer").data
    if q.answers and value not in q.answers:
        raise InputError(f"answer one of {words(q.answers)}", field=q.fact)
    return value


def write_answer(
    whatif: WhatIf,
    loaded: LoadedProduct,
    q: RankedQuestion,
    data: Any,
    value: Any,
    reason: str | None = None,
) -> None:
    """Write the answer ``value`` to ``q`` into the round-trip document ``data``: on the field,
    on each item of the list it concerns, or, for a derived fact, as a determination with the
    ``reason`` (who decided, and where), which it needs."""
    if q.item_field is not None:
        base = q.fact.rpartition(".")[0]
        yaml_edit.set_field(data, base, items_answered(whatif, loaded, q.fact, q.item_field, value))
    elif q.determination:
        if not reason or not reason.strip():
            raise InputError(
                "a determination needs its reason (who decided, and where)", field=q.fact
            )
        yaml_edit.add_determination(
            data, {"fact": q.fact, "value": value, "reason": reason.strip()}
        )
    else:
        yaml_edit.set_field(data, q.fact, value)
