"""``pathway rules``: list, show and lint the rule base."""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

import click

from ..errors import InputError
from ..rulebase.conditions import All, Condition, Leaf, Not, facts_of
from ..rulebase.model import Citation, Rule, RuleBase
from ..validation import suggest
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
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
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
            {
                "fact": f.name,
                "origin": f.origin,
                "type": f.type,
                "values": [common.word(v) for v in f.values]
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
@common.rules_option
def rules_show(ident: str, fmt: str, rules: str | None) -> int:
    """Show one rule, decision or fact, with its conditions and citations."""
    rb = common.rulebase(rules)
    found = [r for r in rb.rules if r.id == ident or r.decision == ident]
    if not found and ident in rb.facts:
        f = rb.facts[ident]
        data = {
            "fact": f.name,
            "origin": f.origin,
            "type": f.type,
            "title": f.title,
            "question": f.question,
            "values": [common.word(v) for v in f.values or ()],
            "defined_at": str(f.source) if f.source else None,
            "derived_by": [r.id for r in rb.rules if r.fact == ident],
            "read_by": [r.id for r in rb.rules if ident in _facts(r)],
        }
        click.echo(
            json.dumps(data, indent=2, ensure_ascii=False) if fmt == "json" else _show_fact(data)
        )
        return 0
    if not found:
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
@common.rules_option
def rules_lint(rules: str | None) -> int:
    """Validate the whole rule base (ids, facts, operators, citations, dates)."""
    rb = common.rulebase(rules)
    kinds: dict[str, int] = {}
    for r in rb.rules:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    click.echo(
        f"ok: rule base {rb.version} ({rb.sha256[:12]}): {len(rb.rules)} rules ({summary}), "
        f"{len(rb.facts)} facts, {len(rb.vocabularies)} vocabularies, {len(rb.citations)} citations"
    )
    return 0


def _facts(rule: Rule) -> set[str]:
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
        "due": [str(d) for d in r.due] or None,
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
        lines.append(f"  then: {r.fact} = {common.word(r.value)}")
    if r.timing:
        lines.append(f"  timing: {r.timing}")
    if r.due:
        lines.append(
            f"  due: {' or else '.join(str(d) for d in r.due)} (reported when the product gives that date)"
        )
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
