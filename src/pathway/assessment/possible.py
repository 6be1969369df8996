"""What can still be concluded while some facts are unknown: the values each derived fact can
still take, the pathways still possible (candidates), and what holds for all of them.

A derived fact the evaluation left unknown can, once the unknown facts are known, take only a
value some rule in force can still give it: a rule whose condition (for a decision case, with
the earlier cases ruled out, in negation normal form) is not yet false. Which values those are
is a greatest fixpoint: start from every value of every unknown derived fact, and keep a value
only while a rule giving it can still hold, reading the other unknown derived facts through their
own possible values. Three-valued logic is monotone, so a value the full facts give is never
dropped: the candidates always hold the pathway the complete product gets. A fact no rule can
still give any value (a case-by-case step, a question the law leaves to the regulator) can take
every value: only an expert's determination will settle it. The analysis treats the tests of a
condition independently, so it may keep a value no product reaches (it errs toward "still
possible", never toward a claim).

``necessary`` asks the converse for a report: is a condition true whichever of the candidate
pathways and classifications holds? Only the jurisdiction's pathway and classification are read
through their candidates; any other unknown fact leaves the condition not necessary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..rulebase.conditions import All, AnyOf, Condition, Leaf, dnf, eval_leaf, facts_of
from ..rulebase.model import Period, RuleBase
from ..values import UNKNOWN

Lookup = Callable[[str], Any]
RESIDUAL_MEMO_LIMIT = 50_000  # remembered residual conditions; the memo is emptied when full


@dataclass(frozen=True)
class _Derivation:
    """A rule giving a derived fact a value, its condition in negation normal form (the earlier
    cases of its decision ruled out), the facts it reads, and its key in the residual memo."""

    value: Any
    cond: Condition
    reads: tuple[str, ...]
    key: tuple[str, tuple[str, ...]]


def _derivations(rb: RuleBase, period: Period) -> dict[str, tuple[_Derivation, ...]]:
    """The period's derive rules by the fact they give, prepared once per rule base: the
    residual of each is remembered per value of the facts it reads (answers to one question
    change few of them)."""
    cache = rb._cache("_derivations", dict)
    at = (period.jurisdiction, period.start, period.end)
    found = cache.get(at)
    if found is None:
        by_fact: dict[str, list[_Derivation]] = {}
        for rule in period.rules:
            if rule.kind != "derive" or not rule.fact:
                continue
            earlier = period.earlier(rule)
            cond = rb.normal(rule, earlier)
            key = (rule.id, tuple(e.id for e in earlier))
            by_fact.setdefault(rule.fact, []).append(
                _Derivation(rule.value, cond, tuple(sorted(facts_of(cond))), key)
            )
        found = cache[at] = {f: tuple(ds) for f, ds in by_fact.items()}
    return found  # type: ignore[no-any-return]


def _derived(rb: RuleBase) -> tuple[str, ...]:
    """The derived facts of the rule base."""
    return rb._cache(  # type: ignore[no-any-return]
        "_derived_facts",
        lambda: tuple(n for n, d in rb.facts.items() if d.origin == "derived"),
    )


class Possibilities:
    """The values the derived facts of one evaluation can still take."""

    def __init__(
        self, rb: RuleBase, period: Period, lookup: Lookup, assume: dict[str, Any] | None = None
    ) -> None:
        """``assume``: derived facts taken to have these values (to ask what follows from them)."""
        self.rb = rb
        self.period = period
        assumed = dict(assume or {})
        self.lookup: Lookup = (
            (lambda n: assumed[n] if n in assumed else lookup(n)) if assumed else lookup
        )
        self.values: dict[str, frozenset[Any]] = {}
        self._fixpoint()

    def given(self, fact: str, value: Any) -> list[dict[str, Any]]:
        """Ways ``fact`` can come to be ``value``: for each rule giving it and each alternative of
        its condition that can still hold, the values that alternative requires of other derived
        facts (an empty mapping when it requires none)."""
        out: list[dict[str, Any]] = []
        for rule in self.period.rules:
            if rule.kind != "derive" or rule.fact != fact or rule.value != value:
                continue
            for conj in dnf(self.rb.normal(rule, self.period.earlier(rule)), self.rb.domain):
                if not all(self.possible(leaf) for leaf in conj):
                    continue
                out.append(
                    {
                        leaf.fact: leaf.value
                        for leaf in conj
                        if leaf.op == "eq"
                        and self.rb.facts[leaf.fact].origin == "derived"
                        and self.lookup(leaf.fact) is UNKNOWN
                    }
                )
        return out

    # ------------------------------------------------------------------ the fixpoint

    def _fixpoint(self) -> None:
        lookup = self.lookup
        by_fact = {
            f: ds for f, ds in _derivations(self.rb, self.period).items() if lookup(f) is UNKNOWN
        }
        unknown = [name for name in _derived(self.rb) if lookup(name) is UNKNOWN]
        memo = self.rb._cache("_residuals", dict)
        # each rule's residual: True and False settle it; a condition waits on unknown facts
        residual: dict[str, list[tuple[Any, Condition | bool]]] = {}
        for fact, derivations in by_fact.items():
            out = residual[fact] = []
            for d in derivations:
                at = (d.key, tuple(lookup(f) for f in d.reads))
                found = memo.get(at)
                if found is None:
                    if len(memo) >= RESIDUAL_MEMO_LIMIT:
                        memo.clear()
                    found = memo[at] = self._residual(d.cond)
                if found is not False:
                    out.append((d.value, found))
        expert = {name for name in unknown if name not in by_fact}  # only a determination sets it
        while True:
            for name in unknown:
                if name in expert:
                    self.values[name] = frozenset(self.rb.facts[name].values or ())
                else:
                    self.values[name] = frozenset(value for value, _ in residual[name])
            changed = True
            while changed:  # the greatest fixpoint: drop values no rule can still give
                changed = False
                for fact, rules in residual.items():
                    if fact in expert:
                        continue
                    kept = frozenset(value for value, cond in rules if self._still(cond))
                    if kept != self.values[fact]:
                        self.values[fact] = kept
                        changed = True
            stuck = {f for f in by_fact if f not in expert and not self.values[f]}
            if not stuck:
                return
            expert |= stuck  # no rule can give it a value: the regulator decides it

    def _residual(self, cond: Condition) -> Condition | bool:
        """``cond`` with every test on a known fact (or an input fact) replaced by whether it can
        still hold: what is left tests only derived facts that are still unknown."""
        if isinstance(cond, Leaf):
            value = self.lookup(cond.fact)
            if self.rb.facts[cond.fact].origin == "derived":
                return cond if value is UNKNOWN else eval_leaf(cond, value) is True
            return eval_leaf(cond, value) is not False
        parts = [self._residual(item) for item in cond.items]  # type: ignore[union-attr]
        if isinstance(cond, AnyOf):
            if any(p is True for p in parts):
                return True
            rest = [p for p in parts if p is not False]
            return AnyOf(tuple(rest)) if len(rest) > 1 else (rest[0] if rest else False)  # type: ignore[arg-type]
        if any(p is False for p in parts):
            return False
        rest = [p for p in parts if p is not True]
        return All(tuple(rest)) if len(rest) > 1 else (rest[0] if rest else True)  # type: ignore[arg-type]

    def _still(self, cond: Condition | bool) -> bool:
        """Can a residual condition still be true, the unknown derived facts read through their
        possible values?"""
        if isinstance(cond, bool):
            return cond
        if isinstance(cond, Leaf):
            return any(eval_leaf(cond, v) is True for v in self.values.get(cond.fact, ()))
        parts = (self._still(item) for item in cond.items)  # type: ignore[union-attr]
        return any(parts) if isinstance(cond, AnyOf) else all(parts)

    def of(self, fact: str) -> frozenset[Any]:
        """The values ``fact`` can take: its value when known, else those still possible."""
        known = self.lookup(fact)
        if known is not UNKNOWN:
            return frozenset({known})
        return self.values.get(fact, frozenset())

    # ------------------------------------------------------------------ conditions

    def possible(self, cond: Condition) -> bool:
        """Can ``cond`` (in negation normal form) still be true?"""
        if isinstance(cond, Leaf):
            if self.rb.facts[cond.fact].origin == "derived":
                return any(eval_leaf(cond, v) is True for v in self.of(cond.fact))
            return eval_leaf(cond, self.lookup(cond.fact)) is not False
        parts = (self.possible(item) for item in cond.items)  # type: ignore[union-attr]
        return any(parts) if isinstance(cond, AnyOf) else all(parts)

    def necessary(self, cond: Condition, roots: Iterable[str]) -> bool:
        """Is ``cond`` (in negation normal form) true whichever value each fact of ``roots``
        takes among its possible values, the other facts as they are?"""
        roots = set(roots)
        if isinstance(cond, Leaf):
            value = self.lookup(cond.fact)
            if value is UNKNOWN and cond.fact in roots:
                values = self.of(cond.fact)
                return bool(values) and all(eval_leaf(cond, v) is True for v in values)
            return eval_leaf(cond, value) is True
        parts = (self.necessary(item, roots) for item in cond.items)  # type: ignore[union-attr]
        return any(parts) if isinstance(cond, AnyOf) else all(parts)
