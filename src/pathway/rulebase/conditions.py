"""Rule conditions: syntax tree, three-valued evaluation, and normal forms for the compiler.

A condition is a tree of ``All``/``Any``/``Not`` over ``Leaf`` tests on one fact each. Leaves
only compare a fact with constants (never two facts), which is what durable_rules runs safely.

Evaluation is Kleene's strong three-valued logic: a leaf on an unknown fact is unknown; ``All``
is false if any part is false, ``Any`` true if any part is true. A rule fires only when its
condition is definitely true. No operator tests for "unknown", so every condition is monotone:
learning a fact can turn unknown into true or false, never true into false.

Lists (``processing``, ``combined_with``...) are *open* or *closed*: a closed list is complete;
an open one (the product wrote ``unknown`` as an item, or the whole list is unknown) may hold
more items than those written, so ``excludes`` and ``only`` stay unknown on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Union

from ..text import word
from ..values import UNKNOWN, ListValue, Tri

# --------------------------------------------------------------------------------------------
# syntax tree

SCALAR_OPS = ("eq", "ne", "in", "not_in")
DATE_OPS = ("before", "on_or_after")
LIST_OPS = ("includes", "excludes", "includes_any", "includes_none", "only")

NEGATION = {
    "eq": "ne",
    "ne": "eq",
    "in": "not_in",
    "not_in": "in",
    "includes": "excludes",
    "excludes": "includes",
    "includes_any": "includes_none",
    "includes_none": "includes_any",
    "before": "on_or_after",
    "on_or_after": "before",
    # "only" is negated with the fact's domain: see negate_leaf()
}

OP_WORDS = {
    "eq": "is",
    "ne": "is not",
    "in": "is one of",
    "not_in": "is none of",
    "includes": "includes",
    "excludes": "does not include",
    "includes_any": "includes any of",
    "includes_none": "includes none of",
    "only": "includes only",
    "before": "is before",
    "on_or_after": "is on or after",
}


@dataclass(frozen=True)
class Leaf:
    fact: str
    op: str
    value: Any  # a constant, or a tuple of constants for in/not_in/includes_any/...

    def __str__(self) -> str:
        return f"{self.fact} {OP_WORDS[self.op]} {word(self.value)}"


@dataclass(frozen=True)
class All:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Condition = Union[Leaf, All, AnyOf, Not]  # noqa: UP007  (runtime alias used in isinstance)

TRUE: Condition = All(())


def leaves(cond: Condition) -> Iterable[Leaf]:
    if isinstance(cond, Leaf):
        yield cond
    elif isinstance(cond, Not):
        yield from leaves(cond.item)
    else:
        for item in cond.items:
            yield from leaves(item)


def facts_of(cond: Condition) -> set[str]:
    return {leaf.fact for leaf in leaves(cond)}


# --------------------------------------------------------------------------------------------
# three-valued evaluation

Lookup = Callable[[str], Any]


def eval_leaf(leaf: Leaf, value: Any) -> Tri:
    op = leaf.op
    if op in LIST_OPS:
        if value is UNKNOWN:
            value = ListValue.unknown()
        assert isinstance(value, ListValue), f"{leaf.fact} is not a list fact"
        if op == "includes":
            return _includes(value, leaf.value)
        if op == "excludes":
            return _not(_includes(value, leaf.value))
        if op in ("includes_any", "includes_none"):
            found = _any(_includes(value, v) for v in leaf.value)
            return found if op == "includes_any" else _not(found)
        # only
        if any(item not in leaf.value for item in value.items):
            return False
        return None if value.open else True
    if value is UNKNOWN:
        return None
    if op == "eq":
        return value == leaf.value
    if op == "ne":
        return value != leaf.value
    if op == "in":
        return value in leaf.value
    if op == "not_in":
        return value not in leaf.value
    if op == "before":
        return value < leaf.value
    if op == "on_or_after":
        return value >= leaf.value
    raise ValueError(f"unknown operator {op}")


def _includes(value: ListValue, item: Any) -> Tri:
    if item in value.items:
        return True
    return None if value.open else False


def _not(value: Tri) -> Tri:
    return None if value is None else not value


def _fold(values: Iterable[Tri], decisive: bool) -> Tri:
    """Kleene's "any" (``decisive`` True) or "all" (False): a decisive value decides, else any
    unknown leaves the result unknown."""
    result: Tri = not decisive
    for v in values:
        if v is decisive:
            return decisive
        if v is None:
            result = None
    return result


def _any(values: Iterable[Tri]) -> Tri:
    return _fold(values, True)


def _all(values: Iterable[Tri]) -> Tri:
    return _fold(values, False)


def evaluate(cond: Condition, lookup: Lookup) -> Tri:
    """Kleene evaluation of ``cond``; ``lookup(fact)`` returns a value or ``UNKNOWN``."""
    if isinstance(cond, Leaf):
        return eval_leaf(cond, lookup(cond.fact))
    if isinstance(cond, Not):
        return _not(evaluate(cond.item, lookup))
    if isinstance(cond, All):
        return _all(evaluate(item, lookup) for item in cond.items)
    return _any(evaluate(item, lookup) for item in cond.items)


# --------------------------------------------------------------------------------------------
# normal forms (for the durable_rules compiler and for analysis)

Domain = Callable[[str], "tuple[Any, ...] | None"]
"""The finite set of values a fact (or a list fact's items) can take; None if not finite."""


def negate_leaf(leaf: Leaf, domain: Domain) -> Condition:
    if leaf.op == "only":
        values = domain(leaf.fact)
        if values is None:
            raise ValueError(f"cannot negate 'only' on {leaf.fact}: its values are not finite")
        rest = tuple(v for v in values if v not in leaf.value)
        if not rest:
            return AnyOf(())  # "only <everything>" is always true: its negation never holds
        return Leaf(leaf.fact, "includes_any", rest)
    return Leaf(leaf.fact, NEGATION[leaf.op], leaf.value)


def nnf(cond: Condition, domain: Domain, negated: bool = False) -> Condition:
    """Push negations down to the leaves."""
    if isinstance(cond, Leaf):
        return negate_leaf(cond, domain) if negated else cond
    if isinstance(cond, Not):
        return nnf(cond.item, domain, not negated)
    items = tuple(nnf(item, domain, negated) for item in cond.items)
    if isinstance(cond, All):
        return AnyOf(items) if negated else All(items)
    return All(items) if negated else AnyOf(items)


Conjunction = tuple[Leaf, ...]


def dnf(cond: Condition, domain: Domain, limit: int = 256) -> list[Conjunction]:
    """Disjunctive normal form of ``cond``: a list of conjunctions of leaves (no negations)."""

    def go(c: Condition) -> list[Conjunction]:
        if isinstance(c, Leaf):
            return [(c,)]
        if isinstance(c, AnyOf):
            out: list[Conjunction] = []
            for item in c.items:
                out.extend(go(item))
            return out
        assert isinstance(c, All)
        product: list[Conjunction] = [()]
        for item in c.items:
            branches = go(item)
            product = [a + b for a in product for b in branches]
            if len(product) > limit:
                raise ValueError(f"condition expands to more than {limit} alternatives")
        return product

    result: list[Conjunction] = []
    seen: set[frozenset[Leaf]] = set()
    for conj in go(nnf(cond, domain)):
        simple = _simplify(conj, domain)
        if simple is None:
            continue  # asks one fact for two values: can never hold
        key = frozenset(simple)
        if key not in seen:
            seen.add(key)
            result.append(simple)
    return result


def _simplify(conj: Conjunction, domain: Domain) -> Conjunction | None:
    """One test per fact: the intersection of what every test of the conjunction allows.

    Scalar facts with a finite domain get one ``eq``/``in`` test; list facts get one
    ``includes``/``excludes`` test per item (``includes_any`` kept when still open). None when
    the tests cannot all hold.
    """
    allowed: dict[str, set[Any]] = {}
    flags: dict[tuple[str, Any], bool] = {}
    any_of: list[Leaf] = []
    order: dict[str, int] = {}
    others: list[Leaf] = []

    def need(fact: str, item: Any, present: bool) -> bool:
        if flags.get((fact, item), present) != present:
            return False
        flags[(fact, item)] = present
        order.setdefault(fact, len(order))
        return True

    for leaf in conj:
        values = domain(leaf.fact)
        given = set(leaf.value) if isinstance(leaf.value, tuple) else {leaf.value}
        if leaf.op in SCALAR_OPS and values is not None:
            keep = given if leaf.op in ("eq", "in") else set(values) - given
            allowed[leaf.fact] = allowed.get(leaf.fact, set(values)) & keep
            order.setdefault(leaf.fact, len(order))
        elif leaf.op in ("includes", "excludes", "includes_none") or (
            leaf.op == "only" and values is not None
        ):
            present = leaf.op == "includes"
            items = given if leaf.op != "only" else set(values or ()) - given
            for item in items:
                if not need(leaf.fact, item, present):
                    return None
        elif leaf.op == "includes_any":
            any_of.append(leaf)
        elif leaf not in others:
            others.append(leaf)
    out: list[Leaf] = []
    for fact in sorted(order, key=order.__getitem__):
        if fact in allowed:
            kept = tuple(v for v in domain(fact) or () if v in allowed[fact])
            if not kept:
                return None
            out.append(Leaf(fact, "eq", kept[0]) if len(kept) == 1 else Leaf(fact, "in", kept))
        for (flag_fact, item), present in flags.items():
            if flag_fact == fact:
                out.append(Leaf(fact, "includes" if present else "excludes", item))
    for leaf in any_of:
        if any(flags.get((leaf.fact, v)) is True for v in leaf.value):
            continue  # already required present
        rest = tuple(v for v in leaf.value if flags.get((leaf.fact, v)) is not False)
        if not rest:
            return None
        narrowed = (
            Leaf(leaf.fact, "includes", rest[0])
            if len(rest) == 1
            else Leaf(leaf.fact, "includes_any", rest)
        )
        if narrowed not in out:
            out.append(narrowed)
    return (*out, *others)
