"""The work each product of a batch gets (``batch.Job``): assess it and render it, or check it.

Jobs are picklable data; ``setup`` builds what they need once per worker process (the rule base,
from the disk cache, and an assessor or a checker).

Each product's answer is kept (``remember``, ``cli.replay.PerProduct``): the rendered text of an
assessment, the results of a check, in the disk cache under a key made of everything the whole
run's answer is keyed by (``cli.replay``) and the product's name and sha256. A product already
answered with the same bytes, options, rule base and code is not assessed again: a CI pipeline
that checks a directory on every commit assesses only the files that changed. The job assesses
the very bytes the key was made of, and a worker keeps answers only if its rule base is the one
the key names and the rule files still had that sha256 once it was read (a worker whose rule
base was read from other files keeps none).
"""

from __future__ import annotations

import base64
import datetime as _dt
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..batch import Outcome, Task, Worker, run
from .replay import PerProduct, file_bytes

KIND = "product"  # the disk cache's kind of a product's kept answer


@dataclass
class _Products:
    """What every job shares: the rule base and how products are read."""

    rules: str | None
    jurisdictions: tuple[str, ...] | None
    as_of: _dt.date
    max_bytes: int
    engine: str = "engine"
    remember: PerProduct | None = None  # keep each product's answer (None: do not)
    context: dict[str, Any] = field(default_factory=dict, repr=False)

    def setup(self) -> None:
        from ..assessment.assessor import Assessor
        from ..rulebase.load import load_rulebase

        rulebase = load_rulebase(self.rules)
        self.context.update(rulebase=rulebase, assessor=Assessor(rulebase, self.engine))  # type: ignore[arg-type]
        remember = self.remember
        # the rule base in memory is the one the key names, and no rule file changed while it
        # was read (an edit after this changes nothing in memory: answers stay true to the key)
        if remember is not None and rulebase.sha256 == remember.rules_sha and remember.unchanged():
            self.context["remember"] = remember

    def encode(self, value: Any) -> Any:
        """A product's answer as JSON data for the cache (``ValueError``: not kept)."""
        raise ValueError("this job keeps no answer")

    def decode(self, data: Any) -> Any:
        """A kept answer read back (raising: none kept)."""
        raise ValueError("this job keeps no answer")

    def compute(self, task: Task) -> Any:
        """The product's answer, computed."""
        raise NotImplementedError

    def __call__(self, task: Task) -> Any:
        """``compute(task)``, kept for the same product when it can be (``outcomes`` has looked
        for a kept answer already); a product that cannot be read is never kept: its error is
        computed every time."""
        remember: PerProduct | None = self.context.get("remember")
        data = self.source_bytes(task) if remember is not None else None
        if remember is None or data is None:
            return self.compute(task)
        value = self.compute(Task(task.index, task.name, data, task.line))  # the bytes keyed
        try:
            kept = self.encode(value)
        except (TypeError, ValueError):
            return value  # an answer the cache does not hold
        from ..rulebase import cache as disk_cache

        disk_cache.store(kept, KIND, *remember.parts_for(task.name, data), bound=False)
        return value

    def recall(self, tasks: list[Task]) -> tuple[dict[int, tuple[str, ...]], list[Task]]:
        """Which of ``tasks`` have a kept answer (the key of each, by task index: read when it
        is printed, so that a large batch never holds every answer at once), and the tasks
        left to do (with the bytes their key was made of: a worker assesses those)."""
        if self.remember is None:
            return {}, tasks
        from ..rulebase import cache as disk_cache

        kept: dict[int, tuple[str, ...]] = {}
        todo = []
        for task in tasks:
            data = self.source_bytes(task)
            if data is not None:
                parts = self.remember.parts_for(task.name, data)
                if disk_cache.has(KIND, *parts):
                    kept[task.index] = parts
                    continue
                task = Task(task.index, task.name, data, task.line)
            todo.append(task)
        return kept, todo

    def kept(self, parts: tuple[str, ...]) -> Any:
        """The answer kept under ``parts`` (None: gone since, or unusable)."""
        from ..rulebase import cache as disk_cache

        return disk_cache.load(KIND, *parts, decode=self.decode)

    def source_bytes(self, task: Task) -> bytes | None:
        """The task's bytes (a regular file within the size limit), else None."""
        if isinstance(task.source, bytes):
            return task.source
        try:
            return file_bytes(str(task.source), self.max_bytes)
        except OSError:
            return None  # the product's own read reports what is wrong

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

    def encode(self, value: Any) -> Any:
        return _pack(value)

    def decode(self, data: Any) -> Any:
        return _unpack(data)

    def compute(self, task: Task) -> str:
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

    def encode(self, value: Any) -> Any:
        return _results(value)

    def decode(self, data: Any) -> Any:
        return _read_results(data)

    def compute(self, task: Task) -> Any:
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


def outcomes(
    job: _Products, tasks: list[Task], parallel: int, progress: Callable[[int], None] | None
) -> Iterator[Outcome]:
    """``batch.run`` of ``job``, in task order, the products with a kept answer left out of it:
    no worker starts, and no rule base is loaded, for those. A kept answer is read when its
    turn comes; one gone by then (another run's cache bound) is computed here. The cache is
    brought within its bound once, when the last outcome has been taken."""
    kept, todo = job.recall(tasks)
    if progress is not None and kept:
        progress(len(kept))  # the kept answers count as done from the start
    counted = (lambda done: progress(len(kept) + done)) if progress is not None else None
    computed = run(job, todo, parallel, counted)
    here = Worker(job)
    for task in tasks:
        parts = kept.get(task.index)
        if parts is None:
            yield next(computed)
            continue
        value = job.kept(parts)
        if value is None:
            data = job.source_bytes(task)
            yield here.handle(Task(task.index, task.name, data, task.line) if data else task)
        else:
            yield Outcome(task.index, task.name, "ok", value)
    if job.remember is not None:
        from ..rulebase import cache as disk_cache

        disk_cache.tidy()  # the entries were written unbounded: the bound, once per batch


def _pack(text: str) -> dict[str, str]:
    """A rendered assessment as cache data (compressed: a full JSON assessment is ~100 kB)."""
    return {"z": base64.b64encode(zlib.compress(text.encode(), 1)).decode("ascii")}


def _unpack(data: Any) -> str:
    if type(data) is not dict or type(data.get("z")) is not str:
        raise ValueError("not a kept assessment")
    return zlib.decompress(base64.b64decode(data["z"], validate=True)).decode()


def _results(value: Any) -> dict[str, Any]:
    """A product's check (results, baseline entry, transitions) as cache data; a product with a
    baseline entry is never kept (``check --write-baseline`` is not remembered)."""
    results, entry, transitions = value
    if entry is not None:
        raise ValueError("a baseline entry is not kept")
    return {
        "results": [r.model_dump(mode="json") for r in results],
        "transitions": [t.model_dump(mode="json") for t in transitions],
    }


def _read_results(data: Any) -> Any:
    from ..analysis.check.models import CheckResult, ProductTransition

    if type(data) is not dict:
        raise ValueError("not a kept check")
    results = [CheckResult.model_validate(r) for r in data["results"]]
    transitions = [ProductTransition.model_validate(t) for t in data["transitions"]]
    return results, None, transitions
