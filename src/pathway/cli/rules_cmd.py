"""``pathway rules``: list, show, lint and document the rule base."""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

import click

from ..authoring.lint import Report, lint, load_error
from ..errors import InputError, RuleBaseError
from ..render import REPORT_FORMATS, rules_text
from ..rulebase.load import default_rules_dir
from ..rulebase.model import RuleBase
from ..text import did_you_mean
from . import common


@click.group()
def rules() -> None:
    """Inspect the rule base."""


@rules.command("list")
@click.option(
    "-j",
    "--jurisdictions",
    callback=common.parse_codes,
    metavar="us,eu,...",
    help="Only these jurisdictions.",
)
@click.option(
    "--as-of",
    callback=common.parse_date,
    metavar="YYYY-MM-DD",
    help="Only rules in force on this day.",
)
@click.option(
    "--facts",
    is_flag=True,
    help="List the facts (inputs, vocabulary projections, derived) instead.",
)
@common.format_option(REPORT_FORMATS)
@common.rules_option
def rules_list(
    jurisdictions: list[str] | None,
    as_of: _dt.date | None,
    facts: bool,
    fmt: str,
    rules: str | None,
) -> int:
    """List rules (id, kind, dates, title)."""
    rb = common.rulebase(rules)
    if facts:
        rows = [
            rules_text.fact_row(f)
            for f in rb.facts.values()
            if not jurisdictions or f.origin != "derived" or f.jurisdiction in jurisdictions
        ]
        if fmt == "json":
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        else:
            for row in rows:
                click.echo(rules_text.fact_row_text(row))
        return 0
    chosen = [
        r
        for r in rb.rules
        if (not jurisdictions or r.jurisdiction in jurisdictions)
        and (as_of is None or r.effective.covers(as_of))
    ]
    if fmt == "json":
        click.echo(
            json.dumps([rules_text.rule_data(r) for r in chosen], indent=2, ensure_ascii=False)
        )
    else:
        for r in chosen:
            click.echo(rules_text.rule_row_text(r))
    return 0


@rules.command("show")
@click.argument("ident")
@common.format_option(REPORT_FORMATS)
@common.rules_option
def rules_show(ident: str, fmt: str, rules: str | None) -> int:
    """Show one rule, decision or fact, with its conditions and citations."""
    rb = common.rulebase(rules)
    found = [r for r in rb.rules if r.id == ident or r.decision == ident]
    if not found and ident in rb.facts:
        data = rules_text.fact_data(rb, rb.facts[ident])
        click.echo(
            json.dumps(data, indent=2, ensure_ascii=False)
            if fmt == "json"
            else rules_text.fact_text(data)
        )
        return 0
    if not found:
        raise InputError(
            f"no rule, decision or fact {ident!r}"
            + did_you_mean(ident, [r.id for r in rb.rules] + list(rb.facts)),
            file="pathway rules show",
        )
    if fmt == "json":
        click.echo(
            json.dumps([rules_text.rule_data(r) for r in found], indent=2, ensure_ascii=False)
        )
    else:
        click.echo("\n\n".join(rules_text.rule_text(rb, r) for r in found))
    return 0


@rules.command("lint")
@common.format_option(REPORT_FORMATS)
@common.rules_option
def rules_lint(fmt: str, rules: str | None) -> None:
    """Check the whole rule base: what the loader refuses, and the analyses of lint.CHECKS
    (facts nothing sets, rules that can never fire, rules that conclude different values for
    the same product...). One line per finding; exit 1 on an error, 2 when it does not load."""
    rb: RuleBase | None
    try:
        rb = common.rulebase(rules)
    except RuleBaseError as err:
        rb, report = None, Report((load_error(err),), loaded=False)
    else:
        report = Report(lint(rb))
    root = Path(rb.root) if rb else Path(rules) if rules else _default_root()
    if fmt == "json":
        click.echo(json.dumps(rules_text.lint_data(rb, report, root), indent=2, ensure_ascii=False))
    else:
        click.echo(rules_text.lint_text(rb, report, root))
    click.get_current_context().exit(report.exit_code)


@rules.command("docs")
@click.option(
    "-o", "--output", required=True, metavar="DIR", help="Write the pages into DIR (created)."
)
@click.option(
    "--vectors",
    metavar="DIR",
    help="Test vectors to show on each rule's page (default: the repository's tests/vectors, "
    "when there is one).",
)
@click.option(
    "--as-of",
    callback=common.parse_date,
    metavar="YYYY-MM-DD",
    help="The day for vectors that give none (default today).",
)
@common.rules_option
def rules_docs(output: str, vectors: str | None, as_of: _dt.date | None, rules: str | None) -> int:
    """Write the rule base as Markdown: an index, a page per jurisdiction, and a page per rule
    and decision list (condition in words, citations, dates, related rules, test vectors)."""
    from ..authoring.coverage import default_vectors_dir, exercised
    from ..authoring.docs import write_docs

    rb = common.rulebase(rules)
    vectors_dir = Path(vectors) if vectors else default_vectors_dir()
    if vectors_dir is not None and not vectors_dir.is_dir():
        raise InputError("not a directory", file=str(vectors_dir), field="--vectors")
    covered = exercised(rb, vectors_dir, as_of) if vectors_dir is not None else None
    target = Path(output)
    try:
        written = write_docs(rb, target, covered)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=output) from None
    click.echo(
        f"wrote {len(written)} pages to {output}: index, {len(rb.jurisdictions)} jurisdictions, "
        f"{len(rb.rules)} rules, {len(rb.decisions)} decision lists"
        + (f"; vectors from {vectors_dir}" if vectors_dir is not None else "; no vectors")
    )
    return 0


def _default_root() -> Path:
    try:
        return default_rules_dir()
    except RuleBaseError:
        return Path("rules")
