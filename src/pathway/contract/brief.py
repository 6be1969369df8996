"""A briefing draft (``pathway brief --format json``): a regulator's request, its sections in the
regulator's order (``rules/briefs/``), pre-filled from the product file and the assessment.

Each line is one of: a ``statement`` of the product file (with its location), a ``finding``,
``conclusion``, ``obligation`` or ``option`` of the assessment (each with its rule and legal
sources), a ``note``, an ``open`` item (a fact still unknown, with its question), a ``fill``
(what only the sponsor can write: names, addresses, study results), or ``info``
(what the draft says of itself: a section that does not apply, a fact the rules did not need).
A brief never claims more than the assessment: the proposed classification is the sponsor's
proposal, and what the assessment leaves open is an open item.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import Field

from .assessment import CitationOut, Out, ProductRef, RulebaseRef, SourceLocation, Value

LineKind = Literal[
    "statement", "finding", "conclusion", "obligation", "option", "note", "open", "fill", "info"
]
CLAIMS: frozenset[str] = frozenset({"finding", "conclusion", "obligation", "option", "note"})


class BriefLine(Out):
    kind: LineKind
    text: str
    fact: str | None = None
    value: Value | list[Value] | None = None
    rule: str | None = Field(default=None, description="the rule or obligation id behind a claim")
    because: list[str] = Field(default_factory=list)
    location: SourceLocation | None = Field(
        default=None, description="a statement: where the product file says it"
    )
    citations: list[CitationOut] = Field(
        default_factory=list, description="a claim: its legal sources (never empty)"
    )
    open_item: int | None = Field(default=None, description="the number of the open item")


class BriefSection(Out):
    id: str
    title: str
    asks: str = Field(description="what the regulator asks for in this section")
    sources: list[CitationOut] = Field(description="where the regulator names this section")
    applies: bool = Field(
        description="false: the section is for another outcome than this product's candidates"
    )
    lines: list[BriefLine]


class OpenItem(Out):
    number: int
    fact: str
    question: str
    why: str
    answers: list[Value] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    citations: list[CitationOut] = Field(default_factory=list)


class Brief(Out):
    format: Literal[1] = 1
    target: str
    title: str
    regulator: str
    purpose: str
    submit: str
    jurisdiction: str
    jurisdiction_name: str
    product: ProductRef
    rulebase: RulebaseRef
    as_of: _dt.date
    status: Literal["determined", "undetermined"]
    pathway: str | None
    pathway_title: str | None
    classification: str | None
    classification_title: str | None
    candidates: list[str]
    classification_candidates: list[str] = Field(
        default_factory=list, description="the classifications still possible while it is open"
    )
    sources: list[CitationOut] = Field(description="the regulator's published structure")
    sections: list[BriefSection]
    open_items: list[OpenItem]
    disclaimer: str
