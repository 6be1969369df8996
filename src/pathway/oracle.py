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

from .evaluation import Evaluation, Recorder
from .facts import FactView
from .rulebase.conditions import UNKNOWN, evaluate
from .rulebase.model import Rule, RuleBase


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
        rules = self.rulebase.active_rules(jurisdiction, as_of)
        recorder = Recorder(self.rulebase, jurisdiction)
        recorder.determine(determinations)
        cases: dict[str, list[Rule]] = {}
        for rule in rules:
            if rule.decision:
                cases.setdefault(rule.decision, []).append(rule)

        def lookup(name: str) -> Any:
            if name in recorder.derived:
                return recorder.derived[name]
            return facts.get(name) if self.rulebase.facts[name].origin != "derived" else UNKNOWN

        def holds(rule: Rule) -> bool:
            if rule.decision:
                for case in cases[rule.decision]:
                    if case.case == rule.case:
                        break
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
