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
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .assess import Assessor
from .assessment import (
    Assessment,
    CitationOut,
    FactUse,
    JurisdictionResult,
    RulebaseRef,
    SourceLocation,
)
from .errors import EngineError, InputError
from .loading import LoadedProduct
from .locate import Locator
from .rulebase.model import RuleBase
from .whatif import Flip, WhatIf
from .words import word as _word

FailOn = Literal["undetermined", "unchecked"]
Status = Literal["pass", "fail", "undetermined", "unchecked"]
UNDETERMINED = "undetermined"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RelatedLocation(_Out):
    location: SourceLocation
    message: str


class CheckResult(_Out):
    file: str
    product: str
    jurisdiction: str
    status: Status
    failed: bool
    expected: str | None = Field(description="a pathway id or 'undetermined'; null: none")
    expected_from: Literal["expect", "baseline"] | None = None
    actual: str = Field(description="the pathway id, or 'undetermined'")
    rule: str = Field(description="the rule that concluded the pathway (or the pathway decision)")
    title: str = Field(description="what the rule says")
    message: str
    location: SourceLocation | None = None
    related: list[RelatedLocation] = Field(default_factory=list)
    would_match: list[str] = Field(
        default_factory=list,
        description="single changes to the product that would give the expected pathway",
    )
    questions: list[str] = Field(
        default_factory=list, description="undetermined: the facts that would decide it"
    )
    citations: list[CitationOut] = Field(
        default_factory=list, description="the legal sources of the concluding rule"
    )


class CheckError(_Out):
    """A product that could not be assessed (bad input)."""

    file: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    message: str


class RulebaseChange(_Out):
    baseline: RulebaseRef
    current: RulebaseRef


class CheckSummary(_Out):
    products: int
    checks: int
    passed: int
    failed: int
    undetermined: int
    unchecked: int
    errors: int
    rulebase_changed: RulebaseChange | None = Field(
        default=None, description="the baseline was written with another rule base"
    )


class CheckReport(_Out):
    format: Literal[1] = 1
    kind: Literal["check"] = "check"
    rulebase: RulebaseRef
    as_of: _dt.date
    fail_on: list[FailOn] = Field(default_factory=list)
    baseline: str | None = None
    summary: CheckSummary
    results: list[CheckResult]
    errors: list[CheckError] = Field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """2 if a product could not be assessed, else 1 if a check failed, else 0."""
        if self.errors:
            return 2
        return 1 if any(r.failed for r in self.results) else 0


# ----------------------------------------------------------------------------- baseline


class BaselineEntry(_Out):
    name: str
    sha256: str
    pathways: dict[str, str]
    facts: dict[str, Any] = Field(
        default_factory=dict,
        description="the product's input facts when recorded: a later change points at its line",
    )


class Baseline(_Out):
    """Pathways recorded for products without ``expect:``; keys are product paths relative to
    the baseline file's folder, so the file works from any working directory."""

    format: Literal[1] = 1
    kind: Literal["pathway-baseline"] = "pathway-baseline"
    rulebase: RulebaseRef
    as_of: _dt.date
    products: dict[str, BaselineEntry] = Field(default_factory=dict)

    @classmethod
    def read(cls, path: str | Path) -> Baseline:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(
                f"cannot read baseline: {exc.strerror or exc}", file=str(path)
            ) from None
        try:
            return cls.model_validate(json.loads(text))
        except json.JSONDecodeError as exc:
            raise InputError(
                f"baseline is not JSON: {exc.msg}",
                file=str(path),
                line=exc.lineno,
                column=exc.colno,
            ) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InputError(
                f"not a pathway baseline: {first['msg']}", file=str(path), field=where or None
            ) from None

    def write(self, path: str | Path) -> None:
        text = json.dumps(
            self.model_dump(mode="json"), indent=2, ensure_ascii=False, sort_keys=True
        )
        try:
            Path(path).write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise InputError(
                f"cannot write baseline: {exc.strerror or exc}", file=str(path)
            ) from None


