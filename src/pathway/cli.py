"""The command line (contract section 3).

Exit codes: 0 success; 1 a check failed; 2 bad input or usage (the message names file, line and
field); 3 internal error. Results go to stdout, messages to stderr; never a traceback unless
PATHWAY_DEBUG is set.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .assess import Assessor
from .assessment import Assessment
from .errors import InputError, PathwayError
from .loading import load_product
from .render import json as render_json
from .render import text as render_text
from .rulebase.conditions import All, Condition, Leaf, Not
from .rulebase.loader import load_rulebase
from .rulebase.model import Citation, Rule, RuleBase
from .schemas import assessment_schema, product_schema
from .yamlio import Limits

PRODUCT_SUFFIXES = (".yaml", ".yml", ".json")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _codes(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
    if not value:
        return None
    return [c.strip().lower() for c in value.split(",") if c.strip()]


def _rulebase(rules: str | None) -> RuleBase:
    return load_rulebase(rules)


def _products(paths: Sequence[str]) -> Iterator[tuple[str, Path | bytes]]:
    """(display name, path or stdin bytes) for every product named on the command line."""
    for given in paths:
        if given == "-":
            yield "<stdin>", sys.stdin.buffer.read()
            continue
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix in PRODUCT_SUFFIXES and p.is_file()
            )
            if not found:
                raise InputError("directory holds no *.yaml, *.yml or *.json files", file=given)
            for p in found:
                yield str(p), p
        else:
            yield given, path


rules_option = click.option(
    "--rules",
    "rules",
    metavar="DIR",
    envvar="PATHWAY_RULES",
    help="Use the rule base in DIR instead of the shipped one (env PATHWAY_RULES).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="pathway")
def cli() -> None:
    """Regulatory pathways for cell, tissue and gene-modified-cell products (US, EU, JP, CN)."""


@cli.command()
@click.argument("products", nargs=-1, required=True, metavar="PRODUCT...")
@click.option(
    "-j",
    "--jurisdictions",
    callback=_codes,
    metavar="us,eu,jp,cn",
    help="Only these jurisdictions.",
)
@click.option(
    "--as-of",
    callback=_date,
    metavar="YYYY-MM-DD",
    help="Apply the law in force on this day (default: today).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--explain", is_flag=True, help="Text: show why each finding holds.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the result to this file.",
)
@click.option("--engine", type=click.Choice(["engine", "oracle"]), default="engine", hidden=True)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=Limits().max_bytes,
    show_default=True,
    help="Refuse product files larger than this.",
)
@rules_option
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
) -> int:
    """Assess each PRODUCT (a file, a directory of them, or - for stdin)."""
    rulebase = _rulebase(rules)
    assessor = Assessor(rulebase, engine)  # type: ignore[arg-type]
    limits = Limits(max_bytes=max_bytes)
    results: list[Assessment] = []
    failed = 0
    for name, source in _products(products):
        try:
            loaded = load_product(source, rulebase, limits=limits, name=name)
            results.append(assessor.assess(loaded, jurisdictions, as_of))
        except InputError as exc:
            failed += 1
            click.echo(f"error: {exc}", err=True)
    if results:
        if fmt == "json":
            text = render_json.render(results)
        else:
            color = output is None and sys.stdout.isatty()
            text = render_text.render(results, color=color, explain=explain)
        _write(text, output)
    return 2 if failed else 0


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


# ----------------------------------------------------------------------------- rules


@cli.group()
def rules() -> None:
    """Inspect the rule base."""


@rules.command("list")
@click.option(
    "-j", "--jurisdictions", callback=_codes, metavar="us,eu,...", help="Only these jurisdictions."
)
@click.option(
    "--as-of", callback=_date, metavar="YYYY-MM-DD", help="Only rules in force on this day."
)
@click.option(
    "--facts",
    is_flag=True,
    help="List the facts (inputs, vocabulary projections, derived) instead.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@rules_option
def rules_list(
    jurisdictions: list[str] | None,
    as_of: _dt.date | None,
    facts: bool,
    fmt: str,
    rules: str | None,
) -> int:
    """List rules (id, kind, dates, title)."""
    rb = _rulebase(rules)
    if facts:
        rows = [
            {
                "fact": f.name,
                "origin": f.origin,
                "type": f.type,
                "values": [_word(v) for v in f.values]
                if f.values and len(f.values) <= 20
                else None,
                "title": f.title or f.question,
            }
            for f in rb.facts.values()
            if not jurisdictions or f.origin != "derived" or f.jurisdiction in jurisdictions
        ]
        if fmt == "json":
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        else:
            for row in rows:
                values = f" [{', '.join(row['values'])}]" if row["values"] else ""
                click.echo(f"{row['fact']:<52} {row['origin']:<10} {row['type']:<5}{values}")
        return 0
    chosen = [
        r
        for r in rb.rules
        if (not jurisdictions or r.jurisdiction in jurisdictions)
        and (as_of is None or r.effective.covers(as_of))
    ]
    if fmt == "json":
        click.echo(json.dumps([_rule_data(r) for r in chosen], indent=2, ensure_ascii=False))
    else:
        for r in chosen:
            click.echo(f"{r.id:<48} {r.kind:<10} {r.effective!s:<26} {r.title}")
    return 0


@rules.command("show")
@click.argument("ident")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@rules_option
def rules_show(ident: str, fmt: str, rules: str | None) -> int:
    """Show one rule, decision or fact, with its conditions and citations."""
    rb = _rulebase(rules)
    found = [r for r in rb.rules if r.id == ident or r.decision == ident]
    if not found and ident in rb.facts:
        f = rb.facts[ident]
        data = {
            "fact": f.name,
            "origin": f.origin,
            "type": f.type,
            "title": f.title,
            "question": f.question,
            "values": [_word(v) for v in f.values or ()],
            "defined_at": str(f.source) if f.source else None,
            "derived_by": [r.id for r in rb.rules if r.fact == ident],
            "read_by": [r.id for r in rb.rules if ident in _facts(r)],
        }
        click.echo(
            json.dumps(data, indent=2, ensure_ascii=False) if fmt == "json" else _show_fact(data)
        )
        return 0
    if not found:
        from .validation import suggest

        hint = suggest(ident, [r.id for r in rb.rules] + list(rb.facts))
        raise InputError(
            f"no rule, decision or fact {ident!r}" + (f" (did you mean {hint!r}?)" if hint else ""),
            file="pathway rules show",
        )
    if fmt == "json":
        click.echo(json.dumps([_rule_data(r) for r in found], indent=2, ensure_ascii=False))
    else:
        click.echo("\n\n".join(_show_rule(rb, r) for r in found))
    return 0


@rules.command("lint")
@rules_option
def rules_lint(rules: str | None) -> int:
    """Validate the whole rule base (ids, facts, operators, citations, dates)."""
    rb = _rulebase(rules)
    kinds: dict[str, int] = {}
    for r in rb.rules:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    click.echo(
        f"ok: rule base {rb.version} ({rb.sha256[:12]}): {len(rb.rules)} rules ({summary}), "
        f"{len(rb.facts)} facts, {len(rb.vocabularies)} vocabularies, {len(rb.citations)} citations"
    )
    return 0


def _word(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def _facts(rule: Rule) -> set[str]:
    from .rulebase.conditions import facts_of

    out = facts_of(rule.when)
    if rule.eligible_when is not None:
        out |= facts_of(rule.eligible_when)
    return out


def _cite(c: Citation) -> dict[str, Any]:
    return {
        "ref": c.ref,
        "url": c.url,
        "title": c.title,
        "original_title": c.original_title,
        "basis": c.basis,
    }


def _rule_data(r: Rule) -> dict[str, Any]:
    return {
        "id": r.id,
        "title": r.title,
        "kind": r.kind,
        "jurisdiction": r.jurisdiction,
        "effective": {
            "from": r.effective.start.isoformat(),
            "to": r.effective.end.isoformat() if r.effective.end else None,
        },
        "when": format_condition(r.when),
        "then": {r.fact: r.value} if r.fact else None,
        "decision": r.decision,
        "case": r.case,
        "timing": r.timing,
        "due": str(r.due) if r.due else None,
        "eligible_when": format_condition(r.eligible_when) if r.eligible_when is not None else None,
        "citations": [_cite(c) for c in r.citations],
        "description": r.description,
        "supersedes": r.supersedes,
        "defined_at": str(r.source),
    }


def format_condition(cond: Condition, indent: int = 0) -> str:
    pad = "  " * indent
    if isinstance(cond, Leaf):
        return f"{pad}{cond}"
    if isinstance(cond, Not):
        return f"{pad}not:\n{format_condition(cond.item, indent + 1)}"
    if not cond.items:
        return f"{pad}always" if isinstance(cond, All) else f"{pad}never"
    word = "all of" if isinstance(cond, All) else "any of"
    body = "\n".join(format_condition(item, indent + 1) for item in cond.items)
    return f"{pad}{word}:\n{body}"


def _show_rule(rb: RuleBase, r: Rule) -> str:
    lines = [f"{r.id}  ({r.kind}, {r.jurisdiction})", f"  {r.title}"]
    if r.decision:
        lines.append(
            f"  case {(r.case or 0) + 1} of decision {r.decision}: applies only if every earlier case does not"
        )
    lines.append(f"  in force: {r.effective}")
    lines.append("  when:")
    lines.append(format_condition(r.when, 2))
    if r.fact:
        lines.append(f"  then: {r.fact} = {_word(r.value)}")
    if r.timing:
        lines.append(f"  timing: {r.timing}")
    if r.due:
        lines.append(f"  due: {r.due} (reported when the product gives that date)")
    if r.eligible_when is not None:
        lines.append("  eligible when:")
        lines.append(format_condition(r.eligible_when, 2))
    if r.description:
        lines.append(f"  note: {r.description}")
    lines.append("  citations:")
    for c in r.citations:
        title = f" — {c.title}" if c.title else ""
        original = f" ({c.original_title})" if c.original_title else ""
        lines.append(f"    - {c.ref}{original}{title}\n      {c.url}  [{c.basis}]")
    if r.supersedes:
        lines.append(f"  supersedes: {r.supersedes}")
    lines.append(f"  defined at: rules/{r.source}")
    return "\n".join(lines)


def _show_fact(data: dict[str, Any]) -> str:
    lines = [f"{data['fact']}  ({data['origin']} {data['type']})"]
    for key in ("title", "question"):
        if data.get(key):
            lines.append(f"  {key}: {data[key]}")
    if data["values"]:
        lines.append(f"  values: {', '.join(data['values'])}")
    for key in ("derived_by", "read_by"):
        if data[key]:
            lines.append(f"  {key.replace('_', ' ')}: {', '.join(data[key])}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- schema


@cli.command()
@click.argument("which", type=click.Choice(["product", "assessment"]), default="product")
@rules_option
def schema(which: str, rules: str | None) -> int:
    """Print the JSON Schema of a product file or of an assessment."""
    data = product_schema(_rulebase(rules)) if which == "product" else assessment_schema()
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    return 0


# ----------------------------------------------------------------------------- entry point


def _fail(message: str, code: int) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Console entry point: maps every failure to a one-line message and an exit code."""
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="pathway",
            standalone_mode=False,
        )
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        _fail("aborted", 130)
    except click.ClickException as exc:
        _fail(f"error: {exc.format_message()}", 2)
    except PathwayError as exc:
        _fail(f"error: {exc}", exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug: one line, exit 3
        if os.environ.get("PATHWAY_DEBUG"):
            raise
        _fail(
            f"internal error: {type(exc).__name__}: {exc} (a bug in pathway: please report it; "
            "set PATHWAY_DEBUG=1 for the traceback)",
            3,
        )
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
