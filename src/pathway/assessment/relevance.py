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
from ..contract.product import CombinedItem, Product
from ..errors import PathwayError
from ..evaluate.result import Evaluation, Evaluator
from ..facts import FactView, build_facts
from ..rulebase.model import RuleBase
from ..values import UNKNOWN

State = tuple[Any, Any, frozenset[Any], frozenset[Any]]  # pathway, classification, candidates


@dataclass(frozen=True)
class Outcome:
    """What one answer gives: the pathway (None: still open), and whether anything changed."""

    pathway: Any
    changed: bool


def _get(model: Any, path: str) -> Any:
    for part in path.split("."):
        model = getattr(model, part)
    return model


def _set(model: BaseModel, path: str, value: Any) -> Any:
    head, _, rest = path.partition(".")
    if not rest:
        return model.model_copy(update={head: value})
    return model.model_copy(update={head: _set(getattr(model, head), rest, value)})


def _list_answers(rb: RuleBase, product: Product, fact: str) -> Iterator[list[Any]]:
    current = _get(product, fact)
    terms = list(rb.facts[fact].values or ())
    wrap = (lambda t: CombinedItem(kind=t)) if fact == "combined_with" else (lambda t: t)
    if current == "unknown":
        yield []
        for term in terms:
            yield [wrap(term)]
        return
    known = [i for i in current if i != "unknown"]
    kinds = {i.kind if isinstance(i, CombinedItem) else i for i in known}
    yield known
    for term in terms:
        if term not in kinds:
            yield [*known, wrap(term)]


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


def answers(
    rb: RuleBase, product: Product, question: Question
) -> Iterator[tuple[Product, tuple[tuple[str, Any], ...]]] | None:
    """(product, extra determinations) for each answer, or None when it cannot be tried."""
    definition = rb.facts[question.fact]
    if question.item_field is not None:
        return ((p, ()) for p in _item_answers(rb, product, question.fact, question.item_field))
    if definition.origin == "derived":
        return ((product, ((question.fact, v),)) for v in definition.values or ())
    if definition.type in ("date", "text"):
        return None
    if definition.is_list:
        return (
            (_set(product, question.fact, v), ()) for v in _list_answers(rb, product, question.fact)
        )
    current = _get(product, question.fact)
    return ((_set(product, question.fact, v), ()) for v in definition.values or () if v != current)


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

    def outcomes(self, question: Question) -> list[Outcome] | None:
        """What each answer gives (None: the question cannot be tried). The pathways still
        possible are compared only when no answer changes the pathway or classification."""
        tried = answers(self.rb, self.product, question)
        if tried is None:
            return None
        evaluated: list[tuple[Evaluation, FactView]] = []
        for index, (product, extra) in enumerate(tried):
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
            try:
                ev = self.evaluator.evaluate(
                    self.code, facts, self.day, [*product.determined_on(self.day), *extra]
                )
            except PathwayError:
                continue  # the answer contradicts the product (found by the rules)
            evaluated.append((ev, facts))
        if not evaluated:  # every answer contradicts the other facts: they need a fix, ask
            return None
        heads = [self.head(ev) for ev, _ in evaluated]
        changed = [h != self.base[:2] for h in heads]
        if not any(changed):
            for i, (ev, facts) in enumerate(evaluated):
                if self.state(ev, facts) != self.base:
                    changed[i] = True
                    break
        return [Outcome(h[0], c) for h, c in zip(heads, changed, strict=True)]

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
            outcomes = self.outcomes(question)
            if outcomes is not None and not any(o.changed for o in outcomes):
                continue
            decided = [o.pathway is not None for o in outcomes or ()]
            key = (
                self.rb.facts[question.fact].origin == "derived" and question.item_field is None,
                not (decided and all(decided)),
                not any(decided),
                -len(question.rules),
                position,
            )
            kept.append((key, question))
        kept.sort(key=lambda item: item[0])
        return [q for _, q in kept]
