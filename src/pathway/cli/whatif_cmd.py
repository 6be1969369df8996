"""``pathway what-if``: the pathways with some facts changed, and which single facts matter."""

from __future__ import annotations

import datetime as _dt

import click

from .. import render
from ..analysis.whatif import WhatIf, report
from ..assessment.assessor import Assessor
from . import common


@click.command("what-if")
@common.product_argument
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Change a fact (repeatable): use.homologous=true, processing=[cryopreservation], "
    "processing+=washing, processing-=culture_expansion. VALUE is YAML.",
)
@click.option(
    "--flip",
    is_flag=True,
    help="List, per jurisdiction, the single facts whose change would change the pathway.",
)
@common.jurisdictions_option
@common.as_of_option
@common.format_option(render.REPORT_FORMATS)
@common.output_option
@common.max_bytes_option
@common.rules_option
def what_if(
    product: str,
    assignments: tuple[str, ...],
    flip: bool,
    jurisdictions: list[str] | None,
    as_of: _dt.date | None,
    fmt: str,
    output: str | None,
    max_bytes: int,
    rules: str | None,
) -> None:
    """Show PRODUCT's pathways before and after --set changes, or with --flip the changes
    that would change them (computed by re-evaluating the changed product)."""
    if not assignments and not flip:
        raise click.UsageError("give --set FIELD=VALUE (repeatable), --flip, or both")
    rulebase = common.rulebase(rules)
    whatif = WhatIf(Assessor(rulebase))
    loaded = common.one_product(product, rulebase, max_bytes)
    changes = [whatif.parse(text, loaded) for text in assignments]
    codes = whatif.assessor.codes(loaded, jurisdictions)
    result = report(whatif, loaded, changes, codes, as_of or _dt.date.today(), flip)
    common.write(render.what_if(fmt, result), output)
