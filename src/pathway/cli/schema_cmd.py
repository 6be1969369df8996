"""``pathway schema``: JSON Schemas for editors and for consumers of the output."""

from __future__ import annotations

import json

import click

from ..product.schema import assessment_schema, product_schema
from . import common


@click.command()
@click.argument("which", type=click.Choice(["product", "assessment"]), default="product")
@common.rules_option
def schema(which: str, rules: str | None) -> int:
    """Print the JSON Schema of a product file or of an assessment."""
    data = product_schema(common.rulebase(rules)) if which == "product" else assessment_schema()
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    return 0
