"""The assessment (contract section 2, format 1): what `pathway assess --format json` prints.

Fields are added, never renamed; ``pathway schema assessment`` exports the JSON Schema.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..text import word, words
from .values import AUTHORITY_WORDS

Value = bool | str


class Out(BaseModel):
    """The base of every output model (assessments, questions, what-if, checks): frozen, and no
    field that the model does not declare."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CitationOut(Out):
    ref: str = Field(description="the legal reference: act, regulation, article or section")
    url: str = Field(description="a public URL for the text")
    title: str | None = None
    original_title: str | None = Field(
        default=None, description="the title in the law's own language"
    )
    basis: Literal["primary", "secondary", "unverified"] = Field(
        description="how the rule base checked this citation"
    )


class SourceLocation(Out):
    """A place in the product file: what SARIF and GitHub annotations point at."""

    file: str
    line: int | None = None
    column: int | None = None
    field: str = Field(description="the product field, e.g. 'use.homologous' or 'processing[2]'")


class FactUse(Out):
    """One fact a rule tested, its value, and where that value came from."""

    fact: str
    value: Value | list[Value]
    origin: Literal["product", "default", "vocabulary", "derived", "determination"] = Field(
        description="product: written in the product file; default: the contract's default for "
        "an omitted field; vocabulary: an attribute of a vocabulary term (see term, input); "
        "derived: concluded by other findings (see rules); determination: an expert's call"
    )
    input: str | None = Field(
        default=None, description="vocabulary: the product field whose term gave the value"
    )
    term: str | None = Field(
        default=None, description="the vocabulary term (or list item) the value comes from"
    )
    rules: list[str] = Field(
        default_factory=list, description="derived: the rules that concluded the value"
    )
    location: SourceLocation | None = None
    citations: list[CitationOut] = Field(
        default_factory=list, description="vocabulary: where the term's attribute comes from"
    )
    note: str | None = Field(default=None, description="vocabulary: the term's note on it")
    decided_by: str | None = Field(
        default=None,
        description="determination: who decided and the decision's reference, as the product "
        "file gives them (e.g. 'EMA/CAT classification recommendation, EMA/CAT/123/2024')",
    )

    def describe(self, brief: bool = False) -> str:
        """The fact, its value and where it came from, in words (``brief``: without the origin,
        as a check message lists it)."""
        value = words(self.value) if brief and isinstance(self.value, list) else word(self.value)
        if self.origin == "vocabulary":
            attribute = self.fact.rpartition(".")[2]
            text = f"{self.input} {self.term}: {attribute} = {value}"
            if brief:
                return text
            text += " (vocabulary)"
            return f"{text}; {self.note}" if self.note else text
        if not brief and self.origin == "default":
            return f"{self.fact} = {value} (not given: the contract's default)"
        if not brief and self.origin == "determination":
            by = f": {self.decided_by}" if self.decided_by else ""
            return f"{self.fact} = {value} (expert determination{by})"
        if self.term is not None:
            return f"{self.fact} includes {self.term}"
        return f"{self.fact} = {value}"


class Finding(Out):
    fact: str
    value: Value
    rule: str = Field(description="the stable id of the rule, or 'determination'")
    title: str
    because: list[str]
    citations: list[CitationOut] = Field(min_length=1)
    source: Literal["rule", "determination"] = "rule"
    uses: list[FactUse] = Field(
        default_factory=list,
        description="the facts the rule tested that were true, with values and their origin",
    )
    location: SourceLocation | None = Field(
        default=None, description="determination: the entry in the product file"
    )
    authority: str | None = Field(
        default=None,
        description="determination: who decided (the product file's `authority`, e.g. ema_cat, "
        "fda_trg, fda_rfd, national_competent_authority, pmda)",
    )
    reference: str | None = Field(
        default=None,
        description="determination: the decision's reference (letter, document or "
        "case number, or URL)",
    )

    def determination_tag(self) -> str:
        """ " (expert determination: who, reference)" for a determination; for a rule's finding
        that rests on one, " (rests on the determination of FACT: who, reference)"; else ""."""
        if self.source == "determination":
            parts = [AUTHORITY_WORDS[self.authority]] if self.authority else []
            parts += [self.reference] if self.reference else []
            return f" (expert determination{': ' + ', '.join(parts) if parts else ''})"
        for use in self.uses:
            if use.origin == "determination":
                by = f": {use.decided_by}" if use.decided_by else ""
                return f" (rests on the determination of {use.fact}{by})"
        return ""


class OpenFact(Out):
    """An unknown product fact an obligation depends on, with the question that settles it."""

    fact: str
    question: str


class Obligation(Out):
    id: str
    title: str
    when: str
    due: _dt.date | None = Field(
        default=None, description="a deadline computed from a date in the product file"
    )
    overdue: bool | None = Field(
        default=None,
        description="the due date is already past on the day assessed (`as_of`); null when "
        "there is no due date",
    )
    due_basis: str | None = Field(
        default=None,
        description="how `due` was computed (e.g. '7 years after context.approval_date at the "
        "latest': a statutory maximum the product's own limit may come before)",
    )
    deadline: str | None = Field(
        default=None,
        description="the deadline the law sets, in words (e.g. '7 years after "
        "context.approval_date'); `due` gives the date when the product gives the start",
    )
    description: str | None = None
    citations: list[CitationOut] = Field(min_length=1)
    conditional_on: list[OpenFact] = Field(
        default_factory=list,
        description="the obligation holds only if these unknown product facts are answered one "
        "way (e.g. a foreign party takes part): each with the question that settles it; empty "
        "when it holds as the facts stand",
    )
    across_candidates: bool = Field(
        default=False,
        description="the pathway is still open, and this obligation holds whichever of the "
        "candidate pathways (and classifications) holds",
    )