def baseline_key(product_file: str, baseline_path: str | Path) -> str:
    """The product's path relative to the baseline's folder, with forward slashes."""
    folder = Path(baseline_path).resolve().parent
    try:
        return PurePosixPath(Path(os.path.relpath(Path(product_file).resolve(), folder))).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(product_file).resolve().as_posix()


# ----------------------------------------------------------------------------- checking


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
    ) -> None:
        self.assessor = assessor
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
        now = input_values(loaded, self.rb)
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
                    key=lambda f: _flip_rank(
                        f,
                        *self._side_effects(loaded, f, code, day, base),
                        changed,
                        deciding,
                        locator,
                    )
                )
                would_match = [f.change.describe() for f in flips]
            location = self._locate(loaded, locator, code, result, source, flips, changed, deciding)
            where = locator.expectation(code) if source == "expect" else None
            if where is not None and where != location:
                related.append(RelatedLocation(location=where, message=f"expected {expected}"))
            for use in deciding:
                if use.location is not None and use.location != location:
                    item = RelatedLocation(location=use.location, message=_use_words(use))
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
            message=_message(
                code, status, expected, source, actual, title, deciding, would_match, result
            ),
            location=location,
            related=related,
            would_match=would_match,
            questions=[q.fact for q in result.questions],
            citations=citations,
        )

    def _locate(
        self,
        loaded: LoadedProduct,
        locator: Locator,
        code: str,
        result: JurisdictionResult,
        source: str | None,
        flips: list[Flip],
        changed: dict[str, SourceLocation | None],
        deciding: list[FactUse],
    ) -> SourceLocation | None:
        """The line a failed check points at, best first: the fact whose single change gives
        the expected pathway back; else a fact that changed since the previous version (git or
        baseline) and that the result rests on; the fact of the first open question; the
        ``expect`` entry; a deciding fact; the top of the file."""
        if flips:
            change = flips[0].change
            if change.field in changed and changed[change.field] is not None:
                return changed[change.field]
            return _flip_location(flips[0], locator)
        relevant = [u.input or u.fact for u in deciding] + [q.fact for q in result.questions]
        for field in relevant:
            if changed.get(field) is not None:
                return changed[field]
        if result.pathway is None and result.questions:
            first = result.questions[0].fact
            if locator.written(first):
                return locator.field(first)
        if source == "expect":
            return locator.expectation(code)
        return next((u.location for u in deciding if u.location), None) or locator.key(())

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
            ),
            results=results,
            errors=errors,
        )


def baseline_entry(
    assessor: Assessor, loaded: LoadedProduct, assessment: Assessment, path: str | Path
) -> tuple[str, BaselineEntry] | None:
    """The baseline record of one product: today's pathways for the jurisdictions it has no
    ``expect`` for, and its facts (keyed by its path relative to the baseline file)."""
    pathways = {
        code: result.pathway or UNDETERMINED
        for code, result in assessment.jurisdictions.items()
        if code not in loaded.product.expect
    }
    if not pathways or loaded.file == "<stdin>":
        return None
    return baseline_key(loaded.file, path), BaselineEntry(
        name=loaded.product.name,
        sha256=loaded.sha256,
        pathways=pathways,
        facts=input_values(loaded, assessor.rulebase),
    )


def new_baseline(
    assessor: Assessor,
    entries: Iterable[tuple[str, BaselineEntry]],
    day: _dt.date,
) -> Baseline:
    """A baseline of the given product records."""
    rb = assessor.rulebase
    return Baseline(
        rulebase=RulebaseRef(version=rb.version, sha256=rb.sha256),
        as_of=day,
        products=dict(sorted(entries)),
    )


def error_of(exc: InputError) -> CheckError:
    loc = exc.location
    return CheckError(
        file=loc.file, line=loc.line, column=loc.column, field=exc.field, message=exc.message
    )


# ----------------------------------------------------------------------------- helpers


