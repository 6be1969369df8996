"""``pathway assess``: the pathway per jurisdiction for each product."""

from __future__ import annotations

import datetime as _dt
import json
import sys
import textwrap

import click

from ..batch import Job, default_parallel, run
from . import common


@click.command()
@click.argument("products", nargs=-1, required=True, metavar="PRODUCT...")
@common.jurisdictions_option
@common.as_of_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl", "markdown"]),
    default="text",
    show_default=True,
    help="jsonl: one assessment per line, in input order.",
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
    rulebase = common.rulebase(rules)
    for code in jurisdictions or ():
        common.known_jurisdiction(rulebase, code)
    tasks = common.tasks(products, jsonl_input)
    job = Job(
        kind="assess",
        rules=rules,
        jurisdictions=tuple(jurisdictions) if jurisdictions else None,
        as_of=as_of or _dt.date.today(),
        max_bytes=max_bytes,
        render=fmt,
        explain=explain,
        color=output is None and sys.stdout.isatty(),
        engine=engine,
    )
    failed = crashed = written = 0
    single = len(tasks) == 1
    with common.Output(output) as out:
        for outcome in run(job, tasks, parallel or default_parallel(), common.Progress(len(tasks))):
            if outcome.kind != "ok":
                failed += outcome.kind == "input_error"
                crashed += outcome.kind == "internal_error"
                prefix = "error" if outcome.kind == "input_error" else "internal error"
                click.echo(f"{prefix}: {outcome.error}", err=True)
                continue
            out.write(_piece(fmt, outcome.value, written, single))
            written += 1
        if fmt == "json" and not single and written:
            out.write("\n]\n")
        elif fmt == "json" and not single:
            out.write("[]\n")
    click.get_current_context().exit(3 if crashed else 2 if failed else 0)


def _piece(fmt: str, value: object, written: int, single: bool) -> str:
    """One product's output, joined to the others as the format requires."""
    if fmt == "jsonl":
        return f"{value}\n"
    if fmt == "json":
        text = json.dumps(value, indent=2, ensure_ascii=False)
        if single:
            return text + "\n"
        return ("[\n" if written == 0 else ",\n") + textwrap.indent(text, "  ")
    return ("\n" if written else "") + str(value)
