"""Which open questions matter, and in what order: decided by re-evaluating the product with
each answer.

A question is kept only if at least one of its answers changes the jurisdiction's answer: its
pathway, its classification, or the pathways (or classifications) still possible. An answer the
product's other facts contradict is no answer. The kept questions are ranked as ``pathway
questions`` ranks them: those every answer of which settles the pathway, then those some answer
settles, then those that narrow it, the facts the product itself can state before the
determinations only an expert can make, and then by how many rules each bears on.

Answers tried: each value of a true/false or enumerated fact (each term of a vocabulary field);
for a list, the empty list and each one-term list when it is unknown, else the list closed and
the list closed with each term added; for a field of a list's items, true and false on every item
it concerns; for a derived fact, each value as an expert's determination. A date or free text
cannot be tried, nor a question every answer of which contradicts the product's other facts (the
file needs a fix): such a question is kept.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..contract.assessment import Question
from ..contract.contradictions import contradictions
from ..contract.fields import FALLBACKS
from ..contract.product import CombinedItem, Product
from ..errors import PathwayError
from ..evaluate.result import Evaluation, Evaluator
from ..facts import FactView, build_facts
from ..rulebase.conditions import leaves
from ..rulebase.model import RuleBase
from ..values import UNKNOWN

State = tuple[Any, Any, frozenset[Any], frozenset[Any]]  # pathway, classification, candidates


@dataclass(frozen=True)
class Verdict:
    """What a question's answers do: whether some answer changes the answer, and whether every
    answer (some answer) settles the pathway."""

    changed: bool
    all_decide: bool
    any_decides: bool


def _get(model: Any, path: str) -> Any:
    for part in path.split("."):
        model = getattr(model, part)
    return model


def _set(model: BaseModel, path: str, value: Any) -> Any:
    head, _, rest = path.partition(".")
    if not rest:
        return model.model_copy(update={head: value})
    return model.model_copy(update={head: _set(getattr(model, head), rest, value)})


def _told_apart(rb: RuleBase, fact: str) -> tuple[frozenset[Any], bool]:
    """The terms of ``fact`` some rule, projection or fallback reads by name (a condition's
    constant, a ``refine_by`` key), and whether every term must be told apart (the field feeds
    another field that has a vocabulary, or its vocabulary has a computed attribute)."""
    cache = rb._cache("_told_apart", dict)
    found = cache.get(fact)
    if found is None:
        targets = {fact, *(path for path, (source, _) in FALLBACKS.items() if source == fact)}
        named: set[Any] = set()
        for rule in rb.rules:
            for cond in (rule.when, rule.eligible_when):
                for leaf in leaves(cond) if cond is not None else ():
                    if leaf.fact in targets:
                        named.update(leaf.value if isinstance(leaf.value, tuple) else (leaf.value,))
        for vocab in rb.vocabularies.values():
            for attr in vocab.attributes.values():
                if attr.refine_by in targets:
                    for raw in attr.raw_forms():
                        named.update(raw if isinstance(raw, dict) else ())
        vocab = rb.vocabulary_for(fact)
        every = (
            vocab is None
            or any(a.member_of for a in vocab.attributes.values())
            or any(rb.vocabulary_for(t) is not None for t in targets - {fact})
        )
        found = cache[fact] = (frozenset(named), every)
    return found  # type: ignore[no-any-return]


def likeness(rb: RuleBase, fact: str, term: Any, day: _dt.date) -> Any:
    """A key two terms of ``fact`` share only when nothing can tell them apart on ``day``: no
    rule or projection names either, and every attribute of their vocabulary has the same value
    (or the same way of giving one) for both. Answers with like terms give the same evaluation,
    so only one of them is tried."""
    named, every = _told_apart(rb, fact)
    vocab = rb.vocabulary_for(fact)
    if every or vocab is None or term in named or term not in vocab.terms:
        return ("term", term)
    values = []
    for attr in vocab.attributes.values():
        entry = attr.value_on(term, day)
        values.append(repr(entry.value if entry is not None else attr.default))
    return ("like", tuple(values))


def _list_answers(
    rb: RuleBase, product: Product, fact: str, day: _dt.date
) -> Iterator[tuple[list[Any], Any]]:
    """(list, likeness key) for each answer to a list question."""
    current = _get(product, fact)
    terms = list(rb.facts[fact].values or ())
    wrap = (lambda t: CombinedItem(kind=t)) if fact == "combined_with" else (lambda t: t)
    if current == "unknown":
        yield [], ("empty",)
        for term in terms:
            yield [wrap(term)], likeness(rb, fact, term, day)
        return
    known = [i for i in current if i != "unknown"]
    kinds = {i.kind if isinstance(i, CombinedItem) else i for i in known}
    yield known, ("closed",)
    for term in terms:
        if term not in kinds:
            yield [*known, wrap(term)], likeness(rb, fact, term, day)


def _item_answers(rb: RuleBase, product: Product, fact: str, field: str) -> Iterator[Product]:
    base, _, attribute = fact.rpartition(".")
    vocab = rb.vocabulary_for(base)
    items = _get(product, base)
    if vocab is None or not isinstance(items, list):
        return
    attr = vocab.attributes[attribute]
    for value in (True, False):
        answered = [
            item.model_copy(update={field: value})
            if isinstance(item, CombinedItem) and attr.item_field_of(item.kind) == field
            else item
            for item in items
        ]
        yield _set(product, base, answered)


Answer = tuple[Product, tuple[tuple[str, Any], ...], Any]  # product, determinations, likeness


def answers(
    rb: RuleBase, product: Product, question: Question, day: _dt.date
) -> Iterator[Answer] | None:
    """(product, extra determinations, likeness key) for each answer, or None when it cannot
    be tried. Answers with equal likeness keys give the same evaluation."""
    definition = rb.facts[question.fact]
    if question.item_field is not None:
        return (
            (p, (), ("item", i))
            for i, p in enumerate(_item_answers(rb, product, question.fact, question.item_field))
        )
    if definition.origin == "derived":
        return ((product, ((question.fact, v),), ("is", v)) for v in definition.values or ())
    if definition.type in ("date", "text"):
        return None
    if definition.is_list:
        return (
            (_set(product, question.fact, v), (), key)
            for v, key in _list_answers(rb, product, question.fact, day)
        )
    current = _get(product, question.fact)
    return (
        (_set(product, question.fact, v), (), likeness(rb, question.fact, v, day))
        for v in definition.values or ()
        if v != current
    )


class Relevance:
    """Re-evaluates one product's jurisdiction with the answers to its open questions."""

    def __init__(
        self,
        rb: RuleBase,
        evaluator: Evaluator,
        code: str,
        product: Product,
        day: _dt.date,
        state: Callable[[Evaluation, FactView], State],
        base: State,
        answered: dict[Any, FactView | None] | None = None,
        facts: FactView | None = None,
    ) -> None:
        """``answered``: the facts of each answered product (None: a contradictory answer),
        shared by the jurisdictions of one assessment of ``product`` on ``day``; ``facts``: the
        product's own facts, from which an answered product's facts are built incrementally."""
        self.rb = rb
        self.evaluator = evaluator
        self.code = code
        self.product = product
        self.day = day
        self.state = state  # an evaluation and its facts -> (pathway, classification, candidates)
        self.base = base
        self.answered = answered if answered is not None else {}
        self.facts = facts

    def evaluated(
        self, question: Question, tried: Iterator[Answer]
    ) -> Iterator[tuple[Evaluation, FactView]]:
        """The evaluation of each answer the product's other facts allow, lazily; of answers
        alike (``likeness``), only the first."""
        seen: set[Any] = set()
        for index, (product, extra, like) in enumerate(tried):
            if like in seen:
                continue  # evaluates as an answer already tried
            key = (question.fact, question.item_field, index)
            facts = self.answered.get(key, UNKNOWN)
            if facts is UNKNOWN:
                facts = self.answered[key] = (
                    None
                    if next(contradictions(product), None) is not None
                    else build_facts(product, self.rb, self.day, self.facts)
                )
            if facts is None:
                continue  # no such product: the other facts rule this answer out
            seen.add(like)
            try:
                ev = self.evaluator.evaluate(
                    self.code, facts, self.day, [*product.determined_on(self.day), *extra]
                )
            except PathwayError:
                continue  # the answer contradicts the product (found by the rules)
            yield ev, facts

    def verdict(self, question: Question) -> Verdict | None:
        """What the answers do (None: the question cannot be tried, or every answer contradicts
        the other facts: they need a fix). Answers are evaluated only until the verdict is
        certain; the pathways still possible are compared only when no answer changes the
        pathway or classification."""
        tried = answers(self.rb, self.product, question, self.day)
        if tried is None:
            return None
        changed = seen = any_decides = False
        all_decide = True
        unchanged: list[tuple[Evaluation, FactView]] = []
        for ev, facts in self.evaluated(question, tried):
            seen = True
            head = self.head(ev)
            decided = head[0] is not None
            any_decides |= decided
            all_decide &= decided
            if head != self.base[:2]:
                changed = True
            elif not changed:
                unchanged.append((ev, facts))
            if changed and any_decides and not all_decide:
                break  # nothing later can change the verdict
        if not seen:
            return None
        if not changed:
            changed = any(self.state(ev, facts) != self.base for ev, facts in unchanged)
        return Verdict(changed, all_decide, any_decides)

    def head(self, ev: Evaluation) -> tuple[Any, Any]:
        jur = self.rb.jurisdictions[self.code]
        classification = (
            ev.derived.get(jur.classification_fact) if jur.classification_fact else None
        )
        return (ev.derived.get(jur.pathway_fact), classification)

    def ranked(self, questions: list[Question]) -> list[Question]:
        """The questions some answer of which changes the answer, the most decisive first."""
        kept: list[tuple[tuple[Any, ...], Question]] = []
        for position, question in enumerate(questions):
            verdict = self.verdict(question)
            if verdict is not None and not verdict.changed:
                continue
            key = (
                self.rb.facts[question.fact].origin == "derived" and question.item_field is None,
                not (verdict is not None and verdict.all_decide),
                not (verdict is not None and verdict.any_decides),
                -len(question.rules),
                position,
            )
            kept.append((key, question))
        kept.sort(key=lambda item: item[0])
        return [q for _, q in kept]
