"""Vocabulary files: the terms of each vocabulary, their aliases, and the attributes the rules
read (projected onto the product fields the vocabulary applies to)."""

from __future__ import annotations

from typing import Any

from ...contract.product import CombinedItem
from ...io.document import Document, Path_
from ...text import did_you_mean
from .. import schema
from ..model import FactDef
from ..references import Citation
from ..vocabulary import AttributeDef, Term, Vocabulary
from .context import Context


def load_vocabulary(ctx: Context, doc: Document, spec: schema.VocabularyFile) -> None:
    if spec.name in ctx.vocabs:
        raise ctx.error(doc, f"vocabulary {spec.name!r} is defined twice", ("name",))
    attributes: dict[str, AttributeDef] = {}
    for name, attr in spec.attributes.items():
        path = ("attributes", name)
        if attr.type == "enum" and not attr.values:
            raise ctx.error(doc, "an enum attribute needs its values", path)
        if attr.type == "terms" and not attr.vocabulary:
            raise ctx.error(doc, "a terms attribute names its vocabulary", path)
        values: tuple[Any, ...] | None = (
            (True, False) if attr.type == "bool" else (tuple(attr.values) if attr.values else None)
        )
        attributes[name] = AttributeDef(
            name=name,
            type=attr.type,
            values=values,
            vocabulary=attr.vocabulary,
            refine_by=attr.refine_by,
            member_of=attr.member_of,
            default=attr.default,
            title=attr.title,
            citations=ctx.resolve_citations(doc, attr.citations, (*path, "citations")),
        )
    terms: dict[str, Term] = {}
    aliases: dict[str, str] = {}
    for term_name, body in spec.terms.items():
        path = ("terms", term_name)
        if not isinstance(body, dict):
            raise ctx.error(doc, "a term is a mapping (label, aliases, attributes...)", path)
        unknown = [k for k in body if k not in schema.TERM_KEYS and k not in attributes]
        if unknown:
            raise ctx.error(
                doc,
                f"unknown key {unknown[0]!r}"
                + did_you_mean(unknown[0], [*schema.TERM_KEYS, *attributes]),
                (*path, unknown[0]),
                key=True,
            )
        label = body.get("label")
        if not isinstance(label, str) or not label:
            raise ctx.error(doc, "a term needs a label", path)
        term_aliases = body.get("aliases") or []
        if not isinstance(term_aliases, list) or not all(isinstance(a, str) for a in term_aliases):
            raise ctx.error(doc, "aliases is a list of words", (*path, "aliases"))
        for alias in term_aliases:
            key = alias.lower().replace("-", "_").replace(" ", "_")
            if key in aliases or key in spec.terms:
                raise ctx.error(doc, f"alias {alias!r} is used twice", (*path, "aliases"))
            aliases[key] = term_name
        values = {name: body[name] for name in attributes if name in body}
        cites: dict[str, tuple[Citation, ...]] = {}
        for attr_name, refs in (body.get("citations") or {}).items():
            if attr_name not in attributes:
                raise ctx.error(
                    doc,
                    f"citations for unknown attribute {attr_name!r}",
                    (*path, "citations", attr_name),
                    key=True,
                )
            cites[attr_name] = ctx.resolve_citations(doc, refs, (*path, "citations", attr_name))
        notes = body.get("notes") or {}
        terms[term_name] = Term(
            name=term_name,
            label=label,
            aliases=tuple(term_aliases),
            description=body.get("description"),
            attributes=values,
            citations=cites,
            notes=notes,
        )
    ctx.vocabs[spec.name] = Vocabulary(
        name=spec.name,
        fields=tuple(spec.applies_to),
        description=spec.description,
        attributes=attributes,
        terms=terms,
        aliases=aliases,
        source=ctx.source(doc, ()),
    )
    ctx.vocab_docs[spec.name] = doc


