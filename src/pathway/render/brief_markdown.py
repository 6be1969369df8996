"""``pathway brief``: a regulator's request as a Markdown draft, section by section in the
regulator's order, each line with its source: the product file's line for what the sponsor
states, the rule and the law for what the assessment finds; open items numbered at the end."""

from __future__ import annotations

from ..contract.brief import Brief, BriefLine
from ..text import word
from .markdown import cites, escape

KIND_LABEL = {
    "finding": "Finding",
    "conclusion": "Proposal",
    "obligation": "Obligation",
    "option": "Option",
    "note": "Note",
}


def _flat(text: str) -> str:
    """Text from a product file or the rule base on one line: a line break in it cannot start
    a line of the draft (a forged "Proposal")."""
    return " ".join(text.split())


def _line(line: BriefLine) -> str:
    text = _flat(line.text)
    if line.kind == "statement":
        loc = line.location
        where = f"line {loc.line}" if loc and loc.line else "the product file"
        return f"- {text} (product file, {where})"
    if line.kind == "open":
        item = f" (open item {line.open_item})" if line.open_item else ""
        return f"- **Open**: {text}{item}"
    if line.kind == "fill":
        return f"- **To complete**: {text}"
    if line.kind == "info":
        return f"- *{text}*"
    rule = f" (`{line.rule}`)" if line.rule else ""
    because = f" Because: {'; '.join(line.because)}." if line.because else ""
    return (
        f"- **{KIND_LABEL[line.kind]}**{rule}: {text}.{because} "
        f"Sources: {cites(line.citations, limit=4)}"
    )


def render(b: Brief) -> str:
    if b.status == "determined":
        assessed = "determined: " + "; ".join(
            t for t in (b.classification_title, b.pathway_title) if t
        )
        assessed = f"{assessed} (`{b.pathway}`)"
        if b.classification is None and len(b.classification_candidates) > 1:
            assessed += ", its classification still open between " + ", ".join(
                f"`{c}`" for c in b.classification_candidates
            )
    elif b.candidates:
        assessed = "undetermined between " + ", ".join(f"`{c}`" for c in b.candidates)
    else:
        assessed = "undetermined"
    lines = [
        f"# {b.title}: {_flat(b.product.name)}",
        "",
        f"> **Draft.** {b.disclaimer}",
        "",
        f"- To: {b.regulator}",
        f"- What it is for: {b.purpose}",
        f"- How to send it: {b.submit}",
        f"- Structure followed: {cites(b.sources, limit=6)}",
        f"- Product file: `{b.product.file}` (sha256 `{b.product.sha256[:16]}…`)",
        f"- Assessed by pathway as of {b.as_of.isoformat()}, rule base {b.rulebase.version}: "
        f"{b.jurisdiction_name}, {assessed}",
        "",
    ]
    for number, section in enumerate(b.sections, 1):
        lines += [
            f"## {number}. {section.title}",
            "",
            f"*The regulator asks for:* {section.asks} ({cites(section.sources, limit=3)})",
            "",
            *(_line(line) for line in section.lines),
            "",
        ]
    lines += ["## Open items", ""]
    if not b.open_items and b.status == "determined":
        lines += ["None: the facts stated decide every part of the assessment shown here.", ""]
    elif not b.open_items:
        lines += [
            "None that a question could settle: the assessment is undetermined (see above).",
            "",
        ]
    for item in b.open_items:
        answers = (
            f" Possible answers: {', '.join(word(a) for a in item.answers)}."
            if item.answers
            else ""
        )
        sources = f" Sources: {cites(item.citations, limit=3)}." if item.citations else ""
        lines.append(
            f"{item.number}. **`{item.fact}`**: {_flat(escape(item.question))} {_flat(item.why)}."
            f"{answers}{sources}"
        )
    lines.append("")
    return "\n".join(lines)
