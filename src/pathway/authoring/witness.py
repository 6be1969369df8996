"""What satisfies a conjunction of tests: a ``Witness`` (values for its facts), and what the
tests of a list fact ask of its items (``ListNeeds``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..rulebase.conditions import Leaf, eval_leaf
from ..text import word

Producible = Mapping[str, frozenset[Any]]
"""Derived fact -> the values rules (or an expert's answer to its question) can give it."""


@dataclass(frozen=True)
class Witness:
    """Values under which every test of a conjunction holds."""

    values: dict[str, Any]  # fact -> value (a ListValue for lists)
    items: dict[str, tuple[str, ...]] = field(default_factory=dict)  # list field -> items shown
    exact: bool = True  # false: too many combinations to search; assumed to hold

    def shown(self, facts: Iterable[str] | None = None) -> tuple[tuple[str, str], ...]:
        """(fact, value in words), for ``facts`` (default: every fact of the witness)."""
        names = list(self.values) if facts is None else [f for f in facts if f in self.values]
        out = []
        for name in names:
            if name in self.items:
                out.append((name, "[" + ", ".join(self.items[name]) + "]"))
            else:
                out.append((name, word(self.values[name])))
        return tuple(out)


def group(tests: Iterable[Leaf]) -> dict[str, list[Leaf]]:
    out: dict[str, list[Leaf]] = {}
    for leaf in tests:
        out.setdefault(leaf.fact, []).append(leaf)
    return out


def holds(tests: Iterable[Leaf], value: Any) -> bool:
    return all(eval_leaf(leaf, value) is True for leaf in tests)


def many(leaf: Leaf) -> tuple[Any, ...]:
    return leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)


@dataclass
class ListNeeds:
    """What the tests of one list fact ask of its items."""

    required: list[Any] = field(default_factory=list)  # each must be present
    any_of: list[tuple[Any, ...]] = field(default_factory=list)  # one of each must be present
    excluded: set[Any] = field(default_factory=set)  # none may be present

    @staticmethod
    def of(tests: Iterable[Leaf], domain: tuple[Any, ...] | None) -> ListNeeds:
        needs = ListNeeds()
        for leaf in tests:
            if leaf.op == "includes":
                needs.required.append(leaf.value)
            elif leaf.op == "includes_any":
                needs.any_of.append(many(leaf))
            elif leaf.op in ("excludes", "includes_none"):
                needs.excluded.update(many(leaf))
            elif leaf.op == "only":
                needs.excluded.update(v for v in domain or () if v not in many(leaf))
        return needs
