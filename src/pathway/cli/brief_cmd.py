"""``pathway brief``: a draft of a regulator's request for PRODUCT, pre-filled from the product
file and its assessment (the request structures are rule-base files, ``rules/briefs/``)."""

from __future__ import annotations

import datetime as _dt

import click

from ..text import did_you_mean
from . import common


@click.command("brief")
@common.product_argument
@click.option(
    "--to",
    "target",
    required=True,
    metavar="TARGET",
    help="The request to draft: fda-trg, fda-rfd, ema-cat, pmda, nmpa or nhc (the brief files "
    "of the rule base, rules/briefs/).",
)
@common.as_of_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("markdown", "json")),
    default="markdown",
    show_default=True,
)
@common.output_option
@common.max_bytes_option
@common.rules_option
def brief(
    product: str,
    target: str,
    as_of: _dt.date | None,
    fmt: str,
    output: str | None,
    max_bytes: int,
    rules: str | None,
) -> None:
    """Draft the request TARGET for PRODUCT: the regulator's sections in its order, each fact as
    the file states it or the assessment found it (with its sources), the classification as the
    sponsor's proposal, and every fact still open as a numbered open item with its question."""
    from ..analysis.brief import brief as fill
    from ..assessment.assessor import Assessor

    rulebase = common.rulebase(rules)
    template = rulebase.briefs.get(target)
    if template is None:
        raise click.BadParameter(
            f"unknown target {target!r}"
            + did_you_mean(
                target, rulebase.briefs, f"; expected one of {', '.join(rulebase.briefs)}"
            ),
            param_hint="--to",
        )
    loaded = common.one_product(product, rulebase, max_bytes)
    assessment = Assessor(rulebase).assess(loaded, [template.jurisdiction], as_of)
    drafted = fill(rulebase, template, loaded, assessment)
    if fmt == "json":
        from ..render import model_json

        text = model_json(drafted)
    else:
        from ..render import brief_markdown

        text = brief_markdown.render(drafted)
    common.write(text, output)
