"""Whether a conjunction of tests can hold on some product: satisfiability over finite domains.

``pathway rules lint`` asks this of every alternative of a rule's condition (one conjunction of
``conditions.dnf``). A *witness* is a value for every fact the conjunction tests, and for the
product fields behind its vocabulary projections, that makes every test definitely true:

* a derived fact takes any value the rules in force can produce (``producible``), independently
  of the other derived facts: lint follows rule chains only through what each rule can produce,
  so it never calls a rule dead that some product fires, and a counterexample names the derived
  values it assumes;
* an input fact takes any value of its domain (a date: a day the tests allow; a list: the items
  the tests need, and no others);
* a vocabulary projection is not free: it is what the vocabulary gives for the terms chosen for
  the fields it is projected from, computed as for a product .
  ``material.source.us_tissue_class`` follows ``material.source``; ``processing.us_mm_structural``
  follows the processing steps and, where a step's value is refined, the source tissue. Tests on
  a field and on its projections must agree. The value is computed as for a product
  (``rulebase.projection``).

Conjunctions come from ``conditions.dnf``, so each scalar fact has at most one test and each list
item at most one ``includes``/``excludes``; the witness is checked against every test at the end
(``eval_leaf``), so a combination the search builds wrongly is never reported as one that holds.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from ..rulebase.conditions import Conjunction, Leaf
from ..rulebase.model import FactDef, RuleBase
from ..rulebase.projection import project
from ..rulebase.vocabulary import AttributeDef, Vocabulary
from ..text import word
from ..values import UNKNOWN, ListValue
from .witness import ListNeeds, Producible, Witness, group, holds, many

MAX_COMBINATIONS = 20_000
"""Combinations of vocabulary terms tried per conjunction; past it, the conjunction is assumed
to hold (``Witness.exact`` is false), so lint errs toward "can hold"."""

_NONE = object()


class Satisfier:
    """Finds witnesses for conjunctions of one rule base (input parts are cached)."""

    def __init__(self, rulebase: RuleBase) -> None:
        self.rb = rulebase
        self._inputs: dict[tuple[int, frozenset[Leaf]], Witness | None] = {}

    # ------------------------------------------------------------------ the question

    def witness(
        self,
        conj: Conjunction,
        producible: Producible | None = None,
        day: _dt.date | None = None,
    ) -> Witness | None:
        """Values making every test of ``conj`` true on ``day`` (the vocabularies' values then;
        default today), or None when there are none.

        ``producible`` limits each derived fact to the values rules can give it (None: any value
        of its domain).
        """
        values: dict[str, Any] = {}
        rest: list[Leaf] = []
        for fact, tests in group(conj).items():
            definition = self.rb.facts[fact]
            if definition.origin != "derived":
                rest.extend(tests)
                continue
            allowed = self._derived_values(definition, tests, producible)
            if not allowed:
                return None
            values[fact] = allowed[0]
        day = day or _dt.date.today()
        key = (self.rb.vocabulary_epoch(day), frozenset(rest))
        if key not in self._inputs:
            self._inputs[key] = self._solve_inputs(rest, day)
        found = self._inputs[key]
        if found is None:
            return None
        return Witness({**values, **found.values}, dict(found.items), found.exact)

    def missing(
        self, conj: Conjunction, producible: Producible
    ) -> list[tuple[str, tuple[Any, ...]]]:
        """The derived facts of ``conj`` whose wanted values no rule can produce, with those values."""
        out = []
        for fact, tests in group(conj).items():
            definition = self.rb.facts[fact]
            if definition.origin != "derived":
                continue
            wanted = self._derived_values(definition, tests, None)
            if wanted and not self._derived_values(definition, tests, producible):
                out.append((fact, tuple(wanted)))
        return out

    def _derived_values(
        self, definition: FactDef, tests: list[Leaf], producible: Producible | None
    ) -> list[Any]:
        allowed = producible.get(definition.name, frozenset()) if producible is not None else None
        return [
            v
            for v in definition.values or ()
            if (allowed is None or v in allowed) and holds(tests, v)
        ]

    # ------------------------------------------------------------------ input facts

    def _solve_inputs(self, tests: list[Leaf], day: _dt.date) -> Witness | None:
        by_fact = group(tests)
        linked: set[str] = set()
        for fact in by_fact:
            definition = self.rb.facts[fact]
            if definition.origin == "projection":
                linked |= self.dependencies(fact)
            elif definition.vocabulary:
                linked.add(fact)
        values: dict[str, Any] = {}
        for fact, fact_tests in by_fact.items():
            definition = self.rb.facts[fact]
            if fact in linked or definition.origin == "projection":
                continue
            value = self._plain(definition, fact_tests)
            if value is _NONE:
                return None
            values[fact] = value
        if not linked:
            return Witness(values)
        found = self._vocabulary(
            day,
            sorted(linked),
            {
                f: t
                for f, t in by_fact.items()
                if f in linked or self.rb.facts[f].origin == "projection"
            },
        )
        if found is None:
            return None
        return Witness({**values, **found.values}, found.items, found.exact)

    def _plain(self, definition: FactDef, tests: list[Leaf]) -> Any:
        """A value of a fact outside any vocabulary that passes every test, or _NONE."""
        candidates: list[Any]
        if definition.type == "list":
            needs = ListNeeds.of(tests, definition.values)
            items = set(needs.required)
            for group in needs.any_of:
                if not items & set(group):
                    items.update([next((v for v in group if v not in needs.excluded), group[0])])
            candidates = [ListValue(frozenset(items))]
        elif definition.type == "date":
            after = [leaf.value for leaf in tests if leaf.op == "on_or_after"]
            before = [leaf.value for leaf in tests if leaf.op == "before"]
            day = max(after) if after else min(before) - _dt.timedelta(days=1) if before else None
            candidates = [day or _dt.date(2000, 1, 1)]
        elif definition.values is not None:
            candidates = list(definition.values)
        else:  # free text: a value a test names, or one no test names
            named = [v for leaf in tests for v in many(leaf)]
            candidates = [*named, "(other text)"]
        for value in candidates:
            if holds(tests, value):
                return value
        return _NONE

    # ------------------------------------------------------------------ vocabularies

    def dependencies(self, fact: str) -> frozenset[str]:
        """The product fields a projection's value comes from (``RuleBase.inputs_of``)."""
        return self.rb.inputs_of(fact)

    def _attribute(self, fact: str) -> tuple[str, Vocabulary, AttributeDef]:
        base = self.rb.facts[fact].depends_on[0]
        vocab = self.rb.vocabulary_for(base)
        assert vocab is not None, fact
        return base, vocab, vocab.attributes[fact[len(base) + 1 :]]

    def _vocabulary(
        self, day: _dt.date, fields: list[str], by_fact: dict[str, list[Leaf]]
    ) -> Witness | None:
        scalars = [f for f in fields if self.rb.facts[f].type == "term"]
        lists = [f for f in fields if self.rb.facts[f].type == "list"]
        projections: dict[str, list[str]] = {}
        for fact in by_fact:
            if self.rb.facts[fact].origin == "projection":
                projections.setdefault(self.rb.facts[fact].depends_on[0], []).append(fact)
        choices = []
        for name in scalars:
            terms = [t for t in self.rb.facts[name].values or () if holds(by_fact.get(name, []), t)]
            terms = [t for t in terms if self._alone_ok(day, name, t, projections, by_fact)]
            if not terms:
                return None
            choices.append(terms)
        total = math.prod(len(c) for c in choices)
        combos: Iterable[tuple[Any, ...]] = itertools.product(*choices)
        if total > MAX_COMBINATIONS:
            combos = itertools.islice(combos, MAX_COMBINATIONS)
        for combo in combos:
            found = self._try(
                day, dict(zip(scalars, combo, strict=True)), lists, projections, by_fact
            )
            if found is not None:
                return found
        if total > MAX_COMBINATIONS:
            return Witness({}, exact=False)
        return None

    def _alone_ok(
        self,
        day: _dt.date,
        name: str,
        term: str,
        projections: dict[str, list[str]],
        by_fact: dict[str, list[Leaf]],
    ) -> bool:
        """Tests on projections that depend on this field alone, tried early to prune."""
        for fact in projections.get(name, []):
            if self.dependencies(fact) == {name}:
                values = self._scalar_projections({name: term}, day)
                if not holds(by_fact[fact], values.get(fact, UNKNOWN)):
                    return False
        return True

    def _scalar_projections(self, env: dict[str, Any], day: _dt.date) -> dict[str, Any]:
        """Every projection of the scalar fields in ``env`` (their terms), as for a product."""
        values: dict[str, Any] = dict(env)
        for member_pass in (False, True):
            for name, term_name in env.items():
                vocab = self.rb.vocabulary_for(name)
                if vocab is None:
                    continue
                for attr in vocab.attributes.values():
                    if bool(attr.member_of) != member_pass:
                        continue
                    value = project(self.rb, values, vocab, vocab.terms[term_name], attr, day).value
                    if self.rb.facts[f"{name}.{attr.name}"].is_list:
                        value = (
                            ListValue.unknown() if value is UNKNOWN else ListValue(frozenset(value))
                        )
                    values[f"{name}.{attr.name}"] = value
        return values

    def _try(
        self,
        day: _dt.date,
        env: dict[str, Any],
        lists: list[str],
        projections: dict[str, list[str]],
        by_fact: dict[str, list[Leaf]],
    ) -> Witness | None:
        values = self._scalar_projections(env, day)
        items: dict[str, tuple[str, ...]] = {}
        for name in lists:
            chosen = self._items(day, name, values, projections.get(name, []), by_fact)
            if chosen is None:
                return None
            picked, list_values = chosen
            values.update(list_values)
            items[name] = picked
        for fact, tests in by_fact.items():
            if not holds(tests, values.get(fact, UNKNOWN)):
                return None
        kept = {f: v for f, v in values.items() if f in by_fact or f in env or f in items}
        return Witness(kept, items)

    def _items(
        self,
        day: _dt.date,
        name: str,
        env: dict[str, Any],
        projected: list[str],
        by_fact: dict[str, list[Leaf]],
    ) -> tuple[tuple[str, ...], dict[str, Any]] | None:
        """Items for a list field so that it and its projections pass their tests: the items the
        tests need, each with values no test excludes (or None when no such choice exists)."""
        vocab = self.rb.vocabulary_for(name)
        assert vocab is not None
        attrs = {fact: self._attribute(fact)[2] for fact in projected}
        own = ListNeeds.of(by_fact.get(name, []), self.rb.facts[name].values)
        needs = {
            fact: ListNeeds.of(by_fact[fact], self.rb.facts[fact].values) for fact in projected
        }
        item_fields = sorted({f for attr in attrs.values() if (f := attr.item_field) is not None})
        candidates: list[tuple[str, str, dict[str, Any]]] = []  # (term, shown, projected values)
        for term in vocab.terms.values():
            if term.name in own.excluded:
                continue
            for flags in itertools.product((True, False), repeat=len(item_fields)):
                fields_ = dict(zip(item_fields, flags, strict=True))
                item = SimpleNamespace(kind=term.name, **fields_) if item_fields else None
                got = {
                    fact: project(self.rb, env, vocab, term, attrs[fact], day, item).value
                    for fact in projected
                }
                if any(
                    needs[f].excluded and (got[f] is UNKNOWN or got[f] in needs[f].excluded)
                    for f in projected
                ):
                    continue
                shown = term.name
                if fields_:
                    shown += " (" + ", ".join(f"{k}: {word(v)}" for k, v in fields_.items()) + ")"
                candidates.append((term.name, shown, got))
        chosen: list[tuple[str, str, dict[str, Any]]] = []

        def pick(test: Any) -> bool:
            if any(test(c) for c in chosen):
                return True
            for c in candidates:
                if test(c):
                    chosen.append(c)
                    return True
            return False

        wants: list[Any] = [lambda c, t=t: c[0] == t for t in own.required]
        wants += [lambda c, g=g: c[0] in g for g in own.any_of]
        for fact in projected:
            wants += [lambda c, f=fact, v=v: c[2][f] == v for v in needs[fact].required]
            wants += [
                lambda c, f=fact, g=g: c[2][f] is not UNKNOWN and c[2][f] in g
                for g in needs[fact].any_of
            ]
        if not all(pick(want) for want in wants):
            return None
        values: dict[str, Any] = {name: ListValue(frozenset(c[0] for c in chosen))}
        for fact in projected:
            got = [c[2][fact] for c in chosen]
            values[fact] = ListValue(
                frozenset(v for v in got if v is not UNKNOWN), open=any(v is UNKNOWN for v in got)
            )
        return tuple(c[1] for c in chosen), values
