"""Text output for people: per jurisdiction the pathway, why, obligations, options, questions."""

from __future__ import annotations

import os
from collections.abc import Sequence

import click

from ..contract.assessment import Assessment, CitationOut, JurisdictionResult
from ..text import word as _value
from .reasoning import tree, walk, where


class Style:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""

    def __init__(self, color: bool | None = None) -> None:
        if color is None:
            color = False
        self.color = color and not os.environ.get("NO_COLOR")

    def __call__(self, text: str, **kw: object) -> str:
        return click.style(text, **kw) if self.color else text  # type: ignore[arg-type]


def _refs(citations: Sequence[CitationOut], limit: int = 2) -> str:
    shown = [
        f"{c.ref} ({c.original_title})" if c.original_title else c.ref for c in citations[:limit]
    ]
    if len(citations) > limit:
        shown.append("...")
    return f"[{'; '.join(shown)}]" if shown else ""


def jurisdiction(
    code: str, result: JurisdictionResult, style: Style, explain: bool = False
) -> list[str]:
    lines = [style(f"{code.upper()}  {result.name}", bold=True)]
    if result.status == "determined":
        lines.append(f"  pathway: {style(result.pathway or '', bold=True)}  {result.title}")
        extra = []
        if result.classification:
            extra.append(f"classification: {result.classification} ({result.classification_title})")
        elif len(result.classification_candidates) > 1:
            extra.append(f"classification: one of {', '.join(result.classification_candidates)}")
        premarket = {True: "yes", False: "no", None: "depends (see notes)"}[result.premarket_review]
        extra.append(f"premarket review: {premarket}")
        lines.append("  " + " · ".join(extra))
        lines.extend(f"  {line}" for line in attribute_lines(result))
    else:
        lines.append(
            f"  pathway: {style('undetermined', fg='yellow', bold=True)}  (answer the questions below)"
        )
        lines.extend(f"  {line}" for line in open_answer(result))
    if result.findings and explain:
        lines.append("  why (the rules that led here, and the facts each one used):")
        lines.extend(_tree(result, style))
    elif result.findings:
        lines.append("  why:")
        shown: set[str] = set()
        for f in result.findings:
            if f.fact in shown:
                continue
            shown.add(f.fact)
            tag = f.determination_tag()
            lines.append(f"    - {f.fact} = {_value(f.value)}: {f.title}{tag} {_refs(f.citations)}")
    if result.obligations:
        lines.append("  obligations:")
        for o in result.obligations:
            due = f"; due by {o.due.isoformat()}" if o.due else ""
            if o.due and o.due_basis and o.due_basis.endswith("at the latest"):
                due += " at the latest"
            if o.overdue:
                due += style(" (PASSED on the day assessed)", fg="red", bold=True)
            whichever = "; whichever candidate holds" if o.across_candidates else ""
            if o.conditional_on:
                facts = " and ".join(c.fact for c in o.conditional_on)
                plural = len(o.conditional_on) > 1
                whichever += (
                    f"; only if the answer{'s' if plural else ''} to {facts} "
                    f"so require{'' if plural else 's'}"
                )
            lines.append(f"    - {o.title} ({o.when}{due}{whichever}) {_refs(o.citations)}")
            lines.extend(f"        ? {c.question}" for c in o.conditional_on)
    if result.options:
        lines.append("  options:")
        for o in result.options:
            lines.append(f"    - {o.title}: eligible {o.eligible} {_refs(o.citations)}")
    if result.questions:
        lines.append("  questions:")
        for i, q in enumerate(result.questions, 1):
            answers = f" [{', '.join(_value(a) for a in q.answers)}]" if q.answers else ""
            lines.append(f"    {i}. {q.question}{answers}")
            lines.append(f"       ({q.fact}; {q.why})")
            if q.note:
                lines.append(f"       note: {q.note}")
    if result.notes:
        lines.append("  notes:")
        for n in result.notes:
            lines.append(f"    - {n.text} {_refs(n.citations)}".rstrip())
    return lines


