"""One jurisdiction's result, assembled from its evaluation: findings, obligations (with due
dates), options, notes (assumptions, overridden rules, expired determinations), questions, and
the pathway, classification and premarket review they add up to."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from ..contract.assessment import JurisdictionResult, Note, Obligation, Option
from ..contract.product import Determination
from ..evaluate.result import Evaluation
from ..facts import FactView
from ..product.load import LoadedProduct
from ..rulebase.model import TEMPLATE, Rule, RuleBase
from ..rulebase.references import cite_all
from ..text import word
from ..values import UNKNOWN
from .findings import Explainer, findings
from .locate import Locator
from .open_questions import QuestionFinder
from .plan import Plan

ELIGIBLE = {True: "yes", False: "no", None: "undetermined"}


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
    ) -> None:
        self.rb = rb
        self.plan = plan
        self.loaded = loaded
        self.facts = facts
        self.ev = evaluation
        self.day = day
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
            if isinstance(start, _dt.date):
                return option.date(start), str(option)
        return None, None

    # ------------------------------------------------------------------ parts

    def obligations(self) -> list[Obligation]:
        out = []
        for r in self.fired:
            if r.kind != "obligation":
                continue
            due, basis = self.due(r)
            out.append(
                Obligation(
                    id=r.id,
                    title=self.fill(r.title),
                    when=r.timing or "",
                    due=due,
                    due_basis=basis,
                    deadline=" or else ".join(str(d) for d in r.due) or None,
                    description=r.description,
                    citations=self.plan.citations[r.id],
                )
            )
        return out

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

    # ------------------------------------------------------------------ the whole

    def result(self) -> JurisdictionResult:
        product = self.loaded.product
        jur = self.jur
        notes = self.notes([d for d in product.determinations if not d.in_force(self.day)])
        pathway = self.ev.derived.get(jur.pathway_fact)
        classification = (
            self.ev.derived.get(jur.classification_fact) if jur.classification_fact else None
        )
        questions = []
        if pathway is None:
            if not self.plan.decides_pathway:
                notes.append(
                    Note(
                        text=f"The rule base has no {jur.name} rules in force on {self.day.isoformat()}."
                    )
                )
            questions = QuestionFinder(self.rb, self.plan.period, self.lookup).questions(
                jur.pathway_fact
            )
        premarket: bool | None = None
        if pathway is not None:
            premarket = jur.pathways[pathway].premarket_review
            if premarket is None and classification is not None:
                premarket = jur.classifications[classification].premarket_review
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
            premarket_review=premarket,
            findings=findings(
                self.rb,
                self.plan,
                self.ev,
                self.explainer,
                product.determinations_on(self.day),
                self.locator,
            ),
            obligations=self.obligations(),
            options=self.options(),
            questions=questions,
            notes=notes,
        )
