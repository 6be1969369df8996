"""A small pure-Python evaluator of the same rule objects: the engine's test oracle.

It shares nothing with the durable_rules compiler but the loaded rules: conditions are evaluated
as trees with Kleene logic (no normal forms), decision lists as ordered cases (a case holds when
its condition is true and every earlier case is *known* false), lists with their open/closed
semantics (no flattening). It repeats passes until nothing new is derived: rules are monotone,
so the result does not depend on the order of passes.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from ..facts import FactView
from ..rulebase.conditions import evaluate
from ..rulebase.model import Rule, RuleBase
from ..values import UNKNOWN
from .result import Evaluation, Recorder


class Oracle:
    name = "oracle"

    def __init__(self, rulebase: RuleBase) -> None:
        self.rulebase = rulebase

    def evaluate(
        self,
        jurisdiction: str,
        facts: FactView,
        as_of: _dt.date,
        determinations: Iterable[tuple[str, Any]] = (),
    ) -> Evaluation:
        period = self.rulebase.period(jurisdiction, as_of)
        rules = period.rules
        recorder = Recorder(self.rulebase, jurisdiction)
        recorder.determine(determinations)

        def lookup(name: str) -> Any:
            if name in recorder.derived:
                return recorder.derived[name]
            return facts.get(name) if self.rulebase.facts[name].origin != "derived" else UNKNOWN

        def holds(rule: Rule) -> bool:
            for case in period.earlier(rule):
                if evaluate(case.when, lookup) is not False:
                    return False
            return evaluate(rule.when, lookup) is True

        done: set[str] = set()
        changed = True
        while changed:
            changed = False
            for rule in rules:
                if rule.id in done or not holds(rule):
                    continue
                done.add(rule.id)
                changed = True
                if rule.kind == "derive":
                    recorder.derive(rule)
                elif rule.kind == "option":
                    recorder.offer(rule)
                else:
                    recorder.note(rule)
        for rule in rules:
            if rule.kind == "option" and rule.id in done and rule.eligible_when is not None:
                eligible = evaluate(rule.eligible_when, lookup)
                if eligible is not None:
                    recorder.eligible(rule, eligible)
        return recorder.result()
