"""``pathway rules``: list, show, lint and document the rule base."""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

import click

from ..errors import InputError, RuleBaseError
from ..rulebase.conditions import All, Condition, Leaf, Not, facts_of
from ..rulebase.lint import CHECKS, Report, lint, load_error
from ..rulebase.loader import default_rules_dir
from ..rulebase.model import Citation, Rule, RuleBase
from ..validation import suggest
from ..words import word
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
                "values": [word(v) for v in f.values] if f.values and len(f.values) <= 20 else None,
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
            "values": [word(v) for v in f.values or ()],
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
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
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
        data = {
            "rulebase": {"name": rb.name, "version": rb.version, "sha256": rb.sha256}
            if rb
            else None,
            "loaded": report.loaded,
            "summary": {"errors": report.errors, "warnings": report.warnings},
            "findings": [
                {**data, "file": _shown_file(root, data["file"])}
                for data in (f.data() for f in report.findings)
            ],
            "checks": {
                c.id: {"severity": c.severity, "made_by": c.made_by, "title": c.title}
                for c in CHECKS.values()
            },
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(_lint_summary(rb, report, root))
        for f in report.findings:
            where = f.location
            place = _shown_file(root, where.file if where else None) or str(root)
            if where and where.line:
                place += f":{where.line}"
            ids = f" [{', '.join(f.rules)}]" if f.rules else ""
            click.echo(f"{place}: {f.severity} {f.check}{ids}: {f.message}")
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
    from ..rulebase.coverage import default_vectors_dir, exercised
    from ..rulebase.docs import write_docs

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


def _shown_file(root: Path, file: str | None) -> str | None:
    """A rule file as a path from the working directory (clickable), when it is below it."""
    if file is None:
        return None
    path = Path(file) if Path(file).is_absolute() else root / file
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _lint_summary(rb: RuleBase | None, report: Report, root: Path) -> str:
    if rb is None:
        return f"failed: the rule base in {_shown_file(root, str(root))} does not load"
    kinds: dict[str, int] = {}
    for r in rb.rules:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    counts = [
        f"{n} {noun}{'s' if n != 1 else ''}"
        for n, noun in ((report.errors, "error"), (report.warnings, "warning"))
        if n
    ]
    return (
        f"{'failed' if report.errors else 'ok'}: rule base {rb.version} ({rb.sha256[:12]}): "
        f"{len(rb.rules)} rules ({summary}), {len(rb.facts)} facts, {len(rb.vocabularies)} "
        f"vocabularies, {len(rb.citations)} citations; {', '.join(counts) or 'no findings'}"
    )


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
        lines.append(f"  then: {r.fact} = {word(r.value)}")
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
