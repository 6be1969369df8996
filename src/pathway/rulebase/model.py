"""The loaded, validated rule base: plain frozen objects the engine, oracle and reports share."""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import InputError
from .briefs import BriefTemplate
from .concepts import Concept
from .conditions import All, Condition, Not, facts_of, leaves, nnf
from .references import Citation, Effective, Source
from .vocabulary import Vocabulary, vocabulary_for

RuleKind = Literal["derive", "obligation", "option", "note"]
FactType = Literal["bool", "enum", "term", "list", "date", "text"]
TEMPLATE = re.compile(r"\{([a-z0-9_.]+)\}")  # a product fact named in a title, filled in reports


@dataclass(frozen=True)
class FactDef:
    name: str
    type: FactType
    origin: Literal["input", "projection", "derived"]
    values: tuple[Any, ...] | None = None  # finite domain (items, for lists)
    vocabulary: str | None = None
    title: str | None = None
    question: str | None = None
    help: str | None = None
    jurisdiction: str | None = None
    on_conflict: Literal["error", "contradiction"] = "error"
    conflict_message: str | None = None
    depends_on: tuple[str, ...] = ()  # projections: the input facts their value comes from
    when_unknown: tuple[str, tuple[Citation, ...]] | None = None  # the regulator's default
    source: Source | None = None

    @property
    def is_list(self) -> bool:
        return self.type == "list"


@dataclass(frozen=True)
class Due:
    """A deadline: the date in ``fact`` plus the offset (a 29 February falls back to the 28th)."""

    fact: str
    years: int = 0
    months: int = 0
    days: int = 0
    latest: bool = False  # the latest date the law allows; the product's own may come sooner
    years_from: str | None = None  # a fact giving a number of years, added to ``years``

    def __str__(self) -> str:
        parts = [
            f"{n} {unit}{'s' if n != 1 else ''}"
            for n, unit in ((self.years, "year"), (self.months, "month"), (self.days, "day"))
            if n
        ]
        if self.years_from:
            parts.insert(0, f"{self.years_from} years" + (" +" if parts else ""))
        words = f"{' '.join(parts)} after {self.fact}" if parts else f"by {self.fact}"
        return words + (" at the latest" if self.latest else "")

    def date(self, start: _dt.date, extra_years: int = 0) -> _dt.date:
        """``start`` plus the offset (and ``extra_years``, the value of ``years_from``)."""
        month_index = start.month - 1 + self.months + 12 * (self.years + extra_years)
        year, month = start.year + month_index // 12, month_index % 12 + 1
        day = start.day
        while True:
            try:
                moved = _dt.date(year, month, day)
                break
            except ValueError:
                day -= 1
        return moved + _dt.timedelta(days=self.days)


@dataclass(frozen=True)
class Rule:
    """One rule: a condition and what follows when it is definitely true.

    ``kind`` says what follows: ``derive`` sets ``fact`` to ``value``; ``obligation``, ``option``
    and ``note`` add an item to the jurisdiction's report. A case of a decision list is a derive
    rule with ``decision`` set: it applies only when every earlier case is known not to.
    """

    id: str
    title: str
    kind: RuleKind
    jurisdiction: str
    when: Condition
    citations: tuple[Citation, ...]
    effective: Effective
    source: Source
    index: int  # position in the rule base (report order)
    fact: str | None = None
    value: Any = None
    description: str | None = None
    law: str | None = None
    supersedes: str | None = None
    decision: str | None = None
    case: int | None = None
    timing: str | None = None
    eligible_when: Condition | None = None
    due: tuple[Due, ...] = ()  # alternatives: the first whose date the product gives

    def reads(self) -> set[str]:
        """Every fact the rule's conditions test (``when`` and, for an option, ``eligible_when``)."""
        found = facts_of(self.when)
        if self.eligible_when is not None:
            found |= facts_of(self.eligible_when)
        return found


@dataclass(frozen=True)
class Decision:
    """An ordered list of cases for one fact: the first case whose condition holds decides."""

    id: str
    title: str
    fact: str
    jurisdiction: str
    cases: tuple[str, ...]  # rule ids, in order
    source: Source


@dataclass(frozen=True)
class Pathway:
    id: str
    title: str
    premarket_review: bool | None
    description: str | None = None


@dataclass(frozen=True)
class Classification:
    id: str
    title: str
    premarket_review: bool | None = None


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    authority: str
    pathway_fact: str
    classification_fact: str | None
    pathways: dict[str, Pathway]
    classifications: dict[str, Classification]
    source: Source
    original_name: str | None = None
    reports: tuple[str, ...] = ()  # derived facts reported beside the classification


