"""What a report needs to know of the rules in force in one jurisdiction and period, computed
once per period and shared by every product assessed in it."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ..contract.assessment import CitationOut
from ..rulebase.conditions import leaves
from ..rulebase.model import Period, Rule, RuleBase
from ..rulebase.references import cite_all


@dataclass(frozen=True)
class Plan:
    period: Period
    by_id: dict[str, Rule]
    read: frozenset[str]  # input facts the rules read (directly or through a vocabulary)
    citations: dict[str, list[CitationOut]]  # rule id -> its citations as the output shows them
    decides_pathway: bool  # some rule in force concludes the pathway

    @property
    def active(self) -> tuple[Rule, ...]:
        return self.period.rules

    @classmethod
    def of(cls, rb: RuleBase, code: str, day: _dt.date) -> Plan:
        period = rb.period(code, day)
        read = {leaf.fact for r in period.rules for leaf in leaves(r.when)}
        read |= {dep for f in list(read) for dep in rb.facts[f].depends_on}
        return cls(
            period=period,
            by_id={r.id: r for r in period.rules},
            read=frozenset(read),
            citations={r.id: cite_all(r.citations) for r in period.rules},
            decides_pathway=any(
                r.fact == rb.jurisdictions[code].pathway_fact for r in period.rules
            ),
        )
