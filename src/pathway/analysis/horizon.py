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


def shown_rules(result: JurisdictionResult) -> set[str]:
    """The rules a result shows: its findings', obligations', options' and notes'."""
    return {
        *(f.rule for f in result.findings),
        *(o.id for o in result.obligations),
        *(o.id for o in result.options),
        *(n.rule for n in result.notes if n.rule),
    }


def _changing(
    rb: RuleBase, code: str, day: _dt.date, shown: set[str]
) -> tuple[list[str], list[str], list[Any]]:
    """What of ``code``'s law changes on ``day``: the rules that come into or go out of force
    and that the product's result shows before or after (``shown``), the other rules and the
    vocabulary attributes whose values change (the ids of both), and the citations of the
    first list (else of the second)."""
    changing = []
    for rule in rb.rules:
        ends = rule.effective.end + ONE_DAY if rule.effective.end else None
        if rule.jurisdiction == code and day in (rule.effective.start, ends):
            changing.append(rule)
    direct = [r for r in changing if r.id in shown]
    other: list[str] = [r.id for r in changing if r.id not in shown]
    other_citations = [c for r in changing if r.id not in shown for c in r.citations]
    for vocab in rb.vocabularies.values():
        for attr in vocab.attributes.values():
            if day in attr.boundaries() and attr.jurisdiction in (code, ""):
                other.append(f"vocabulary {vocab.name}.{attr.name}")
                other_citations.extend(attr.citations)
    if direct:
        return [r.id for r in direct], other, [c for r in direct for c in r.citations]
    return [], other, other_citations


def _law(
    rb: RuleBase,
    code: str,
    day: _dt.date,
    before: JurisdictionResult,
    after: JurisdictionResult,
    expired: list[str],
) -> Transition:
    """One jurisdiction's change on ``day``: named by the rules the result shows that start or
    stop that day; else by the determinations that expired the day before; else by every rule
    and vocabulary value that changes that day."""
    direct, other, citations = _changing(rb, code, day, shown_rules(before) | shown_rules(after))
    determined = [
        f"determination {f}"
        for f in expired
        if f in rb.facts and rb.facts[f].jurisdiction in (code, None)
    ]
    kind: Literal["law", "determination"] = "law"
    if direct:
        ids = direct + determined
    elif determined:
        kind, ids, citations = "determination", determined, []
    else:
        ids = other
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
    expiring: dict[_dt.date, list[str]] = {}
    for d in loaded.product.determinations:
        if d.expires is not None:
            expiring.setdefault(d.expires + ONE_DAY, []).append(d.fact)
    # the results in force from each day on: the day assessed, then each day the law changes
    snapshots: list[tuple[_dt.date, dict[str, JurisdictionResult]]] = [
        (assessment.as_of, dict(assessment.jurisdictions))
    ]
    for day in sorted({*rb.boundaries(), *expiring}):
        if not assessment.as_of < day <= horizon:
            continue
        try:
            later = dict(assessor.assess(loaded, codes, day).jurisdictions)
        except ContradictionError:
            continue  # the facts contradict each other under that day's rules: left to that day
        previous = snapshots[-1][1]
        for code in codes:
            before, after = previous.get(code), later.get(code)
            if before is not None and after is not None and _state(before) != _state(after):
                out.append(_law(rb, code, day, before, after, expiring.get(day, [])))
        snapshots.append((day, later))
    out.extend(_deadlines(snapshots, assessment.as_of, horizon))
    order = {code: i for i, code in enumerate(codes)}
    out.sort(key=lambda t: (t.date, t.kind == "deadline", order.get(t.jurisdiction, 99), t.rules))
    return out


def _deadlines(
    snapshots: list[tuple[_dt.date, dict[str, JurisdictionResult]]],
    start: _dt.date,
    horizon: _dt.date,
) -> list[Transition]:
    """The obligations that fall due after ``start`` and by ``horizon`` and are still the
    product's on their due day (a change of the law may add one, or end one before it is due)."""
    out: list[Transition] = []
    seen: set[tuple[str, str, _dt.date]] = set()
    for _, results in snapshots:
        for code, result in results.items():
            for o in result.obligations:
                if o.due is None or not start < o.due <= horizon:
                    continue
                on_the_day = [r for day, r in snapshots if day <= o.due][-1].get(code)
                held = on_the_day is not None and any(
                    x.id == o.id and x.due == o.due for x in on_the_day.obligations
                )
                if not held or (code, o.id, o.due) in seen:
                    continue
                seen.add((code, o.id, o.due))
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
