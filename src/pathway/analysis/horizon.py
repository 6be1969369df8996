"""Looking ahead (``--horizon``): what changes for one product between the day assessed and a
later day, while its facts stay as they are.

Two kinds of change, each with its date:

- **law**: on a day when some rule, or some vocabulary value, comes into or goes out of force
  (``RuleBase.boundaries``), the product is assessed again under the law of that day; a
  jurisdiction whose pathway, classification, premarket review, pathways still possible or
  obligations differ from the day before is a transition, naming the rules that start or stop
  that day (and the vocabulary attributes whose value changes), with their citations. The EU
  SoHO Regulation's application on 7 August 2027 is one.
- **determination**: the same, on the day after an expert determination the product records
  expires (``determinations: - expires:``);
- **deadline**: an obligation of the product's assessment that falls due within the horizon
  (a Japanese conditional, time-limited approval's time limit, counted from the product's
  approval date).

Nothing here knows any law: the dates and what changes are the rule base's.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Literal

from ..assessment.assessor import Assessor, ProductInput, default_assessor
from ..contract.assessment import Assessment, JurisdictionResult, Transition
from ..errors import ContradictionError
from ..rulebase.references import cite_all

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from ..product.load import LoadedProduct
    from ..rulebase.model import RuleBase

ONE_DAY = _dt.timedelta(days=1)


def _state(result: JurisdictionResult | None) -> tuple[Any, ...]:
    if result is None:
        return (None,)
    return (
        result.pathway,
        result.classification,
        result.premarket_review,
        tuple(result.candidates),
        tuple(sorted(o.id for o in result.obligations)),
    )


def _shown(result: JurisdictionResult) -> set[str]:
    """The rules a result shows: its findings', obligations', options' and notes'."""
    return {
        *(f.rule for f in result.findings),
        *(o.id for o in result.obligations),
        *(o.id for o in result.options),
        *(n.rule for n in result.notes if n.rule),
    }


def _changing(
    rb: RuleBase, code: str, day: _dt.date, shown: set[str]
) -> tuple[list[str], list[Any]]:
    """The rules of ``code`` that come into or go out of force on ``day`` and that the product's
    result shows before or after (``shown``); when none does, every rule that changes that day,
    and the vocabulary attributes whose values change (with their citations)."""
    ids: list[str] = []
    citations: list[Any] = []
    changing = []
    for rule in rb.rules:
        ends = rule.effective.end + ONE_DAY if rule.effective.end else None
        if rule.jurisdiction == code and day in (rule.effective.start, ends):
            changing.append(rule)
    for rule in [r for r in changing if r.id in shown] or changing:
        ids.append(rule.id)
        citations.extend(rule.citations)
    if len(ids) < len(changing) and ids:
        return ids, citations
    for vocab in rb.vocabularies.values():
        for attr in vocab.attributes.values():
            if day in attr.boundaries() and attr.jurisdiction in (code, ""):
                ids.append(f"vocabulary {vocab.name}.{attr.name}")
                citations.extend(attr.citations)
    return ids, citations


def _law(
    rb: RuleBase,
    code: str,
    day: _dt.date,
    before: JurisdictionResult,
    after: JurisdictionResult,
    expired: list[str],
) -> Transition:
    ids, citations = _changing(rb, code, day, _shown(before) | _shown(after))
    determined = [f for f in expired if f in rb.facts and rb.facts[f].jurisdiction in (code, None)]
    kind: Literal["law", "determination"] = "law"
    if determined and not ids:
        kind, ids = "determination", [f"determination {f}" for f in determined]
    elif determined:
        ids += [f"determination {f}" for f in determined]
    was = {o.id for o in before.obligations}
    now = {o.id for o in after.obligations}
    changes = []
    if before.pathway != after.pathway:
        changes.append(
            f"pathway {before.pathway or 'undetermined'} -> {after.pathway or 'undetermined'}"
        )
    if before.classification != after.classification:
        changes.append(
            f"classification {before.classification or 'undetermined'} -> "
            f"{after.classification or 'undetermined'}"
        )
    if before.premarket_review != after.premarket_review:
        changes.append("premarket review changes")
    if before.candidates != after.candidates and before.pathway == after.pathway:
        changes.append(f"pathways still possible: {', '.join(after.candidates) or 'none'}")
    if now - was:
        changes.append(f"obligations added: {', '.join(sorted(now - was))}")
    if was - now:
        changes.append(f"obligations ended: {', '.join(sorted(was - now))}")
    what = "the law changes" if kind == "law" else "a determination expires"
    return Transition(
        date=day,
        jurisdiction=code,
        kind=kind,
        title=f"{code.upper()}, {what}: {'; '.join(changes)}",
        pathway_before=before.pathway,
        pathway_after=after.pathway,
        classification_before=before.classification,
        classification_after=after.classification,
        obligations_added=sorted(now - was),
        obligations_removed=sorted(was - now),
        rules=ids,
        citations=cite_all(citations),
    )


def transitions(
    assessor: Assessor, loaded: LoadedProduct, assessment: Assessment, horizon: _dt.date
) -> list[Transition]:
    """The changes ahead for ``loaded`` from the day ``assessment`` was made to ``horizon``
    (inclusive), in date order (law before deadline on the same day, then by jurisdiction)."""
    rb = assessor.rulebase
    codes = list(assessment.jurisdictions)
    out: list[Transition] = []
    for code, result in assessment.jurisdictions.items():
        for o in result.obligations:
            if o.due is not None and assessment.as_of < o.due <= horizon:
                out.append(
                    Transition(
                        date=o.due,
                        jurisdiction=code,
                        kind="deadline",
                        title=f"{code.upper()}, deadline"
                        + (f" ({o.due_basis})" if o.due_basis else "")
                        + f": {o.title}",
                        pathway_before=result.pathway,
                        pathway_after=result.pathway,
                        classification_before=result.classification,
                        classification_after=result.classification,
                        rules=[o.id],
                        citations=list(o.citations),
                    )
                )
    expiring: dict[_dt.date, list[str]] = {}
    for d in loaded.product.determinations:
        if d.expires is not None:
            expiring.setdefault(d.expires + ONE_DAY, []).append(d.fact)
    previous = dict(assessment.jurisdictions)
    for day in sorted({*rb.boundaries(), *expiring}):
        if not assessment.as_of < day <= horizon:
            continue
        try:
            later = assessor.assess(loaded, codes, day).jurisdictions
        except ContradictionError:
            continue  # the facts contradict each other under that day's rules: left to that day
        for code in codes:
            before, after = previous.get(code), later.get(code)
            if before is not None and after is not None and _state(before) != _state(after):
                out.append(_law(rb, code, day, before, after, expiring.get(day, [])))
        previous = dict(later)
    order = {code: i for i, code in enumerate(codes)}
    out.sort(key=lambda t: (t.date, t.kind == "deadline", order.get(t.jurisdiction, 99)))
    return out


def with_transitions(
    assessor: Assessor, loaded: LoadedProduct, assessment: Assessment, horizon: _dt.date
) -> Assessment:
    """The assessment with its horizon and the transitions up to it."""
    found = transitions(assessor, loaded, assessment, horizon)
    return assessment.model_copy(update={"horizon": horizon, "transitions": found})


def look_ahead(
    product: ProductInput,
    horizon: _dt.date,
    jurisdictions: Sequence[str] | None = None,
    as_of: _dt.date | None = None,
    *,
    rules: str | Path | None = None,
) -> Assessment:
    """``pathway.assess`` and the changes ahead to ``horizon`` (``Assessment.transitions``)."""
    assessor = default_assessor(rules)
    loaded = assessor.load(product)
    assessment = assessor.assess(loaded, jurisdictions, as_of)
    if horizon <= assessment.as_of:
        raise ValueError(f"the horizon {horizon} is not after the day assessed {assessment.as_of}")
    return with_transitions(assessor, loaded, assessment, horizon)
