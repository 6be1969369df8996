"""One jurisdiction's result, assembled from its evaluation: findings, obligations (with due
dates), options, notes (assumptions, overridden rules, expired determinations), and the pathway,
classification and premarket review they add up to. While the pathway or the classification is
open: the candidates still possible, what holds for all of them (premarket review, the
obligations common to every candidate), and the questions that would decide them, only those an
answer of which changes something, ranked."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from typing import Any

from ..contract.assessment import (
    JurisdictionResult,
    Note,
    Obligation,
    OpenFact,
    Option,
    Question,
    ReportedFact,
)
from ..contract.product import Determination
from ..evaluate.result import Evaluation, Evaluator
from ..facts import FactView
from ..product.load import LoadedProduct
from ..rulebase.model import TEMPLATE, Rule, RuleBase
from ..rulebase.references import cite_all
from ..text import word
from ..values import UNKNOWN
from .conditional import conditions
from .findings import Explainer, findings
from .locate import Locator
from .open_questions import QuestionFinder
from .plan import Plan
from .possible import Possibilities
from .relevance import Relevance, State

ELIGIBLE = {True: "yes", False: "no", None: "undetermined"}
STATE_MEMO_LIMIT = 20_000  # remembered states of evaluations; the memo is emptied when full


class JurisdictionReport:
    """What one evaluation of one jurisdiction shows. ``explained`` is the explanation memo the
    assessor shares across products."""

    def __init__(
        self,
        rb: RuleBase,
        plan: Plan,
        loaded: LoadedProduct,
        facts: FactView,
        evaluation: Evaluation,
        day: _dt.date,
        explained: dict[Any, Any],
        evaluator: Evaluator,
        states: dict[int, tuple[Evaluation, State]] | None = None,
        answered: dict[Any, Any] | None = None,
    ) -> None:
        """``explained`` and ``states`` are memos the assessor shares across products: the
        explanations of findings, and the state (``state_of``) of each evaluation the evaluator
        remembers (keyed by the evaluation's identity, which the memo keeps alive); ``answered``
        is shared by the jurisdictions of one assessment (``relevance.Relevance``)."""
        self.rb = rb
        self.plan = plan
        self.loaded = loaded
        self.facts = facts
        self.ev = evaluation
        self.day = day
        self.evaluator = evaluator
        self.states = states if states is not None else {}
        self.answered = answered if answered is not None else {}
        self.jur = rb.jurisdictions[evaluation.jurisdiction]
        self.locator = Locator(loaded)
        self.explainer = Explainer(rb, facts, self.lookup, self.locator, evaluation, explained)
        fired = (plan.by_id[r] for r in evaluation.fired if r in plan.by_id)
        self.fired = sorted(fired, key=lambda r: r.index)

    def lookup(self, name: str) -> Any:
        if self.rb.facts[name].origin == "derived":
            return self.ev.derived.get(name, UNKNOWN)
        return self.facts[name]

    def fill(self, text: str) -> str:
        """A title with the product facts it names filled in: {context.member_state} ->
        "Germany (DE)"."""

        def one(match: re.Match[str]) -> str:
            value = self.lookup(match.group(1))
            vocab = self.rb.vocabulary_for(match.group(1))
            if vocab is not None and value in vocab.terms:
                return f"{vocab.terms[value].label} ({value})"
            return word(value)

        return TEMPLATE.sub(one, text)

    def due(self, rule: Rule) -> tuple[_dt.date | None, str | None]:
        """The deadline of an obligation: the first alternative whose start the product gives."""
        for option in rule.due:
            start = self.lookup(option.fact)
            if not isinstance(start, _dt.date):
                continue
            years = self.lookup(option.years_from) if option.years_from else 0
            if isinstance(years, int) and not isinstance(years, bool):
                return option.date(start, years), str(option)
        return None, None

    # ------------------------------------------------------------------ parts

    def obligation(self, r: Rule) -> Obligation:
        due, basis = self.due(r)
        return Obligation(
            id=r.id,
            title=self.fill(r.title),
            when=r.timing or "",
            due=due,
            due_basis=basis,
            overdue=due < self.day if due is not None else None,
            deadline=" or else ".join(str(d) for d in r.due) or None,
            description=r.description,
            citations=self.plan.citations[r.id],
        )

    def obligations(self) -> list[Obligation]:
        return [self.obligation(r) for r in self.fired if r.kind == "obligation"]

    def options(self) -> list[Option]:
        return [
            Option(
                id=r.id,
                title=self.fill(r.title),
                eligible=ELIGIBLE[self.ev.options.get(r.id)],  # type: ignore[arg-type]
                description=r.description,
                citations=self.plan.citations[r.id],
            )
            for r in self.fired
            if r.kind == "option"
        ]

    def notes(self, expired: list[Determination]) -> list[Note]:
        """The notes of the rules that fired, then the assumptions the rules rest on, the rules
        an expert determination overrode, and the determinations that have expired."""
        notes = [
            Note(
                text=self.fill(r.title) + (f" {r.description}" if r.description else ""),
                rule=r.id,
                citations=self.plan.citations[r.id],
            )
            for r in self.fired
            if r.kind == "note"
        ]
        for text in self.facts.assumptions:
            if text.split(" ", 1)[0] in self.plan.read:
                notes.append(Note(text=f"Assumption: {text}."))
        for rule_id in self.ev.overridden:
            rule = self.plan.by_id[rule_id]
            notes.append(
                Note(
                    text=f"Overridden by an expert determination: rule {rule.id} would have set "
                    f"{rule.fact} to {word(rule.value)}.",
                    rule=rule.id,
                    citations=cite_all(rule.citations),
                )
            )
        for det in expired:
            notes.append(
                Note(
                    text=f"The determination of {det.fact} expired on {det.expires} and was not applied."
                )
            )
        return notes

    # ------------------------------------------------------------------ open answers

    def possibilities(self) -> Possibilities:
        found = self.__dict__.get("_possibilities")
        if found is None:
            found = self._possibilities = Possibilities(self.rb, self.plan.period, self.lookup)
        return found

    def candidates(self, fact: str | None, known: Any, order: Iterable[str]) -> list[str]:
        """The values of the pathway or classification still possible, in the order the
        jurisdiction declares them (the value itself when it is known)."""
        if fact is None:
            return []
        if known is not None:
            return [known]
        possible = self.possibilities().of(fact)
        return [v for v in order if v in possible]

    def attributes(self) -> list[ReportedFact]:
        """The jurisdiction's reported facts: each value, or the values still possible."""
        out = []
        settable = {r.fact for r in self.plan.period.rules if r.kind == "derive"}
        for name in self.jur.reports:
            value = self.ev.derived.get(name)
            if value is None and name not in settable:
                continue  # no rule in force gives it: nothing to report until an expert does
            definition = self.rb.facts[name]
            if value is not None:
                candidates = [value]
            else:
                possible = self.possibilities().of(name)
                domain = definition.values or ((True, False) if definition.type == "bool" else ())
                candidates = [v for v in domain if v in possible]
            out.append(
                ReportedFact(
                    fact=name, title=definition.title or name, value=value, candidates=candidates
                )
            )
        return out

    def premarket(self, pathways: list[str], classifications: list[str]) -> bool | None:
        """Whether premarket review is needed whichever candidate holds (None: it depends). A
        pathway that leaves it to the classification is read with the classifications that can
        go with it (those still possible once the pathway's own conditions are assumed)."""
        answers: set[bool | None] = set()
        for pid in pathways:
            review = self.jur.pathways[pid].premarket_review
            if review is not None:
                answers.add(review)
                continue
            with_it = (
                self.classifications_with(pid) if len(classifications) > 1 else classifications
            )
            answers |= {self.jur.classifications[c].premarket_review for c in with_it}
            if not with_it:
                answers.add(None)
        return answers.pop() if len(answers) == 1 else None

    def classifications_with(self, pathway: str) -> list[str]:
        """The classifications still possible if the pathway is ``pathway``."""
        fact = self.jur.classification_fact
        if fact is None:
            return []
        found: set[str] = set()
        ways = self.possibilities().given(self.jur.pathway_fact, pathway)
        for assume in ways:
            if not assume:
                found |= set(self.possibilities().of(fact))
                continue
            found |= Possibilities(self.rb, self.plan.period, self.lookup, assume).of(fact)
        return [c for c in self.jur.classifications if c in found]

    def common_obligations(self) -> list[Obligation]:
        """The obligations that hold whichever candidate pathway and classification holds."""
        roots = [f for f in (self.jur.pathway_fact, self.jur.classification_fact) if f]
        fired = {r.id for r in self.fired}
        out = []
        for rule in self.plan.active:
            if rule.kind != "obligation" or rule.id in fired:
                continue
            if self.possibilities().necessary(
                self.rb.normal(rule, self.plan.period.earlier(rule)), roots
            ):
                out.append(self.obligation(rule).model_copy(update={"across_candidates": True}))
        return out

    def conditional_obligations(self, listed: set[str]) -> list[Obligation]:
        """The obligations that would hold were some unknown product facts answered one way,
        each with the questions that settle it (``conditional.conditions``)."""
        out = []
        for rule in self.plan.active:
            if rule.kind != "obligation" or rule.id in listed:
                continue
            cond = self.rb.normal(rule, self.plan.period.earlier(rule))
            facts = conditions(self.rb, cond, self.lookup)
            if not facts:
                continue
            opened = [
                OpenFact(fact=f, question=self.rb.facts[f].question or f)
                for f in facts
                if f in self.rb.facts
            ]
            out.append(self.obligation(rule).model_copy(update={"conditional_on": opened}))
        return out

    def questions(self, pathway: Any, classification: Any) -> list[Question]:
        """The questions that would decide the open pathway and classification, those whose
        answers cannot change anything left out, the most decisive first."""
        asked: dict[str, Question] = {}
        for target, known in (
            (self.jur.pathway_fact, pathway),
            (self.jur.classification_fact, classification),
        ):
            if target is None or known is not None:
                continue
            for q in QuestionFinder(self.rb, self.plan.period, self.lookup).questions(target):
                if q.fact not in asked:
                    asked[q.fact] = q
                else:
                    merged = [
                        *asked[q.fact].rules,
                        *(r for r in q.rules if r not in asked[q.fact].rules),
                    ]
                    asked[q.fact] = asked[q.fact].model_copy(update={"rules": merged})
        relevance = Relevance(
            self.rb,
            self.evaluator,
            self.ev.jurisdiction,
            self.loaded.product,
            self.day,
            self.state,
            self.state(self.ev, self.facts),
            self.answered,
            self.facts,
        )
        return relevance.ranked(list(asked.values()))

    def state(self, ev: Evaluation, facts: FactView) -> State:
        """``state_of`` an evaluation, remembered: an evaluator that remembers evaluations
        returns the same object for the same facts, so its state is computed once."""
        known = self.states.get(id(ev))
        if known is not None and known[0] is ev:
            return known[1]
        found = state_of(self.rb, self.plan, ev, facts)
        if len(self.states) >= STATE_MEMO_LIMIT:
            self.states.clear()
        self.states[id(ev)] = (ev, found)
        return found

    # ------------------------------------------------------------------ the whole

    def result(self) -> JurisdictionResult:
        product = self.loaded.product
        jur = self.jur
        notes = self.notes([d for d in product.determinations if not d.in_force(self.day)])
        pathway = self.ev.derived.get(jur.pathway_fact)
        classification = (
            self.ev.derived.get(jur.classification_fact) if jur.classification_fact else None
        )
        if pathway is None and not self.plan.decides_pathway:
            notes.append(
                Note(
                    text=f"The rule base has no {jur.name} rules in force on {self.day.isoformat()}."
                )
            )
        candidates = self.candidates(jur.pathway_fact, pathway, jur.pathways)
        classes = self.candidates(jur.classification_fact, classification, jur.classifications)
        obligations = self.obligations()
        if pathway is None and candidates:
            obligations += self.common_obligations()
        obligations += self.conditional_obligations({o.id for o in obligations})
        return JurisdictionResult(
            name=jur.name,
            status="determined" if pathway is not None else "undetermined",
            pathway=pathway,
            pathway_fact=jur.pathway_fact,
            title=jur.pathways[pathway].title if pathway is not None else None,
            classification=classification,
            classification_title=jur.classifications[classification].title
            if classification
            else None,
            premarket_review=self.premarket(candidates, classes) if candidates else None,
            candidates=candidates,
            classification_candidates=classes,
            attributes=self.attributes(),
            findings=findings(
                self.rb,
                self.plan,
                self.ev,
                self.explainer,
                product.determinations_on(self.day),
                self.locator,
            ),
            obligations=obligations,
            options=self.options(),
            questions=self.questions(pathway, classification)
            if pathway is None or classification is None
            else [],
            notes=notes,
        )


def state_of(rb: RuleBase, plan: Plan, ev: Evaluation, facts: FactView) -> State:
    """An evaluation's answer: its pathway and classification, and while either is open, the
    values still possible."""
    jur = rb.jurisdictions[ev.jurisdiction]
    pathway = ev.derived.get(jur.pathway_fact)
    classification = ev.derived.get(jur.classification_fact) if jur.classification_fact else None
    if pathway is not None and (classification is not None or not jur.classification_fact):
        return (pathway, classification, frozenset(), frozenset())

    def lookup(name: str) -> Any:
        if rb.facts[name].origin == "derived":
            return ev.derived.get(name, UNKNOWN)
        return facts[name]

    possible = Possibilities(rb, plan.period, lookup)
    return (
        pathway,
        classification,
        possible.of(jur.pathway_fact) if pathway is None else frozenset(),
        possible.of(jur.classification_fact)
        if classification is None and jur.classification_fact
        else frozenset(),
    )
