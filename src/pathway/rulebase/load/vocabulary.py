"""Vocabulary files and attribute files.

A vocabulary file (``vocabulary/<name>.yaml``) gives the terms a product field takes: labels,
aliases, descriptions. An attribute file (``<jur>/vocabulary/<name>.yaml``) gives one
jurisdiction's attributes of those terms, each value with the sources it rests on (its own
citations, or ``citations: attribute``, an explicit reliance on the attribute's) and, where the
law changed, the days it is in force. Every attribute becomes a projection fact on each product
field the vocabulary applies to (``material.source.us_tissue_class``...).
"""

from __future__ import annotations

import datetime as _dt
import itertools
from typing import Any

from ...contract.product import CombinedItem
from ...io.document import Document, Path_
from ...text import did_you_mean, words
from .. import schema
from ..model import FactDef
from ..references import Effective
from ..vocabulary import AttributeDef, AttributeValue, Term, Vocabulary
from .context import Context


def load_vocabulary(ctx: Context, doc: Document, spec: schema.VocabularyFile) -> None:
    if doc.file != f"vocabulary/{spec.name}.yaml":
        raise ctx.error(
            doc, f"vocabulary {spec.name!r} belongs in vocabulary/{spec.name}.yaml", ("name",)
        )
    if spec.name in ctx.vocabs:
        raise ctx.error(doc, f"vocabulary {spec.name!r} is defined twice", ("name",))
    terms: dict[str, Term] = {}
    aliases: dict[str, str] = {}
    for term_name, body in spec.terms.items():
        path = ("terms", term_name)
        for alias in body.aliases:
            key = alias.lower().replace("-", "_").replace(" ", "_")
            if key in aliases or key in spec.terms:
                raise ctx.error(doc, f"alias {alias!r} is used twice", (*path, "aliases"))
            aliases[key] = term_name
        terms[term_name] = Term(
            name=term_name,
            label=body.label,
            aliases=tuple(body.aliases),
            description=body.description,
        )
    ctx.vocabs[spec.name] = Vocabulary(
        name=spec.name,
        fields=tuple(spec.applies_to),
        description=spec.description,
        attributes={},
        terms=terms,
        aliases=aliases,
        source=ctx.source(doc, ()),
    )
    ctx.vocab_docs[spec.name] = doc


def load_attributes(ctx: Context, doc: Document, spec: schema.AttributesFile) -> None:
    """One jurisdiction's attributes of a vocabulary's terms."""
    code = ctx.jurisdiction_of(doc)
    if doc.file != f"{code}/vocabulary/{spec.vocabulary}.yaml":
        raise ctx.error(
            doc,
            f"attributes of vocabulary {spec.vocabulary!r} belong in "
            f"<jurisdiction>/vocabulary/{spec.vocabulary}.yaml",
            ("vocabulary",),
        )
    vocab = ctx.vocabs.get(spec.vocabulary)
    if vocab is None:
        raise ctx.error(
            doc,
            f"no vocabulary named {spec.vocabulary!r}" + did_you_mean(spec.vocabulary, ctx.vocabs),
            ("vocabulary",),
        )
    for name, attr in spec.attributes.items():
        path: Path_ = ("attributes", name)
        if name in vocab.attributes:
            other = ctx.attribute_docs[(vocab.name, name)]
            raise ctx.error(
                doc,
                f"attribute {name!r} of {vocab.name} is already defined in {other.file}",
                path,
                key=True,
            )
        if attr.type == "enum" and not attr.values:
            raise ctx.error(doc, "an enum attribute needs its values", path)
        if attr.type == "terms" and not attr.vocabulary:
            raise ctx.error(doc, "a terms attribute names its vocabulary", path)
        if attr.member_of and attr.terms:
            raise ctx.error(
                doc, "a member_of attribute is computed, not written per term", (*path, "terms")
            )
        citations = ctx.resolve_citations(doc, attr.citations, (*path, "citations"))
        entries = {
            term: _values(ctx, doc, vocab, term, raw, (*path, "terms", term))
            for term, raw in attr.terms.items()
        }
        inherits = [t for t, es in entries.items() if any(e.inherits for e in es)]
        if not citations and (attr.default is not None or attr.member_of or inherits):
            reason = (
                f"the value of {inherits[0]} rests on them"
                if inherits
                else "its default (or computed value) rests on them"
            )
            raise ctx.error(
                doc, f"the attribute needs citations: {reason}", path, check="lint.no-citation"
            )
        values: tuple[Any, ...] | None = (
            (True, False) if attr.type == "bool" else (tuple(attr.values) if attr.values else None)
        )
        vocab.attributes[name] = AttributeDef(
            name=name,
            type=attr.type,
            values=values,
            vocabulary=attr.vocabulary,
            refine_by=attr.refine_by,
            member_of=attr.member_of,
            default=attr.default,
            title=attr.title,
            citations=citations,
            jurisdiction=code,
            terms=entries,
            source=ctx.source(doc, path),
        )
        ctx.attribute_docs[(vocab.name, name)] = doc