class Option(Out):
    id: str
    title: str
    eligible: Literal["yes", "no", "undetermined"]
    description: str | None = None
    citations: list[CitationOut] = Field(min_length=1)


class Question(Out):
    fact: str
    question: str
    why: str
    answers: list[Value] = Field(
        default_factory=list, description="the possible answers, when finite"
    )
    rules: list[str] = Field(description="the rules this fact would decide")
    citations: list[CitationOut] = Field(default_factory=list)
    note: str | None = Field(
        default=None, description="what the regulator does while this is unknown"
    )
    item_field: str | None = Field(
        default=None,
        description="the answer is a field of each open item of a list (e.g. combined_with "
        "items' new_safety_concern), not a value of the fact itself",
    )


class Note(Out):
    text: str
    rule: str | None = None
    citations: list[CitationOut] = Field(default_factory=list)


class ReportedFact(Out):
    """A derived fact the jurisdiction reports beside its classification (e.g. Japan's product
    category, its ASRM class)."""

    fact: str
    title: str
    value: Value | None = Field(description="the fact's value; null while it is open")
    candidates: list[Value] = Field(
        default_factory=list,
        description="the values still possible (the value itself when it is determined)",
    )


class JurisdictionResult(Out):
    name: str
    status: Literal["determined", "undetermined"]
    pathway: str | None
    pathway_fact: str | None = Field(
        default=None,
        description="the derived fact that holds the pathway (its finding is the root of the reasoning)",
    )
    title: str | None
    classification: str | None = None
    classification_title: str | None = None
    premarket_review: bool | None = Field(
        default=None,
        description="does the pathway require premarket review; while the pathway is open, "
        "whether every candidate pathway does (true) or none does (false); null: not determined",
    )
    candidates: list[str] = Field(
        default_factory=list,
        description="the pathways still possible once the unknown facts are known (the pathway "
        "itself when it is determined); empty when the rules can conclude no pathway",
    )
    classification_candidates: list[str] = Field(
        default_factory=list,
        description="the classifications still possible (the classification itself when it is "
        "determined)",
    )
    attributes: list[ReportedFact] = Field(
        default_factory=list,
        description="other facts of the classification the jurisdiction reports (e.g. Japan's "
        "product category and ASRM class), determined or with the values still possible",
    )
    findings: list[Finding] = Field(default_factory=list)
    obligations: list[Obligation] = Field(default_factory=list)
    options: list[Option] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)


class ProductRef(Out):
    name: str
    file: str
    sha256: str


class RulebaseRef(Out):
    version: str
    sha256: str


class ProductReport(Out):
    """The head of every report about one product (``pathway questions``, ``pathway what-if``)."""

    format: Literal[1] = 1
    product: str = Field(description="the product's name")
    file: str
    as_of: _dt.date


def absent(value: object) -> bool:
    """For ``exclude_if``: a field left out of the JSON when it has no value."""
    return value is None


class Transition(Out):
    """A change ahead, between the day assessed and the horizon (``--horizon``): the law changes
    on ``date`` so that this product's pathway, classification, premarket review or obligations
    change (``law``), an expert determination the product records expires with the same effect
    (``determination``), or an obligation of the product falls due (``deadline``)."""

    date: _dt.date
    jurisdiction: str
    kind: Literal["law", "determination", "deadline"]
    title: str = Field(description="what changes, in one line")
    pathway_before: str | None = None
    pathway_after: str | None = None
    classification_before: str | None = None
    classification_after: str | None = None
    obligations_added: list[str] = Field(default_factory=list)
    obligations_removed: list[str] = Field(default_factory=list)
    rules: list[str] = Field(
        default_factory=list,
        description="law: the rules that come into or go out of force that day, and the "
        "vocabulary attributes whose value changes; determination: the determined fact; "
        "deadline: the obligation",
    )
    citations: list[CitationOut] = Field(default_factory=list)


class DivergenceSide(Out):
    """One jurisdiction's answer to a concept's question, by its own test."""

    jurisdiction: str
    fact: str | None = Field(
        default=None, description="the jurisdiction's fact; null where it has no such test"
    )
    value: Value | None = Field(default=None, description="the fact's value; null while open")
    heavier: bool | None = Field(
        default=None,
        description="true: this answer leads to the jurisdiction's heavier regime; null while "
        "open or where the jurisdiction has no such test",
    )
    says: str = Field(description="what the jurisdiction's test says for this product")
    rules: list[str] = Field(default_factory=list, description="the rules that decided it")
    citations: list[CitationOut] = Field(default_factory=list)


class Divergence(Out):
    """A question the jurisdictions' tests answer on different sides for this product
    (``rules/concepts.yaml``)."""

    concept: str
    title: str
    question: str
    sides: list[DivergenceSide]


class Assessment(Out):
    format: Literal[1] = 1
    product: ProductRef
    rulebase: RulebaseRef
    as_of: _dt.date
    engine: str = Field(default="durable_rules", description="the evaluator that produced it")
    jurisdictions: dict[str, JurisdictionResult]
    divergences: list[Divergence] = Field(
        default_factory=list,
        description="the questions on which the assessed jurisdictions' tests part for this "
        "product: one leads to its lighter regime, another to its heavier one",
    )
    horizon: _dt.date | None = Field(
        default=None,
        exclude_if=absent,
        description="with --horizon: the last day looked ahead to (absent otherwise)",
    )
    transitions: list[Transition] | None = Field(
        default=None,
        exclude_if=absent,
        description="with --horizon: the changes ahead for this product, in date order",
    )
