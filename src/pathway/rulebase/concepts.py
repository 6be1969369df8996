"""Concepts (``kind: concepts``, ``rules/concepts.yaml``): one question that several
jurisdictions answer each by its own test (how far processing changes the cells; whether they do
the same job in the recipient). Each side names its jurisdiction's fact and which value leads to
the heavier regime, so that an assessment can show where the jurisdictions part for a product."""

from __future__ import annotations

from dataclasses import dataclass

from .references import Citation, Source


@dataclass(frozen=True)
class ConceptSide:
    jurisdiction: str
    fact: str | None = None
    heavier: bool | None = None  # the fact's value that leads to the heavier regime
    when_true: str | None = None
    when_false: str | None = None
    note: str | None = None  # without a fact: how the jurisdiction treats the question
    citations: tuple[Citation, ...] = ()

    def says(self, value: object) -> str | None:
        """What the jurisdiction's test says for ``value`` of its fact."""
        if value is True:
            return self.when_true
        if value is False:
            return self.when_false
        return None


@dataclass(frozen=True)
class Concept:
    id: str
    title: str
    question: str
    sides: tuple[ConceptSide, ...]
    source: Source
