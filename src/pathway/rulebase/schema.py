"""The shape of each rule-base file (pydantic). The loader adds the checks that need the whole base.

Files are told apart by their ``kind``: ``rulebase`` (one, at the root), ``jurisdiction``,
``facts``, ``vocabulary`` (terms), ``attributes`` (a jurisdiction's attributes of a vocabulary's
terms), ``citations``, ``rules``, ``brief`` (the structure a regulator publishes for a request,
filled in by ``pathway brief``) and ``concepts`` (the tests of several jurisdictions that answer
the same question, compared for divergences).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
FACT_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"


class _Spec(BaseModel):
    # built on first use: a rule base read from the disk cache never needs these models
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class CitationEntry(_Spec):
    url: StrictStr = Field(pattern=r"^https?://\S+$")
    title: StrictStr | None = None
    original_title: StrictStr | None = Field(
        default=None,
        description="the instrument's title in its own language (Japanese, Chinese...)",
    )
    basis: Literal["primary", "secondary", "unverified"] = Field(
        description="primary: checked against the legal text; secondary: against a secondary "
        "source only; unverified: not checked (never decides a lighter pathway)"
    )
    note: StrictStr | None = None


class CitationSpec(CitationEntry):
    ref: StrictStr


CitationRef = StrictStr | CitationSpec


class EffectiveSpec(_Spec):
    start: _dt.date = Field(alias="from")
    end: _dt.date | None = Field(default=None, alias="to", description="last day in force")


class DueSpec(_Spec):
    """A deadline computed from a date fact of the product: ``from`` plus the offset."""

    date_fact: StrictStr = Field(alias="from")
    years: int = Field(default=0, ge=0, le=100)
    months: int = Field(default=0, ge=0, le=1200)
    days: int = Field(default=0, ge=0, le=36500)
    years_from: StrictStr | None = Field(
        default=None,
        description="a product fact whose value is a number of years, added to `years` (e.g. "
        "the time limit an approval set); the alternative applies only when it is known",
    )
    latest: StrictBool = Field(
        default=False,
        description="the date is the latest the law allows (a statutory maximum); the product's "
        "own limit may come sooner",
    )


class RuleSpec(_Spec):
    id: StrictStr = Field(pattern=ID_PATTERN)
    title: StrictStr = Field(min_length=3)
    kind: Literal["derive", "obligation", "option", "note"] = "derive"
    when: Any = None
    then: dict[StrictStr, StrictBool | StrictStr] | None = None
    citations: list[CitationRef] | None = None
    effective: EffectiveSpec | None = None
    description: StrictStr | None = None
    law: StrictStr | None = Field(default=None, description="an excerpt of the legal text")
    supersedes: StrictStr | None = None
    timing: StrictStr | None = Field(default=None, description="obligations: when it applies")
    due: DueSpec | list[DueSpec] | None = Field(
        default=None,
        description="obligations: a deadline from a date fact, or a list of them: the first "
        "whose date the product gives is used",
    )
    eligible_when: Any = Field(default=None, description="options: when the product is eligible")


class CaseSpec(_Spec):
    id: StrictStr = Field(pattern=ID_PATTERN)
    title: StrictStr = Field(min_length=3)
    when: Any = None
    value: StrictBool | StrictStr
    citations: list[CitationRef] | None = None
    effective: EffectiveSpec | None = None
    description: StrictStr | None = None
    law: StrictStr | None = None
    supersedes: StrictStr | None = None


class DecisionSpec(_Spec):
    id: StrictStr = Field(pattern=ID_PATTERN)
    title: StrictStr = Field(min_length=3)
    decide: StrictStr = Field(pattern=FACT_PATTERN)
    first_match: list[CaseSpec] = Field(min_length=1)
    citations: list[CitationRef] | None = None
    effective: EffectiveSpec | None = None
    description: StrictStr | None = None


class LawSpec(_Spec):
    title: StrictStr
    url: StrictStr = Field(pattern=r"^https?://\S+$")
    excerpt: StrictStr | None = None


class RulesFile(_Spec):
    kind: Literal["rules"]
    title: StrictStr
    law: LawSpec | None = None
    effective: EffectiveSpec | None = Field(default=None, description="default for the rules below")
    rules: list[dict[StrictStr, Any]] = Field(min_length=1)


class WhenUnknownSpec(_Spec):
    note: StrictStr = Field(description="what the regulator does while this fact is unknown")
    citations: list[CitationRef] = Field(min_length=1)


class FactSpec(_Spec):
    type: Literal["bool", "enum", "term", "list", "date", "text"] | None = None
    values: list[StrictBool | StrictStr] | None = None
    title: StrictStr | None = None
    question: StrictStr | None = None
    help: StrictStr | None = None
    on_conflict: Literal["error", "contradiction"] = "error"
    conflict_message: StrictStr | None = None
    when_unknown: WhenUnknownSpec | None = None


class FactsFile(_Spec):
    kind: Literal["facts"]
    scope: Literal["input", "derived"] = "derived"
    facts: dict[StrictStr, FactSpec]


class ValueSpec(_Spec):
    """One term's value for an attribute, with the sources it rests on and the days it holds."""

    value: StrictBool | StrictStr | list[StrictStr] | dict[StrictStr, Any]
    citations: list[CitationRef] | Literal["attribute"] = Field(
        description="the value's own sources, or `attribute` to rest on the attribute's "
        "citations (an explicit choice, so that every value states its source)"
    )
    note: StrictStr | None = None
    start: _dt.date | None = Field(default=None, alias="from", description="first day in force")
    end: _dt.date | None = Field(default=None, alias="to", description="last day in force")


