"""``pathway rules lint``: analyses of a loaded rule base, as typed findings.

The loader refuses what makes a rule base unusable (each refusal names its check, see
``CHECKS``); ``lint`` is a pure function over a base that loaded and finds what only an analysis
of the whole base shows:

* ``lint.unproduced-fact``: a derived fact some rule reads that no rule sets and that has no
  question (nobody can answer it), or a vocabulary projection no term gives a value;
* ``lint.unread-fact`` (a warning): a derived fact rules set and no rule reads, other than a
  jurisdiction's pathway or classification fact;
* ``lint.never-fires``: a rule whose condition no product passes (over the finite domains of its
  facts, vocabulary projections following their terms, see ``satisfiability``), a decision case
  that an earlier case always pre-empts, or a rule that needs a derived value no rule in force
  produces (transitively);
* ``lint.overlap``: two derive rules giving one fact different values whose conditions can both
  hold on some product on some day (the conjunction of their alternatives is satisfiable). Cases
  of one decision list are exempt among themselves (the first match wins), and so are facts
  declared ``on_conflict: contradiction`` (the conflict is how a contradictory product is
  refused). The finding gives a counterexample;
* ``lint.unverified-decides``: a rule or a vocabulary value resting only on unverified sources
  that can lead to a pathway without premarket review (``caution``).

The first four come from ``reachability``, an analysis per jurisdiction and period; the check
registry is ``checks``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..rulebase.model import RuleBase
from .caution import unverified_decides
from .checks import CHECKS, Finding, load_error
from .reachability import Reachability

__all__ = ["CHECKS", "Finding", "Report", "lint", "load_error"]


def lint(rb: RuleBase) -> tuple[Finding, ...]:
    """Every finding on ``rb`` (a rule base that loaded), ordered by file and line."""
    reach = Reachability(rb)
    found = [
        *reach.fact_checks(),
        *reach.never_fires(),
        *reach.overlaps(),
        *unverified_decides(rb),
    ]
    return tuple(
        sorted(
            found,
            key=lambda f: (
                f.location.file if f.location else "",
                f.location.line or 0 if f.location else 0,
                f.check,
                f.rules,
            ),
        )
    )


@dataclass(frozen=True)
class Report:
    """What ``pathway rules lint`` reports: the findings, and whether the base loaded."""

    findings: tuple[Finding, ...]
    loaded: bool = True

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def exit_code(self) -> int:
        """0 clean (warnings allowed), 1 findings, 2 the rule base does not load."""
        if not self.loaded:
            return 2
        return 1 if self.errors else 0
