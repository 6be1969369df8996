"""What every section of the loader shares: the files read so far, what they defined, and the
helpers that turn a defect into a located ``RuleBaseError``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ...errors import InputError, RuleBaseError
from ...io.document import Document, Path_
from ...io.pydantic_errors import to_input_error
from ...text import did_you_mean
from .. import schema
from ..model import Decision, FactDef, Jurisdiction, Rule
from ..references import Citation, Effective, Source
from ..vocabulary import Vocabulary, vocabulary_for


def as_rulebase_error(
    err: InputError, check: str | None = None, rules: tuple[str, ...] = ()
) -> RuleBaseError:
    """The same located message, as an error of the rule base rather than of a product.

    ``check`` is the lint check the defect belongs to (see ``authoring.lint.CHECKS``); a shape
    error on a citation's ``url`` belongs to ``lint.no-url``.
    """
    loc = err.location
    if check is None and err.field is not None and err.field.split(".")[-1] == "url":
        check = "lint.no-url"
    return RuleBaseError(
        err.message,
        check=check,
        rules=rules,
        file=loc.file,
        line=loc.line,
        column=loc.column,
        field=err.field,
    )


class Context:
    """The state of one load: every section reads what earlier sections defined."""

    def __init__(self, root: Path, files: list[Path], sha: str) -> None:
        self.root = root
        self.paths = files
        self.sha = sha
        self.docs: dict[str, list[tuple[Document, BaseModel]]] = {}
        self.citations: dict[str, Citation] = {}
        self.citation_sources: dict[str, Source] = {}
        self.facts: dict[str, FactDef] = {}
        self.vocabs: dict[str, Vocabulary] = {}
        self.vocab_docs: dict[str, Document] = {}
        self.attribute_docs: dict[tuple[str, str], Document] = {}  # (vocabulary, attribute)
        self.jurisdictions: dict[str, Jurisdiction] = {}
        self.rules: list[Rule] = []
        self.decisions: dict[str, Decision] = {}
        self.ids: dict[str, Source] = {}

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def error(
        self,
        doc: Document,
        message: str,
        path: Path_ = (),
        *,
        key: bool = False,
        check: str | None = None,
        rules: tuple[str, ...] = (),
    ) -> RuleBaseError:
        return as_rulebase_error(doc.error(message, path, key=key), check, rules)

    def source(self, doc: Document, path: Path_) -> Source:
        line, _ = doc.location(path)
        return Source(doc.file, line)

    def claim_id(self, ident: str, doc: Document, path: Path_) -> None:
        if ident in self.ids:
            raise self.error(
                doc,
                f"id {ident!r} is already used at {self.ids[ident]}",
                (*path, "id"),
                check="lint.duplicate-id",
                rules=(ident,),
            )
        self.ids[ident] = self.source(doc, path)

    def jurisdiction_of(self, doc: Document) -> str:
        first = doc.file.split("/")[0]
        return first if "/" in doc.file else ""

    def resolve_citations(
        self, doc: Document, items: Iterable[Any] | None, path: Path_
    ) -> tuple[Citation, ...]:
        out: list[Citation] = []
        for index, item in enumerate(items or ()):
            if isinstance(item, str):
                found = self.citations.get(item)
                if found is None:
                    raise self.error(
                        doc,
                        f"citation {item!r} is not in any citations file"
                        + did_you_mean(item, self.citations, "; add it with its URL"),
                        (*path, index),
                    )
                out.append(found)
            else:
                out.append(Citation(**item.model_dump()))
        return tuple(out)

    def validate(
        self, doc: Document, model: type[BaseModel], raw: dict[str, Any], path: Path_
    ) -> Any:
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            raise as_rulebase_error(to_input_error(exc, doc, model, path)) from None

    def effective(
        self,
        doc: Document,
        spec: schema.RulesFile,
        own: schema.EffectiveSpec | None,
        inherited: schema.EffectiveSpec | None,
        path: Path_,
    ) -> Effective:
        chosen = own or inherited or spec.effective
        if chosen is None:
            raise self.error(
                doc,
                "no effective date: give 'effective: {from: YYYY-MM-DD}' here or for the file",
                path,
            )
        if chosen.end is not None and chosen.end < chosen.start:
            raise self.error(
                doc,
                "effective 'to' is before 'from': in force on no day",
                (*path, "effective"),
                check="lint.never-fires",
            )
        return Effective(chosen.start, chosen.end)

    def fact_hint(self, name: str) -> str:
        return did_you_mean(name, self.facts)

    def domain(self, fact: str) -> tuple[Any, ...] | None:
        definition = self.facts.get(fact)
        return definition.values if definition else None

    def vocabulary_for(self, field_name: str) -> Vocabulary | None:
        return vocabulary_for(self.vocabs, field_name)

    def when_unknown(
        self, doc: Document, fact: schema.FactSpec, path: Path_
    ) -> tuple[str, tuple[Citation, ...]] | None:
        if fact.when_unknown is None:
            return None
        cites = self.resolve_citations(
            doc, fact.when_unknown.citations, (*path, "when_unknown", "citations")
        )
        return (fact.when_unknown.note, cites)
