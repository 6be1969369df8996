"""Citations files: every legal source once, by its short reference, with a public URL."""

from __future__ import annotations

from ...io.document import Document
from .. import schema
from ..references import Citation
from .context import Context


def load_citations(ctx: Context, doc: Document, spec: schema.CitationsFile) -> None:
    for ref, entry in spec.citations.items():
        if ref in ctx.citations:
            raise ctx.error(
                doc,
                f"citation {ref!r} is already defined at {ctx.citation_sources[ref]}",
                ("citations", ref),
                key=True,
            )
        ctx.citations[ref] = Citation(ref=ref, **entry.model_dump())
        ctx.citation_sources[ref] = ctx.source(doc, ("citations", ref))
