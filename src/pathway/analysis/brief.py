"""Fill in a regulator's request (``rules/briefs/<target>.yaml``) from a product and its
assessment: every section in the regulator's order, each fact it names as the product file
states it or as the assessment found it, the assessment's proposal, obligations, options and
notes where the section asks for them, and every question the assessment leaves open as a
numbered open item. Nothing is decided here: a line says what the file or the assessment says.
"""

from __future__ import annotations

from typing import Any

from ..contract.assessment import Assessment, JurisdictionResult, SourceLocation
from ..contract.brief import Brief, BriefLine, BriefSection, OpenItem
from ..product.load import LoadedProduct
from ..rulebase.briefs import BriefSection as SectionSpec
from ..rulebase.briefs import BriefTemplate
from ..rulebase.model import RuleBase
from ..rulebase.references import cite_all
from ..text import word

DISCLAIMER = (
    "A draft for the sponsor to complete and check, made by pathway from the product file and "
    "its assessment: decision support, not legal advice. The classification it proposes is the "
    "sponsor's proposal, not the regulator's decision, and it claims nothing the assessment "
    "does not."
)


def _said(value: Any) -> str:
    """A fact's value as a sentence says it."""
    return "yes" if value is True else "no" if value is False else word(value)


def _claim(kind: Any, text: str, rule: str | None, citations: Any) -> BriefLine:
    return BriefLine(kind=kind, text=text, rule=rule, citations=list(citations))


def _unstated(value: Any) -> bool:
    return value is None or value == "unknown"


def _item(value: Any) -> Any:
    """A list item as the brief states it: a mapping as its kind with its other keys."""
    if isinstance(value, dict):
        rest = ", ".join(
            f"{k}: {word(v)}" for k, v in value.items() if k != "kind" and v != "unknown"
        )
        return f"{value.get('kind')} ({rest})" if rest else str(value.get("kind"))
    return value if isinstance(value, (bool, str)) else word(value)


