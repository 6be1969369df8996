"""Words for why a rule held: the tests that were true, with the product's own values.

``because(rule, ...)`` walks the rule's condition (negations pushed to the leaves) and returns
one phrase per true test, e.g. ``material.source=adipose (us_tissue_class=structural)`` or
``processing includes enzymatic_digestion (us_mm_structural=more_than_minimal)``. For a decision
case it adds the earlier cases that were ruled out.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from .facts import FactView
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
from .rulebase.model import Rule, RuleBase

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


class Explainer:
    def __init__(self, rulebase: RuleBase, facts: FactView, lookup: Lookup) -> None:
        self.rb = rulebase
        self.facts = facts
        self.lookup = lookup

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


def _op_words(leaf: Leaf) -> str:
    return str(leaf).split(" ", 1)[1]
