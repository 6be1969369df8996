"""Jurisdiction files: each jurisdiction's pathways and classifications, and the derived
facts that hold them."""

from __future__ import annotations

from ...io.document import Document
from .. import schema
from ..model import Classification, FactDef, Jurisdiction, Pathway
from .context import Context


def load_jurisdiction(ctx: Context, doc: Document, spec: schema.JurisdictionFile) -> None:
    if doc.file != f"{spec.code}/jurisdiction.yaml":
        raise ctx.error(
            doc,
            f"jurisdiction {spec.code!r} belongs in {spec.code}/jurisdiction.yaml",
            ("code",),
        )
    pathway = _derived_enum(ctx, doc, "pathway_fact", spec.pathway_fact)
    if set(pathway.values or ()) != set(spec.pathways):
        raise ctx.error(
            doc,
            f"the values of {spec.pathway_fact} must be exactly the pathways listed here",
            ("pathways",),
        )
    pathways = {}
    for pid, p in spec.pathways.items():
        if not pid.startswith(f"{spec.code}."):
            raise ctx.error(
                doc, f"pathway ids start with '{spec.code}.'", ("pathways", pid), key=True
            )
        ctx.claim_id(pid, doc, ("pathways", pid))
        pathways[pid] = Pathway(
            id=pid,
            title=p.title,
            premarket_review=p.premarket_review,
            description=p.description,
        )
    if spec.classification_fact:
        cls = _derived_enum(ctx, doc, "classification_fact", spec.classification_fact)
        missing = [v for v in cls.values or () if v not in spec.classifications]
        if missing:
            raise ctx.error(
                doc, f"classification {missing[0]!r} has no title here", ("classifications",)
            )
    for i, name in enumerate(spec.reports):
        fact = ctx.facts.get(name)
        if fact is None or fact.origin != "derived" or fact.type not in ("enum", "bool"):
            raise ctx.error(
                doc, f"reports {name!r}: not a derived enum or true/false fact", ("reports", i)
            )
    ctx.jurisdictions[spec.code] = Jurisdiction(
        code=spec.code,
        name=spec.name,
        original_name=spec.original_name,
        authority=spec.authority,
        pathway_fact=spec.pathway_fact,
        classification_fact=spec.classification_fact,
        pathways=pathways,
        classifications={
            cid: Classification(cid, c.title, c.premarket_review)
            for cid, c in spec.classifications.items()
        },
        source=ctx.source(doc, ()),
        reports=tuple(spec.reports),
    )


def _derived_enum(ctx: Context, doc: Document, key: str, name: str) -> FactDef:
    """The derived enum fact ``name`` that a jurisdiction's ``key`` names."""
    fact = ctx.facts.get(name)
    if fact is None or fact.origin != "derived" or fact.type != "enum":
        raise ctx.error(doc, f"{key} {name!r} must be a derived enum fact", (key,))
    return fact
