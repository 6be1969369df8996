"""Rule-base impact (``pathway diff``): which products a change of the rule base moves.

Every product of a corpus is assessed under two rule bases on the same day; a product and
jurisdiction is reported when its pathway, classification, premarket review, obligations or
questions differ, with the rules responsible: the rules added, removed or changed between the
two rule bases (their id, conditions, conclusion, citations or dates; not where in a file they
are) that either result shows (a finding, an obligation, an option, a note, or a question's
rules). When no such rule is shown, the change came through a vocabulary (a term's attribute):
those attributes are named, else every changed rule of the jurisdiction.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from ..assessment.assessor import Assessor
from ..contract.assessment import JurisdictionResult, Out
from ..errors import ContradictionError, ExitCode, InputError
from ..io.document import Limits
from ..product.load import load_product
from ..rulebase.model import Rule, RuleBase
from .horizon import shown_rules


class RulebaseSide(Out):
    source: str = Field(description="the directory or git revision given")
    version: str
    sha256: str


class ConclusionChange(Out):
    """One product and jurisdiction whose conclusions differ between the two rule bases."""

    file: str
    product: str
    jurisdiction: str
    pathway_from: str | None
    pathway_to: str | None
    pathway_changed: bool
    classification_from: str | None = None
    classification_to: str | None = None
    premarket_review_from: bool | None = None
    premarket_review_to: bool | None = None
    obligations_added: list[str] = Field(default_factory=list)
    obligations_removed: list[str] = Field(default_factory=list)
    questions_added: list[str] = Field(default_factory=list)
    questions_removed: list[str] = Field(default_factory=list)
    rules: list[str] = Field(description="the rules (or vocabulary attributes) responsible")


class DiffError(Out):
    file: str
    rules: Literal["from", "to", "both"]
    message: str


class DiffReport(Out):
    format: Literal[1] = 1
    kind: Literal["diff"] = "diff"
    rules_from: RulebaseSide
    rules_to: RulebaseSide
    as_of: _dt.date
    products: int
    rules_changed: list[str] = Field(description="rule ids added, removed or changed")
    changes: list[ConclusionChange]
    errors: list[DiffError] = Field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """2 if a product could not be assessed, else 1 if a pathway changed, else 0."""
        if self.errors:
            return ExitCode.BAD_INPUT
        moved = any(c.pathway_changed for c in self.changes)
        return ExitCode.CHECK_FAILED if moved else ExitCode.OK


def _content(rule: Rule) -> dict[str, Any]:
    """What a rule says, not where it is written."""
    return {
        f.name: getattr(rule, f.name)
        for f in dataclasses.fields(rule)
        if f.name not in ("index", "source")
    }


def changed_rules(before: RuleBase, after: RuleBase) -> dict[str, str]:
    """Rule id -> jurisdiction, for every rule added, removed or changed."""
    old = {r.id: r for r in before.rules}
    new = {r.id: r for r in after.rules}
    out = {}
    for rule_id in sorted(old.keys() | new.keys()):
        a, b = old.get(rule_id), new.get(rule_id)
        if a is None or b is None or _content(a) != _content(b):
            out[rule_id] = (a or b).jurisdiction  # type: ignore[union-attr]
    return out


def _changed_attributes(before: RuleBase, after: RuleBase, code: str) -> list[str]:
    """The vocabulary attributes of ``code`` (or of no jurisdiction) added, removed or changed
    (their values, default, refinement, membership or sources)."""
    out = []
    for name in sorted(before.vocabularies.keys() | after.vocabularies.keys()):
        old, new = before.vocabularies.get(name), after.vocabularies.get(name)
        names = (old.attributes.keys() if old else set()) | (
            new.attributes.keys() if new else set()
        )
        for attr_name in sorted(names):
            was = old.attributes.get(attr_name) if old is not None else None
            now = new.attributes.get(attr_name) if new is not None else None
            if (now or was).jurisdiction not in (code, ""):  # type: ignore[union-attr]
                continue
            if was is None or now is None or _said(was) != _said(now):
                out.append(f"vocabulary {name}.{attr_name}")
    return out


def _said(attr: Any) -> tuple[Any, ...]:
    """What a vocabulary attribute says (not where it is written)."""
    return (
        attr.terms,
        attr.default,
        attr.refine_by,
        attr.member_of,
        attr.citations,
        attr.type,
    )


def _shown(result: JurisdictionResult) -> set[str]:
    """The rules a result shows (``horizon.shown_rules``) and those its questions would decide."""
    return shown_rules(result) | {r for q in result.questions for r in q.rules}


def _questions(result: JurisdictionResult) -> list[str]:
    return [f"{q.fact}.{q.item_field}" if q.item_field else q.fact for q in result.questions]


class RuleDiff:
    """Assesses products under two rule bases and reports what moved."""

    def __init__(
        self,
        before: RuleBase,
        after: RuleBase,
        sources: tuple[str, str],
        day: _dt.date,
        jurisdictions: Iterable[str] | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.sides = (Assessor(before), Assessor(after))
        self.sources = sources
        self.day = day
        self.codes = list(jurisdictions) if jurisdictions else None
        self.limits = limits or Limits()
        self.changed = changed_rules(before, after)
        self.common = set(before.jurisdictions) & set(after.jurisdictions)

    def _assess(self, side: int, path: Path) -> tuple[str, dict[str, JurisdictionResult]]:
        assessor = self.sides[side]
        loaded = load_product(path, assessor.rulebase, limits=self.limits)
        wanted = self.codes or list(loaded.product.jurisdictions or assessor.rulebase.jurisdictions)
        codes = [c for c in assessor.rulebase.jurisdictions if c in wanted and c in self.common]
        assessment = assessor.assess(loaded, codes, self.day)
        return loaded.product.name, dict(assessment.jurisdictions)

    def product(self, path: Path, shown_as: str) -> tuple[list[ConclusionChange], DiffError | None]:
        results: list[dict[str, JurisdictionResult] | None] = []
        failures: list[str] = []
        name = shown_as
        for side in (0, 1):
            try:
                name, found = self._assess(side, path)
                results.append(found)
            except (InputError, ContradictionError) as exc:
                results.append(None)
                failures.append(str(exc))
        before, after = results
        if before is None or after is None:
            which: Literal["from", "to", "both"] = (
                "both" if before is after else ("from" if before is None else "to")
            )
            return [], DiffError(file=shown_as, rules=which, message=failures[0])
        out = []
        for code in (c for c in after if c in before):
            change = self._compare(shown_as, name, code, before[code], after[code])
            if change is not None:
                out.append(change)
        return out, None

    def _compare(
        self, file: str, name: str, code: str, a: JurisdictionResult, b: JurisdictionResult
    ) -> ConclusionChange | None:
        obligations_a = {o.id for o in a.obligations}
        obligations_b = {o.id for o in b.obligations}
        questions_a, questions_b = _questions(a), _questions(b)
        same = (
            a.pathway == b.pathway
            and a.classification == b.classification
            and a.premarket_review == b.premarket_review
            and obligations_a == obligations_b
            and set(questions_a) == set(questions_b)  # the order alone is no change
        )
        if same:
            return None
        shown = _shown(a) | _shown(b)
        mine = [r for r, j in self.changed.items() if j == code]
        responsible = [r for r in mine if r in shown]
        if not responsible:
            before, after = (s.rulebase for s in self.sides)
            responsible = _changed_attributes(before, after, code) or mine
        return ConclusionChange(
            file=file,
            product=name,
            jurisdiction=code,
            pathway_from=a.pathway,
            pathway_to=b.pathway,
            pathway_changed=a.pathway != b.pathway,
            classification_from=a.classification,
            classification_to=b.classification,
            premarket_review_from=a.premarket_review,
            premarket_review_to=b.premarket_review,
            obligations_added=sorted(obligations_b - obligations_a),
            obligations_removed=sorted(obligations_a - obligations_b),
            questions_added=[q for q in questions_b if q not in questions_a],
            questions_removed=[q for q in questions_a if q not in questions_b],
            rules=responsible,
        )

    def report(self, products: Iterable[tuple[str, Path]]) -> DiffReport:
        changes: list[ConclusionChange] = []
        errors: list[DiffError] = []
        count = 0
        for shown_as, path in products:
            count += 1
            found, error = self.product(path, shown_as)
            changes.extend(found)
            if error is not None:
                errors.append(error)
        sides = [
            RulebaseSide(source=src, version=s.rulebase.version, sha256=s.rulebase.sha256)
            for src, s in zip(self.sources, self.sides, strict=True)
        ]
        return DiffReport(
            rules_from=sides[0],
            rules_to=sides[1],
            as_of=self.day,
            products=count,
            rules_changed=list(self.changed),
            changes=changes,
            errors=errors,
        )
