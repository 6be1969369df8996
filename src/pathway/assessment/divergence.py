"""Where the jurisdictions part: for each concept of the rule base (``rules/concepts.yaml``), each
assessed jurisdiction's answer by its own test, taken from the findings that decided it. A
concept is a divergence when one known answer leads to a jurisdiction's heavier regime and
another to a lighter one; a side still open, or a jurisdiction with no such test, is shown but
never counted."""

from __future__ import annotations

from collections.abc import Mapping

from ..contract.assessment import Divergence, DivergenceSide, JurisdictionResult
from ..rulebase.concepts import Concept, ConceptSide
from ..rulebase.references import cite_all


def _side(side: ConceptSide, result: JurisdictionResult) -> DivergenceSide:
    if side.fact is None:
        return DivergenceSide(
            jurisdiction=side.jurisdiction,
            says=side.note or "",
            citations=cite_all(side.citations),
        )
    found = [f for f in result.findings if f.fact == side.fact]
    if not found:
        return DivergenceSide(
            jurisdiction=side.jurisdiction, fact=side.fact, says="open: not decided by the facts"
        )
    value = found[0].value
    return DivergenceSide(
        jurisdiction=side.jurisdiction,
        fact=side.fact,
        value=value,
        heavier=value == side.heavier if isinstance(value, bool) else None,
        says=side.says(value) or str(value),
        rules=list(dict.fromkeys(f.rule for f in found)),
        citations=cite_all(c for f in found for c in f.citations),
    )


def divergences(
    concepts: tuple[Concept, ...], results: Mapping[str, JurisdictionResult]
) -> list[Divergence]:
    """The concepts on which the assessed jurisdictions' known answers part, in the rule base's
    order, each with every assessed jurisdiction's side."""
    out = []
    for concept in concepts:
        sides = [
            _side(s, results[s.jurisdiction]) for s in concept.sides if s.jurisdiction in results
        ]
        if {s.heavier for s in sides} >= {True, False}:
            out.append(
                Divergence(
                    concept=concept.id, title=concept.title, question=concept.question, sides=sides
                )
            )
    return out
