"""Facts files: the questions for the product contract's fields (input facts), and each
jurisdiction's derived facts with their types and values."""

from __future__ import annotations

from typing import Any

from ...contract.fields import input_fields
from ...errors import RuleBaseError
from ...io.document import Document
from ...text import did_you_mean
from .. import schema
from ..model import FactDef
from .context import Context


def load_input_facts(ctx: Context) -> None:
    texts: dict[str, tuple[Document, schema.FactSpec]] = {}
    for doc, spec in ctx.docs.get("facts", []):
        if spec.scope == "input":  # type: ignore[attr-defined]
            for name, fact in spec.facts.items():  # type: ignore[attr-defined]
                texts[name] = (doc, fact)
    fields = {path: (kind, values) for path, kind, values in input_fields()}
    for name, (doc, fact) in texts.items():
        if name not in fields:
            raise ctx.error(
                doc,
                f"{name!r} is not a field of the product contract" + did_you_mean(name, fields),
                ("facts", name),
                key=True,
            )
        if fact.type is not None or fact.values is not None:
            raise ctx.error(
                doc,
                "input facts take their type and values from the product contract",
                ("facts", name),
            )
    for name, (kind, values) in fields.items():
        if name not in texts:
            where = texts and next(iter(texts.values()))[0]
            message = f"product field {name!r} has no question in the input facts file"
            if where:
                raise ctx.error(where, message, ("facts",))
            raise RuleBaseError(message, file=str(ctx.root))
        doc, fact = texts[name]
        ctx.facts[name] = FactDef(
            name=name,
            type=kind,  # type: ignore[arg-type]
            origin="input",
            values=values,
            title=fact.title,
            question=fact.question,
            help=fact.help,
            when_unknown=ctx.when_unknown(doc, fact, ("facts", name)),
            source=ctx.source(doc, ("facts", name)),
        )
        if not fact.question:
            raise ctx.error(
                doc,
                "every input fact needs a question",
                ("facts", name),
                check="lint.unproduced-fact",
            )


def load_derived_facts(ctx: Context, doc: Document, spec: schema.FactsFile) -> None:
    code = ctx.jurisdiction_of(doc)
    for name, fact in spec.facts.items():
        path = ("facts", name)
        if not name.startswith(f"{code}.") and code != "common":
            raise ctx.error(
                doc, f"derived facts in {code}/ must be named {code}.<name>", path, key=True
            )
        if name in ctx.facts:
            raise ctx.error(
                doc,
                f"fact {name!r} is already defined at {ctx.facts[name].source}",
                path,
                key=True,
            )
        if fact.type not in ("bool", "enum"):
            raise ctx.error(doc, "a derived fact is of type bool or enum", (*path, "type"))
        values: tuple[Any, ...]
        if fact.type == "bool":
            values = (True, False)
            if fact.values is not None:
                raise ctx.error(doc, "a bool fact takes no values", (*path, "values"))
        else:
            if not fact.values:
                raise ctx.error(doc, "an enum fact needs its values", (*path, "values"))
            values = tuple(fact.values)
        ctx.facts[name] = FactDef(
            name=name,
            type=fact.type,
            origin="derived",
            values=values,
            title=fact.title,
            question=fact.question,
            help=fact.help,
            jurisdiction=code,
            on_conflict=fact.on_conflict,
            conflict_message=fact.conflict_message,
            when_unknown=ctx.when_unknown(doc, fact, path),
            source=ctx.source(doc, path),
        )