class AttributeSpec(_Spec):
    type: Literal["bool", "enum", "terms"]
    values: list[StrictStr] | None = None
    vocabulary: StrictStr | None = None
    refine_by: StrictStr | None = Field(
        default=None, description="a product field whose term may refine a term's value"
    )
    member_of: StrictStr | None = Field(
        default=None, description="a list fact; each item's value is whether it is in that list"
    )
    default: StrictBool | StrictStr | list[StrictStr] | None = Field(
        default=None,
        description="the value of a term with no value of its own (on the day assessed); it "
        "rests on the attribute's citations",
    )
    title: StrictStr | None = None
    citations: list[CitationRef] | None = None
    terms: dict[StrictStr, ValueSpec | list[ValueSpec]] = Field(
        default_factory=dict, description="term -> its value, or its dated values"
    )


class TermSpec(_Spec):
    label: StrictStr = Field(min_length=1)
    aliases: list[StrictStr] = Field(default_factory=list)
    description: StrictStr | None = None


class VocabularyFile(_Spec):
    """A vocabulary's terms (``rules/vocabulary/<name>.yaml``): no law, only words."""

    kind: Literal["vocabulary"]
    name: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    applies_to: list[StrictStr] = Field(min_length=1)
    description: StrictStr | None = None
    terms: dict[StrictStr, TermSpec] = Field(min_length=1)


class AttributesFile(_Spec):
    """One jurisdiction's attributes of a vocabulary's terms (``rules/<jur>/vocabulary/``)."""

    kind: Literal["attributes"]
    vocabulary: StrictStr
    description: StrictStr | None = None
    attributes: dict[StrictStr, AttributeSpec] = Field(min_length=1)


class PathwaySpec(_Spec):
    title: StrictStr
    premarket_review: StrictBool | None
    description: StrictStr | None = None


class ClassificationSpec(_Spec):
    title: StrictStr
    premarket_review: StrictBool | None = Field(
        default=None,
        description="when the pathway leaves premarket review open (null), this decides it",
    )


class JurisdictionFile(_Spec):
    kind: Literal["jurisdiction"]
    code: StrictStr = Field(pattern=r"^[a-z]{2}$")
    name: StrictStr
    original_name: StrictStr | None = None
    authority: StrictStr
    pathway_fact: StrictStr
    classification_fact: StrictStr | None = None
    pathways: dict[StrictStr, PathwaySpec] = Field(min_length=1)
    classifications: dict[StrictStr, ClassificationSpec] = {}
    reports: list[StrictStr] = Field(
        default=[],
        description="derived facts reported beside the classification whenever the facts "
        "decide them (e.g. Japan's product category and ASRM class), with the values still "
        "possible while they are open",
    )


class CitationsFile(_Spec):
    kind: Literal["citations"]
    citations: dict[StrictStr, CitationEntry] = Field(min_length=1)


class RulebaseFile(_Spec):
    kind: Literal["rulebase"]
    name: StrictStr
    version: StrictStr = Field(pattern=r"^\d{4}\.\d{1,2}\.\d+$")
    jurisdictions: list[StrictStr] = Field(min_length=1)
    description: StrictStr | None = None


class BriefSectionSpec(_Spec):
    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: StrictStr
    asks: StrictStr = Field(description="what the regulator asks for in this section")
    citations: list[CitationRef] = Field(
        min_length=1, description="where the regulator names this section or item"
    )
    facts: list[StrictStr] = Field(
        default=[],
        description="the facts the section states: product fields as the file states them, "
        "derived facts with the assessment's findings",
    )
    show: list[Literal["proposal", "obligations", "options", "notes"]] = Field(
        default=[], description="parts of the assessment the section carries"
    )
    fill: list[StrictStr] = Field(
        default=[],
        description="what only the sponsor can write here (names, addresses, study results): "
        "shown as items to complete",
    )
    when: list[StrictStr] = Field(
        default=[],
        description="pathway or classification ids: the section applies only when the "
        "assessment's candidates include one of them (always when empty)",
    )


class BriefFile(_Spec):
    kind: Literal["brief"]
    id: StrictStr = Field(pattern=r"^[a-z]+(-[a-z]+)*$")
    jurisdiction: StrictStr = Field(pattern=r"^[a-z]{2}$")
    title: StrictStr
    regulator: StrictStr
    purpose: StrictStr = Field(description="what the request is for and what its answer binds")
    submit: StrictStr = Field(description="how and to whom the request is sent")
    citations: list[CitationRef] = Field(min_length=1)
    sections: list[BriefSectionSpec] = Field(min_length=1)


class ConceptSideSpec(_Spec):
    fact: StrictStr | None = Field(default=None, description="the jurisdiction's own test")
    heavier: StrictBool | None = Field(
        default=None, description="the value of the fact that leads to the heavier regime"
    )
    when_true: StrictStr | None = None
    when_false: StrictStr | None = None
    note: StrictStr | None = Field(
        default=None, description="without a fact: how the jurisdiction treats the question"
    )
    citations: list[CitationRef] = []


class ConceptSpec(_Spec):
    title: StrictStr
    question: StrictStr
    sides: dict[StrictStr, ConceptSideSpec] = Field(min_length=2)


class ConceptsFile(_Spec):
    kind: Literal["concepts"]
    concepts: dict[StrictStr, ConceptSpec] = Field(min_length=1)


FILE_KINDS: dict[str, type[_Spec]] = {
    "rules": RulesFile,
    "facts": FactsFile,
    "vocabulary": VocabularyFile,
    "attributes": AttributesFile,
    "jurisdiction": JurisdictionFile,
    "citations": CitationsFile,
    "rulebase": RulebaseFile,
    "brief": BriefFile,
    "concepts": ConceptsFile,
}
