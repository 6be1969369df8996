"""From a validated product to the facts the rules read: three-valued, with provenance.

Input facts are the product's fields (``material.source``, ``processing``...). Projection facts
look a term's attribute up in its vocabulary: ``material.source.us_tissue_class`` is the
``us_tissue_class`` of the product's source tissue; ``processing.us_mm_structural`` is the list
of that attribute's values over every processing step. Nothing here knows any law: which tissue
is structural is a vocabulary entry, and how a term gives a value is one of the generic forms of
``rulebase.projection``.
"""

from __future__ import annotations

import datetime as _dt
import functools
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .contract.fields import FALLBACKS, defaulted_fields
from .contract.product import CombinedItem, Product
from .rulebase.model import RuleBase
from .rulebase.projection import project
from .rulebase.references import Citation
from .rulebase.vocabulary import AttributeDef, Vocabulary
from .text import word
from .values import UNKNOWN, ListValue


@dataclass(frozen=True)
class Contribution:
    """One item's part in a projection: ``term`` gave ``value``, resting on ``citations`` (the
    value's own sources, then the attribute's), with the vocabulary's ``note`` on it."""

    term: str
    value: Any
    citations: tuple[Citation, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class FactView:
    """Every input and projection fact of one product (``UNKNOWN`` where unknown)."""

    values: Mapping[str, Any]
    contributions: Mapping[str, tuple[Contribution, ...]] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()
    product: Product | None = field(default=None, compare=False)  # what they were built from
    day: _dt.date | None = field(default=None, compare=False)  # the day they were built for
    defaulted: tuple[tuple[str, Any, str], ...] = field(default=(), compare=False)

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
    return value


class _Projector:
    def __init__(
        self,
        rulebase: RuleBase,
        product: Product,
        values: dict[str, Any],
        day: _dt.date,
        previous: FactView | None = None,
        changed: frozenset[str] = frozenset(),
    ) -> None:
        self.rb = rulebase
        self.product = product
        self.values = values
        self.day = day
        self.contributions: dict[str, tuple[Contribution, ...]] = {}
        self.previous = previous
        self.changed = changed  # the input facts that differ from the previous product's

    def reused(self, name: str) -> bool:
        """Whether the previous product's value of projection ``name`` holds unchanged: every
        product field it comes from is equal (a list item by item, its items' fields too)."""
        before = self.previous
        if before is None or before.product is None:
            return False
        for f in self.rb.inputs_of(name):
            if f in self.changed:
                return False
            if self.rb.facts[f].origin == "input":
                continue  # not in ``changed``: equal, item by item
            if before.values.get(f, UNKNOWN) != self.values.get(f, UNKNOWN):
                return False
        self.values[name] = before.values[name]
        if name in before.contributions:
            self.contributions[name] = before.contributions[name]
        return True

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

    def project(self, vocab: Vocabulary, attr: AttributeDef) -> None:
        for field_name in vocab.fields:
            name = f"{field_name}.{attr.name}"
            if self.reused(name):
                continue
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
                    got = project(
                        self.rb, self.values, vocab, vocab.terms[term_name], attr, self.day, item
                    )
                    contributions.append(
                        Contribution(term_name, got.value, got.citations, got.note)
                    )
                    if got.value is UNKNOWN:
                        open_ = True
                    else:
                        known.add(got.value)
                self.values[name] = ListValue(frozenset(known), open=open_)
                self.contributions[name] = tuple(contributions)
            else:
                if base is UNKNOWN:
                    self.values[name] = ListValue.unknown() if definition.is_list else UNKNOWN
                    continue
                got = project(self.rb, self.values, vocab, vocab.terms[base], attr, self.day)
                value = got.value
                if definition.is_list:
                    value = ListValue.unknown() if value is UNKNOWN else ListValue(frozenset(value))
                self.values[name] = value
                self.contributions[name] = (Contribution(base, value, got.citations, got.note),)


def _input_facts(rulebase: RuleBase) -> tuple[tuple[str, str, bool], ...]:
    """(name, top-level product field, is a list) of every input fact, once per rule base."""
    return rulebase._cache(  # type: ignore[no-any-return]
        "_input_facts",
        lambda: tuple(
            (name, _parts(name)[0], d.is_list)
            for name, d in rulebase.facts.items()
            if d.origin == "input"
        ),
    )


def _inputs(
    product: Product, rulebase: RuleBase, previous: FactView | None
) -> tuple[dict[str, Any], set[str]]:
    """The input facts (before fallbacks), and the top-level product fields whose values are
    not the very objects of the previous product's (an answered product shares the others)."""
    before = previous.product if previous is not None else None
    fresh = {
        head
        for head in type(product).model_fields
        if before is None or getattr(product, head) is not getattr(before, head)
    }
    values: dict[str, Any] = {}
    for name, head, is_list in _input_facts(rulebase):
        if previous is None or head in fresh or name in FALLBACKS:
            values[name] = _as_fact(_attr(product, name), is_list)
        else:
            values[name] = previous.values[name]
    return values, fresh


def _defaulted(
    product: Product, previous: FactView | None, fresh: set[str]
) -> tuple[tuple[str, Any, str], ...]:
    """``defaulted_fields``; the entries of a part of the product the previous product shares
    (the very object) are the previous product's."""
    if previous is None:
        return tuple(defaulted_fields(product))
    shared = {head for head in type(product).model_fields if head not in fresh}
    kept: dict[str, list[tuple[str, Any, str]]] = {head: [] for head in shared}
    for entry in previous.defaulted:
        head, dot, _ = entry[0].partition(".")
        if dot and head in shared:
            kept[head].append(entry)
    return tuple(defaulted_fields(product, kept))


def build_facts(
    product: Product, rulebase: RuleBase, day: _dt.date, previous: FactView | None = None
) -> FactView:
    """The fact view of ``product`` on ``day`` (the vocabularies' values in force that day; the
    product's vocabulary terms must already be canonical). ``previous``: the facts of a product
    that differs in a few fields (an answered question), whose projections are reused wherever
    nothing they read changed; the result is the same as without it."""
    if previous is not None and (previous.day != day or previous.product is None):
        previous = None
    values, fresh = _inputs(product, rulebase, previous)
    defaulted = _defaulted(product, previous, fresh)
    assumptions = [
        f"{path} is not given: {description} ({path}: {word(value)})"
        for path, value, description in defaulted
    ]
    for path, (source, reason) in FALLBACKS.items():
        if (
            path in values
            and values[path] is UNKNOWN
            and values.get(source, UNKNOWN) is not UNKNOWN
        ):
            values[path] = values[source]
            assumptions.append(
                f"{path} is not given: taken from {source} ({reason}) ({path}: {word(values[path])})"
            )
    changed: frozenset[str] = frozenset()
    if previous is not None:
        before = previous.product
        changed = frozenset(
            name
            for name, value in values.items()
            if (_parts(name)[0] in fresh or name in FALLBACKS)
            and (
                previous.values.get(name, UNKNOWN) != value
                or (rulebase.facts[name].is_list and _attr(before, name) != _attr(product, name))
            )
        )
    projector = _Projector(rulebase, product, values, day, previous, changed)
    vocabs = list(rulebase.vocabularies.values())
    # plain projections first, then those that test membership in another projection
    for member_pass in (False, True):
        for vocab in vocabs:
            for attr in vocab.attributes.values():
                if bool(attr.member_of) == member_pass:
                    projector.project(vocab, attr)
    return FactView(
        values=values,
        contributions=projector.contributions,
        assumptions=tuple(assumptions),
        product=product,
        day=day,
        defaulted=defaulted,
    )
