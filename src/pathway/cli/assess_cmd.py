"""``pathway assess``: the pathway per jurisdiction for each product."""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Iterator

import click

from .. import render
from ..batch import Task, default_parallel
from . import common, exit_codes, replay
from .jobs import AssessJob, outcomes


@click.command()
@common.products_argument
@common.jurisdictions_option
@common.as_of_option
@common.horizon_option
@common.format_option(
    render.ASSESSMENT_FORMATS, help="jsonl: one assessment per line, in input order."
)
@click.option(
    "--explain", is_flag=True, help="Text: the tree of rules and facts behind each pathway."
)
@common.output_option
@common.parallel_option
@common.jsonl_input_option
@click.option("--engine", type=click.Choice(["engine", "oracle"]), default="engine", hidden=True)
@common.max_bytes_option
@common.rules_option
def assess(
    products: tuple[str, ...],
    jurisdictions: list[str] | None,
    as_of: _dt.date | None,
    horizon: _dt.date | None,
    fmt: str,
    explain: bool,
    output: str | None,
    parallel: int | None,
    jsonl_input: bool,
    engine: str,
    max_bytes: int,
    rules: str | None,
) -> None:
    """Assess each PRODUCT (a file, a directory of them, a *.jsonl stream, or - for stdin).

    Many products are assessed by worker processes (-P); results keep the input order, and a
    product that cannot be read is reported without stopping the others (exit 2 at the end).
    """
    day = common.assessed_day(as_of, horizon)
    color = output is None and sys.stdout.isatty()
    ctx = click.get_current_context()
    found = None
    options = replay.shaping(ctx.params, as_of=day, color=color)
    if len(products) == 1 and not jsonl_input:
        found = replay.key("assess", products[0], rules, max_bytes, options)
        answer = replay.recall(found)
        if answer is not None:
            with common.Output(output) as out:
                out.write(answer.text)
            ctx.exit(answer.exit_code)
    common.rulebase(rules).require_jurisdictions(jurisdictions or ())
    # a replayable run assesses the very bytes its key was made of
    tasks = [Task(0, products[0], found.data)] if found else common.tasks(products, jsonl_input)
    job = AssessJob(
        rules=rules,
        jurisdictions=tuple(jurisdictions) if jurisdictions else None,
        as_of=day,
        max_bytes=max_bytes,
        engine=engine,
        fmt=fmt,
        explain=explain,
        color=color,
        horizon=horizon,
        remember=replay.per_product("assess", rules, max_bytes, options),
    )
    failed = crashed = 0

    def pieces() -> Iterator[str]:
        nonlocal failed, crashed
        for outcome in outcomes(
            job, tasks, parallel or default_parallel(), common.Progress(len(tasks))
        ):
            if outcome.kind == "ok":
                yield outcome.value
                continue
            failed += outcome.kind == "input_error"
            crashed += outcome.kind == "internal_error"
            prefix = "error" if outcome.kind == "input_error" else "internal error"
            click.echo(f"{prefix}: {outcome.error}", err=True)

    with common.Output(output, keep=found is not None) as out:
        for text in render.joined(fmt, pieces(), single=len(tasks) == 1):
            out.write(text)
    code = exit_codes.of_batch(failed, crashed)
    if out.written is not None and len(tasks) == 1 and not failed and not crashed:
        replay.keep(found, "".join(out.written), code)
    ctx.exit(code)
