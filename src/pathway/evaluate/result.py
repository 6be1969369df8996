"""What one evaluation of one jurisdiction produced, and the recorder both evaluators share.

The durable_rules engine (``durable.session``) and the pure-Python oracle (``oracle``) drive the
same ``Recorder``: a rule that fires reports here; the recorder keeps the first value derived for each
fact, the rules supporting it, determinations (expert overrides), rules they overrode, options
and their eligibility, and conflicts. Engine and oracle must produce equal ``Evaluation``s.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import ContradictionError, EngineError
from ..facts import FactView
from ..rulebase.model import Rule, RuleBase
from ..text import word


@dataclass(frozen=True)
class Conflict:
    fact: str
    first_value: Any
    first_rule: str
    second_value: Any
    second_rule: str


@dataclass(frozen=True)
class Evaluation:
    jurisdiction: str
    derived: dict[str, Any]
    support: dict[str, tuple[str, ...]]  # fact -> rules that derived its value, rule-base order
    determined: dict[str, Any]  # facts set by an expert determination
    overridden: tuple[str, ...]  # rules whose different conclusion a determination replaced
    fired: frozenset[str]  # every rule whose condition held
    options: dict[str, bool | None]  # offered option -> eligible (None: undetermined)

    def comparable(self) -> tuple[Any, ...]:
        """What engine and oracle must agree on."""
        return (
            self.derived,
            {k: tuple(sorted(v)) for k, v in self.support.items()},
            self.determined,
            tuple(sorted(self.overridden)),
            self.fired,
            self.options,
        )


@dataclass
class Recorder:
    rulebase: RuleBase
    jurisdiction: str
    derived: dict[str, Any] = field(default_factory=dict)
    support: dict[str, list[str]] = field(default_factory=dict)
    determined: dict[str, Any] = field(default_factory=dict)
    overridden: list[str] = field(default_factory=list)
    fired: set[str] = field(default_factory=set)
    options: dict[str, bool | None] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def determine(self, determinations: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
        """Apply expert determinations for this jurisdiction; returns those applied."""
        applied = []
        for fact, value in determinations:
            definition = self.rulebase.facts.get(fact)
            if definition is None or definition.jurisdiction not in (self.jurisdiction, "common"):
                continue
            self.determined[fact] = value
            self.derived[fact] = value
            applied.append((fact, value))
        return applied

    def derive(self, rule: Rule) -> bool:
        """Record that ``rule`` fired. True when its fact is new and must be asserted."""
        self.fired.add(rule.id)
        fact, value = rule.fact, rule.value
        assert fact is not None
        if fact in self.determined:
            if value != self.determined[fact]:
                if rule.id not in self.overridden:
                    self.overridden.append(rule.id)
            else:
                self._support(fact, rule.id)
            return False
        if fact not in self.derived:
            self.derived[fact] = value
            self._support(fact, rule.id)
            return True
        if self.derived[fact] == value:
            self._support(fact, rule.id)
        else:
            first = self.support[fact][0]
            if not any(c.second_rule == rule.id and c.fact == fact for c in self.conflicts):
                self.conflicts.append(Conflict(fact, self.derived[fact], first, value, rule.id))
        return False

    def _support(self, fact: str, rule_id: str) -> None:
        rules = self.support.setdefault(fact, [])
        if rule_id not in rules:
            rules.append(rule_id)

    def note(self, rule: Rule) -> None:
        self.fired.add(rule.id)

    def offer(self, rule: Rule) -> None:
        self.fired.add(rule.id)
        self.options.setdefault(rule.id, None)

    def eligible(self, rule: Rule, value: bool) -> None:
        self.fired.add(rule.id)
        self.options[rule.id] = value

    def result(self) -> Evaluation:
        if self.errors:
            raise EngineError("rule action failed: " + "; ".join(self.errors))
        for conflict in self.conflicts:
            definition = self.rulebase.facts[conflict.fact]
            message = (
                f"{conflict.fact} would be {word(conflict.first_value)} by rule {conflict.first_rule} "
                f"and {word(conflict.second_value)} by rule {conflict.second_rule}"
            )
            if definition.on_conflict == "contradiction":
                raise ContradictionError(
                    (definition.conflict_message + ": " if definition.conflict_message else "")
                    + message,
                    file="<product>",
                    field=conflict.fact,
                )
            raise EngineError(f"the rule base is inconsistent: {message}")
        order = self.rulebase.rule_order
        return Evaluation(
            jurisdiction=self.jurisdiction,
            derived=dict(self.derived),
            support={f: tuple(sorted(rs, key=order.__getitem__)) for f, rs in self.support.items()},
            determined=dict(self.determined),
            overridden=tuple(sorted(self.overridden, key=order.__getitem__)),
            fired=frozenset(self.fired),
            options=dict(self.options),
        )


class Evaluator(Protocol):
    """What the assessor needs of an evaluator: the engine and the oracle both are one."""

    name: str

    def evaluate(
        self,
        jurisdiction: str,
        facts: FactView,
        as_of: _dt.date,
        determinations: Iterable[tuple[str, Any]] = (),
    ) -> Evaluation: ...