def open_answer(result: JurisdictionResult) -> list[str]:
    """What is settled while the pathway is open: the candidates, the classification, and
    premarket review when every candidate agrees on it."""
    if result.candidates:
        lines = [f"still possible: {', '.join(result.candidates)}"]
    else:
        lines = ["no pathway follows from these facts as the rules stand (see the notes)"]
    if result.classification:
        lines.append(f"classification: {result.classification} ({result.classification_title})")
    elif len(result.classification_candidates) > 1:
        lines.append(f"classification: one of {', '.join(result.classification_candidates)}")
    if result.premarket_review is not None:
        answer = "yes" if result.premarket_review else "no"
        lines.append(f"premarket review: {answer}, whichever of them holds")
    return lines + attribute_lines(result)


def attribute_lines(result: JurisdictionResult) -> list[str]:
    """The reported facts beside the classification: each value, or the values still open."""
    lines = []
    for a in result.attributes:
        if a.value is not None:
            lines.append(f"{a.title}: {_value(a.value)}")
        elif len(a.candidates) > 1:
            lines.append(f"{a.title}: one of {', '.join(_value(v) for v in a.candidates)}")
    return lines


def _tree(result: JurisdictionResult, style: Style) -> list[str]:
    lines = []
    for depth, step in walk(tree(result)):
        pad = "    " + "   " * depth + ("└─ " if depth else "")
        if step.finding is not None:
            f = step.finding
            if step.repeated:
                lines.append(f"{pad}{f.fact} = {_value(f.value)}  (see above: {f.rule})")
                continue
            rule = f.determination_tag().strip(" ()") if f.source == "determination" else f.rule
            lines.append(
                f"{pad}{style(f.fact, bold=True)} = {_value(f.value)}  [{rule}] {f.title} "
                f"{_refs(f.citations, limit=3)}"
            )
            if f.source == "determination":
                for reason in f.because:
                    lines.append(f"{pad}   {reason}")
        elif step.use is not None:
            text = step.use.describe()
            place = where(step.use)
            refs = _refs(step.use.citations, limit=2)
            lines.append(
                f"{pad}{text}" + (f"  ({place})" if place else "") + (f" {refs}" if refs else "")
            )
    return lines


def parted(a: Assessment, style: Style) -> list[str]:
    """The questions on which the jurisdictions' tests part for this product."""
    lines = [style("WHERE THE JURISDICTIONS PART", bold=True)]
    for d in a.divergences:
        lines.append(f"  {d.title} ({d.concept})")
        for side in d.sides:
            mark = {True: "heavier", False: "lighter", None: "-"}[side.heavier]
            lines.append(
                f"    {side.jurisdiction.upper()}  {mark:<7}  {side.says} {_refs(side.citations)}".rstrip()
            )
    return lines


def ahead(a: Assessment, style: Style) -> list[str]:
    """The changes ahead, to the horizon (``--horizon``)."""
    horizon = a.horizon.isoformat() if a.horizon else ""
    lines = [style(f"AHEAD  from {a.as_of.isoformat()} to {horizon}", bold=True)]
    if not a.transitions:
        lines.append("  nothing in the rule base changes this product's pathways, classifications")
        lines.append("  or obligations before then, and no obligation falls due")
    for t in a.transitions or ():
        lines.append(f"  {t.date.isoformat()}  {t.title} {_refs(t.citations)}".rstrip())
        if t.kind == "law":
            lines.append(f"              rules: {', '.join(t.rules)}")
    return lines


def render(assessments: Sequence[Assessment], color: bool = False, explain: bool = False) -> str:
    style = Style(color)
    blocks = []
    for a in assessments:
        lines = [
            style(a.product.name, bold=True),
            f"  file: {a.product.file} · as of {a.as_of.isoformat()} · rule base {a.rulebase.version}",
            "",
        ]
        for code, result in a.jurisdictions.items():
            lines.extend(jurisdiction(code, result, style, explain))
            lines.append("")
        if a.divergences:
            lines.extend(parted(a, style))
            lines.append("")
        if a.transitions is not None and a.horizon is not None:
            lines.extend(ahead(a, style))
            lines.append("")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)
