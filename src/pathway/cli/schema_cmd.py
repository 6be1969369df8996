"""``pathway schema``: JSON Schemas for editors and for consumers of the output."""

from __future__ import annotations

import json

import click

from ..product.schema import assessment_schema, brief_schema, product_schema
from . import common


@click.command()
@click.argument("which", type=click.Choice(["product", "assessment", "brief"]), default="product")
@common.rules_option
def schema(which: str, rules: str | None) -> int:
    """Print the JSON Schema of a product file, an assessment or a briefing draft."""
    if which == "product":
        data = product_schema(common.rulebase(rules))
    else:
        data = assessment_schema() if which == "assessment" else brief_schema()
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    return 0