def deciding_uses(result: JurisdictionResult, pathway_fact: str) -> list[FactUse]:
    """The product facts behind the pathway: the inputs of the findings that support it,
    followed down through derived facts (the pathway's own finding first)."""
    by_fact: dict[str, list[FactUse]] = {}
    for finding in result.findings:
        by_fact.setdefault(finding.fact, []).extend(finding.uses)
    out: list[FactUse] = []
    seen: set[str] = set()

    def visit(fact: str) -> None:
        if fact in seen:
            return
        seen.add(fact)
        for use in by_fact.get(fact, []):
            if use.origin == "derived":
                visit(use.fact)
            elif use not in out:
                out.append(use)

    visit(pathway_fact)
    return out


def input_values(loaded: LoadedProduct, rulebase: RuleBase) -> dict[str, Any]:
    """Every input fact of the product as plain data (``unknown`` included)."""
    data = loaded.product.model_dump(mode="json")
    out: dict[str, Any] = {}
    for name, definition in rulebase.facts.items():
        if definition.origin != "input":
            continue
        node: Any = data
        for part in name.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        out[name] = node
    return out


def _flip_rank(
    flip: Flip,
    mends_all: bool,
    elsewhere: int,
    changed: dict[str, SourceLocation | None],
    deciding: list[FactUse],
    locator: Locator,
) -> tuple[bool, bool, bool, bool, int, int, int]:
    """Which single change most likely undoes what broke the check, best first:

    0. it changes a fact that changed since the previous version (when one is known);
    1. it changes a fact the current pathway rests on (a value it used, or an item it used),
       rather than adding something the rules did not need, and one the file writes (not a
       default the contract supplies);
    2. with it, every other expectation of the product holds too;
    3. it alters the fewest derived facts, here and in the product's other jurisdictions (the
       most local explanation);
    4. the fact comes earliest in the reasoning, then in the file.
    """
    change = flip.change
    used = [(u.input or u.fact, u.term) for u in deciding]
    fields = [f for f, _ in used]
    if change.op == "remove":
        in_chain = (change.field, change.item) in used or change.field in fields
    else:
        in_chain = change.op == "set" and change.field in fields
    position = fields.index(change.field) if change.field in fields else len(fields)
    location = _flip_location(flip, locator)
    line = location.line or 0 if location else 0
    written = locator.written(change.field)
    return (
        change.field not in changed,
        not in_chain,
        not written,
        not mends_all,
        flip.effect + elsewhere,
        position,
        line,
    )


def _flip_location(flip: Flip, locator: Locator) -> SourceLocation | None:
    change = flip.change
    if change.op == "remove":
        return locator.item(change.field, change.item)
    return locator.field(change.field)


def _use_words(use: FactUse) -> str:
    value = use.value if not isinstance(use.value, list) else ", ".join(map(str, use.value))
    if use.origin == "vocabulary":
        attribute = use.fact.rpartition(".")[2]
        return f"{use.input} {use.term}: {attribute} = {_word(value)}"
    if use.term is not None:
        return f"{use.fact} includes {use.term}"
    return f"{use.fact} = {_word(value)}"


def _message(
    code: str,
    status: Status,
    expected: str | None,
    source: str | None,
    actual: str,
    title: str,
    deciding: list[FactUse],
    would_match: list[str],
    result: JurisdictionResult,
) -> str:
    label = code.upper()
    if status == "pass":
        return f"{label} pathway is {actual}, as expected"
    if status == "fail":
        text = f"{label} pathway is {actual}, expected {expected} ({source})"
    elif status == "undetermined":
        text = f"{label} pathway is undetermined and no expectation is recorded"
    else:
        text = f"{label} pathway is {actual} and no expectation is recorded"
    if result.pathway is not None:
        text += f": {title.rstrip('.')}"
        facts = [_use_words(u) for u in deciding[:4]]
        if facts:
            text += f" ({'; '.join(facts)})"
    elif result.questions:
        text += f"; open: {', '.join(q.fact for q in result.questions[:4])}"
    if would_match:
        text += f". It would be {expected} if {would_match[0]}"
        if len(would_match) > 1:
            text += f" (or {len(would_match) - 1} other single change(s))"
    return text
