"""Compile the rules of one jurisdiction and period to a durable_rules ruleset (JSON-shaped).

**Facts.** Every fact the rules test is its own small durable fact ``{"t": 1, "f": <name>, "v":
<value>}``: an input or vocabulary fact (``material.source.us_tissue_class``), one per tested
item of a list fact (``processing#culture_expansion`` with ``v`` true or false; absent when the
list is open), or a derived fact asserted by an action. Unknown facts are simply not asserted.
A sentinel fact ``__start__`` opens every session.

**Rules.** A condition goes to negation normal form, then disjunctive normal form; each
conjunction becomes one durable rule ``<rule id>#<mode>#<n>`` with one pattern per fact it tests:
``{"$and": [{"t": 1}, {"f": <name>}, <tests on v>]}``. Tests compare ``v`` with constants only
(no cross-fact comparison: durable_rules issue #381 segfaults). "One of" becomes a chain of
``$neq`` on the values left out, or one durable rule per value; there is no ``$or``.

Why this shape: durable_rules shares identical alpha nodes but not ``$or`` branches, and it walks
the alpha network with a fixed stack of 64 nodes; a product fact with many keys, or many rules
testing one value through ``$or``, overflows it. One fact per tested value keeps every alpha
node's matching children few; ``limits.check_limits`` proves the bound.

A decision case holds when its condition holds and every earlier case is known not to: an
engine-internal fact ``<decision>#none<k>`` (none of the cases up to k holds) chains the cases, so
that a case's rule tests one fact for all the cases before it.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ...errors import EngineError
from ...rulebase.conditions import All, Condition, Leaf, Not, dnf
from ...rulebase.model import Rule, RuleBase, decision_order
from ...text import word

START = "__start__"
NEQ_CHAIN_LIMIT = 12  # a longer "one of" is compiled as one durable rule per value
EXPANSION_LIMIT = 512  # durable rules one conjunction may expand to
MODES = ("derive", "offer", "yes", "no", "note")  # what a rule's durable rule does when it fires


def engine_value(value: Any) -> Any:
    """A fact value as durable_rules compares it (a date as its ordinal)."""
    return value.toordinal() if isinstance(value, _dt.date) else value


def flag(fact: str, item: Any) -> str:
    """The engine fact for one item of a list fact."""
    return f"{fact}#{word(item)}"


Test = dict[str, Any]
Alternative = tuple[str, tuple[Test, ...]]  # (fact name in the engine, tests on v)
Action = tuple[Rule | None, str]  # (rule, mode), or (None, internal fact) for decision chaining


@dataclass
class Compiled:
    """A ruleset: its definition, the action of each durable rule, and the facts it reads."""

    name: str
    definition: dict[str, Any]  # durable rule name -> {"all": patterns}
    actions: dict[str, Action]
    scalars: list[str] = field(default_factory=list)  # scalar facts asserted from the product
    flags: list[tuple[str, str, Any]] = field(default_factory=list)  # (engine name, list, item)
    handle: int | None = None

    def to_data(self, ids: str) -> dict[str, Any]:
        """Plain data for the disk cache (rules by id)."""
        return {
            "ids": ids,
            "definition": self.definition,
            "actions": {
                n: (r.id if r is not None else None, mode) for n, (r, mode) in self.actions.items()
            },
            "scalars": self.scalars,
            "flags": self.flags,
        }

    @staticmethod
    def from_data(name: str, data: Any, by_id: dict[str, Rule]) -> Compiled:
        """The ruleset ``to_data`` wrote, its shape checked (``ValueError`` otherwise): every
        durable rule has an action, of a rule in ``by_id`` or a decision's chaining fact."""
        if type(data) is not dict or set(data) != {
            "ids",
            "definition",
            "actions",
            "scalars",
            "flags",
        }:
            raise ValueError("not a compiled ruleset")
        definition, actions = data["definition"], data["actions"]
        if type(definition) is not dict or type(actions) is not dict:
            raise ValueError("not a compiled ruleset")
        if set(definition) != {START, *actions}:
            raise ValueError("the durable rules and their actions differ")
        for rule in definition.values():
            if type(rule) is not dict or set(rule) != {"all"} or type(rule["all"]) is not list:
                raise ValueError("not a durable rule")
        read: dict[str, Action] = {}
        for key, action in actions.items():
            if type(action) is not list or len(action) != 2 or type(action[1]) is not str:
                raise ValueError(f"not an action: {key}")
            rule_id, mode = action
            if rule_id is None:
                read[key] = (None, mode)
            elif type(rule_id) is str and rule_id in by_id and mode in MODES:
                read[key] = (by_id[rule_id], mode)
            else:
                raise ValueError(f"not an action of a rule in force: {key}")
        scalars, flags = data["scalars"], data["flags"]
        if type(scalars) is not list or any(type(s) is not str for s in scalars):
            raise ValueError("not a list of facts")
        if type(flags) is not list or any(
            type(f) is not list
            or len(f) != 3
            or type(f[0]) is not str
            or type(f[1]) is not str
            or type(f[2]) not in (str, int, bool)
            for f in flags
        ):
            raise ValueError("not a list of list items")
        return Compiled(
            name=name,
            definition=definition,
            actions=read,
            scalars=scalars,
            flags=[(f[0], f[1], f[2]) for f in flags],
        )


