"""``pathway assess --format markdown``: a report a person can attach to a regulatory file.

Per product: what was assessed (file, digest, rule base, day), then per jurisdiction the pathway,
the reasoning as a nested list (each rule with its id and citations, each fact with its value and
the product-file line it came from), obligations, options, open questions and notes, and the
sources cited with links. It ends with one table putting the jurisdictions side by side.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..contract.assessment import Assessment, CitationOut, JurisdictionResult
from ..text import word as _value
from .reasoning import tree, walk, where
from .text import attribute_lines, open_answer

KEY_OBLIGATIONS = 4


def escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _cite(c: CitationOut) -> str:
    original = f" ({c.original_title})" if c.original_title else ""
    return f"[{c.ref}]({c.url}){original}"


def cites(citations: Sequence[CitationOut], limit: int = 3) -> str:
    shown = [_cite(c) for c in citations[:limit]]
    if len(citations) > limit:
        shown.append(f"and {len(citations) - limit} more")
    return "; ".join(shown)


def _premarket(result: JurisdictionResult) -> str:
    if result.status != "determined":
        return "not determined"
    return {True: "yes", False: "no", None: "depends (see notes)"}[result.premarket_review]


def jurisdiction(code: str, result: JurisdictionResult) -> list[str]:
    lines = [f"## {code.upper()}: {result.name}", ""]
    if result.pathway is not None:
        lines.append(f"**Pathway:** `{result.pathway}`: {result.title}")
        lines.append("")
        if result.classification:
            lines.append(
                f"- Classification: `{result.classification}` ({result.classification_title})"
            )
        elif len(result.classification_candidates) > 1:
            open_classes = ", ".join(f"`{c}`" for c in result.classification_candidates)
            lines.append(f"- Classification: open, one of {open_classes}")
        lines.append(f"- Premarket review: {_premarket(result)}")
        lines.extend(f"- {line}" for line in attribute_lines(result))
    else:
        lines.append("**Pathway:** undetermined: the questions below would decide it.")
        lines.append("")
        lines.extend(f"- {line[0].upper()}{line[1:]}" for line in open_answer(result))
    lines.append("")
    cited: dict[str, CitationOut] = {}
    steps = walk(tree(result))
    if steps:
        lines += ["### Reasoning", ""]
        for depth, step in steps:
            pad = "  " * depth
            if step.finding is not None:
                f = step.finding
                for c in f.citations:
                    cited.setdefault(c.ref, c)
                if step.repeated:
                    lines.append(f"{pad}- `{f.fact}` = `{_value(f.value)}` (shown above)")
                    continue
                rule = (
                    f.determination_tag().strip(" ()")
                    if f.source == "determination"
                    else f"`{f.rule}`"
                )
                lines.append(
                    f"{pad}- `{f.fact}` = `{_value(f.value)}`: {f.title} ({rule}; "
                    f"{cites(f.citations)})"
                )
            elif step.use is not None:
                place = where(step.use)
                for c in step.use.citations:
                    cited.setdefault(c.ref, c)
                lines.append(f"{pad}- {step.use.describe()}" + (f" (`{place}`)" if place else ""))
        lines.append("")
    if result.obligations:
        lines += ["### Obligations", "", "| obligation | when | source |", "|---|---|---|"]
        for o in result.obligations:
            when = o.when + (f"; due by **{o.due.isoformat()}**" if o.due else "")
            if o.overdue:
                when += " (**passed** on the day assessed)"
            if o.across_candidates:
                when += "; whichever candidate holds"
            if o.conditional_on:
                when += "; **only if** " + "; ".join(
                    f"`{c.fact}` so requires ({c.question})" for c in o.conditional_on
                )
            if o.due and o.due_basis:
                when += f" ({o.due_basis})"
            if o.deadline and not o.due:
                when += f"; {o.deadline}"
            lines.append(f"| {escape(o.title)} | {escape(when)} | {cites(o.citations)} |")
            for c in o.citations:
                cited.setdefault(c.ref, c)
        lines.append("")
    if result.options:
        lines += ["### Options", "", "| option | eligible | source |", "|---|---|---|"]
        for opt in result.options:
            lines.append(f"| {escape(opt.title)} | {opt.eligible} | {cites(opt.citations)} |")
        lines.append("")
    if result.questions:
        lines += ["### Open questions", ""]
        for i, q in enumerate(result.questions, 1):
            answers = f" Answers: {', '.join(_value(a) for a in q.answers)}." if q.answers else ""
            lines.append(f"{i}. {q.question}{answers} (`{q.fact}`; {q.why})")
            if q.note:
                lines.append(f"   - While unknown: {q.note}")
        lines.append("")
    if result.notes:
        lines += ["### Notes", ""]
        for n in result.notes:
            refs = f" ({cites(n.citations)})" if n.citations else ""
            lines.append(f"- {n.text}{refs}")
        lines.append("")
    if cited:
        lines += ["### Sources", ""]
        for _, c in sorted(cited.items()):
            title = f": {c.title}" if c.title else ""
            lines.append(f"- {_cite(c)}{title} ({c.basis})")
        lines.append("")
    return lines


def comparison(assessment: Assessment) -> list[str]:
    """The jurisdictions side by side: pathway, premarket review, key obligations, time limits."""
    lines = [
        "## Side by side",
        "",
        "| jurisdiction | pathway | premarket review | key obligations | time limits |",
        "|---|---|---|---|---|",
    ]
    for code, r in assessment.jurisdictions.items():
        pathway = f"`{r.pathway}`" if r.pathway else "undetermined"
        shown = [o.title.split(" (")[0].split(";")[0] for o in r.obligations[:KEY_OBLIGATIONS]]
        if len(r.obligations) > KEY_OBLIGATIONS:
            shown.append(f"and {len(r.obligations) - KEY_OBLIGATIONS} more")
        limits = [
            f"{o.title.split(' (')[0]}: due by {o.due.isoformat()}"
            if o.due
            else f"{o.title.split(' (')[0]}: {o.deadline}"
            for o in r.obligations
            if o.due or o.deadline
        ]
        lines.append(
            f"| {code.upper()} ({escape(r.name)}) | {pathway} | {_premarket(r)} | "
            f"{escape('; '.join(shown)) or '-'} | {escape('; '.join(limits)) or '-'} |"
        )
    lines.append("")
    return lines


def parted(a: Assessment) -> list[str]:
    """The questions on which the jurisdictions' tests part: a table per question, each side
    with what its test says and its sources."""
    if not a.divergences:
        return []
    lines = [
        "## Where the jurisdictions part",
        "",
        "The same product facts meet different legal tests: on these questions one jurisdiction's "
        "answer leads to its heavier regime and another's to a lighter one.",
        "",
    ]
    for d in a.divergences:
        lines += [
            f"### {escape(d.title)}",
            "",
            "| Jurisdiction | Regime | Its test says | Sources |",
            "|---|---|---|---|",
        ]
        for side in d.sides:
            regime = {True: "heavier", False: "lighter", None: "-"}[side.heavier]
            lines.append(
                f"| {side.jurisdiction.upper()} | {regime} | {escape(side.says)} | "
                f"{cites(side.citations) or '-'} |"
            )
        lines.append("")
    return lines


def ahead(a: Assessment) -> list[str]:
    """The changes ahead, to the horizon (``--horizon``): a table, each change cited."""
    if a.transitions is None or a.horizon is None:
        return []
    lines = [f"## Ahead: {a.as_of.isoformat()} to {a.horizon.isoformat()}", ""]
    if not a.transitions:
        lines += [
            "Nothing in the rule base changes this product's pathways, classifications or "
            "obligations before then, and no obligation falls due.",
            "",
        ]
        return lines
    lines += ["| Date | Jurisdiction | Change | Rules | Sources |", "|---|---|---|---|---|"]
    for t in a.transitions:
        sources = "; ".join(f"[{c.ref}]({c.url})" for c in t.citations)
        change = t.title.replace("|", "\\|")
        lines.append(
            f"| {t.date.isoformat()} | {t.jurisdiction.upper()} | {change} | "
            f"{', '.join(f'`{r}`' for r in t.rules)} | {sources} |"
        )
    return [*lines, ""]


def render(assessments: Sequence[Assessment]) -> str:
    blocks = []
    for a in assessments:
        lines = [
            f"# {a.product.name}",
            "",
            f"- Product file: `{a.product.file}` (sha256 `{a.product.sha256[:16]}…`)",
            f"- Law applied as of: {a.as_of.isoformat()}",
            f"- Rule base: {a.rulebase.version} (sha256 `{a.rulebase.sha256[:16]}…`), "
            f"evaluated by {a.engine}",
            "",
            "Decision support, not legal advice: a borderline product still needs the "
            "regulator's own classification.",
            "",
        ]
        for code, result in a.jurisdictions.items():
            lines.extend(jurisdiction(code, result))
        lines.extend(comparison(a))
        lines.extend(parted(a))
        lines.extend(ahead(a))
        blocks.append("\n".join(lines))
    return "\n".join(blocks)
