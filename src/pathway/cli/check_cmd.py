"""``pathway check``: fail a CI build when a product's pathway differs from what is expected."""

from __future__ import annotations

import datetime as _dt
import sys
from typing import TYPE_CHECKING

import click

from .. import render
from ..batch import Task, default_parallel
from . import common, exit_codes, replay
from .jobs import CheckJob, outcomes

if TYPE_CHECKING:
    from ..analysis.check.baseline import BaselineEntry
    from ..analysis.check.models import CheckError, CheckResult, FailOn, ProductTransition


def _report_option(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[tuple[str, str]]:
    out = []
    for value in values:
        fmt, sep, path = value.partition(":")
        if not sep or fmt not in render.CHECK_FORMATS or not path:
            raise click.BadParameter(
                f"{value!r}: write FORMAT:FILE with FORMAT one of "
                f"{', '.join(sorted(render.CHECK_FORMATS))}"
            )
        out.append((fmt, path))
    return out


@click.command()
@common.products_argument
@common.jurisdictions_option
@common.as_of_option
@common.horizon_option
@common.format_option(render.CHECK_FORMATS)
@common.output_option
@click.option(
    "--report",
    "reports",
    multiple=True,
    callback=_report_option,
    metavar="FORMAT:FILE",
    help="Also write the result in FORMAT to FILE (repeatable), e.g. sarif:pathway.sarif.",
)
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    type=click.Choice(["undetermined", "unchecked", "transition"]),
    help="Also fail on undetermined pathways / on pathways with no expectation / on a change "
    "ahead within --horizon (repeatable).",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="Compare products without expect: with the pathways recorded in this file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    help="Record today's pathways of products without expect: in this file.",
)
@click.option(
    "--since",
    metavar="REV",
    help="Compare each product file with its version at git revision REV, so that a failed "
    "check points at the line that changed.",
)
@common.parallel_option
@common.jsonl_input_option
@common.max_bytes_option
@common.rules_option
def check(
    products: tuple[str, ...],
    jurisdictions: list[str] | None,
    as_of: _dt.date | None,
    horizon: _dt.date | None,
    fmt: str,
    output: str | None,
    reports: list[tuple[str, str]],
    fail_on: tuple[FailOn, ...],
    baseline: str | None,
    write_baseline: str | None,
    since: str | None,
    parallel: int | None,
    jsonl_input: bool,
    max_bytes: int,
    rules: str | None,
) -> None:
    """Check each PRODUCT's pathways against its expect: entries (or a baseline).

    Exit 0 when every check passes, 1 when one fails, 2 when a product cannot be read, 3 on an
    internal error. Many products are checked by worker processes (-P), in input order.
    """
    if "transition" in fail_on and horizon is None:
        raise click.UsageError("--fail-on transition needs --horizon (how far to look ahead)")
    day = common.assessed_day(as_of, horizon)
    color = output is None and sys.stdout.isatty()
    ctx = click.get_current_context()
    found = None
    options = replay.shaping(ctx.params, as_of=day, color=color)
    if len(products) == 1 and not (jsonl_input or reports or baseline or write_baseline or since):
        found = replay.key("check", products[0], rules, max_bytes, options)
        answer = replay.recall(found)
        if answer is not None:
            common.write(answer.text, output)
            ctx.exit(answer.exit_code)
    from ..analysis.check.baseline import Baseline, new_baseline
    from ..analysis.check.checker import Checker
    from ..analysis.check.history import GitHistory
    from ..analysis.check.models import CheckError
    from ..assessment.assessor import Assessor

    rulebase = common.rulebase(rules)
    rulebase.require_jurisdictions(jurisdictions or ())
    assessor = Assessor(rulebase)
    recorded = Baseline.read(baseline) if baseline else None  # refused here, before any work
    if since:
        GitHistory(since, rulebase).verify(products)
    checker = Checker(
        assessor, fail_on=fail_on, baseline=recorded, baseline_path=baseline, horizon=horizon
    )
    # a replayable run checks the very bytes its key was made of
    tasks = [Task(0, products[0], found.data)] if found else common.tasks(products, jsonl_input)
    job = CheckJob(
        rules=rules,
        jurisdictions=tuple(jurisdictions) if jurisdictions else None,
        as_of=day,
        max_bytes=max_bytes,
        fail_on=tuple(fail_on),
        baseline=baseline,
        since=since,
        write_baseline=write_baseline,
        horizon=horizon,
        # a product's results are kept unless they depend on other files than its own
        remember=None
        if baseline or write_baseline or since
        else replay.per_product("check", rules, max_bytes, options),
    )
    results: list[CheckResult] = []
    errors: list[CheckError] = []
    entries: list[tuple[str, BaselineEntry]] = []
    ahead: list[ProductTransition] = []
    crashed = False
    for outcome in outcomes(
        job, tasks, parallel or default_parallel(), common.Progress(len(tasks))
    ):
        if outcome.kind == "ok":
            checked, entry, changes = outcome.value
            results.extend(checked)
            ahead.extend(changes)
            if entry is not None:
                entries.append(entry)
            continue
        crashed = crashed or outcome.kind == "internal_error"
        prefix = "error" if outcome.kind == "input_error" else "internal error"
        click.echo(f"{prefix}: {outcome.error}", err=True)
        file, line, column, field, message = outcome.where or (
            outcome.name,
            None,
            None,
            None,
            f"internal error: {outcome.error}",
        )
        errors.append(CheckError(file=file, line=line, column=column, field=field, message=message))
    count = len(tasks)
    report = checker.report(results, errors, count, day, ahead)
    if write_baseline:
        new_baseline(assessor, entries, day).write(write_baseline)
    for report_fmt, path in reports:
        common.write(render.check(report_fmt, report), path)
    text = render.check(fmt, report, color=color)
    common.write(text, output)
    code = exit_codes.INTERNAL if crashed else report.exit_code
    if not errors and not crashed:
        replay.keep(found, text, code)
    ctx.exit(code)
