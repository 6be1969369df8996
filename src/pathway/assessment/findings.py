"""Why a rule held: the tests that were true, with the product's own values and their origin.

``because(rule, ...)`` walks the rule's condition (negations pushed to the leaves) and returns
one phrase per true test, e.g. ``material.source=adipose (us_tissue_class=structural)`` or
``processing includes enzymatic_digestion (us_mm_structural=more_than_minimal)``. For a decision
case it adds the earlier cases that were ruled out. ``uses(rule)`` gives the same true tests as
structured ``FactUse`` records: the fact, its value, where the value came from (the product
file line, the vocabulary term, a derived finding or an expert determination).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..contract.assessment import FactUse, Finding
from ..contract.product import Determination
from ..evaluate.result import Evaluation
from ..facts import FactView
from ..rulebase.conditions import AnyOf, Condition, Leaf, eval_leaf, evaluate, facts_of
from ..rulebase.model import Rule, RuleBase
from ..rulebase.references import Citation, cite_all
from ..text import word
from ..values import ListValue, as_data
from .locate import Locator
from .plan import Plan

Lookup = Callable[[str], Any]


@dataclass(frozen=True)
class _Use:
    """A ``FactUse`` without what depends on the product file (origin of an input, location):
    the part that can be shared between products with the same values."""

    fact: str
    value: Any  # lists as tuples (hashable)
    kind: str  # input | vocabulary | derived | determination
    input: str | None = None
    term: Any = None
    rules: tuple[str, ...] = ()
    item: bool = False  # located at a list item of ``input``/``fact`` rather than the field
    citations: tuple[Citation, ...] = ()  # vocabulary: what the term's value rests on
    note: str | None = None  # vocabulary: the term's note on it


MEMO_LIMIT = 20_000  # remembered explanations; the memo is emptied when full


class Explainer:
    """Explains the rules that fired for one product and jurisdiction.

    ``memo`` (shared by an ``Assessor`` across products) maps a rule and the values of the
    facts its condition reads to the phrases and fact uses: products that agree on those values
    share the work; only locations are looked up per product.
    """

    def __init__(
        self,
        rulebase: RuleBase,
        facts: FactView,
        lookup: Lookup,
        locator: Locator | None = None,
        evaluation: Evaluation | None = None,
        memo: dict[Any, Any] | None = None,
    ) -> None:
        self.rb = rulebase
        self.facts = facts
        self.lookup = lookup
        self.locator = locator
        self.evaluation = evaluation
        self.memo = memo if memo is not None else {}
        self._made: dict[_Use, FactUse] = {}

    # ------------------------------------------------------------------ phrases

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
                listing = ", ".join(f"{p.term} ({attr}={word(p.value)})" for p in parts)
                if leaf.op in ("includes", "includes_any"):
                    return f"{base} includes {listing}"
                return f"{base}: {listing or 'none'}"
            return f"{base}={word(self.lookup(base))} ({attr}={word(value)})"
        if definition.is_list:
            return f"{leaf.fact} {_op_words(leaf)}"
        if definition.origin == "derived":
            return f"{leaf.fact}={word(value)}"
        if leaf.op in ("before", "on_or_after"):
            return f"{leaf.fact}={word(value)} ({_op_words(leaf)})"
        return f"{leaf.fact}={word(value)}"

    def explain(self, rule: Rule, earlier: Sequence[Rule] = ()) -> tuple[list[str], list[FactUse]]:
        """Why a rule held: one phrase per true test (``because``), and the facts behind each
        true test (for a decision case, also those that ruled out the ``earlier`` cases) with
        their origin and file location (``uses``)."""
        key = self._key(rule, earlier)
        found = self.memo.get(key)
        if found is None:
            found = self._explain(rule, earlier)
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.clear()
            self.memo[key] = found
        phrases, uses = found
        return list(phrases), [self._materialize(u) for u in uses]

    def _key(self, rule: Rule, earlier: Sequence[Rule]) -> tuple[Any, ...]:
        reads_key = (rule.id, tuple(e.id for e in earlier))
        reads = self.memo.get(reads_key)
        if reads is None:
            reads = tuple(sorted(facts_of(self.rb.normal(rule, earlier))))
            self.memo[reads_key] = reads
        ev = self.evaluation
        values: list[Any] = [reads_key]
        for name in reads:
            origin = self.rb.facts[name].origin
            value = self.lookup(name)
            if origin == "projection":
                values.append((value, self.facts.contributions.get(name, ())))
            elif origin == "derived" and ev is not None:
                values.append((value, name in ev.determined, ev.support.get(name, ())))
            else:
                values.append(value)
        return tuple(values)

    def _explain(self, rule: Rule, earlier: Sequence[Rule]) -> tuple[list[str], list[_Use]]:
        phrases: list[str] = []
        for leaf in self.true_leaves(self.rb.normal(rule)):
            phrase = self.leaf(leaf)
            if phrase not in phrases:
                phrases.append(phrase)
        for case in earlier:
            phrases.append(f"not: {case.title.rstrip('.')} ({case.id})")
        uses: list[_Use] = []
        own = self.true_leaves(self.rb.normal(rule))  # the rule's own tests first
        rest = self.true_leaves(self.rb.normal(rule, earlier)) if earlier else []
        for leaf in [*own, *(leaf for leaf in rest if leaf not in own)]:
            for use in self._leaf_uses(leaf):
                if use not in uses:
                    uses.append(use)
        return phrases or ["always applies while the rule is in force"], uses

    def true_leaves(self, cond: Condition) -> list[Leaf]:
        if isinstance(cond, Leaf):
            return [cond] if eval_leaf(cond, self.lookup(cond.fact)) is True else []
        out: list[Leaf] = []
        for item in cond.items:  # All: every part; AnyOf: every part that is true
            if isinstance(cond, AnyOf) and evaluate(item, self.lookup) is not True:
                continue
            for leaf in self.true_leaves(item):
                if leaf not in out:
                    out.append(leaf)
        return out

    # ------------------------------------------------------------------ structured

    def _leaf_uses(self, leaf: Leaf) -> list[_Use]:
        definition = self.rb.facts[leaf.fact]
        value = self.lookup(leaf.fact)
        wanted = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
        if definition.origin == "derived":
            ev = self.evaluation
            if ev is not None and leaf.fact in ev.determined:
                return [_Use(leaf.fact, _hashable(value), "determination")]
            rules = tuple(ev.support.get(leaf.fact, ())) if ev is not None else ()
            return [_Use(leaf.fact, _hashable(value), "derived", rules=rules)]
        if definition.origin == "projection":
            base, _, _ = leaf.fact.rpartition(".")
            base_def = self.rb.facts.get(base)
            parts = self.facts.contributions.get(leaf.fact, ())
            if not parts:  # an empty list: the input itself is the reason
                return [_Use(base, _hashable(self.lookup(base)), "input")]
            is_list = base_def is not None and base_def.is_list
            if is_list and leaf.op in ("includes", "includes_any"):
                parts = tuple(p for p in parts if p.value in wanted)
            return [
                _Use(
                    leaf.fact,
                    _hashable(p.value),
                    "vocabulary",
                    input=base,
                    term=p.term,
                    item=is_list,
                    citations=p.citations,
                    note=p.note,
                )
                for p in parts
            ]
        if (
            definition.is_list
            and leaf.op in ("includes", "includes_any")
            and isinstance(value, ListValue)
        ):
            return [
                _Use(leaf.fact, _hashable(v), "input", term=v, item=True)
                for v in wanted
                if v in value.items
            ]
        return [_Use(leaf.fact, _hashable(value), "input")]

    def _materialize(self, use: _Use) -> FactUse:
        made = self._made.get(use)
        if made is None:
            made = self._made[use] = self._make(use)
        return made

    def _make(self, use: _Use) -> FactUse:
        loc = self.locator
        location = None
        origin = use.kind
        if use.kind == "input":
            written = loc.written(use.fact) if loc is not None else True
            origin = "product" if written else "default"
            if loc is not None and written:
                location = loc.item(use.fact, use.term) if use.item else loc.field(use.fact)
        elif use.kind == "vocabulary" and loc is not None and use.input is not None:
            location = loc.item(use.input, use.term) if use.item else loc.field(use.input)
        decided_by = None
        if use.kind == "determination" and loc is not None:
            location = loc.determination(use.fact)
            entry = loc.determination_entry(use.fact)
            decided_by = entry.decided_by() if entry is not None else None
        return FactUse(
            fact=use.fact,
            value=list(use.value) if isinstance(use.value, tuple) else use.value,
            origin=origin,
            input=use.input,
            term=use.term,
            rules=list(use.rules),
            location=location,
            citations=cite_all(use.citations),
            note=use.note,
            decided_by=decided_by,
        )


def _hashable(value: Any) -> Any:
    shown = as_data(value)
    return tuple(shown) if isinstance(shown, list) else shown


def _op_words(leaf: Leaf) -> str:
    return str(leaf).split(" ", 1)[1]


def findings(
    rb: RuleBase,
    plan: Plan,
    evaluation: Evaluation,
    explainer: Explainer,
    determinations: Sequence[Determination],
    locator: Locator,
) -> list[Finding]:
    """The findings of one jurisdiction in reasoning order: each expert determination applied,
    then every rule that concluded a derived fact (the pathway's dependencies first)."""
    depth = rb.report_order(evaluation.jurisdiction)
    ranked: list[tuple[tuple[int, int], Finding]] = []
    for det in determinations:
        if det.fact not in evaluation.determined:
            continue
        # the law behind the fact: the rules that conclude it, else the rules that read it
        basis = [c for r in rb.rules if r.fact == det.fact for c in r.citations] or [
            c for r in plan.active if det.fact in r.reads() for c in r.citations
        ]
        because = [det.reason]
        if det.decided_by():
            because.append(f"decided by: {det.decided_by()}")
        if det.source:
            because.append(f"source: {det.source}")
        if det.date:
            because.append(f"dated {det.date.isoformat()}")
        ranked.append(
            (
                (depth.get(det.fact, 0), -1),
                Finding(
                    fact=det.fact,
                    value=det.value,
                    rule="determination",
                    title=f"Expert determination of {det.fact}",
                    because=because,
                    citations=cite_all(basis[:3]),
                    source="determination",
                    location=locator.determination(det.fact),
                    authority=det.authority,
                    reference=det.reference,
                ),
            )
        )
    for fact, rule_ids in evaluation.support.items():
        for rule_id in rule_ids:
            rule = plan.by_id[rule_id]
            because, uses = explainer.explain(rule, plan.period.earlier(rule))
            ranked.append(
                (
                    (depth.get(fact, 0), rule.index),
                    Finding(
                        fact=fact,
                        value=evaluation.derived[fact],
                        rule=rule.id,
                        title=rule.title,
                        because=because,
                        citations=plan.citations[rule.id],
                        source="rule",
                        uses=uses,
                        location=None,
                    ),
                )
            )
    ranked.sort(key=lambda item: item[0])
    return [f for _, f in ranked]
