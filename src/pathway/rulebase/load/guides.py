"""Brief files (a regulator's request structure) and the concepts file (the jurisdictions' tests
of one question): checked against the facts, pathways and classifications loaded before them."""

from __future__ import annotations

from ...io.document import Document
from .. import schema
from ..briefs import BriefSection, BriefTemplate
from ..concepts import Concept, ConceptSide
from .context import Context


def load_brief(ctx: Context, doc: Document, spec: schema.BriefFile) -> BriefTemplate:
    if doc.file != f"briefs/{spec.id}.yaml":
        raise ctx.error(doc, f"brief {spec.id!r} belongs in briefs/{spec.id}.yaml", ("id",))
    jur = ctx.jurisdictions.get(spec.jurisdiction)
    if jur is None:
        raise ctx.error(doc, f"unknown jurisdiction {spec.jurisdiction!r}", ("jurisdiction",))
    outcomes = set(jur.pathways) | set(jur.classifications)
    seen: set[str] = set()
    sections = []
    for i, sec in enumerate(spec.sections):
        where = ("sections", i)
        if sec.id in seen:
            raise ctx.error(doc, f"section id {sec.id!r} is used twice", (*where, "id"))
        seen.add(sec.id)
        for k, name in enumerate(sec.facts):
            fact = ctx.facts.get(name)
            if fact is None or fact.origin == "projection":
                raise ctx.error(
                    doc, f"{name!r} is not a product field or derived fact", (*where, "facts", k)
                )
            if fact.jurisdiction not in (None, spec.jurisdiction):
                raise ctx.error(
                    doc, f"{name!r} belongs to {fact.jurisdiction!r}", (*where, "facts", k)
                )
        for k, outcome in enumerate(sec.when):
            if outcome not in outcomes:
                raise ctx.error(
                    doc,
                    f"{outcome!r} is not a pathway or classification of {spec.jurisdiction!r}",
                    (*where, "when", k),
                )
        sections.append(
            BriefSection(
                id=sec.id,
                title=sec.title,
                asks=sec.asks,
                citations=ctx.resolve_citations(doc, sec.citations, (*where, "citations")),
                facts=tuple(sec.facts),
                show=tuple(sec.show),
                when=tuple(sec.when),
                fill=tuple(sec.fill),
            )
        )
    return BriefTemplate(
        id=spec.id,
        jurisdiction=spec.jurisdiction,
        title=spec.title,
        regulator=spec.regulator,
        purpose=spec.purpose,
        submit=spec.submit,
        citations=ctx.resolve_citations(doc, spec.citations, ("citations",)),
        sections=tuple(sections),
        source=ctx.source(doc, ()),
    )


def load_concepts(ctx: Context, doc: Document, spec: schema.ConceptsFile) -> list[Concept]:
    out = []
    for cid, concept in spec.concepts.items():
        sides = []
        for code, side in concept.sides.items():
            where = ("concepts", cid, "sides", code)
            if code not in ctx.jurisdictions:
                raise ctx.error(doc, f"unknown jurisdiction {code!r}", where, key=True)
            if side.fact is not None:
                fact = ctx.facts.get(side.fact)
                if (
                    fact is None
                    or fact.origin != "derived"
                    or fact.type != "bool"
                    or fact.jurisdiction != code
                ):
                    raise ctx.error(
                        doc,
                        f"{side.fact!r} is not a derived true/false fact of {code!r}",
                        (*where, "fact"),
                    )
                if side.heavier is None or not side.when_true or not side.when_false:
                    raise ctx.error(
                        doc, "a side with a fact needs heavier, when_true and when_false", where
                    )
            elif not side.note or not side.citations:
                raise ctx.error(doc, "a side without a fact needs a note and citations", where)
            sides.append(
                ConceptSide(
                    jurisdiction=code,
                    fact=side.fact,
                    heavier=side.heavier,
                    when_true=side.when_true,
                    when_false=side.when_false,
                    note=side.note,
                    citations=ctx.resolve_citations(doc, side.citations, (*where, "citations")),
                )
            )
        ctx.claim_id(f"concept.{cid}", doc, ("concepts", cid))
        out.append(
            Concept(
                id=cid,
                title=concept.title,
                question=concept.question,
                sides=tuple(sides),
                source=ctx.source(doc, ("concepts", cid)),
            )
        )
    return out
