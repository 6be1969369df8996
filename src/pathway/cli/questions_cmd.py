"""``pathway questions`` and ``pathway interview``: what would decide the open pathways."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import click

from .. import render
from ..analysis.answering import parse_answer, write_answer
from ..analysis.ranking import QuestionsReport, rank
from ..analysis.whatif import WhatIf
from ..assessment.assessor import Assessor
from ..errors import InputError
from ..io import yaml_edit
from ..product.load import LoadedProduct, load_product
from ..text import words
from . import common


def _ranked(
    whatif: WhatIf, loaded: LoadedProduct, jurisdictions: list[str] | None, day: _dt.date
) -> QuestionsReport:
    codes = whatif.assessor.codes(loaded, jurisdictions)
    return rank(whatif, loaded, whatif.assessor.assess(loaded, codes, day), day)


@click.command()
@common.product_argument
@common.jurisdictions_option
@common.as_of_option
@common.format_option(render.REPORT_FORMATS)
@common.output_option
@common.max_bytes_option
@common.rules_option
def questions(
    product: str,
    jurisdictions: list[str] | None,
    as_of: _dt.date | None,
    fmt: str,
    output: str | None,
    max_bytes: int,
    rules: str | None,
) -> None:
    """The questions that would decide PRODUCT's open pathways, the most decisive first."""
    rulebase = common.rulebase(rules)
    whatif = WhatIf(Assessor(rulebase))
    loaded = common.one_product(product, rulebase, max_bytes)
    report = _ranked(whatif, loaded, jurisdictions, as_of or _dt.date.today())
    common.write(render.questions(fmt, report), output)


@click.command()
@click.argument("product", metavar="PRODUCT", type=click.Path(exists=True, dir_okay=False))
@common.jurisdictions_option
@common.as_of_option
@click.option("--max", "limit", type=click.IntRange(min=1), help="Ask at most this many questions.")
@common.rules_option
def interview(
    product: str,
    jurisdictions: list[str] | None,
    as_of: _dt.date | None,
    limit: int | None,
    rules: str | None,
) -> None:
    """Ask PRODUCT's open questions one by one and write each answer into the file (comments and
    key order kept). Answer `skip` to pass, `quit` to stop."""
    rulebase = common.rulebase(rules)
    whatif = WhatIf(Assessor(rulebase))
    day = as_of or _dt.date.today()
    path = Path(product)
    skipped: set[str] = set()
    asked = 0
    while True:
        loaded = load_product(path, rulebase)
        report = _ranked(whatif, loaded, jurisdictions, day)
        pending = [q for q in report.questions if q.fact not in skipped]
        if not pending or (limit is not None and asked >= limit):
            break
        q = pending[0]
        asked += 1
        choices = f" [{words(q.answers)}]" if q.answers else ""
        click.echo(f"\n{q.question}{choices}")
        click.echo(f"  ({q.fact}; for {', '.join(c.upper() for c in q.jurisdictions)})")
        if q.note:
            click.echo(f"  note: {q.note}")
        while True:
            text = click.prompt("answer (skip, quit)", default="skip", show_default=False)
            if text.strip() in ("skip", "quit"):
                break
            try:
                value = parse_answer(whatif, q, text)
                break
            except InputError as exc:
                click.echo(f"  {exc.message}")
        if text.strip() == "quit":
            break
        if text.strip() == "skip":
            skipped.add(q.fact)
            continue
        data = yaml_edit.load(path)
        reason = None
        if q.determination and q.item_field is None:
            reason = click.prompt("reason for this determination (who decided, and where)")
        write_answer(whatif, loaded, q, data, value, reason)
        previous = path.read_bytes()
        yaml_edit.save(path, data)
        try:
            load_product(path, rulebase)
        except InputError as exc:  # the answer contradicts another fact: undo it
            path.write_bytes(previous)
            click.echo(f"  not written: {exc.message}")
            skipped.add(q.fact)
            continue
        click.echo(f"  written to {path}")
    loaded = load_product(path, rulebase)
    result = whatif.assessor.assess(loaded, whatif.assessor.codes(loaded, jurisdictions), day)
    click.echo("")
    for code, r in result.jurisdictions.items():
        click.echo(f"{code.upper()}  {r.pathway or 'undetermined'}  {r.title or ''}".rstrip())
