"""``pathway check``: fail a CI build when a product's pathway differs from what is expected."""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Callable

import click

from ..assess import Assessor
from ..assessment import Assessment
from ..check import (
    Baseline,
    Checker,
    CheckError,
    CheckReport,
    CheckResult,
    FailOn,
    error_of,
    new_baseline,
)
from ..errors import InputError
from ..history import GitHistory
from ..loading import LoadedProduct, load_product
from ..render import check_text, github, junit, sarif
from ..yamlio import Limits
from . import common

FORMATS: dict[str, Callable[[CheckReport], str]] = {
    "json": lambda report: report.model_dump_json(indent=2) + "\n",
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "text": check_text.render,
}


def _report_option(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[tuple[str, str]]:
    out = []
    for value in values:
        fmt, sep, path = value.partition(":")
        if not sep or fmt not in FORMATS or not path:
            raise click.BadParameter(
                f"{value!r}: write FORMAT:FILE with FORMAT one of {', '.join(sorted(FORMATS))}"
            )
        out.append((fmt, path))
    return out


@click.command()
@click.argument("products", nargs=-1, required=True, metavar="PRODUCT...")
@common.jurisdictions_option
@common.as_of_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "junit", "github"]),
    default="text",
    show_default=True,
)
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
    type=click.Choice(["undetermined", "unchecked"]),
    help="Also fail on undetermined pathways / on pathways with no expectation (repeatable).",
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
@common.max_bytes_option
@common.rules_option
def check(
    products: tuple[str, ...],
    jurisdictions: list[str] | None,
    as_of: _dt.date | None,
    fmt: str,
    output: str | None,
    reports: list[tuple[str, str]],
    fail_on: tuple[FailOn, ...],
    baseline: str | None,
    write_baseline: str | None,
    since: str | None,
    max_bytes: int,
    rules: str | None,
) -> None:
    """Check each PRODUCT's pathways against its expect: entries (or a baseline).

    Exit 0 when every check passes, 1 when one fails, 2 when a product cannot be read.
    """
    rulebase = common.rulebase(rules)
    assessor = Assessor(rulebase)
    for code in jurisdictions or ():
        if code not in rulebase.jurisdictions:
            raise InputError(
                f"unknown jurisdiction {code!r}; expected one of {', '.join(rulebase.jurisdictions)}",
                file="--jurisdictions",
            )
    recorded = Baseline.read(baseline) if baseline else None
    checker = Checker(
        assessor,
        fail_on=fail_on,
        baseline=recorded,
        baseline_path=baseline,
        previous=GitHistory(since, rulebase) if since else None,
    )
    day = as_of or _dt.date.today()
    limits = Limits(max_bytes=max_bytes)
    results: list[CheckResult] = []
    errors: list[CheckError] = []
    assessed: list[tuple[LoadedProduct, Assessment]] = []
    count = 0
    for name, source in common.products(products):
        count += 1
        try:
            loaded = load_product(source, rulebase, limits=limits, name=name)
            assessment, found = checker.check(loaded, jurisdictions, day)
        except InputError as exc:
            errors.append(error_of(exc))
            click.echo(f"error: {exc}", err=True)
            continue
        results.extend(found)
        assessed.append((loaded, assessment))
    report = checker.report(results, errors, count, day)
    if write_baseline:
        new_baseline(assessor, assessed, write_baseline, day).write(write_baseline)
    for report_fmt, path in reports:
        common.write(FORMATS[report_fmt](report), path)
    if fmt == "text":
        text = check_text.render(report, color=output is None and sys.stdout.isatty())
    else:
        text = FORMATS[fmt](report)
    common.write(text, output)
    click.get_current_context().exit(report.exit_code)
