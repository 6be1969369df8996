"""What ``pathway check`` reports: one ``CheckResult`` per product and jurisdiction, the products
that could not be read, a summary, and the exit-code policy (``CheckReport.exit_code``)."""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import Field

from ...contract.assessment import (
    CitationOut,
    Out,
    RulebaseRef,
    SourceLocation,
    Transition,
    absent,
)
from ...errors import ExitCode

FailOn = Literal["undetermined", "unchecked", "transition"]
Status = Literal["pass", "fail", "undetermined", "unchecked"]
UNDETERMINED = "undetermined"


class RelatedLocation(Out):
    location: SourceLocation
    message: str


class CheckResult(Out):
    file: str
    product: str
    jurisdiction: str
    status: Status
    failed: bool
    expected: str | None = Field(description="a pathway id or 'undetermined'; null: none")
    expected_from: Literal["expect", "baseline"] | None = None
    actual: str = Field(description="the pathway id, or 'undetermined'")
    rule: str = Field(description="the rule that concluded the pathway (or the pathway decision)")
    title: str = Field(description="what the rule says")
    message: str
    location: SourceLocation | None = None
    related: list[RelatedLocation] = Field(default_factory=list)
    would_match: list[str] = Field(
        default_factory=list,
        description="single changes to the product that would give the expected pathway",
    )
    questions: list[str] = Field(
        default_factory=list, description="undetermined: the facts that would decide it"
    )
    citations: list[CitationOut] = Field(
        default_factory=list, description="the legal sources of the concluding rule"
    )


class ProductTransition(Transition):
    """A change ahead for one product (``--horizon``); ``failed`` with ``--fail-on
    transition``."""

    file: str
    product: str
    failed: bool = False
    location: SourceLocation | None = None


class CheckError(Out):
    """A product that could not be assessed (bad input)."""

    file: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    message: str


class RulebaseChange(Out):
    baseline: RulebaseRef
    current: RulebaseRef


class CheckSummary(Out):
    products: int
    checks: int
    passed: int
    failed: int
    undetermined: int
    unchecked: int
    errors: int
    rulebase_changed: RulebaseChange | None = Field(
        default=None, description="the baseline was written with another rule base"
    )
    transitions: int | None = Field(
        default=None, exclude_if=absent, description="with --horizon: the changes ahead"
    )


class CheckReport(Out):
    format: Literal[1] = 1
    kind: Literal["check"] = "check"
    rulebase: RulebaseRef
    as_of: _dt.date
    fail_on: list[FailOn] = Field(default_factory=list)
    baseline: str | None = None
    summary: CheckSummary
    results: list[CheckResult]
    errors: list[CheckError] = Field(default_factory=list)
    horizon: _dt.date | None = Field(
        default=None, exclude_if=absent, description="with --horizon: the last day looked at"
    )
    transitions: list[ProductTransition] | None = Field(
        default=None,
        exclude_if=absent,
        description="with --horizon: each product's changes ahead, in date order",
    )

    @property
    def exit_code(self) -> int:
        """2 if a product could not be assessed, else 1 if a check (or, with ``--fail-on
        transition``, a change ahead) failed, else 0."""
        if self.errors:
            return ExitCode.BAD_INPUT
        failed = any(r.failed for r in self.results) or any(
            t.failed for t in self.transitions or ()
        )
        return ExitCode.CHECK_FAILED if failed else ExitCode.OK
