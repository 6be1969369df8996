"""What the rules of each period can reach: the derived values they can produce, and from that
the rules that can never fire, the facts nobody can produce or nobody reads, and the rules that
can give one fact two values on the same product.

The analysis is made per jurisdiction and per period in which the same rules (and vocabulary
values) are in force: within a period, a derived value is producible when some rule setting it
has an alternative whose tests can hold with producible values (a fixpoint); a derived fact no
rule in force sets but that has a question can take any value (an expert answers it with a
determination).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from ..errors import Location
from ..rulebase.conditions import All, Conjunction, dnf, facts_of
from ..rulebase.model import Period, Rule, RuleBase, effective_condition
from ..text import word
from .checks import Finding, at, finding
from .satisfiability import Satisfier
from .witness import Producible, Witness

MAX_ALTERNATIVES = 4096


@dataclass
class PeriodAnalysis:
    period: Period
    alternatives: dict[str, list[Conjunction] | None]  # rule id -> DNF (None: too large)
    producible: dict[str, frozenset[Any]] = field(default_factory=dict)

    @property
    def day(self) -> _dt.date:
        """A day of the period: the vocabularies' values are the same on every one of them."""
        assert self.period.start is not None  # periods with rules have a first day
        return self.period.start


class Reachability:
    def __init__(self, rb: RuleBase) -> None:
        self.rb = rb
        self.sat = Satisfier(rb)
        self._dnf: dict[tuple[str, tuple[str, ...]], list[Conjunction] | None] = {}
        self.analyses = [self.analyse(p) for code in rb.jurisdictions for p in rb.periods(code)]

    def alternatives(self, rule: Rule, earlier: tuple[Rule, ...]) -> list[Conjunction] | None:
        key = (rule.id, tuple(r.id for r in earlier))
        if key not in self._dnf:
            try:
                self._dnf[key] = dnf(
                    effective_condition(rule, earlier), self.rb.domain, MAX_ALTERNATIVES
                )
            except ValueError:
                self._dnf[key] = None
        return self._dnf[key]

    def analyse(self, period: Period) -> PeriodAnalysis:
        alternatives = {r.id: self.alternatives(r, period.earlier(r)) for r in period.rules}
        analysis = PeriodAnalysis(period, alternatives)
        analysis.producible = self.fixpoint(analysis)
        return analysis

    def fixpoint(self, analysis: PeriodAnalysis) -> dict[str, frozenset[Any]]:
        derive = [r for r in analysis.period.rules if r.kind == "derive"]
        set_here = {r.fact for r in derive}
        found: dict[str, set[Any]] = {}
        for name, definition in self.rb.facts.items():
            if definition.origin == "derived" and name not in set_here and definition.question:
                found[name] = set(definition.values or ())  # asked: an expert answers it
        changed = True
        while changed:
            changed = False
            view = {k: frozenset(v) for k, v in found.items()}
            for rule in derive:
                assert rule.fact is not None
                if rule.value in found.get(rule.fact, ()):
                    continue
                if self.can_hold(analysis.alternatives[rule.id], view, analysis.day):
                    found.setdefault(rule.fact, set()).add(rule.value)
                    view = {**view, rule.fact: frozenset(found[rule.fact])}
                    changed = True
        return {k: frozenset(v) for k, v in found.items()}

    def can_hold(
        self,
        alternatives: list[Conjunction] | None,
        producible: Producible | None,
        day: _dt.date,
    ) -> bool:
        if alternatives is None:
            return True  # too large to analyse: assume it can
        return any(self.sat.witness(c, producible, day) is not None for c in alternatives)

    # ---------------------------------------------------------------------- checks

    def readers(self) -> dict[str, list[Rule]]:
        out: dict[str, list[Rule]] = {}
        for rule in self.rb.rules:
            for name in sorted(rule.reads()):
                out.setdefault(name, []).append(rule)
        return out

    def fact_checks(self) -> list[Finding]:
        readers = self.readers()
        setters: dict[str, list[Rule]] = {}
        for rule in self.rb.rules:
            if rule.kind == "derive" and rule.fact:
                setters.setdefault(rule.fact, []).append(rule)
        roots = {
            f
            for j in self.rb.jurisdictions.values()
            for f in (j.pathway_fact, j.classification_fact, *j.reports)
        }
        out = []
        for name, definition in self.rb.facts.items():
            read_by = readers.get(name, [])
            if definition.origin == "derived" and read_by and name not in setters:
                if not definition.question:
                    out.append(
                        finding(
                            "lint.unproduced-fact",
                            [r.id for r in read_by],
                            at(read_by[0]),
                            f"{name} is read by {', '.join(r.id for r in read_by)} but no rule "
                            "sets it and it has no question (add the rules that derive it, or a "
                            "question an expert can answer with a determination)",
                        )
                    )
            elif definition.origin == "derived" and not read_by and name not in roots:
                if name in setters:
                    where = definition.source
                    out.append(
                        finding(
                            "lint.unread-fact",
                            [r.id for r in setters[name]],
                            Location(where.file, where.line) if where else None,
                            f"{name} is set by {', '.join(r.id for r in setters[name])} but no "
                            "rule reads it and it is no jurisdiction's pathway, classification or reported "
                            "fact",
                        )
                    )
            elif definition.origin == "projection" and read_by and not self.valued(name):
                out.append(
                    finding(
                        "lint.unproduced-fact",
                        [r.id for r in read_by],
                        at(read_by[0]),
                        f"{name} is read by {', '.join(r.id for r in read_by)} but no term of "
                        "its vocabulary gives that attribute a value and it has no default",
                    )
                )
        return out

    def valued(self, projection: str) -> bool:
        base = self.rb.facts[projection].depends_on[0]
        vocab = self.rb.vocabulary_for(base)
        if vocab is None:
            return True
        attr = vocab.attributes[projection[len(base) + 1 :]]
        return bool(attr.member_of or attr.default is not None or attr.terms)

    def never_fires(self) -> list[Finding]:
        fires: set[str] = set()
        for analysis in self.analyses:
            for rule in analysis.period.rules:
                if rule.id not in fires and self.can_hold(
                    analysis.alternatives[rule.id], analysis.producible, analysis.day
                ):
                    fires.add(rule.id)
        out = []
        for rule in self.rb.rules:
            if rule.id in fires:
                continue
            reason, involved = self.why_never(rule)
            out.append(
                finding(
                    "lint.never-fires",
                    [rule.id, *involved],
                    at(rule),
                    f"{rule.id} can never fire: {reason}",
                )
            )
        return out

    def why_never(self, rule: Rule) -> tuple[str, list[str]]:
        mine = [a for a in self.analyses if rule in a.period.rules]
        first = mine[0]
        own = self.alternatives(rule, ())
        if own is not None and not any(self.can_hold(own, None, a.day) for a in mine):
            tested = ", ".join(sorted(facts_of(rule.when)))
            return f"no product passes every test of its condition (it tests {tested})", []
        alternatives = first.alternatives[rule.id] or []
        when = "" if len(mine) == 1 else " on any day it is in force"
        if not self.can_hold(alternatives, None, first.day):
            earlier = first.period.earlier(rule)
            blocking = [
                e.id
                for e in earlier
                if any(
                    self.sat.witness(c, None, first.day) is not None
                    for c in dnf(All((rule.when, e.when)), self.rb.domain, MAX_ALTERNATIVES)
                )
            ]
            return (
                f"whenever its condition holds, an earlier case of decision {rule.decision} "
                f"holds first ({', '.join(blocking) or 'together'}){when}",
                blocking,
            )
        missing: dict[str, list[Any]] = {}
        for conj in alternatives:
            for fact, values in self.sat.missing(conj, first.producible):
                missing.setdefault(fact, [])
                missing[fact] += [v for v in values if v not in missing[fact]]
        needs = "; ".join(
            f"{fact} = {' or '.join(word(v) for v in values)}" for fact, values in missing.items()
        )
        return (
            f"it needs {needs or 'derived values'}, which no rule in force produces "
            f"(from {first.period}){when}",
            [],
        )

    def overlaps(self) -> list[Finding]:
        out = []
        reported: set[tuple[str, str]] = set()
        for analysis in self.analyses:
            by_fact: dict[str, list[Rule]] = {}
            for rule in analysis.period.rules:
                if rule.kind == "derive" and rule.fact:
                    by_fact.setdefault(rule.fact, []).append(rule)
            for fact, rules in by_fact.items():
                if self.rb.facts[fact].on_conflict == "contradiction":
                    continue
                for i, a in enumerate(rules):
                    for b in rules[i + 1 :]:
                        if a.value == b.value or (a.decision and a.decision == b.decision):
                            continue
                        if (a.id, b.id) in reported:
                            continue
                        witness = self.together(analysis, a, b)
                        if witness is None:
                            continue
                        reported.add((a.id, b.id))
                        out.append(self.overlap_finding(analysis.period, fact, a, b, witness))
        return out

    def together(self, analysis: PeriodAnalysis, a: Rule, b: Rule) -> Witness | None:
        first, second = analysis.alternatives[a.id], analysis.alternatives[b.id]
        if first is None or second is None:
            return None
        for ca in first:
            for cb in second:
                for joint in dnf(All((*ca, *cb)), self.rb.domain):
                    witness = self.sat.witness(joint, analysis.producible, analysis.day)
                    if witness is not None and witness.exact:
                        return witness
        return None

    def overlap_finding(self, period: Period, fact: str, a: Rule, b: Rule, w: Witness) -> Finding:
        tested = sorted(facts_of(a.when) | facts_of(b.when))
        inputs = [f for f in w.values if f not in tested and self.rb.facts[f].origin == "input"]
        shown = w.shown([*tested, *inputs])
        words = ", ".join(
            f"{name} = {value}" + (" (derived)" if self.rb.facts[name].origin == "derived" else "")
            for name, value in shown
        )
        return finding(
            "lint.overlap",
            [a.id, b.id],
            at(a),
            f"{fact} would be {word(a.value)} by {a.id} and {word(b.value)} by "
            f"{b.id} ({b.source}) on a product with {words} (both in force from {period}); "
            "the assessment of such a product fails",
            shown,
        )
