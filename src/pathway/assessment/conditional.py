"""Obligations that hold if an unknown product fact turns out one way: stated as conditional,
with the questions that would settle them, rather than dropped.

An obligation that did not fire is conditional when its condition (with the earlier cases of its
decision ruled out) would hold were some of the product's unknown facts answered one way, every
derived fact it tests (the pathway, the classification, anything the rules concluded) being as
the evaluation left it. ``conditions`` returns those product facts (the input fields, for a
vocabulary attribute the field whose term gives it), or None when the condition cannot hold that
way: a known fact contradicts it, or it waits on a derived fact that is still open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..rulebase.conditions import AnyOf, Condition, Leaf, eval_leaf
from ..rulebase.model import RuleBase
from ..values import UNKNOWN

Lookup = Callable[[str], Any]


def conditions(rb: RuleBase, cond: Condition, lookup: Lookup) -> tuple[str, ...] | None:
    """The unknown product facts on which ``cond`` (in negation normal form) would hold, fewest
    first among alternatives; () when it holds already; None when it cannot hold that way."""
    if isinstance(cond, Leaf):
        definition = rb.facts[cond.fact]
        value = lookup(cond.fact)
        held = eval_leaf(cond, value)
        if held is True:
            return ()
        if held is False or definition.origin == "derived":
            return None
        if value is not UNKNOWN and not _open(value):
            return None
        if definition.origin == "projection":
            return tuple(definition.depends_on) or (cond.fact.rpartition(".")[0],)
        return (cond.fact,)
    parts = [conditions(rb, item, lookup) for item in cond.items]  # type: ignore[union-attr]
    if isinstance(cond, AnyOf):
        held = [p for p in parts if p is not None]
        return min(held, key=len) if held else None
    if any(p is None for p in parts):
        return None
    out: list[str] = []
    for part in parts:
        out += [f for f in part if f not in out]  # type: ignore[union-attr]
    return tuple(out)


def _open(value: Any) -> bool:
    """A list that may hold more items (its tests stay unknown until it is closed)."""
    return bool(getattr(value, "open", False))
