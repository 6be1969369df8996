"""How a vocabulary term gives a value for one of its attributes on a day: the generic forms.

A term's value for an attribute (the ``AttributeValue`` in force that day, else the attribute's
default) is written in the rule base as a value; as ``{default: ..., <term>: ...}``, refined by
the term of another product field (``refine_by``); as ``{inherit_from: <field>}``, the same
attribute of that field's term; or as ``{item_field: <name>}``, a field of the list item itself
(e.g. a ``combined_with`` item's ``new_safety_concern``). A ``member_of`` attribute is computed:
whether the term is in another list fact. Nothing here knows any law; the facts of a product
(``facts.build_facts``) and the rule-base analyses (``authoring.satisfiability``) both compute
projections here.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..values import UNKNOWN, ListValue
from .model import RuleBase
from .references import Citation
from .vocabulary import AttributeDef, Term, Vocabulary

MAX_INHERITANCE = 3  # inherit_from chains longer than this give unknown


@dataclass(frozen=True)
class Projected:
    """A term's value for an attribute, and what it rests on (for the reports)."""

    value: Any
    citations: tuple[Citation, ...]  # the value's own sources, then the attribute's
    note: str | None = None


def project(
    rulebase: RuleBase,
    values: Mapping[str, Any],
    vocab: Vocabulary,
    term: Term,
    attr: AttributeDef,
    day: _dt.date,
    item: Any = None,
) -> Projected:
    """What ``term`` gives for ``attr`` on ``day`` when the product's other facts are
    ``values`` (``item``: the list item, for ``item_field``), or ``UNKNOWN``, with the sources it
    rests on."""
    entry = attr.value_on(term.name, day)
    own = entry.citations if entry is not None and not entry.inherits else ()
    return Projected(
        _value(rulebase, values, day, item, term, attr, 0),
        tuple(dict.fromkeys((*own, *attr.citations))),
        entry.note if entry is not None else None,
    )


def _value(
    rb: RuleBase,
    values: Mapping[str, Any],
    day: _dt.date,
    item: Any,
    term: Term,
    attr: AttributeDef,
    depth: int,
) -> Any:
    if attr.member_of:
        target = values.get(attr.member_of, UNKNOWN)
        if target is UNKNOWN or not isinstance(target, ListValue):
            return UNKNOWN
        if term.name in target.items:
            return True
        return UNKNOWN if target.open else False
    entry = attr.value_on(term.name, day)
    raw = entry.value if entry is not None else attr.default
    if raw is None:
        return UNKNOWN
    if not isinstance(raw, dict):
        return raw
    if "inherit_from" in raw:
        other_field = raw["inherit_from"]
        other_vocab = rb.vocabulary_for(other_field)
        other_term = values.get(other_field, UNKNOWN)
        if other_vocab is None or other_term is UNKNOWN or depth > MAX_INHERITANCE:
            return UNKNOWN
        inherited = other_vocab.attributes[attr.name]
        return _value(rb, values, day, item, other_vocab.terms[other_term], inherited, depth + 1)
    if "item_field" in raw:
        value = getattr(item, raw["item_field"], "unknown") if item is not None else "unknown"
        return UNKNOWN if value == "unknown" else value
    refine = values.get(attr.refine_by or "", UNKNOWN)
    if refine is UNKNOWN:
        distinct = {repr(v) for v in raw.values()}
        return raw["default"] if len(distinct) == 1 else UNKNOWN
    return raw.get(refine, raw["default"])
