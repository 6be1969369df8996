"""Assess a product: facts -> evaluation per jurisdiction -> the contract's ``Assessment``."""

from __future__ import annotations

import datetime as _dt
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from .assessment import (
    Assessment,
    CitationOut,
    Finding,
    JurisdictionResult,
    Note,
    Obligation,
    Option,
    ProductRef,
    RulebaseRef,
)
from .errors import ContradictionError, InputError
from .evaluation import Evaluation
from .explain import Explainer, show
from .facts import FactView, build_facts
from .loading import LoadedProduct, load_product
from .locate import Locator
from .product import Product
from .questions import QuestionFinder, cite
from .rulebase.conditions import UNKNOWN, facts_of, leaves
from .rulebase.loader import TEMPLATE, load_rulebase
from .rulebase.model import Rule, RuleBase, decision_order
from .words import word as _word

ProductInput = LoadedProduct | Product | dict[str, Any] | str | Path


class Evaluator(Protocol):
    name: str

    def evaluate(
        self,
        jurisdiction: str,
        facts: FactView,
        as_of: _dt.date,
        determinations: Iterable[tuple[str, Any]] = (),
    ) -> Evaluation: ...


def _citations(items: Iterable[Any]) -> list[CitationOut]:
    out: dict[tuple[str, str], CitationOut] = {}
    for c in items:
        out.setdefault((c.ref, c.url), cite(c))
    return list(out.values())


@dataclass(frozen=True)
class _Plan:
    """What the report needs to know of the rules in force in one jurisdiction and period,
    computed once per period (rule-base epoch)."""

    active: tuple[Rule, ...]
    by_id: dict[str, Rule]
    earlier: dict[str, list[Rule]]  # decision case -> the cases before it
    read: frozenset[str]  # input facts the rules read (directly or through a vocabulary)
    citations: dict[str, list[CitationOut]]
    decides_pathway: bool

    @classmethod
    def of(cls, rb: RuleBase, code: str, day: _dt.date) -> _Plan:
        active = rb.active_rules(code, day)
        cases = decision_order(active)
        earlier = {
            r.id: [c for c in cases[r.decision] if (c.case or 0) < (r.case or 0)]
            for r in active
            if r.decision
        }
        read = {leaf.fact for r in active for leaf in leaves(r.when)}
        read |= {dep for f in list(read) for dep in rb.facts[f].depends_on}
        return cls(
            active=active,
            by_id={r.id: r for r in active},
            earlier=earlier,
            read=frozenset(read),
            citations={r.id: _citations(r.citations) for r in active},
            decides_pathway=any(r.fact == rb.jurisdictions[code].pathway_fact for r in active),
        )


