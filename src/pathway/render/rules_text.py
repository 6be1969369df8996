"""``pathway rules``: a rule, a decision, a fact or the lint report, as text or as JSON data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..authoring.lint import CHECKS, Report
from ..rulebase.conditions import All, Condition, Leaf, Not
from ..rulebase.model import FactDef, Rule, RuleBase
from ..text import word


def shown_file(root: Path, file: str | None) -> str | None:
    """A rule file as a path from the working directory (clickable), when it is below it."""
    if file is None:
        return None
    path = Path(file) if Path(file).is_absolute() else root / file
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def lint_summary(rb: RuleBase | None, report: Report, root: Path) -> str:
    if rb is None:
        return f"failed: the rule base in {shown_file(root, str(root))} does not load"
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


def rule_data(r: Rule) -> dict[str, Any]:
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
        "citations": [c.out().model_dump() for c in r.citations],
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


def rule_text(rb: RuleBase, r: Rule) -> str:
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


def fact_text(data: dict[str, Any]) -> str:
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


def fact_data(rb: RuleBase, f: FactDef) -> dict[str, Any]:
    """One fact for ``pathway rules show``: its definition and the rules around it."""
    return {
        "fact": f.name,
        "origin": f.origin,
        "type": f.type,
        "title": f.title,
        "question": f.question,
        "values": [word(v) for v in f.values or ()],
        "defined_at": str(f.source) if f.source else None,
        "derived_by": [r.id for r in rb.rules if r.fact == f.name],
        "read_by": [r.id for r in rb.rules if f.name in r.reads()],
    }


def fact_row(f: FactDef) -> dict[str, Any]:
    """One line of ``pathway rules list --facts``."""
    return {
        "fact": f.name,
        "origin": f.origin,
        "type": f.type,
        "values": [word(v) for v in f.values] if f.values and len(f.values) <= 20 else None,
        "title": f.title or f.question,
    }


def fact_row_text(row: dict[str, Any]) -> str:
    values = f" [{', '.join(row['values'])}]" if row["values"] else ""
    return f"{row['fact']:<52} {row['origin']:<10} {row['type']:<5}{values}"


def rule_row_text(r: Rule) -> str:
    return f"{r.id:<48} {r.kind:<10} {r.effective!s:<26} {r.title}"


def lint_data(rb: RuleBase | None, report: Report, root: Path) -> dict[str, Any]:
    """The lint report as JSON data."""
    return {
        "rulebase": {"name": rb.name, "version": rb.version, "sha256": rb.sha256} if rb else None,
        "loaded": report.loaded,
        "summary": {"errors": report.errors, "warnings": report.warnings},
        "findings": [
            {**data, "file": shown_file(root, data["file"])}
            for data in (f.data() for f in report.findings)
        ],
        "checks": {
            c.id: {"severity": c.severity, "made_by": c.made_by, "title": c.title}
            for c in CHECKS.values()
        },
    }


def lint_text(rb: RuleBase | None, report: Report, root: Path) -> str:
    """The lint report for people: a summary line, then one line per finding."""
    lines = [lint_summary(rb, report, root)]
    for f in report.findings:
        where = f.location
        place = shown_file(root, where.file if where else None) or str(root)
        if where and where.line:
            place += f":{where.line}"
        ids = f" [{', '.join(f.rules)}]" if f.rules else ""
        lines.append(f"{place}: {f.severity} {f.check}{ids}: {f.message}")
    return "\n".join(lines)
