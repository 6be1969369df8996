"""Answering an open question by editing the product file, independently of the assessment's own
relevance filter (``pathway.assessment.relevance``): what the properties and the determinacy
benchmark use to check that every listed question matters.

Each answer goes through ``pathway.analysis.whatif`` (the product file re-read with the change),
so a contradictory answer is refused as the user's file would be.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pathway.analysis.ranking import answered
from pathway.analysis.whatif import Change, WhatIf
from pathway.errors import EngineError, InputError


def state(result: Any) -> tuple[Any, ...]:
    """What an answer can change: the pathway, the classification, and the pathways and
    classifications still possible."""
    return (  # (an assessment of pathway 0.5 has no candidates: compared as empty)
        result.pathway,
        result.classification,
        tuple(getattr(result, "candidates", ())),
        tuple(getattr(result, "classification_candidates", ())),
    )


def answers(whatif: WhatIf, loaded: Any, question: Any) -> list[Any]:
    """The product with the question answered, each way it can be answered."""
    definition = whatif.rb.facts[question.fact]
    out = []
    if question.item_field is not None or definition.origin == "derived":
        for value in question.answers or list(definition.values or ()):
            try:
                out.append(answered(whatif, loaded, question.fact, value, question.item_field))
            except (InputError, EngineError):
                continue
        return out
    for change in whatif.candidates(loaded, [question.fact]):
        try:
            out.append(whatif.changed(loaded, [change]))
        except (InputError, EngineError):
            continue
    return out


def relevant(
    whatif: WhatIf, loaded: Any, code: str, result: Any, question: Any, day: dt.date
) -> bool:
    """Whether some answer to ``question`` changes the jurisdiction's answer. A question no
    answer of which can be tried (a date, free text, or every answer contradicting the product's
    other facts, so the file itself needs a fix) is kept by design and counts as relevant."""
    before = state(result)
    tried = answers(whatif, loaded, question)
    if not tried:
        return True
    for changed in tried:
        try:
            after = whatif.assessor.assess(changed, [code], day).jurisdictions[code]
        except (InputError, EngineError):
            continue
        if state(after) != before:
            return True
    return False


def unknown(field: str) -> Change:
    """The change that makes ``field`` unknown."""
    return Change(field, "set", value="unknown")
