"""The lint checks, by stable id, and the findings they make.

Each check has an id (``lint.<name>``) that CI suppressions and audit logs refer to, a severity,
and who makes it: the loader (a refusal carries the check id, ``RuleBaseError.check``), the lint
analyses, or both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import Location, RuleBaseError
from ..rulebase.model import Rule

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Check:
    id: str
    severity: Severity
    made_by: Literal["loader", "lint", "loader and lint"]
    title: str


CHECKS: dict[str, Check] = {
    c.id: c
    for c in (
        Check("lint.load", "error", "loader", "the rule base does not load (another defect)"),
        Check("lint.duplicate-id", "error", "loader", "an id is used twice"),
        Check("lint.no-citation", "error", "loader", "a rule or case cites no legal source"),
        Check("lint.no-url", "error", "loader", "a citation has no public URL"),
        Check(
            "lint.supersedes-dates",
            "error",
            "loader",
            "a superseding rule overlaps the rule it replaces or leaves a gap after it",
        ),
        Check(
            "lint.unproduced-fact",
            "error",
            "loader and lint",
            "a fact is read but nothing sets it and no question asks it",
        ),
        Check(
            "lint.unread-fact",
            "warning",
            "lint",
            "a derived fact is set but never read (and is no pathway or classification)",
        ),
        Check("lint.never-fires", "error", "loader and lint", "a rule can never fire"),
        Check(
            "lint.overlap",
            "error",
            "lint",
            "two rules give one fact different values on the same product",
        ),
        Check(
            "lint.unverified-decides",
            "error",
            "lint",
            "a rule or vocabulary value resting only on unverified sources can lead to a "
            "pathway without premarket review",
        ),
    )
}


@dataclass(frozen=True)
class Finding:
    check: str  # a key of CHECKS
    severity: Severity
    rules: tuple[str, ...]
    location: Location | None
    message: str
    counterexample: tuple[tuple[str, str], ...] = ()  # (fact, value in words)

    def data(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "severity": self.severity,
            "rules": list(self.rules),
            "file": self.location.file if self.location else None,
            "line": self.location.line if self.location else None,
            "message": self.message,
            "counterexample": dict(self.counterexample) if self.counterexample else None,
        }


def finding(
    check: str,
    rules: Iterable[str],
    location: Location | None,
    message: str,
    counterexample: tuple[tuple[str, str], ...] = (),
) -> Finding:
    return Finding(
        check,
        CHECKS[check].severity,
        tuple(rules),
        location,
        " ".join(message.split()),
        counterexample,
    )


def load_error(err: RuleBaseError) -> Finding:
    """The loader's refusal as a finding of its check (``lint.load`` when it names none)."""
    message = f"{err.field}: {err.message}" if err.field else err.message
    return finding(err.check or "lint.load", err.rules, err.location, message)


def at(rule: Rule) -> Location:
    return Location(rule.source.file, rule.source.line)
