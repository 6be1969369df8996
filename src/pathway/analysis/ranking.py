"""The questions that would decide a product's open pathways, across jurisdictions, ranked by
what each answer would settle (``pathway questions``, ``pathway interview``).

Each jurisdiction's assessment already lists the facts that would decide it. Here they are
merged by fact, and every possible answer is tried (the product is re-evaluated with the fact
set to it, or, for a fact only an expert can decide, with a determination): a question whose
every answer settles a jurisdiction comes first, then one some answer settles, then one that
bears on more jurisdictions and rules; a determination only an expert can make comes after
every fact the product itself can state.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal

from pydantic import Field

from ..contract.assessment import Assessment, CitationOut, Out, ProductReport, Value
from ..errors import EngineError, InputError
from ..product.load import LoadedProduct
from ..text import word
from .whatif import Change, WhatIf


class RankedQuestion(Out):
    fact: str
    question: str
    answers: list[Value] = Field(default_factory=list, description="the possible answers")
    jurisdictions: list[str] = Field(description="the open jurisdictions it bears on")
    rules: list[str]
    citations: list[CitationOut] = Field(default_factory=list)
    note: str | None = None
    item_field: str | None = Field(
        default=None, description="the answer goes on each item of the list it concerns"
    )
    determination: bool = Field(
        default=False, description="answered by recording an expert determination"
    )
    settles: list[str] = Field(
        default_factory=list, description="jurisdictions determined whatever the answer"
    )
    may_settle: list[str] = Field(
        default_factory=list, description="jurisdictions determined by at least one answer"
    )
    outcomes: dict[str, dict[str, str | None]] = Field(
        default_factory=dict, description="answer -> jurisdiction -> pathway (null: still open)"
    )


class QuestionsReport(ProductReport):
    kind: Literal["questions"] = "questions"
    pathways: dict[str, str | None] = Field(description="per jurisdiction (null: undetermined)")
    questions: list[RankedQuestion]


def items_answered(
    whatif: WhatIf, loaded: LoadedProduct, fact: str, item_field: str, value: Any
) -> list[Any]:
    """The list ``fact`` projects from, with ``item_field`` set on every item it concerns (an
    item written as a bare term becomes a mapping)."""
    base, _, attribute = fact.rpartition(".")
    vocab = whatif.rb.vocabulary_for(base)
    data = loaded.document.data if loaded.document else {}
    raw: Any = data
    for part in base.split("."):
        raw = raw.get(part) if isinstance(raw, dict) else None
    out = []
    for item in raw if isinstance(raw, list) else []:
        kind = item.get("kind") if isinstance(item, dict) else item
        term = vocab.resolve(str(kind)) if vocab is not None else None
        attr = vocab.attributes.get(attribute) if vocab is not None else None
        if term is not None and attr is not None and attr.item_field_of(term) == item_field:
            item = (
                {**item, item_field: value}
                if isinstance(item, dict)
                else {
                    "kind": kind,
                    item_field: value,
                }
            )
        out.append(item)
    return out


def answered(
    whatif: WhatIf, loaded: LoadedProduct, fact: str, value: Any, item_field: str | None = None
) -> LoadedProduct:
    """The product with ``fact`` answered: set as a field, on the items of a list, or recorded
    as a determination."""
    definition = whatif.rb.facts[fact]
    if item_field is not None:
        base = fact.rpartition(".")[0]
        items = items_answered(whatif, loaded, fact, item_field, value)
        return whatif.changed(loaded, [Change(base, "set", value=items)])
    if definition.origin == "derived":
        entry = {"fact": fact, "value": value, "reason": "what-if: assumed answer"}
        current = list(loaded.document.data.get("determinations") or []) if loaded.document else []
        return whatif.changed(loaded, [Change("determinations", "set", value=[*current, entry])])
    return whatif.changed(loaded, [Change(fact, "set", value=value)])


def rank(
    whatif: WhatIf, loaded: LoadedProduct, assessment: Assessment, day: _dt.date
) -> QuestionsReport:
    merged: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for code, result in assessment.jurisdictions.items():
        for q in result.questions:
            entry = merged.get(q.fact)
            if entry is None:
                order.append(q.fact)
                entry = merged[q.fact] = {
                    "question": q.question,
                    "answers": list(q.answers),
                    "jurisdictions": [],
                    "rules": [],
                    "citations": [],
                    "note": q.note,
                    "item_field": q.item_field,
                }
            entry["jurisdictions"].append(code)
            entry["rules"] += [r for r in q.rules if r not in entry["rules"]]
            entry["citations"] += [c for c in q.citations if c not in entry["citations"]]
    ranked: list[RankedQuestion] = []
    for fact in order:
        entry = merged[fact]
        determination = whatif.rb.facts[fact].origin == "derived"
        answers = entry["answers"] or (
            list(whatif.rb.facts[fact].values or ()) if determination else []
        )
        outcomes: dict[str, dict[str, str | None]] = {}
        for value in answers:
            try:
                changed = answered(whatif, loaded, fact, value, entry["item_field"])
                outcomes[word(value)] = {
                    code: whatif.pathway(changed, code, day) for code in entry["jurisdictions"]
                }
            except (InputError, EngineError):  # an answer the product's other facts rule out
                continue
        settles = [
            code
            for code in entry["jurisdictions"]
            if outcomes and all(o[code] is not None for o in outcomes.values())
        ]
        may = [
            code
            for code in entry["jurisdictions"]
            if any(o[code] is not None for o in outcomes.values())
        ]
        ranked.append(
            RankedQuestion(
                fact=fact,
                question=entry["question"],
                answers=answers,
                jurisdictions=entry["jurisdictions"],
                rules=entry["rules"],
                citations=entry["citations"],
                note=entry["note"],
                item_field=entry["item_field"],
                determination=determination,
                settles=settles,
                may_settle=may,
                outcomes=outcomes,
            )
        )
    positions = {fact: i for i, fact in enumerate(order)}
    ranked.sort(  # facts the product can state before determinations only an expert can make
        key=lambda q: (
            q.determination,
            -len(q.settles),
            -len(q.may_settle),
            -len(q.jurisdictions),
            -len(q.rules),
            positions[q.fact],
        )
    )
    return QuestionsReport(
        product=loaded.product.name,
        file=loaded.file,
        as_of=day,
        pathways={code: r.pathway for code, r in assessment.jurisdictions.items()},
        questions=ranked,
    )
