"""The work each product of a batch gets (``batch.Job``): assess it and render it, or check it.

Jobs are picklable data; ``setup`` builds what they need once per worker process (the rule base,
from the disk cache, and an assessor or a checker).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from ..batch import Task


@dataclass
class _Products:
    """What every job shares: the rule base and how products are read."""

    rules: str | None
    jurisdictions: tuple[str, ...] | None
    as_of: _dt.date
    max_bytes: int
    engine: str = "engine"
    context: dict[str, Any] = field(default_factory=dict, repr=False)

    def setup(self) -> None:
        from ..assessment.assessor import Assessor
        from ..rulebase.load import load_rulebase

        rulebase = load_rulebase(self.rules)
        self.context.update(rulebase=rulebase, assessor=Assessor(rulebase, self.engine))  # type: ignore[arg-type]

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "context": {}}  # a worker process builds its own

    def load(self, task: Task) -> Any:
        from ..io.document import Limits
        from ..product.load import load_product

        return load_product(
            task.source,
            self.context["rulebase"],
            limits=Limits(max_bytes=self.max_bytes),
            name=task.name,
        )

    @property
    def codes(self) -> list[str] | None:
        return list(self.jurisdictions) if self.jurisdictions else None


@dataclass
class AssessJob(_Products):
    """Assess the product and render it in ``fmt`` (one piece of ``render.joined``)."""

    fmt: str = "json"
    explain: bool = False
    color: bool = False
    horizon: _dt.date | None = None

    def __call__(self, task: Task) -> str:
        from .. import render

        assessor = self.context["assessor"]
        loaded = self.load(task)
        assessment = assessor.assess(loaded, self.codes, self.as_of)
        if self.horizon is not None:
            from ..analysis.horizon import with_transitions

            assessment = with_transitions(assessor, loaded, assessment, self.horizon)
        return render.assessment(self.fmt, assessment, color=self.color, explain=self.explain)


@dataclass
class CheckJob(_Products):
    """Check the product against its expectations; with ``write_baseline``, also record it."""

    fail_on: tuple[str, ...] = ()
    baseline: str | None = None
    since: str | None = None
    write_baseline: str | None = None
    horizon: _dt.date | None = None

    def setup(self) -> None:
        super().setup()
        from ..analysis.check.baseline import Baseline
        from ..analysis.check.checker import Checker
        from ..analysis.check.history import GitHistory

        rulebase = self.context["rulebase"]
        recorded = Baseline.read(self.baseline) if self.baseline else None
        self.context["checker"] = Checker(
            self.context["assessor"],
            fail_on=self.fail_on,  # type: ignore[arg-type]
            baseline=recorded,
            baseline_path=self.baseline,
            previous=GitHistory(self.since, rulebase) if self.since else None,
            horizon=self.horizon,
        )

    def __call__(self, task: Task) -> Any:
        from ..analysis.check.baseline import baseline_entry

        loaded = self.load(task)
        checker = self.context["checker"]
        assessment, results = checker.check(loaded, self.codes, self.as_of)
        entry = None
        if self.write_baseline:
            entry = baseline_entry(
                self.context["assessor"], loaded, assessment, self.write_baseline
            )
        return results, entry, checker.transitions(loaded, assessment)
