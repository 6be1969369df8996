"""From a validated product to the facts the rules read: three-valued, with provenance.

Input facts are the product's fields (``material.source``, ``processing``...). Projection facts
look a term's attribute up in its vocabulary: ``material.source.us_tissue_class`` is the
``us_tissue_class`` of the product's source tissue; ``processing.us_mm_structural`` is the list
of that attribute's values over every processing step. Nothing here knows any law: which tissue
is structural is a vocabulary entry, how a projection is computed is one of four generic forms
(a value; ``{default:, <term>:}`` refined by another field; ``{inherit_from: field}``;
``{item_field: name}``), and ``member_of`` tests each item against another list fact.
"""

from __future__ import annotations

import datetime as _dt
import functools
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .product import FALLBACKS, CombinedItem, Product, defaulted_fields
from .rulebase.conditions import UNKNOWN, ListValue
from .rulebase.model import AttributeDef, RuleBase, Term, Vocabulary


@dataclass(frozen=True)
class Contribution:
    """One item's part in a projection: ``term`` gave ``value``."""

    term: str
    value: Any


@dataclass(frozen=True)
class FactView:
    """Every input and projection fact of one product (``UNKNOWN`` where unknown)."""

    values: Mapping[str, Any]
    contributions: Mapping[str, tuple[Contribution, ...]] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name, UNKNOWN)

    def get(self, name: str) -> Any:
        return self.values.get(name, UNKNOWN)


@functools.cache
def _parts(path: str) -> tuple[str, ...]:
    return tuple(sys.intern(part) for part in path.split("."))


def _attr(obj: Any, path: str) -> Any:
    for part in _parts(path):
        obj = getattr(obj, part)
    return obj


def _as_fact(value: Any, is_list: bool) -> Any:
    if is_list:
        if value == "unknown":
            return ListValue.unknown()
        items = [v.kind if isinstance(v, CombinedItem) else v for v in value]
        return ListValue(frozenset(i for i in items if i != "unknown"), open="unknown" in items)
    if value == "unknown":
        return UNKNOWN
    if isinstance(value, _dt.date):
        return value
    return value


class _Projector:
    def __init__(self, rulebase: RuleBase, product: Product, values: dict[str, Any]) -> None:
        self.rb = rulebase
        self.product = product
        self.values = values
        self.contributions: dict[str, tuple[Contribution, ...]] = {}

    def items(self, field_name: str) -> list[tuple[str, Any]] | None:
        """(term, item object) for each known item of a list field; None if the list is unknown."""
        raw = _attr(self.product, field_name)
        if raw == "unknown":
            return None
        out = []
        for item in raw:
            if isinstance(item, CombinedItem):
                if item.kind != "unknown":  # an item of unknown kind leaves the list open
                    out.append((item.kind, item))
            elif item != "unknown":
                out.append((item, None))
        return out

    def term_value(
        self, vocab: Vocabulary, term: Term, attr: AttributeDef, item: Any, depth: int = 0
    ) -> Any:
        if attr.member_of:
            target = self.values.get(attr.member_of, UNKNOWN)
            if target is UNKNOWN or not isinstance(target, ListValue):
                return UNKNOWN
            if term.name in target.items:
                return True
            return UNKNOWN if target.open else False
        raw = term.attributes.get(attr.name, attr.default)
        if raw is None:
            return UNKNOWN
        if isinstance(raw, dict):
            if "inherit_from" in raw:
                other_field = raw["inherit_from"]
                other_vocab = self.rb.vocabulary_for(other_field)
                other_term = self.values.get(other_field, UNKNOWN)
                if other_vocab is None or other_term is UNKNOWN or depth > 3:
                    return UNKNOWN
                return self.term_value(
                    other_vocab,
                    other_vocab.terms[other_term],
                    other_vocab.attributes[attr.name],
                    item,
                    depth + 1,
                )
            if "item_field" in raw:
                value = (
                    getattr(item, raw["item_field"], "unknown") if item is not None else "unknown"
                )
                return UNKNOWN if value == "unknown" else value
            refine = self.values.get(attr.refine_by or "", UNKNOWN)
            if refine is UNKNOWN:
                distinct = {repr(v) for v in raw.values()}
                return raw["default"] if len(distinct) == 1 else UNKNOWN
            return raw.get(refine, raw["default"])
        return raw

    def project(self, vocab: Vocabulary, attr: AttributeDef) -> None:
        for field_name in vocab.fields:
            name = f"{field_name}.{attr.name}"
            definition = self.rb.facts[name]
            base = self.values.get(field_name, UNKNOWN)
            if definition.is_list and attr.type != "terms":
                items = self.items(field_name)
                if items is None:
                    self.values[name] = ListValue.unknown()
                    continue
                known: set[Any] = set()
                contributions = []
                open_ = isinstance(base, ListValue) and base.open
                for term_name, item in items:
                    value = self.term_value(vocab, vocab.terms[term_name], attr, item)
                    contributions.append(Contribution(term_name, value))
                    if value is UNKNOWN:
                        open_ = True
                    else:
                        known.add(value)
                self.values[name] = ListValue(frozenset(known), open=open_)
                self.contributions[name] = tuple(contributions)
            else:
                if base is UNKNOWN:
                    self.values[name] = ListValue.unknown() if definition.is_list else UNKNOWN
                    continue
                value = self.term_value(vocab, vocab.terms[base], attr, None)
                if definition.is_list:
                    value = ListValue.unknown() if value is UNKNOWN else ListValue(frozenset(value))
                self.values[name] = value
                self.contributions[name] = (Contribution(base, value),)


def build_facts(product: Product, rulebase: RuleBase) -> FactView:
    """The fact view of ``product`` (whose vocabulary terms must already be canonical)."""
    values: dict[str, Any] = {}
    assumptions = []
    for name, definition in rulebase.facts.items():
        if definition.origin == "input":
            values[name] = _as_fact(_attr(product, name), definition.is_list)
    for path, value, description in defaulted_fields(product):
        shown = "true" if value is True else "false" if value is False else value
        assumptions.append(f"{path} is not given: {description} ({path}: {shown})")
    for path, (source, reason) in FALLBACKS.items():
        if (
            path in values
            and values[path] is UNKNOWN
            and values.get(source, UNKNOWN) is not UNKNOWN
        ):
            values[path] = values[source]
            shown = (
                "true"
                if values[path] is True
                else "false"
                if values[path] is False
                else values[path]
            )
            assumptions.append(
                f"{path} is not given: taken from {source} ({reason}) ({path}: {shown})"
            )
    projector = _Projector(rulebase, product, values)
    vocabs = list(rulebase.vocabularies.values())
    # plain projections first, then those that test membership in another projection
    for member_pass in (False, True):
        for vocab in vocabs:
            for attr in vocab.attributes.values():
                if bool(attr.member_of) == member_pass:
                    projector.project(vocab, attr)
    return FactView(
        values=values, contributions=projector.contributions, assumptions=tuple(assumptions)
    )


def attribute_value(
    rulebase: RuleBase,
    values: Mapping[str, Any],
    vocab: Vocabulary,
    term: Term,
    attr: AttributeDef,
    item: Any = None,
) -> Any:
    """What ``term`` gives for ``attr`` when the product's other facts are ``values`` (``item``:
    the ``combined_with`` item, for ``item_field``), computed as for a product: for the rule
    base's analyses (``pathway rules lint``), which try terms without building products."""
    projector = _Projector(rulebase, None, dict(values))  # type: ignore[arg-type]
    return projector.term_value(vocab, term, attr, item)
