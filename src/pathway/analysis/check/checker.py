"""``pathway check``: compare each product's pathways with what its team expects.

An expectation comes from the product file (``expect: {us: us.351}``, or ``undetermined`` when
the team knowingly waits for a regulator) or, for jurisdictions without one, from a baseline file
written earlier (``--write-baseline``). Each product and jurisdiction gets one ``CheckResult``:

* ``pass``: the pathway is the expected one;
* ``fail``: it differs (always a failure);
* ``undetermined``: no expectation and the pathway is undetermined (a failure with
  ``--fail-on undetermined``);
* ``unchecked``: no expectation and a pathway was determined (a failure with
  ``--fail-on unchecked``).

Every result names the rule that concluded the pathway and a location in the product file:
for a changed pathway, the fact whose single change would give the expected pathway again
(found by re-evaluating, see ``whatif``), else the ``expect`` entry; for an undetermined one, the
fact of its first question. The exit-code policy is ``CheckReport.exit_code``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ...assessment.assessor import Assessor
from ...assessment.locate import Locator
from ...contract.assessment import (
    Assessment,
    CitationOut,
    JurisdictionResult,
    RulebaseRef,
    SourceLocation,
)
from ...errors import EngineError, InputError
from ...product.load import LoadedProduct
from ..horizon import transitions as ahead
from ..whatif import Flip, WhatIf
from .baseline import Baseline, baseline_key
from .blame import deciding_uses, flip_rank, point_at
from .message import message
from .models import (
    UNDETERMINED,
    CheckError,
    CheckReport,
    CheckResult,
    CheckSummary,
    FailOn,
    ProductTransition,
    RelatedLocation,
    RulebaseChange,
    Status,
)


class Checker:
    """Checks products against expectations with one assessor."""

    def __init__(
        self,
        assessor: Assessor,
        *,
        fail_on: Iterable[FailOn] = (),
        baseline: Baseline | None = None,
        baseline_path: str | Path | None = None,
        previous: Callable[[LoadedProduct], dict[str, Any] | None] | None = None,
        horizon: _dt.date | None = None,
    ) -> None:
        """``horizon``: also look ahead to that day (``transitions``)."""
        self.assessor = assessor
        self.horizon = horizon
        self.rb = assessor.rulebase
        self.fail_on = frozenset(fail_on)
        self.baseline = baseline
        self.baseline_path = baseline_path
        self.whatif = WhatIf(assessor)
        self.previous = previous

    def codes(self, loaded: LoadedProduct, jurisdictions: Sequence[str] | None) -> list[str]:
        """``-j`` if given, else the product's jurisdictions plus those it has expectations for."""
        if jurisdictions:
            return list(jurisdictions)
        own = loaded.product.jurisdictions
        if own is None:
            return list(self.rb.jurisdictions)
        return [c for c in self.rb.jurisdictions if c in own or c in loaded.product.expect]

    def expectation(self, loaded: LoadedProduct, code: str) -> tuple[str | None, str | None]:
        if code in loaded.product.expect:
            return loaded.product.expect[code], "expect"
        if self.baseline is not None and self.baseline_path is not None:
            entry = self.baseline.products.get(baseline_key(loaded.file, self.baseline_path))
            if entry is not None and code in entry.pathways:
                return entry.pathways[code], "baseline"
        return None, None

    def check(
        self,
        loaded: LoadedProduct,
        jurisdictions: Sequence[str] | None,
        day: _dt.date,
    ) -> tuple[Assessment, list[CheckResult]]:
        assessment = self.assessor.assess(loaded, self.codes(loaded, jurisdictions), day)
        locator = Locator(loaded)
        changed = self.changed_fields(loaded, locator)
        results = [
            self._one(loaded, locator, code, result, day, changed)
            for code, result in assessment.jurisdictions.items()
        ]
        return assessment, results

    def transitions(self, loaded: LoadedProduct, assessment: Assessment) -> list[ProductTransition]:
        """The product's changes ahead to the horizon (none without one), each pointing at the
        product file; failed with ``--fail-on transition``."""
        if self.horizon is None:
            return []
        failed = "transition" in self.fail_on
        where = SourceLocation(file=loaded.file, line=1, column=1, field="")
        return [
            ProductTransition(
                **t.model_dump(),
                file=loaded.file,
                product=loaded.product.name,
                failed=failed,
                location=where,
            )
            for t in ahead(self.assessor, loaded, assessment, self.horizon)
        ]

    def changed_fields(
        self, loaded: LoadedProduct, locator: Locator
    ) -> dict[str, SourceLocation | None]:
        """Input facts whose value differs from the previous version of the product (from
        ``previous``: git, or the facts a baseline recorded), with where each is written now."""
        before = self.previous(loaded) if self.previous is not None else None
        if before is None and self.baseline is not None and self.baseline_path is not None:
            entry = self.baseline.products.get(baseline_key(loaded.file, self.baseline_path))
            before = entry.facts if entry is not None and entry.facts else None
        if before is None:
            return {}
        now = loaded.input_values(self.rb)
        out: dict[str, SourceLocation | None] = {}
        for field, value in now.items():
            if before.get(field) == value:
                continue
            added = (
                [v for v in value if v not in (before.get(field) or [])]
                if isinstance(value, list)
                else []
            )
            item = added[0] if added and isinstance(added[0], str) else None
            if not locator.written(field):
                out[field] = None
            elif item is not None:
                out[field] = locator.item(field, item)
            else:
                out[field] = locator.field(field)
        return out

    def _one(
        self,
        loaded: LoadedProduct,
        locator: Locator,
        code: str,
        result: JurisdictionResult,
        day: _dt.date,
        changed: dict[str, SourceLocation | None],
    ) -> CheckResult:
        expected, source = self.expectation(loaded, code)
        actual = result.pathway or UNDETERMINED
        rule, title, citations = self._concluding_rule(code, result)
        deciding = deciding_uses(result, self.rb.jurisdictions[code].pathway_fact)
        if expected is not None:
            status: Status = "pass" if actual == expected else "fail"
        else:
            status = "undetermined" if result.pathway is None else "unchecked"
        failed = status == "fail" or status in self.fail_on
        location: SourceLocation | None = None
        related: list[RelatedLocation] = []
        would_match: list[str] = []
        if failed:
            flips: list[Flip] = []
            if expected is not None:
                target = None if expected == UNDETERMINED else expected
                flips = [f for f in self.whatif.flips(loaded, code, day) if f.after == target]
                base: dict[str, dict[str, Any]] = {}
                flips.sort(  # the key is computed once per flip
                    key=lambda f: flip_rank(
                        f,
                        *self._side_effects(loaded, f, code, day, base),
                        changed,
                        deciding,
                        locator,
                    )
                )
                would_match = [f.change.describe() for f in flips]
            location = point_at(locator, code, result, source, flips, changed, deciding)
            where = locator.expectation(code) if source == "expect" else None
            if where is not None and where != location:
                related.append(RelatedLocation(location=where, message=f"expected {expected}"))
            for use in deciding:
                if use.location is not None and use.location != location:
                    item = RelatedLocation(location=use.location, message=use.describe(brief=True))
                    if item not in related:
                        related.append(item)
        return CheckResult(
            file=loaded.file,
            product=loaded.product.name,
            jurisdiction=code,
            status=status,
            failed=failed,
            expected=expected,
            expected_from=source,  # type: ignore[arg-type]
            actual=actual,
            rule=rule,
            title=title,
            message=message(
                code, status, expected, source, actual, title, deciding, would_match, result
            ),
            location=location,
            related=related,
            would_match=would_match,
            questions=[q.fact for q in result.questions],
            citations=citations,
        )

    def _side_effects(
        self,
        loaded: LoadedProduct,
        flip: Flip,
        code: str,
        day: _dt.date,
        base: dict[str, dict[str, Any]],
    ) -> tuple[bool, int]:
        """With ``flip`` made: does every other expectation of the product hold too, and how
        many derived facts of the other jurisdictions change? The change that undoes what broke
        the check mends every jurisdiction at once and disturbs nothing else. ``base`` keeps the
        product's own derived facts per jurisdiction across flips."""
        try:
            changed = self.whatif.changed(loaded, [flip.change])
        except InputError:  # the change contradicts the product elsewhere
            return False, 0
        mends, effect = True, 0
        for other in (c for c in self.codes(loaded, None) if c != code):
            try:
                if other not in base:
                    base[other] = self.assessor.evaluate(loaded, other, day).derived
                before = base[other]
                after = self.assessor.evaluate(changed, other, day).derived
            except (InputError, EngineError):
                return False, effect
            effect += sum(1 for k in before.keys() | after.keys() if before.get(k) != after.get(k))
            expected = self.expectation(loaded, other)[0]
            pathway = after.get(self.rb.jurisdictions[other].pathway_fact) or UNDETERMINED
            if expected is not None and pathway != expected:
                mends = False
        return mends, effect

    def _concluding_rule(
        self, code: str, result: JurisdictionResult
    ) -> tuple[str, str, list[CitationOut]]:
        fact = self.rb.jurisdictions[code].pathway_fact
        for finding in result.findings:
            if finding.fact == fact:
                return finding.rule, finding.title, finding.citations
        citations = result.questions[0].citations if result.questions else []
        decision = self.rb.decisions.get(fact)
        if decision is not None:
            return decision.id, decision.title, citations
        return fact, f"The {self.rb.jurisdictions[code].name} pathway", citations

    def report(
        self,
        results: list[CheckResult],
        errors: list[CheckError],
        products: int,
        day: _dt.date,
        transitions: list[ProductTransition] | None = None,
    ) -> CheckReport:
        current = RulebaseRef(version=self.rb.version, sha256=self.rb.sha256)
        changed = None
        if self.baseline is not None and self.baseline.rulebase.sha256 != current.sha256:
            changed = RulebaseChange(baseline=self.baseline.rulebase, current=current)

        def count(status: Status) -> int:
            return sum(1 for r in results if r.status == status)

        return CheckReport(
            rulebase=current,
            as_of=day,
            fail_on=sorted(self.fail_on),
            baseline=str(self.baseline_path) if self.baseline_path and self.baseline else None,
            summary=CheckSummary(
                products=products,
                checks=len(results),
                passed=count("pass"),
                failed=sum(1 for r in results if r.failed),
                undetermined=count("undetermined"),
                unchecked=count("unchecked"),
                errors=len(errors),
                rulebase_changed=changed,
                transitions=len(transitions or ()) if self.horizon else None,
            ),
            results=results,
            errors=errors,
            horizon=self.horizon,
            transitions=sorted(transitions or (), key=lambda t: t.date) if self.horizon else None,
        )
