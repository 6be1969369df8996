"""Build a rule base from its files: read each file and check its shape, then every section in
order, then the whole-base checks (what ``load_rulebase`` does when the disk cache has not got
the rule base)."""

from __future__ import annotations

from pydantic import ValidationError

from ...errors import RuleBaseError
from ...io.document import RULE_LIMITS
from ...io.pydantic_errors import to_input_error
from ...io.read import read_document
from ...text import did_you_mean
from .. import schema
from ..model import RuleBase
from . import citations, consistency, facts, guides, jurisdictions, rules, vocabulary
from .context import Context, as_rulebase_error


def _read(ctx: Context) -> None:
    """Read every file and check it has the shape of its ``kind``."""
    for path in ctx.paths:
        doc = read_document(path, RULE_LIMITS, display=ctx.rel(path))
        if not isinstance(doc.data, dict):
            raise ctx.error(doc, "a rule-base file must be a mapping with a 'kind'")
        kind = doc.data.get("kind")
        spec_type = schema.FILE_KINDS.get(kind) if isinstance(kind, str) else None
        if spec_type is None:
            message = f"unknown kind {kind!r}" if kind else "missing 'kind'"
            message += did_you_mean(
                str(kind),
                schema.FILE_KINDS if kind else (),
                f"; expected one of {', '.join(schema.FILE_KINDS)}",
            )
            raise ctx.error(doc, message, ("kind",) if kind else ())
        try:
            spec = spec_type.model_validate(doc.data)
        except ValidationError as exc:
            raise as_rulebase_error(to_input_error(exc, doc, spec_type)) from None
        ctx.docs.setdefault(kind, []).append((doc, spec))


def build(ctx: Context) -> RuleBase:
    """Every section in order, then the whole-base checks."""
    _read(ctx)
    meta = ctx.docs.get("rulebase", [])
    if len(meta) != 1 or meta[0][0].file != "rulebase.yaml":
        raise RuleBaseError(
            "the rule base needs exactly one rulebase.yaml at its root", file=str(ctx.root)
        )
    meta_doc, meta_spec = meta[0]
    assert isinstance(meta_spec, schema.RulebaseFile)
    for doc, spec in ctx.docs.get("citations", []):
        citations.load_citations(ctx, doc, spec)  # type: ignore[arg-type]
    facts.load_input_facts(ctx)
    for doc, spec in ctx.docs.get("vocabulary", []):
        vocabulary.load_vocabulary(ctx, doc, spec)  # type: ignore[arg-type]
    order = {code: i for i, code in enumerate(meta_spec.jurisdictions)}
    # attributes in the order of the jurisdictions (then of the files): the projection facts' order
    attribute_files = sorted(
        ctx.docs.get("attributes", []),
        key=lambda d: (order.get(ctx.jurisdiction_of(d[0]), len(order)), d[0].file),
    )
    for doc, spec in attribute_files:
        vocabulary.load_attributes(ctx, doc, spec)  # type: ignore[arg-type]
    vocabulary.resolve_vocabulary_fields(ctx)
    for doc, spec in ctx.docs.get("facts", []):
        if spec.scope == "derived":  # type: ignore[attr-defined]
            facts.load_derived_facts(ctx, doc, spec)  # type: ignore[arg-type]
    for doc, spec in ctx.docs.get("jurisdiction", []):
        jurisdictions.load_jurisdiction(ctx, doc, spec)  # type: ignore[arg-type]
    for code in meta_spec.jurisdictions:
        if code not in ctx.jurisdictions:
            raise ctx.error(
                meta_doc,
                f"jurisdiction {code!r} has no {code}/jurisdiction.yaml",
                ("jurisdictions",),
            )
    for doc, spec in sorted(ctx.docs.get("rules", []), key=lambda d: d[0].file):
        rules.load_rules(ctx, doc, spec)  # type: ignore[arg-type]
    consistency.check_whole(ctx)
    briefs = {}
    for doc, spec in sorted(ctx.docs.get("brief", []), key=lambda d: d[0].file):
        brief = guides.load_brief(ctx, doc, spec)  # type: ignore[arg-type]
        briefs[brief.id] = brief
    concepts = []
    for doc, spec in ctx.docs.get("concepts", []):
        concepts += guides.load_concepts(ctx, doc, spec)  # type: ignore[arg-type]
    return RuleBase(
        name=meta_spec.name,
        version=meta_spec.version,
        sha256=ctx.sha,
        root=str(ctx.root),
        jurisdictions=dict(sorted(ctx.jurisdictions.items(), key=lambda kv: order.get(kv[0], 99))),
        facts=ctx.facts,
        vocabularies=ctx.vocabs,
        rules=tuple(ctx.rules),
        decisions=ctx.decisions,
        citations=ctx.citations,
        files=tuple(ctx.rel(p) for p in ctx.paths),
        briefs=briefs,
        concepts=tuple(concepts),
    )
