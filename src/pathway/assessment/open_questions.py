"""The questions that would decide an undetermined jurisdiction.

Starting from the pathway fact, look at every rule that could still set it (its condition is
unknown, not false). Each unknown test in that condition is a reason the pathway is open: a
test on an input fact becomes a question; a test on a derived fact sends the search on to the
rules that could set that fact to the wanted value; a test on a vocabulary projection asks for
the product fields it is computed from (or, when those are known but the vocabulary cannot
classify them, for an expert determination of the derived fact). Questions are ordered by how
many open rules each one bears on, then by the order of the facts in the rule base.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..contract.assessment import Question
from ..rulebase.conditions import All, AnyOf, Condition, Leaf, eval_leaf, evaluate
from ..rulebase.model import Period, Rule, RuleBase
from ..rulebase.references import cite_all
from ..values import is_open

Lookup = Callable[[str], Any]


@dataclass
class _Need:
    rules: list[Rule] = field(default_factory=list)
    determination: bool = False
    item_field: str | None = None  # the answer goes on each open item of the list


def open_leaves(cond: Condition, lookup: Lookup) -> list[Leaf]:
    """The unknown tests that keep ``cond`` open: parts already true or false are skipped."""
    if isinstance(cond, Leaf):
        return [cond] if eval_leaf(cond, lookup(cond.fact)) is None else []
    value = evaluate(cond, lookup)
    if value is not None:
        return []
    items = cond.items if isinstance(cond, (All, AnyOf)) else (cond.item,)  # type: ignore[union-attr]
    out: list[Leaf] = []
    for item in items:
        for leaf in open_leaves(item, lookup):
            if leaf not in out:
                out.append(leaf)
    return out


class QuestionFinder:
    def __init__(self, rulebase: RuleBase, period: Period, lookup: Lookup) -> None:
        self.rb = rulebase
        self.period = period
        self.active = period.rules
        self.lookup = lookup
        self.needs: dict[str, _Need] = {}
        self.seen: set[tuple[str, tuple[Any, ...]]] = set()

    def need(self, fact: str, rule: Rule, determination: bool = False) -> None:
        entry = self.needs.setdefault(fact, _Need())
        if rule not in entry.rules:
            entry.rules.append(rule)
        entry.determination = entry.determination or determination

    def open_rules(self, fact: str) -> list[tuple[Rule, Any]]:
        """Rules that could still set ``fact`` (their condition is unknown), with that condition."""
        out = []
        for rule in self.active:
            if rule.kind == "derive" and rule.fact == fact:
                cond = self.rb.normal(rule, self.period.earlier(rule))
                if evaluate(cond, self.lookup) is None:
                    out.append((rule, cond))
        return out

    def visit(self, fact: str, wanted: tuple[Any, ...], asked_by: Rule | None = None) -> None:
        key = (fact, wanted)
        if key in self.seen:
            return
        self.seen.add(key)
        candidates = self.open_rules(fact)
        if not candidates and asked_by is not None:
            # no rule can settle this fact from what the product could say: an expert must
            self.need(fact, asked_by, determination=True)
            return
        for rule, cond in candidates:
            if rule.value not in wanted:
                continue
            for leaf in open_leaves(cond, self.lookup):
                definition = self.rb.facts[leaf.fact]
                if definition.origin == "derived":
                    values = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
                    if leaf.op in ("ne", "not_in"):
                        values = tuple(v for v in definition.values or () if v not in values)
                    self.visit(leaf.fact, values, rule)
                elif definition.origin == "projection":
                    open_inputs = [d for d in definition.depends_on if is_open(self.lookup(d))]
                    for dep in open_inputs:
                        self.need(dep, rule)
                    item_field = self.item_field(leaf.fact)
                    if not open_inputs and item_field is not None:
                        # the value comes from a field of the list's items the product left open
                        self.need(leaf.fact, rule)
                        self.needs[leaf.fact].item_field = item_field
                    elif not open_inputs:
                        # the vocabulary cannot classify what the product says: an expert must
                        self.need(
                            fact if self.rb.facts[fact].origin == "derived" else leaf.fact,
                            rule,
                            determination=True,
                        )
                else:
                    self.need(leaf.fact, rule)

    def item_field(self, projection: str) -> str | None:
        """The item field (e.g. ``new_safety_concern``) a list projection takes its value from."""
        base, _, attribute = projection.rpartition(".")
        vocab = self.rb.vocabulary_for(base)
        if vocab is None:
            return None
        return vocab.attributes[attribute].item_field

    def questions(self, target: str) -> list[Question]:
        definition = self.rb.facts[target]
        self.visit(target, tuple(definition.values or ()))
        if not self.needs:
            # nothing the product file could say decides it (the law leaves it open): only the
            # regulator's own decision can, recorded as a determination
            for rule in self.active:
                if rule.fact == target:
                    self.need(target, rule, determination=True)
        order = {name: i for i, name in enumerate(self.rb.facts)}
        ranked = sorted(self.needs.items(), key=lambda kv: (-len(kv[1].rules), order.get(kv[0], 0)))
        out = []
        for fact, need in ranked:
            fdef = self.rb.facts[fact]
            first = need.rules[0]
            note, unknown_basis = fdef.when_unknown or (None, ())
            citations = cite_all(
                [*(c for rule in need.rules for c in rule.citations), *unknown_basis]
            )
            if need.item_field is not None:
                base = fact.rpartition(".")[0]
                text = (
                    f"For the items of {base} it concerns: {(fdef.title or fact).rstrip('.')}? "
                    f"Answer per item, written as {{kind: ..., {need.item_field}: true|false}}."
                )
            elif need.determination:
                text = fdef.question or f"What is {fact}?"
                text += " (the vocabulary cannot decide it from the product's facts: record an expert determination)"
            else:
                text = fdef.question or f"What is {fact}?"
            answers = list(fdef.values) if fdef.values is not None and fdef.type != "list" else []
            if need.item_field is not None:
                answers = [True, False]
            out.append(
                Question(
                    fact=fact,
                    question=text,
                    why=f"decides: {first.title.rstrip('.')} ({first.id})"
                    + (f" and {len(need.rules) - 1} more rule(s)" if len(need.rules) > 1 else ""),
                    answers=answers,
                    rules=[r.id for r in need.rules],
                    citations=citations,
                    note=note,
                    item_field=need.item_field,
                )
            )
        return out