@dataclass(frozen=True)
class Period:
    """The days on which the same rules of one jurisdiction are in force, and those rules.

    A decision case applies only when every earlier case of its decision is known not to, so a
    period also knows each decision's cases in force, in order (``cases``, ``earlier``)."""

    jurisdiction: str
    start: _dt.date | None  # None: before any rule of the rule base is in force
    end: _dt.date | None  # last day, inclusive; None: still in force
    rules: tuple[Rule, ...]
    cases: dict[str, tuple[Rule, ...]] = field(default_factory=dict, hash=False, compare=False)

    def earlier(self, rule: Rule) -> tuple[Rule, ...]:
        """The cases of ``rule``'s decision that come before it (none for a plain rule)."""
        if not rule.decision:
            return ()
        cases = self.cases.get(rule.decision, ())
        return tuple(c for c in cases if (c.case or 0) < (rule.case or 0))

    def covers(self, day: _dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def __str__(self) -> str:
        start = self.start.isoformat() if self.start else "the beginning"
        return f"{start} to {self.end.isoformat() if self.end else 'today'}"


@dataclass(frozen=True)
class RuleBase:
    name: str
    version: str
    sha256: str
    root: str
    jurisdictions: dict[str, Jurisdiction]
    facts: dict[str, FactDef]
    vocabularies: dict[str, Vocabulary]
    rules: tuple[Rule, ...]
    decisions: dict[str, Decision]
    citations: dict[str, Citation]
    files: tuple[str, ...]
    briefs: dict[str, BriefTemplate] = field(default_factory=dict)
    concepts: tuple[Concept, ...] = ()

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the rule base, not the caches its methods keep beside it."""
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def _cache(self, name: str, factory: Any) -> Any:
        found = self.__dict__.get(name)
        if found is None:
            found = factory()
            object.__setattr__(self, name, found)
        return found

    # ------------------------------------------------------------------ rules in force

    def rule(self, rule_id: str) -> Rule:
        """The rule with id ``rule_id`` (``KeyError`` if there is none)."""
        return self._cache("_by_id", lambda: {r.id: r for r in self.rules})[rule_id]  # type: ignore[no-any-return]

    def rules_for(self, jurisdiction: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.jurisdiction in (jurisdiction, "common"))

    def boundaries(self) -> list[_dt.date]:
        """Every day on which some rule, or some vocabulary value, starts or stops being in
        force, sorted: between two of them the same law applies."""
        found = self.__dict__.get("_bounds")
        if found is None:
            days = {r.effective.start for r in self.rules}
            days |= {r.effective.end + _dt.timedelta(days=1) for r in self.rules if r.effective.end}
            for vocab in self.vocabularies.values():
                for attr in vocab.attributes.values():
                    days |= attr.boundaries()
            found = sorted(days)
            object.__setattr__(self, "_bounds", found)
        return found

    def vocabulary_epoch(self, as_of: _dt.date) -> int:
        """Which interval between two vocabulary boundaries ``as_of`` falls in: equal epochs,
        equal vocabulary values."""
        found = self.__dict__.get("_vocab_bounds")
        if found is None:
            days: set[_dt.date] = set()
            for vocab in self.vocabularies.values():
                for attr in vocab.attributes.values():
                    days |= attr.boundaries()
            found = sorted(days)
            object.__setattr__(self, "_vocab_bounds", found)
        return bisect.bisect_right(found, as_of)

    def epoch(self, as_of: _dt.date) -> int:
        """Which interval between two boundaries ``as_of`` falls in: equal epochs, equal law."""
        return bisect.bisect_right(self.boundaries(), as_of)

    def periods(self, jurisdiction: str) -> list[Period]:
        """The periods of ``jurisdiction`` in date order, consecutive intervals with the same
        rules merged; days on which no rule is in force are left out."""
        return [p for p in self._periods(jurisdiction) if p.rules]

    def period(self, jurisdiction: str, as_of: _dt.date) -> Period:
        """The period of ``jurisdiction`` that ``as_of`` falls in (it may hold no rule)."""
        cache = self._cache("_period", dict)
        key = (jurisdiction, self.epoch(as_of))
        found = cache.get(key)
        if found is None:
            found = next(p for p in self._periods(jurisdiction) if p.covers(as_of))
            cache[key] = found
        return found

    def _periods(self, jurisdiction: str) -> list[Period]:
        cache = self._cache("_all_periods", dict)
        found = cache.get(jurisdiction)
        if found is not None:
            return found
        rules = self.rules_for(jurisdiction)
        one_day = _dt.timedelta(days=1)
        days = self.boundaries()
        out: list[Period] = []
        starts: list[_dt.date | None] = [None, *days]
        for i, day in enumerate(starts):
            end = days[i] - one_day if i < len(days) else None
            probe = day if day is not None else (days[0] - one_day if days else _dt.date.min)
            active = tuple(r for r in rules if r.effective.covers(probe))
            if out and [r.id for r in out[-1].rules] == [r.id for r in active]:
                last = out[-1]
                out[-1] = Period(jurisdiction, last.start, end, last.rules, last.cases)
            else:
                cases = {k: tuple(v) for k, v in decision_order(active).items()}
                out.append(Period(jurisdiction, day, end, active, cases))
        cache[jurisdiction] = out
        return out

    def active_rules(self, jurisdiction: str, as_of: _dt.date) -> tuple[Rule, ...]:
        """The rules of ``jurisdiction`` in force on ``as_of``."""
        return self.period(jurisdiction, as_of).rules

    # ------------------------------------------------------------------ conditions

    def normal(self, rule: Rule, earlier: Iterable[Rule] = ()) -> Condition:
        """The rule's condition (for a decision case, with the ``earlier`` cases ruled out) in
        negation normal form, computed once."""
        earlier = tuple(earlier)
        cache = self._cache("_normal", dict)
        key = (rule.id, tuple(e.id for e in earlier))
        found = cache.get(key)
        if found is None:
            found = nnf(effective_condition(rule, earlier), self.domain)
            cache[key] = found
        return found

    @property
    def rule_order(self) -> dict[str, int]:
        """Rule id -> its position in the rule base."""
        found = self.__dict__.get("_order")
        if found is None:
            found = {r.id: r.index for r in self.rules}
            object.__setattr__(self, "_order", found)
        return found

    def domain(self, fact: str) -> tuple[Any, ...] | None:
        definition = self.facts.get(fact)
        return definition.values if definition else None

    def vocabulary_for(self, product_field: str) -> Vocabulary | None:
        return vocabulary_for(self.vocabularies, product_field)

    def inputs_of(self, fact: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        """The product fields a fact's value comes from: the fact itself unless it is a
        projection; for a projection, its field, the field refining it, the fields it inherits
        from and the fields behind a list it tests membership in."""
        cache = self._cache("_inputs_of", dict)
        found = cache.get(fact)
        if found is not None:
            return found  # type: ignore[no-any-return]
        definition = self.facts[fact]
        if definition.origin != "projection":
            return frozenset({fact})
        base = definition.depends_on[0]
        vocab = self.vocabulary_for(base)
        out = set(definition.depends_on)
        if vocab is not None and fact not in seen:
            attr = vocab.attributes[fact[len(base) + 1 :]]
            for raw in attr.raw_forms():
                if isinstance(raw, dict) and "inherit_from" in raw:
                    out.add(raw["inherit_from"])
                    inherited = f"{raw['inherit_from']}.{attr.name}"
                    if inherited in self.facts:
                        out |= self.inputs_of(inherited, seen | {fact})
            if attr.member_of:
                out |= self.inputs_of(attr.member_of, seen | {fact})
        result = cache[fact] = frozenset(out)
        return result

    def report_order(self, jurisdiction: str) -> dict[str, int]:
        """Derived facts in reasoning order: from the pathway decision, dependencies first."""
        key = f"_order_{jurisdiction}"
        cached = self.__dict__.get(key)
        if cached is not None:
            return cached
        rules = self.rules_for(jurisdiction)
        order: dict[str, int] = {}
        visiting: set[str] = set()

        def visit(fact: str) -> None:
            if fact in order or fact in visiting:
                return
            visiting.add(fact)
            for rule in rules:
                if rule.fact == fact:
                    for leaf in leaves(rule.when):
                        if self.facts[leaf.fact].origin == "derived":
                            visit(leaf.fact)
            visiting.discard(fact)
            order[fact] = len(order)

        jur = self.jurisdictions.get(jurisdiction)
        roots = [jur.pathway_fact, jur.classification_fact] if jur else []
        for fact in [*roots, *(r.fact for r in rules if r.fact)]:
            if fact:
                visit(fact)
        object.__setattr__(self, key, order)
        return order

    def require_jurisdictions(self, codes: Iterable[str]) -> None:
        """Refuse a jurisdiction code the rule base does not have."""
        for code in codes:
            if code not in self.jurisdictions:
                raise InputError(
                    f"unknown jurisdiction {code!r}; expected one of {', '.join(self.jurisdictions)}",
                    file="--jurisdictions",
                )

    def pathway_ids(self) -> dict[str, str]:
        return {p: j for j, jur in self.jurisdictions.items() for p in jur.pathways}


def effective_condition(rule: Rule, earlier: Iterable[Rule]) -> Condition:
    """A decision case holds when its own condition holds and every earlier case is false."""
    negations = tuple(Not(case.when) for case in earlier)
    if not negations:
        return rule.when
    return All((*negations, rule.when))


def decision_order(rules: Iterable[Rule]) -> dict[str, list[Rule]]:
    """Cases of each decision among ``rules``, in order."""
    out: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.decision:
            out.setdefault(rule.decision, []).append(rule)
    for cases in out.values():
        cases.sort(key=lambda r: r.case or 0)
    return out