class Assessor:
    """Assesses products against one rule base with one evaluator. Thread-safe."""

    def __init__(
        self,
        rulebase: RuleBase | None = None,
        evaluator: Literal["engine", "oracle"] | Evaluator = "engine",
    ) -> None:
        self.rulebase = rulebase or load_rulebase()
        if evaluator == "engine":
            from .engine import Engine

            self.evaluator: Evaluator = Engine(self.rulebase)
        elif evaluator == "oracle":
            from .oracle import Oracle

            self.evaluator = Oracle(self.rulebase)
        else:
            self.evaluator = evaluator  # type: ignore[assignment]
        self._plans: dict[tuple[str, int], _Plan] = {}
        self._explained: dict[Any, Any] = {}  # Explainer memo, shared across products

    def _plan(self, code: str, day: _dt.date) -> _Plan:
        key = (code, self.rulebase.epoch(day))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = _Plan.of(self.rulebase, code, day)
        return plan

    def load(self, product: ProductInput) -> LoadedProduct:
        if isinstance(product, LoadedProduct):
            return product
        return load_product(product, self.rulebase)

    def assess(
        self,
        product: ProductInput,
        jurisdictions: Sequence[str] | None = None,
        as_of: _dt.date | None = None,
    ) -> Assessment:
        loaded = self.load(product)
        day = as_of or _dt.date.today()
        codes = self.codes(loaded, jurisdictions)
        facts = build_facts(loaded.product, self.rulebase)
        results = {code: self._jurisdiction(loaded, facts, code, day) for code in codes}
        return Assessment(
            product=ProductRef(name=loaded.product.name, file=loaded.file, sha256=loaded.sha256),
            rulebase=RulebaseRef(version=self.rulebase.version, sha256=self.rulebase.sha256),
            as_of=day,
            engine=self.evaluator.name,
            jurisdictions=results,
        )

    def codes(self, loaded: LoadedProduct, jurisdictions: Sequence[str] | None) -> list[str]:
        wanted = (
            list(jurisdictions)
            if jurisdictions
            else list(loaded.product.jurisdictions or self.rulebase.jurisdictions)
        )
        for code in wanted:
            if code not in self.rulebase.jurisdictions:
                raise InputError(
                    f"unknown jurisdiction {code!r}; expected one of {', '.join(self.rulebase.jurisdictions)}",
                    file="--jurisdictions",
                )
        order = list(self.rulebase.jurisdictions)
        return sorted(dict.fromkeys(wanted), key=order.index)

    def evaluate(self, loaded: LoadedProduct, code: str, day: _dt.date) -> Evaluation:
        """The bare evaluation of one jurisdiction (no report): for what-if searches."""
        facts = build_facts(loaded.product, self.rulebase)
        return self.evaluator.evaluate(code, facts, day, _in_force(loaded.product, day))

    # ------------------------------------------------------------------ one jurisdiction

    def _jurisdiction(
        self, loaded: LoadedProduct, facts: FactView, code: str, day: _dt.date
    ) -> JurisdictionResult:
        rb = self.rulebase
        jur = rb.jurisdictions[code]
        product = loaded.product
        plan = self._plan(code, day)
        active = plan.active
        determinations = [
            d for d in product.determinations if d.expires is None or d.expires >= day
        ]
        expired = [d for d in product.determinations if d.expires is not None and d.expires < day]
        try:
            ev = self.evaluator.evaluate(code, facts, day, _in_force(product, day))
        except ContradictionError as exc:
            raise self._locate(exc, loaded, active) from None

        def lookup(name: str) -> Any:
            if rb.facts[name].origin == "derived":
                return ev.derived.get(name, UNKNOWN)
            return facts[name]

        locator = Locator(loaded)
        explainer = Explainer(rb, facts, lookup, locator, ev, self._explained)

        def fill(text: str) -> str:  # {context.member_state} -> "Germany (DE)"
            def one(match: re.Match[str]) -> str:
                value = lookup(match.group(1))
                vocab = rb.vocabulary_for(match.group(1))
                if vocab is not None and value in vocab.terms:
                    return f"{vocab.terms[value].label} ({value})"
                return show(value)

            return TEMPLATE.sub(one, text)

        def due(rule: Rule) -> tuple[_dt.date | None, str | None]:
            for option in rule.due:  # the first whose start the product gives
                start = lookup(option.fact)
                if isinstance(start, _dt.date):
                    return option.date(start), str(option)
            return None, None

        by_id = plan.by_id

        def earlier(rule: Rule) -> list[Rule]:
            return plan.earlier.get(rule.id, [])

        depth = rb.report_order(code)
        findings: list[tuple[tuple[int, int], Finding]] = []
        for det in determinations:
            if det.fact not in ev.determined:
                continue
            # the law behind the fact: the rules that conclude it, else the rules that read it
            basis = [c for r in rb.rules if r.fact == det.fact for c in r.citations] or [
                c for r in active if det.fact in facts_of(r.when) for c in r.citations
            ]
            because = [det.reason]
            if det.source:
                because.append(f"source: {det.source}")
            if det.date:
                because.append(f"dated {det.date.isoformat()}")
            findings.append(
                (
                    (depth.get(det.fact, 0), -1),
                    Finding(
                        fact=det.fact,
                        value=det.value,
                        rule="determination",
                        title=f"Expert determination of {det.fact}",
                        because=because,
                        citations=_citations(basis[:3]),
                        source="determination",
                        location=locator.determination(det.fact),
                    ),
                )
            )
        for fact, rule_ids in ev.support.items():
            for rule_id in rule_ids:
                rule = by_id[rule_id]
                because, uses = explainer.explain(rule, earlier(rule))
                findings.append(
                    (
                        (depth.get(fact, 0), rule.index),
                        Finding(
                            fact=fact,
                            value=ev.derived[fact],
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
        findings.sort(key=lambda item: item[0])

        fired = sorted((by_id[r] for r in ev.fired if r in by_id), key=lambda r: r.index)
        obligations = [
            Obligation(
                id=r.id,
                title=fill(r.title),
                when=r.timing or "",
                due=due(r)[0],
                due_basis=due(r)[1],
                deadline=" or else ".join(str(d) for d in r.due) or None,
                description=r.description,
                citations=plan.citations[r.id],
            )
            for r in fired
            if r.kind == "obligation"
        ]
        options = [
            Option(
                id=r.id,
                title=fill(r.title),
                eligible={True: "yes", False: "no", None: "undetermined"}[ev.options.get(r.id)],
                description=r.description,
                citations=plan.citations[r.id],
            )
            for r in fired
            if r.kind == "option"
        ]
        notes = [
            Note(
                text=fill(r.title) + (f" {r.description}" if r.description else ""),
                rule=r.id,
                citations=plan.citations[r.id],
            )
            for r in fired
            if r.kind == "note"
        ]
        for text in facts.assumptions:
            if text.split(" ", 1)[0] in plan.read:
                notes.append(Note(text=f"Assumption: {text}."))
        for rule_id in ev.overridden:
            rule = by_id[rule_id]
            notes.append(
                Note(
                    text=f"Overridden by an expert determination: rule {rule.id} would have set "
                    f"{rule.fact} to {_word(rule.value)}.",
                    rule=rule.id,
                    citations=_citations(rule.citations),
                )
            )
        for det in expired:
            notes.append(
                Note(
                    text=f"The determination of {det.fact} expired on {det.expires} and was not applied."
                )
            )

        pathway = ev.derived.get(jur.pathway_fact)
        classification = (
            ev.derived.get(jur.classification_fact) if jur.classification_fact else None
        )
        questions = []
        if pathway is None:
            if not plan.decides_pathway:
                notes.append(
                    Note(
                        text=f"The rule base has no {jur.name} rules in force on {day.isoformat()}."
                    )
                )
            questions = QuestionFinder(rb, active, lookup).questions(jur.pathway_fact)
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
            findings=[f for _, f in findings],
            obligations=obligations,
            options=options,
            questions=questions,
            notes=notes,
        )

    def _locate(
        self, exc: ContradictionError, loaded: LoadedProduct, active: tuple[Rule, ...]
    ) -> ContradictionError:
        """Point a contradiction found by the rules at the product line it comes from."""
        rb = self.rulebase
        inputs: list[str] = []
        for rule in active:
            if rule.id in exc.message:
                for leaf in leaves(rule.when):
                    fdef = rb.facts[leaf.fact]
                    for name in (
                        (fdef.depends_on or (leaf.fact,)) if fdef.origin != "derived" else ()
                    ):
                        if name not in inputs:
                            inputs.append(name)
        line = column = None
        field = exc.field
        for name in inputs:
            line, column = loaded.location(tuple(name.split(".")))
            if line is not None:
                field = name
                break
        return ContradictionError(
            f"contradictory facts: {exc.message}"
            + (f" (facts involved: {', '.join(inputs)})" if inputs else ""),
            file=loaded.file,
            line=line,
            column=column,
            field=field,
        )


def _in_force(product: Product, day: _dt.date) -> list[tuple[str, Any]]:
    """The expert determinations in force on ``day``, as (fact, value)."""
    return [
        (d.fact, d.value) for d in product.determinations if d.expires is None or d.expires >= day
    ]


_default: dict[tuple[str, str], Assessor] = {}
_default_lock = threading.Lock()


def default_assessor(rules: str | Path | None = None) -> Assessor:
    """One shared assessor per rule base (created on first use, under a lock)."""
    rulebase = load_rulebase(rules)
    key = (rulebase.root, rulebase.sha256)
    with _default_lock:
        assessor = _default.get(key)
        if assessor is None:
            assessor = Assessor(rulebase)
            _default[key] = assessor
    return assessor


def assess(
    product: ProductInput,
    jurisdictions: Sequence[str] | None = None,
    as_of: _dt.date | None = None,
    *,
    rules: str | Path | None = None,
) -> Assessment:
    """Assess ``product`` (a path, a mapping, a ``Product`` or a ``LoadedProduct``).

    ``jurisdictions`` defaults to the product's own list, else every jurisdiction of the rule
    base; ``as_of`` (the day whose law applies) defaults to today; ``rules`` is a rule-base
    directory (default: the one shipped with pathway).
    """
    return default_assessor(rules).assess(product, jurisdictions, as_of)
