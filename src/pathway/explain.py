"""Why a rule held: the tests that were true, with the product's own values and their origin.

``because(rule, ...)`` walks the rule's condition (negations pushed to the leaves) and returns
one phrase per true test, e.g. ``material.source=adipose (us_tissue_class=structural)`` or
``processing includes enzymatic_digestion (us_mm_structural=more_than_minimal)``. For a decision
case it adds the earlier cases that were ruled out. ``uses(rule)`` gives the same true tests as
structured ``FactUse`` records: the fact, its value, where the value came from (the product
file line, the vocabulary term, a derived finding or an expert determination).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from typing import Any

from .assessment import FactUse
from .evaluation import Evaluation
from .facts import FactView
from .locate import Locator
from .rulebase.conditions import (
    UNKNOWN,
    AnyOf,
    Condition,
    Leaf,
    ListValue,
    eval_leaf,
    evaluate,
    nnf,
)
from .rulebase.model import Rule, RuleBase, effective_condition

Lookup = Callable[[str], Any]


def show(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is UNKNOWN:
        return "unknown"
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, ListValue):
        items = sorted(show(v) for v in value.items)
        if value.open:
            items.append("unknown")
        return "[" + ", ".join(items) + "]"
    if isinstance(value, tuple):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


def plain(value: Any) -> Any:
    """A fact value as JSON-able data (lists sorted, open lists ending in ``unknown``)."""
    if isinstance(value, ListValue):
        items = sorted((plain(v) for v in value.items), key=str)
        return [*items, "unknown"] if value.open else items
    if isinstance(value, _dt.date):
        return value.isoformat()
    if value is UNKNOWN:
        return "unknown"
    return value


class Explainer:
    def __init__(
        self,
        rulebase: RuleBase,
        facts: FactView,
        lookup: Lookup,
        locator: Locator | None = None,
        evaluation: Evaluation | None = None,
    ) -> None:
        self.rb = rulebase
        self.facts = facts
        self.lookup = lookup
        self.locator = locator
        self.evaluation = evaluation

    def leaf(self, leaf: Leaf) -> str:
        definition = self.rb.facts[leaf.fact]
        value = self.lookup(leaf.fact)
        if definition.origin == "projection":
            base, _, attr = leaf.fact.rpartition(".")
            parts = self.facts.contributions.get(leaf.fact, ())
            base_def = self.rb.facts.get(base)
            if base_def is not None and base_def.is_list:
                if leaf.op in ("includes", "includes_any"):
                    wanted = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
                    parts = tuple(p for p in parts if p.value in wanted)
                listing = ", ".join(f"{p.term} ({attr}={show(p.value)})" for p in parts)
                if leaf.op in ("includes", "includes_any"):
                    return f"{base} includes {listing}"
                return f"{base}: {listing or 'none'}"
            return f"{base}={show(self.lookup(base))} ({attr}={show(value)})"
        if definition.is_list:
            return f"{leaf.fact} {_op_words(leaf)}"
        if definition.origin == "derived":
            return f"{leaf.fact}={show(value)}"
        if leaf.op in ("before", "on_or_after"):
            return f"{leaf.fact}={show(value)} ({_op_words(leaf)})"
        return f"{leaf.fact}={show(value)}"

    def condition(self, cond: Condition) -> list[str]:
        if isinstance(cond, Leaf):
            return [self.leaf(cond)] if eval_leaf(cond, self.lookup(cond.fact)) is True else []
        out: list[str] = []
        for item in cond.items:  # All: every part; AnyOf: every part that is true
            if isinstance(cond, AnyOf) and evaluate(item, self.lookup) is not True:
                continue
            for phrase in self.condition(item):
                if phrase not in out:
                    out.append(phrase)
        return out

    def because(self, rule: Rule, earlier: list[Rule]) -> list[str]:
        out = self.condition(nnf(rule.when, self.rb.domain))
        for case in earlier:
            out.append(f"not: {case.title.rstrip('.')} ({case.id})")
        return out or ["always applies while the rule is in force"]

    # ------------------------------------------------------------------ structured

    def true_leaves(self, cond: Condition) -> list[Leaf]:
        if isinstance(cond, Leaf):
            return [cond] if eval_leaf(cond, self.lookup(cond.fact)) is True else []
        out: list[Leaf] = []
        for item in cond.items:
            if isinstance(cond, AnyOf) and evaluate(item, self.lookup) is not True:
                continue
            for leaf in self.true_leaves(item):
                if leaf not in out:
                    out.append(leaf)
        return out

    def uses(self, rule: Rule, earlier: Sequence[Rule] = ()) -> list[FactUse]:
        """The facts behind each true test of ``rule`` (for a decision case, also those that
        ruled out the ``earlier`` cases), with their origin and file location."""
        out: list[FactUse] = []
        cond = effective_condition(rule, earlier)
        for leaf in self.true_leaves(nnf(cond, self.rb.domain)):
            for use in self.leaf_uses(leaf):
                if use not in out:
                    out.append(use)
        return out

    def _input_use(self, fact: str, value: Any, term: Any = None) -> FactUse:
        loc = self.locator
        written = loc.written(fact) if loc else True
        location = None
        if loc is not None:
            location = loc.item(fact, term) if term is not None else loc.field(fact)
        return FactUse(
            fact=fact,
            value=plain(value),
            origin="product" if written else "default",
            term=term,
            location=location if written else None,
        )

    def leaf_uses(self, leaf: Leaf) -> list[FactUse]:
        definition = self.rb.facts[leaf.fact]
        value = self.lookup(leaf.fact)
        wanted = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
        if definition.origin == "derived":
            ev = self.evaluation
            if ev is not None and leaf.fact in ev.determined:
                where = self.locator.determination(leaf.fact) if self.locator else None
                return [
                    FactUse(
                        fact=leaf.fact, value=plain(value), origin="determination", location=where
                    )
                ]
            rules = list(ev.support.get(leaf.fact, ())) if ev is not None else []
            return [FactUse(fact=leaf.fact, value=plain(value), origin="derived", rules=rules)]
        if definition.origin == "projection":
            base, _, _ = leaf.fact.rpartition(".")
            base_def = self.rb.facts.get(base)
            parts = self.facts.contributions.get(leaf.fact, ())
            if not parts:  # an empty list: the input itself is the reason
                return [self._input_use(base, self.lookup(base))]
            if base_def is not None and base_def.is_list:
                if leaf.op in ("includes", "includes_any"):
                    parts = tuple(p for p in parts if p.value in wanted)
                return [self._vocabulary_use(leaf.fact, base, p.term, p.value, True) for p in parts]
            return [self._vocabulary_use(leaf.fact, base, p.term, p.value, False) for p in parts]
        if (
            definition.is_list
            and leaf.op in ("includes", "includes_any")
            and isinstance(value, ListValue)
        ):
            return [self._input_use(leaf.fact, v, term=v) for v in wanted if v in value.items]
        return [self._input_use(leaf.fact, value)]

    def _vocabulary_use(self, fact: str, base: str, term: str, value: Any, item: bool) -> FactUse:
        location = None
        if self.locator is not None:
            location = self.locator.item(base, term) if item else self.locator.field(base)
        return FactUse(
            fact=fact,
            value=plain(value),
            origin="vocabulary",
            input=base,
            term=term,
            location=location,
        )


def _op_words(leaf: Leaf) -> str:
    return str(leaf).split(" ", 1)[1]
