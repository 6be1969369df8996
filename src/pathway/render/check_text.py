"""``pathway check --format text``: one line per product and jurisdiction, then a summary."""

from __future__ import annotations

from ..analysis.check.models import CheckReport, CheckResult
from .text import Style

TAGS = {"pass": "PASS", "fail": "FAIL", "undetermined": "UNDETERMINED", "unchecked": "UNCHECKED"}


def _where(result: CheckResult) -> str:
    loc = result.location
    if loc is None or loc.line is None:
        return result.file
    return f"{result.file}:{loc.line}" + (f":{loc.column}" if loc.column else "")


def summary_line(report: CheckReport) -> str:
    s = report.summary
    text = (
        f"{s.checks} checks in {s.products} products: {s.passed} passed, {s.failed} failed, "
        f"{s.undetermined} undetermined, {s.unchecked} without expectation, {s.errors} errors"
        f" · rule base {report.rulebase.version} ({report.rulebase.sha256[:12]})"
        f" · as of {report.as_of.isoformat()}"
    )
    if report.horizon is not None:
        count = s.transitions or 0
        text += (
            f" · {count} change{'' if count == 1 else 's'} ahead to {report.horizon.isoformat()}"
        )
    if s.rulebase_changed is not None:
        old = s.rulebase_changed.baseline
        text += (
            f"\nthe rule base changed since the baseline was written: {old.version} "
            f"({old.sha256[:12]}) -> {report.rulebase.version} ({report.rulebase.sha256[:12]})"
        )
    return text


def render(report: CheckReport, color: bool = False) -> str:
    style = Style(color)
    colours = {"pass": "green", "fail": "red", "undetermined": "yellow", "unchecked": "cyan"}
    lines = []
    for r in report.results:
        tag = TAGS[r.status] if r.failed or r.status == "pass" else TAGS[r.status].lower()
        head = style(f"{tag:<12}", fg=colours[r.status], bold=r.failed)
        if r.status == "pass":
            lines.append(f"{head} {r.file}  {r.jurisdiction}  {r.actual}")
            continue
        lines.append(f"{head} {_where(r)}  {r.jurisdiction}  {r.message}")
        if not r.failed:
            continue
        lines.append(f"{'':12}   rule {r.rule}: {r.title}")
        for item in r.related[:6]:
            loc = item.location
            lines.append(f"{'':12}   {loc.file}:{loc.line}  {item.message}")
    for t in report.transitions or ():
        tag = "TRANSITION" if t.failed else "transition"
        head = style(f"{tag:<12}", fg="magenta", bold=t.failed)
        lines.append(f"{head} {t.file}  {t.jurisdiction}  {t.date.isoformat()}  {t.title}")
        lines.append(f"{'':12}   rules: {', '.join(t.rules)}")
    for e in report.errors:
        where = ":".join(str(p) for p in (e.file, e.line, e.column) if p is not None)
        field = f" {e.field}:" if e.field else ""
        lines.append(f"{style('ERROR', fg='red', bold=True):<12} {where}:{field} {e.message}")
    lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