class _Filler:
    def __init__(
        self,
        rb: RuleBase,
        template: BriefTemplate,
        loaded: LoadedProduct,
        result: JurisdictionResult,
    ) -> None:
        self.rb = rb
        self.template = template
        self.loaded = loaded
        self.result = result
        self.inputs = loaded.input_values(rb)
        self.items = [
            OpenItem(
                number=i,
                fact=q.fact,
                question=q.question,
                why=q.why,
                answers=list(q.answers),
                rules=list(q.rules),
                citations=list(q.citations),
            )
            for i, q in enumerate(result.questions, 1)
        ]
        self.numbers = {item.fact: item.number for item in self.items}
        self.first = self.items[0].number if self.items else None  # what an open outcome points to

    def _open(self, fact: str, text: str) -> BriefLine | None:
        number = self.numbers.get(fact)
        if number is None:
            return None
        return BriefLine(kind="open", text=text, fact=fact, open_item=number)

    def _input(self, name: str) -> BriefLine:
        value = self.inputs.get(name)
        if _unstated(value):
            found = self._open(name, f"`{name}`: not stated; open item")
            return found or BriefLine(
                kind="info",
                text=f"`{name}`: not stated in the product file (the assessment does not need it)",
                fact=name,
            )
        line, column = self.loaded.location(tuple(name.split(".")))
        shown: Any = [_item(v) for v in value] if isinstance(value, list) else _item(value)
        said = word(shown) if shown != [] else "none (an empty list)"
        return BriefLine(
            kind="statement",
            text=f"`{name}`: {said}",
            fact=name,
            value=shown,
            location=SourceLocation(file=self.loaded.file, line=line, column=column, field=name),
        )

    def _derived(self, name: str) -> list[BriefLine]:
        found = [f for f in self.result.findings if f.fact == name]
        title = self.rb.facts[name].title or name
        if found:
            return [
                BriefLine(
                    kind="finding",
                    text=f"{title}: {_said(f.value)} ({f.title.rstrip('.')})",
                    fact=name,
                    value=f.value,
                    rule=f.rule,
                    because=list(f.because),
                    citations=list(f.citations),
                )
                for f in found
            ]
        opened = self._open(name, f"{title}: open item")
        return [
            opened
            or BriefLine(
                kind="info",
                text=f"{title}: not decided by the facts stated (the pathway does not need it, "
                "or the open items decide it)",
                fact=name,
            )
        ]

    def _proposal(self) -> list[BriefLine]:
        r = self.result
        jur = self.rb.jurisdictions[self.template.jurisdiction]
        deciding = {jur.pathway_fact, jur.classification_fact}
        citations = cite_all(c for f in r.findings if f.fact in deciding for c in f.citations)
        lines: list[BriefLine] = []
        if r.classification is None and len(r.classification_candidates) > 1:
            lines.append(
                BriefLine(
                    kind="open",
                    text="The classification is open between "
                    + ", ".join(r.classification_candidates)
                    + ": the open items decide it, and none is proposed until they are answered",
                    fact=jur.classification_fact,
                    open_item=self.first,
                )
            )
        if r.status == "determined" and citations:
            shown = "; ".join(t for t in (r.classification_title, r.title) if t)
            return [
                *lines,
                BriefLine(
                    kind="conclusion",
                    text=f"The sponsor proposes, from the assessment: {shown}",
                    fact=jur.pathway_fact,
                    value=r.pathway,
                    rule=next((f.rule for f in r.findings if f.fact == jur.pathway_fact), None),
                    citations=citations,
                ),
            ]
        titles = [jur.pathways[c].title if c in jur.pathways else c for c in r.candidates]
        decides = (
            "The open items decide it"
            if self.items
            else "No question of the rule base decides it (see the notes: no rule may be in "
            "force on the day assessed)"
        )
        return [
            *lines,
            BriefLine(
                kind="open",
                text="Undetermined: the facts stated leave the pathway open between "
                + "; ".join(titles or ["the pathways of the rule base"])
                + f". {decides}; no classification is proposed.",
                fact=jur.pathway_fact,
                open_item=self.first,
            ),
        ]

    def _part(self, part: str) -> list[BriefLine]:
        r = self.result
        if part == "proposal":
            return self._proposal()
        lines: list[BriefLine] = []
        if part == "obligations":
            for o in r.obligations:
                when = f" (due by {o.due.isoformat()})" if o.due else ""
                cond = ", ".join(c.fact for c in o.conditional_on)
                text = f"{o.title}{when}" + (f" (if {cond})" if cond else "")
                lines.append(_claim("obligation", text, o.id, o.citations))
        elif part == "options":
            for opt in r.options:
                lines.append(
                    _claim("option", f"{opt.title}: eligible {opt.eligible}", opt.id, opt.citations)
                )
        else:
            for n in r.notes:
                kind = "note" if n.citations else "info"
                lines.append(_claim(kind, n.text.rstrip("."), n.rule, n.citations))
        return lines or [BriefLine(kind="info", text=f"No {part} follow from the assessment.")]

    def section(self, spec: SectionSpec) -> BriefSection:
        r = self.result
        outcomes = {r.pathway, r.classification, *r.candidates, *r.classification_candidates}
        applies = not spec.when or bool(outcomes & set(spec.when))
        lines: list[BriefLine] = []
        if not applies:
            lines.append(
                BriefLine(
                    kind="info",
                    text="Does not apply to this product as assessed: it is for "
                    + ", ".join(spec.when)
                    + ", and the assessment's candidates are "
                    + (", ".join(r.candidates) or "none")
                    + ".",
                )
            )
        else:
            for name in spec.facts:
                if self.rb.facts[name].origin == "input":
                    lines.append(self._input(name))
                else:
                    lines.extend(self._derived(name))
            for part in spec.show:
                lines.extend(self._part(part))
            lines.extend(BriefLine(kind="fill", text=text) for text in spec.fill)
        return BriefSection(
            id=spec.id,
            title=spec.title,
            asks=spec.asks,
            sources=cite_all(spec.citations),
            applies=applies,
            lines=lines,
        )


def brief(
    rb: RuleBase, template: BriefTemplate, loaded: LoadedProduct, assessment: Assessment
) -> Brief:
    """The request ``template`` filled in for ``loaded`` from ``assessment`` (which must have
    assessed the template's jurisdiction)."""
    r = assessment.jurisdictions[template.jurisdiction]
    filler = _Filler(rb, template, loaded, r)
    return Brief(
        target=template.id,
        title=template.title,
        regulator=template.regulator,
        purpose=template.purpose,
        submit=template.submit,
        jurisdiction=template.jurisdiction,
        jurisdiction_name=r.name,
        product=assessment.product,
        rulebase=assessment.rulebase,
        as_of=assessment.as_of,
        status=r.status,
        pathway=r.pathway,
        pathway_title=r.title,
        classification=r.classification,
        classification_title=r.classification_title,
        candidates=list(r.candidates),
        classification_candidates=list(r.classification_candidates),
        sources=cite_all(template.citations),
        sections=[filler.section(s) for s in template.sections],
        open_items=filler.items,
        disclaimer=DISCLAIMER,
    )