def _values(
    ctx: Context,
    doc: Document,
    vocab: Vocabulary,
    term: str,
    raw: schema.ValueSpec | list[schema.ValueSpec],
    path: Path_,
) -> tuple[AttributeValue, ...]:
    """A term's values for an attribute, each in force on days no other one is."""
    if term not in vocab.terms:
        raise ctx.error(
            doc,
            f"{term!r} is not a term of vocabulary {vocab.name!r}"
            + did_you_mean(term, vocab.terms),
            path,
            key=True,
        )
    specs = raw if isinstance(raw, list) else [raw]
    out: list[AttributeValue] = []
    for index, spec in enumerate(specs):
        where = (*path, index) if isinstance(raw, list) else path
        inherits = spec.citations == "attribute"
        own = () if inherits else ctx.resolve_citations(doc, spec.citations, (*where, "citations"))  # type: ignore[arg-type]
        if not inherits and not own:
            raise ctx.error(
                doc,
                "every value cites its source, or says `citations: attribute`",
                (*where, "citations"),
                check="lint.no-citation",
            )
        effective = None
        if spec.start is not None or spec.end is not None:
            start = spec.start or _dt.date.min  # only 'to': in force until then
            if spec.end is not None and spec.end < start:
                raise ctx.error(doc, "'to' is before 'from': in force on no day", (*where, "to"))
            effective = Effective(start, spec.end)
        elif len(specs) > 1:
            raise ctx.error(
                doc, "each of several values of a term says when it holds (from, to)", where
            )
        out.append(
            AttributeValue(
                value=spec.value,
                citations=own,
                inherits=inherits,
                note=spec.note,
                effective=effective,
                source=ctx.source(doc, where),
            )
        )
    dated = sorted((e for e in out if e.effective), key=lambda e: e.effective.start)  # type: ignore[union-attr]
    for before, after in itertools.pairwise(dated):
        end = before.effective.end  # type: ignore[union-attr]
        if end is None or end >= after.effective.start:  # type: ignore[union-attr]
            raise ctx.error(doc, f"the values of {term} overlap in time", path)
    return tuple(out)


def resolve_vocabulary_fields(ctx: Context) -> None:
    """Attach vocabularies to product fields, declare their projection facts, then check every
    value against its attribute."""
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
        for field_name in vocab.fields:
            for attr in vocab.attributes.values():
                _declare_projection(ctx, vocab, field_name, attr)
    for vocab in ctx.vocabs.values():
        for attr in vocab.attributes.values():
            _check_links(ctx, vocab, attr)
            doc = ctx.attribute_docs[(vocab.name, attr.name)]
            for term, entries in attr.terms.items():
                for index, entry in enumerate(entries):
                    where: Path_ = ("attributes", attr.name, "terms", term)
                    if len(entries) > 1:
                        where = (*where, index)
                    check_value(ctx, doc, vocab, attr, entry.value, (*where, "value"))
            if attr.default is not None:
                check_value(
                    ctx, doc, vocab, attr, attr.default, ("attributes", attr.name, "default")
                )


def _declare_projection(
    ctx: Context, vocab: Vocabulary, field_name: str, attr: AttributeDef
) -> None:
    doc = ctx.attribute_docs[(vocab.name, attr.name)]
    base = ctx.facts[field_name]
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
    if base.type == "list" and attr.type == "terms":
        raise ctx.error(
            doc, "a list field's attribute must be a single value", ("attributes", attr.name)
        )
    is_list = base.type == "list" or attr.type == "terms"
    depends = [field_name]
    if attr.refine_by:
        depends.append(attr.refine_by)
    name = f"{field_name}.{attr.name}"
    ctx.facts[name] = FactDef(
        name=name,
        type="list" if is_list else ("bool" if attr.type == "bool" else "enum"),
        origin="projection",
        values=values,
        title=attr.title,
        jurisdiction=attr.jurisdiction,
        depends_on=tuple(depends),
        source=ctx.source(doc, ("attributes", attr.name)),
    )


def _check_links(ctx: Context, vocab: Vocabulary, attr: AttributeDef) -> None:
    """``refine_by`` names a vocabulary field; ``member_of`` a list fact (whose inputs the
    projection then depends on too)."""
    doc = ctx.attribute_docs[(vocab.name, attr.name)]

    def linked(key: str, name: str, kind: str, what: str) -> FactDef:
        fact = ctx.facts.get(name)
        if fact is None or fact.type != kind:
            raise ctx.error(doc, f"{key} {name!r} is not {what}", ("attributes", attr.name, key))
        return fact

    if attr.refine_by:
        linked("refine_by", attr.refine_by, "term", "a vocabulary field")
    if attr.member_of:
        target = linked("member_of", attr.member_of, "list", "a list fact")
        if attr.type != "bool":
            raise ctx.error(doc, "a member_of attribute is of type bool", ("attributes", attr.name))
        for field_name in vocab.fields:
            fact = ctx.facts[f"{field_name}.{attr.name}"]
            ctx.facts[fact.name] = FactDef(
                **{**fact.__dict__, "depends_on": (*fact.depends_on, *target.depends_on)}
            )


def check_value(
    ctx: Context, doc: Document, vocab: Vocabulary, attr: AttributeDef, value: Any, path: Path_
) -> None:
    """A value written for ``attr``: a value of its domain, or one of the forms of
    ``rulebase.projection`` (refined by another field, inherited, an item's field)."""

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
                doc, f"{v!r} is not a value of {attr.name} ({words(attr.values)})", path
            )

    if not isinstance(value, dict):
        plain(value)
        return
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
        if value["item_field"] not in CombinedItem.model_fields or vocab.name != "combined_with":
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