def resolve_vocabulary_fields(ctx: Context) -> None:
    """Attach vocabularies to product fields, then declare their projection facts."""
    for vocab in ctx.vocabs.values():
        doc = ctx.vocab_docs[vocab.name]
        for field_name in vocab.fields:
            fact = ctx.facts.get(field_name)
            if fact is None or fact.type not in ("text", "list"):
                raise ctx.error(
                    doc,
                    f"{field_name!r} is not a text or list field of the product contract",
                    ("applies_to",),
                )
            if fact.vocabulary:
                raise ctx.error(
                    doc,
                    f"{field_name!r} already uses vocabulary {fact.vocabulary!r}",
                    ("applies_to",),
                )
            ctx.facts[field_name] = FactDef(
                **{
                    **fact.__dict__,
                    "type": "list" if fact.type == "list" else "term",
                    "values": tuple(vocab.terms),
                    "vocabulary": vocab.name,
                }
            )
    for vocab in ctx.vocabs.values():
        doc = ctx.vocab_docs[vocab.name]
        for field_name in vocab.fields:
            base = ctx.facts[field_name]
            for attr in vocab.attributes.values():
                name = f"{field_name}.{attr.name}"
                values = attr.values
                if attr.type == "terms":
                    target = ctx.vocabs.get(attr.vocabulary or "")
                    if target is None:
                        raise ctx.error(
                            doc,
                            f"no vocabulary named {attr.vocabulary!r}",
                            ("attributes", attr.name, "vocabulary"),
                        )
                    values = tuple(target.terms)
                is_list = base.type == "list" or attr.type == "terms"
                if base.type == "list" and attr.type == "terms":
                    raise ctx.error(
                        doc,
                        "a list field's attribute must be a single value",
                        ("attributes", attr.name),
                    )
                depends = [field_name]
                if attr.refine_by:
                    depends.append(attr.refine_by)
                ctx.facts[name] = FactDef(
                    name=name,
                    type="list" if is_list else ("bool" if attr.type == "bool" else "enum"),
                    origin="projection",
                    values=values,
                    title=attr.title,
                    depends_on=tuple(depends),
                    source=ctx.source(doc, ("attributes", attr.name)),
                )
    # second pass: member_of, inherit_from and refine_by targets, and each term's values
    for vocab in ctx.vocabs.values():
        doc = ctx.vocab_docs[vocab.name]
        for attr in vocab.attributes.values():
            if attr.refine_by:
                refine = ctx.facts.get(attr.refine_by)
                if refine is None or refine.type != "term":
                    raise ctx.error(
                        doc,
                        f"refine_by {attr.refine_by!r} is not a vocabulary field",
                        ("attributes", attr.name, "refine_by"),
                    )
            if attr.member_of:
                target = ctx.facts.get(attr.member_of)
                if target is None or target.type != "list":
                    raise ctx.error(
                        doc,
                        f"member_of {attr.member_of!r} is not a list fact",
                        ("attributes", attr.name, "member_of"),
                    )
                if attr.type != "bool":
                    raise ctx.error(
                        doc, "a member_of attribute is of type bool", ("attributes", attr.name)
                    )
                for field_name in vocab.fields:
                    fact = ctx.facts[f"{field_name}.{attr.name}"]
                    ctx.facts[fact.name] = FactDef(
                        **{
                            **fact.__dict__,
                            "depends_on": (*fact.depends_on, *target.depends_on),
                        }
                    )
            for term in vocab.terms.values():
                if attr.name in term.attributes:
                    check_term_value(ctx, doc, vocab, term, attr, term.attributes[attr.name])
            if attr.default is not None:
                check_term_value(ctx, doc, vocab, None, attr, attr.default)


def check_term_value(
    ctx: Context,
    doc: Document,
    vocab: Vocabulary,
    term: Term | None,
    attr: AttributeDef,
    value: Any,
) -> None:
    path: Path_ = ("terms", term.name, attr.name) if term else ("attributes", attr.name, "default")

    def plain(v: Any) -> None:
        if attr.type == "terms":
            target = ctx.vocabs[attr.vocabulary or ""]
            if not isinstance(v, list) or any(x not in target.terms for x in v):
                bad = [x for x in v if x not in target.terms] if isinstance(v, list) else [v]
                raise ctx.error(
                    doc, f"{bad[0]!r} is not a term of vocabulary {target.name!r}", path
                )
        elif attr.values is not None and v not in attr.values:
            raise ctx.error(
                doc,
                f"{v!r} is not a value of {attr.name} ({', '.join(map(str, attr.values))})",
                path,
            )

    if isinstance(value, dict):
        if set(value) == {"inherit_from"}:
            other = ctx.vocabulary_for(value["inherit_from"])
            if other is None or attr.name not in other.attributes:
                raise ctx.error(
                    doc,
                    f"inherit_from {value['inherit_from']!r}: no vocabulary field with attribute {attr.name!r}",
                    path,
                )
            return
        if set(value) == {"item_field"}:
            if (
                value["item_field"] not in CombinedItem.model_fields
                or vocab.name != "combined_with"
            ):
                raise ctx.error(
                    doc,
                    f"item_field {value['item_field']!r} is not a field of a combined_with item",
                    path,
                )
            return
        if attr.refine_by is None or "default" not in value:
            raise ctx.error(
                doc, "a mapping value needs refine_by on the attribute and a 'default'", path
            )
        refine_vocab = ctx.vocabulary_for(attr.refine_by)
        assert refine_vocab is not None
        for key, v in value.items():
            if key != "default" and key not in refine_vocab.terms:
                raise ctx.error(
                    doc,
                    f"{key!r} is not a term of {refine_vocab.name!r} (refine_by {attr.refine_by})",
                    (*path, key),
                    key=True,
                )
            plain(v)
        return
    if attr.member_of:
        raise ctx.error(doc, "a member_of attribute is computed, not written per term", path)
    plain(value)