def domain_of(rulebase: RuleBase, name: str) -> tuple[Any, ...] | None:
    """The values an engine fact can take (a list item's flag: true or false)."""
    fact, sep, _ = name.partition("#")
    if sep:
        return (True, False)
    definition = rulebase.facts.get(fact)
    if definition is None or definition.values is None:
        return None
    return tuple(engine_value(v) for v in definition.values)


def compile_ruleset(rulebase: RuleBase, name: str, active: tuple[Rule, ...]) -> Compiled:
    """The ruleset of the rules ``active`` (one jurisdiction, one period)."""
    compiled = Compiled(
        name=name,
        definition={START: {"all": [{"s": _pattern(START, ())}]}},
        actions={},
    )
    scalars: set[str] = set()
    flags: set[tuple[str, str, Any]] = set()

    def emit(
        prefix: str, condition: Condition, extra: tuple[Alternative, ...], action: Action
    ) -> None:
        n = 0
        for conj in dnf(condition, rulebase.domain):
            for combination in _alternatives(rulebase, conj, scalars, flags):
                key = f"{prefix}#{n}"
                compiled.definition[key] = {"all": _patterns((*combination, *extra))}
                compiled.actions[key] = action
                n += 1

    cases = decision_order(active)
    for decision, ordered in cases.items():
        for k, case in enumerate(ordered[:-1]):
            none_k = f"{decision}#none{k}"
            chain: tuple[Alternative, ...] = ()
            if k:
                chain = ((f"{decision}#none{k - 1}", ({"v": True},)),)
            emit(none_k, Not(case.when), chain, (None, none_k))
    position = {c.id: k for ordered in cases.values() for k, c in enumerate(ordered)}
    for rule in active:
        extra: tuple[Alternative, ...] = ()
        if rule.decision and position[rule.id]:
            extra = ((f"{rule.decision}#none{position[rule.id] - 1}", ({"v": True},)),)
        cond = rule.when
        if rule.kind == "derive":
            emit(f"{rule.id}#derive", cond, extra, (rule, "derive"))
        elif rule.kind == "option":
            emit(f"{rule.id}#offer", cond, extra, (rule, "offer"))
            if rule.eligible_when is not None:
                emit(f"{rule.id}#yes", All((cond, rule.eligible_when)), extra, (rule, "yes"))
                emit(f"{rule.id}#no", All((cond, Not(rule.eligible_when))), extra, (rule, "no"))
        else:
            emit(f"{rule.id}#note", cond, extra, (rule, "note"))
    compiled.scalars = sorted(scalars)
    compiled.flags = sorted(flags, key=lambda f: f[0])  # (engine name, list fact, item)
    return compiled


