"""``pathway assess``: the pathway per jurisdiction for each product."""

from __future__ import annotations

import datetime as _dt
import sys

import click

from ..assess import Assessor
from ..assessment import Assessment
from ..errors import InputError
from ..loading import load_product
from ..render import json as render_json
from ..render import markdown as render_markdown
from ..render import text as render_text
from ..yamlio import Limits
from . import common


@click.command()
@click.argument("products", nargs=-1, required=True, metavar="PRODUCT...")
@common.jurisdictions_option
@common.as_of_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
@click.option(
    "--explain", is_flag=True, help="Text: the tree of rules and facts behind each pathway."
)
@common.output_option
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
    engine: str,
    max_bytes: int,
    rules: str | None,
) -> None:
    """Assess each PRODUCT (a file, a directory of them, or - for stdin)."""
    rulebase = common.rulebase(rules)
    assessor = Assessor(rulebase, engine)  # type: ignore[arg-type]
    limits = Limits(max_bytes=max_bytes)
    results: list[Assessment] = []
    failed = 0
    for name, source in common.products(products):
        try:
            loaded = load_product(source, rulebase, limits=limits, name=name)
            results.append(assessor.assess(loaded, jurisdictions, as_of))
        except InputError as exc:
            failed += 1
            click.echo(f"error: {exc}", err=True)
    if results:
        if fmt == "json":
            text = render_json.render(results)
        elif fmt == "markdown":
            text = render_markdown.render(results)
        else:
            color = output is None and sys.stdout.isatty()
            text = render_text.render(results, color=color, explain=explain)
        common.write(text, output)
    click.get_current_context().exit(2 if failed else 0)