def _alternatives(
    rulebase: RuleBase,
    conj: tuple[Leaf, ...],
    scalars: set[str],
    flags: set[tuple[str, str, Any]],
) -> Iterator[tuple[Alternative, ...]]:
    """Every combination of the leaves' alternatives: each is one durable rule."""
    choices: list[list[Alternative]] = []
    for leaf in conj:
        definition = rulebase.facts[leaf.fact]
        if definition.is_list:
            options = _list_alternatives(leaf, definition.values)
            items = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
            for item in items:
                flags.add((flag(leaf.fact, item), leaf.fact, item))
        else:
            options = _scalar_alternatives(leaf, definition.values)
            if definition.origin != "derived":
                scalars.add(leaf.fact)
        choices.append(options)
    count = 1
    for options in choices:
        count *= len(options)
    if count > EXPANSION_LIMIT:
        raise EngineError(f"a condition expands to {count} durable rules (limit {EXPANSION_LIMIT})")
    yield from itertools.product(*choices)


def _pattern(name: str, tests: tuple[Test, ...]) -> dict[str, Any]:
    return {"$and": [{"t": 1}, {"f": name}, *tests]}


def _patterns(combination: tuple[Alternative, ...]) -> list[dict[str, Any]]:
    """One pattern per engine fact (tests on the same fact merged, in a stable order)."""
    merged: dict[str, list[Test]] = {}
    for name, tests in combination:
        bucket = merged.setdefault(name, [])
        for test in tests:
            if test not in bucket:
                bucket.append(test)
    if not merged:  # a condition that always holds while in force
        return [{"s": _pattern(START, ())}]
    return [
        {f"m{i}": _pattern(name, tuple(sorted(tests, key=_test_order)))}
        for i, (name, tests) in enumerate(sorted(merged.items()))
    ]


def _test_order(test: Test) -> str:
    return json.dumps(test, sort_keys=True, default=str)


def _one_of(name: str, allowed: list[Any], domain: tuple[Any, ...] | None) -> list[Alternative]:
    """The fact is one of ``allowed``: a ``$neq`` chain on the rest of a finite domain when it
    is short, else one alternative (durable rule) per value."""
    if domain is not None:
        rest = [v for v in domain if v not in allowed]
        if not rest:
            return [(name, ())]  # any known value
        if len(allowed) > 1 and len(rest) <= NEQ_CHAIN_LIMIT:
            return [(name, tuple({"$neq": {"v": v}} for v in rest))]
    if not allowed:
        return []
    return [(name, ({"v": v},)) for v in allowed]


def _scalar_alternatives(leaf: Leaf, values: tuple[Any, ...] | None) -> list[Alternative]:
    domain = tuple(engine_value(v) for v in values) if values is not None else None
    given = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
    given = tuple(engine_value(v) for v in given)
    if leaf.op == "before":
        return [(leaf.fact, ({"$lt": {"v": given[0]}},))]
    if leaf.op == "on_or_after":
        return [(leaf.fact, ({"$gte": {"v": given[0]}},))]
    if leaf.op in ("eq", "in"):
        return _one_of(leaf.fact, list(given), domain)
    # ne / not_in
    if domain is not None:
        return _one_of(leaf.fact, [v for v in domain if v not in given], domain)
    return [(leaf.fact, tuple({"$neq": {"v": v}} for v in given))]


def _list_alternatives(leaf: Leaf, values: tuple[Any, ...] | None) -> list[Alternative]:
    given = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
    if leaf.op == "includes":
        return [(flag(leaf.fact, leaf.value), ({"v": True},))]
    if leaf.op == "excludes":
        return [(flag(leaf.fact, leaf.value), ({"v": False},))]
    if leaf.op == "includes_any":
        return [(flag(leaf.fact, v), ({"v": True},)) for v in given]
    raise EngineError(f"cannot compile {leaf} (a list test on a list without a finite domain)")


# ----------------------------------------------------------------------------- limits
