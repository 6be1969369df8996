"""Load and validate a rule base directory. Every error names the file and line.

Checks made here (``pathway rules lint`` adds the analyses that need evaluation):

* each file has a known ``kind`` and the shape of that kind (unknown keys get a suggestion);
* rule, case, decision and pathway ids are unique, dotted, and start with their jurisdiction;
* every fact a condition reads or a rule sets is defined, and every value is in its domain;
* conditions use only the whitelisted operators, each on a fact of a suitable type;
* every rule, obligation, option and note has at least one citation, each with a public URL;
* every rule has an effective-from date; rules that supersede each other leave no gap and do not
  overlap;
* vocabulary terms set only declared attributes, with values in their domains.

The loader is the one place for the checks ``pathway rules lint`` lists as made by the loader
(``lint.CHECKS``): such a refusal carries its check id (``RuleBaseError.check``:
``lint.duplicate-id``, ``lint.no-citation``, ``lint.no-url``, ``lint.supersedes-dates``,
``lint.never-fires`` for a rule in force on no day, ``lint.unproduced-fact`` for an input fact
without a question) and the rule ids involved.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import product as product_model
from ..errors import InputError, RuleBaseError
from ..validation import suggest, to_input_error
from ..yamlio import RULE_LIMITS, Document, Path_, read_document
from . import cache as disk_cache
from . import schema
from .conditions import (
    DATE_OPS,
    LIST_OPS,
    SCALAR_OPS,
    TRUE,
    All,
    AnyOf,
    Condition,
    Leaf,
    Not,
    dnf,
    leaves,
)
from .model import (
    AttributeDef,
    Citation,
    Classification,
    Decision,
    Due,
    Effective,
    FactDef,
    Jurisdiction,
    Pathway,
    Rule,
    RuleBase,
    Source,
    Term,
    Vocabulary,
)

RESERVED_WORDS = {"all", "any", "not"}
TEMPLATE = re.compile(r"\{([a-z0-9_.]+)\}")  # a product fact named in a title, filled in reports
MAX_ENGINE_KEYS = 240  # durable_rules refuses facts with more than 253 keys


def default_rules_dir() -> Path:
    """The shipped rule base: inside the installed package, or the repository's ``rules/``."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_rules", here.parent.parent / "rules"):
        if (candidate / "rulebase.yaml").is_file():
            return candidate
    raise RuleBaseError("the shipped rule base is missing (no rulebase.yaml found)", file=str(here))


def _as_rulebase_error(
    err: InputError, check: str | None = None, rules: tuple[str, ...] = ()
) -> RuleBaseError:
    """The same located message, as an error of the rule base rather than of a product.

    ``check`` is the lint check the defect belongs to (see ``lint.CHECKS``); a shape error on a
    citation's ``url`` belongs to ``lint.no-url``.
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


_cache: dict[tuple[str, str], RuleBase] = {}
_digests: dict[tuple[tuple[str, int, int], ...], str] = {}
_cache_lock = threading.Lock()


def _fingerprint(root: Path) -> tuple[list[Path], str]:
    """The rule files and the sha256 of their contents (recomputed only when a file changes)."""
    files = sorted(p for p in root.rglob("*.yaml") if p.is_file())
    stats = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    with _cache_lock:
        known = _digests.get(stats)
    if known is not None:
        return files, known
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    with _cache_lock:
        _digests[stats] = digest.hexdigest()
    return files, digest.hexdigest()


_shipped: list[RuleBase] = []  # the shipped rule base, once read (it is part of the install)


def load_rulebase(root: str | Path | None = None) -> RuleBase:
    """Load (once per content) and validate the rule base at ``root`` (default: shipped).

    A directory given as ``root`` is checked for changed files on every call (a stat of each
    file), so an edited rule base is picked up; the shipped one is read once per process.
    """
    if root is None:
        with _cache_lock:
            if _shipped:
                return _shipped[0]
        loaded = load_rulebase(default_rules_dir())
        with _cache_lock:
            if not _shipped:
                _shipped.append(loaded)
            return _shipped[0]
    path = Path(root)
    if not path.is_dir():
        raise RuleBaseError("rule base directory not found", file=str(path))
    files, sha = _fingerprint(path)
    key = (str(path.resolve()), sha)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    loaded = disk_cache.load("rulebase", *key)
    if not isinstance(loaded, RuleBase):
        loaded = _Loader(path, files, sha).load()
        disk_cache.store(loaded, "rulebase", *key)
    with _cache_lock:
        _cache[key] = loaded
    return loaded


class _Loader:
    def __init__(self, root: Path, files: list[Path], sha: str) -> None:
        self.root = root
        self.paths = files
        self.sha = sha
        self.docs: dict[str, list[tuple[Document, BaseModel]]] = {}
        self.citations: dict[str, Citation] = {}
        self.citation_sources: dict[str, Source] = {}
        self.facts: dict[str, FactDef] = {}
        self.vocabs: dict[str, Vocabulary] = {}
        self.jurisdictions: dict[str, Jurisdiction] = {}
        self.rules: list[Rule] = []
        self.decisions: dict[str, Decision] = {}
        self.ids: dict[str, Source] = {}

    # ---------------------------------------------------------------- helpers

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
        return _as_rulebase_error(doc.error(message, path, key=key), check, rules)

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

    # ---------------------------------------------------------------- load

    def load(self) -> RuleBase:
        for path in self.paths:
            doc = read_document(path, RULE_LIMITS, display=self.rel(path))
            if not isinstance(doc.data, dict):
                raise self.error(doc, "a rule-base file must be a mapping with a 'kind'")
            kind = doc.data.get("kind")
            spec_type = schema.FILE_KINDS.get(kind) if isinstance(kind, str) else None
            if spec_type is None:
                hint = suggest(str(kind), schema.FILE_KINDS) if kind else None
                message = f"unknown kind {kind!r}" if kind else "missing 'kind'"
                message += (
                    f" (did you mean {hint!r}?)"
                    if hint
                    else f"; expected one of {', '.join(schema.FILE_KINDS)}"
                )
                raise self.error(doc, message, ("kind",) if kind else ())
            try:
                spec = spec_type.model_validate(doc.data)
            except ValidationError as exc:
                raise _as_rulebase_error(to_input_error(exc, doc, spec_type)) from None
            self.docs.setdefault(kind, []).append((doc, spec))

        meta = self.docs.get("rulebase", [])
        if len(meta) != 1 or meta[0][0].file != "rulebase.yaml":
            raise RuleBaseError(
                "the rule base needs exactly one rulebase.yaml at its root", file=str(self.root)
            )
        meta_doc, meta_spec = meta[0]
        assert isinstance(meta_spec, schema.RulebaseFile)

        for doc, spec in self.docs.get("citations", []):
            self.load_citations(doc, spec)  # type: ignore[arg-type]
        self.load_input_facts()
        for doc, spec in self.docs.get("vocabulary", []):
            self.load_vocabulary(doc, spec)  # type: ignore[arg-type]
        self.resolve_vocabulary_fields()
        for doc, spec in self.docs.get("facts", []):
            if spec.scope == "derived":  # type: ignore[attr-defined]
                self.load_derived_facts(doc, spec)  # type: ignore[arg-type]
        for doc, spec in self.docs.get("jurisdiction", []):
            self.load_jurisdiction(doc, spec)  # type: ignore[arg-type]
        for code in meta_spec.jurisdictions:
            if code not in self.jurisdictions:
                raise self.error(
                    meta_doc,
                    f"jurisdiction {code!r} has no {code}/jurisdiction.yaml",
                    ("jurisdictions",),
                )
        for doc, spec in sorted(self.docs.get("rules", []), key=lambda d: d[0].file):
            self.load_rules(doc, spec)  # type: ignore[arg-type]
        self.check_whole()
        order = {code: i for i, code in enumerate(meta_spec.jurisdictions)}
        jurisdictions = dict(
            sorted(self.jurisdictions.items(), key=lambda kv: order.get(kv[0], 99))
        )
        return RuleBase(
            name=meta_spec.name,
            version=meta_spec.version,
            sha256=self.sha,
            root=str(self.root),
            jurisdictions=jurisdictions,
            facts=self.facts,
            vocabularies=self.vocabs,
            rules=tuple(self.rules),
            decisions=self.decisions,
            citations=self.citations,
            files=tuple(self.rel(p) for p in self.paths),
        )

    # ---------------------------------------------------------------- citations

    def load_citations(self, doc: Document, spec: schema.CitationsFile) -> None:
        for ref, entry in spec.citations.items():
            if ref in self.citations:
                raise self.error(
                    doc,
                    f"citation {ref!r} is already defined at {self.citation_sources[ref]}",
                    ("citations", ref),
                    key=True,
                )
            self.citations[ref] = Citation(ref=ref, **entry.model_dump())
            self.citation_sources[ref] = self.source(doc, ("citations", ref))

    def resolve_citations(
        self, doc: Document, items: Iterable[Any] | None, path: Path_
    ) -> tuple[Citation, ...]:
        out: list[Citation] = []
        for index, item in enumerate(items or ()):
            if isinstance(item, str):
                found = self.citations.get(item)
                if found is None:
                    hint = suggest(item, self.citations)
                    raise self.error(
                        doc,
                        f"citation {item!r} is not in any citations file"
                        + (f" (did you mean {hint!r}?)" if hint else "; add it with its URL"),
                        (*path, index),
                    )
                out.append(found)
            else:
                out.append(Citation(**item.model_dump()))
        return tuple(out)

    # ---------------------------------------------------------------- facts

    def load_input_facts(self) -> None:
        texts: dict[str, tuple[Document, schema.FactSpec]] = {}
        for doc, spec in self.docs.get("facts", []):
            if spec.scope == "input":  # type: ignore[attr-defined]
                for name, fact in spec.facts.items():  # type: ignore[attr-defined]
                    texts[name] = (doc, fact)
        fields = {path: (kind, values) for path, kind, values in product_model.input_fields()}
        for name, (doc, fact) in texts.items():
            if name not in fields:
                hint = suggest(name, fields)
                raise self.error(
                    doc,
                    f"{name!r} is not a field of the product contract"
                    + (f" (did you mean {hint!r}?)" if hint else ""),
                    ("facts", name),
                    key=True,
                )
            if fact.type is not None or fact.values is not None:
                raise self.error(
                    doc,
                    "input facts take their type and values from the product contract",
                    ("facts", name),
                )
        for name, (kind, values) in fields.items():
            if name not in texts:
                where = texts and next(iter(texts.values()))[0]
                message = f"product field {name!r} has no question in the input facts file"
                if where:
                    raise self.error(where, message, ("facts",))
                raise RuleBaseError(message, file=str(self.root))
            doc, fact = texts[name]
            self.facts[name] = FactDef(
                name=name,
                type=kind,  # type: ignore[arg-type]
                origin="input",
                values=values,
                title=fact.title,
                question=fact.question,
                help=fact.help,
                when_unknown=self.when_unknown(doc, fact, ("facts", name)),
                source=self.source(doc, ("facts", name)),
            )
            if not fact.question:
                raise self.error(
                    doc,
                    "every input fact needs a question",
                    ("facts", name),
                    check="lint.unproduced-fact",
                )

    def when_unknown(
        self, doc: Document, fact: schema.FactSpec, path: Path_
    ) -> tuple[str, tuple[Citation, ...]] | None:
        if fact.when_unknown is None:
            return None
        cites = self.resolve_citations(
            doc, fact.when_unknown.citations, (*path, "when_unknown", "citations")
        )
        return (fact.when_unknown.note, cites)

    def load_derived_facts(self, doc: Document, spec: schema.FactsFile) -> None:
        code = self.jurisdiction_of(doc)
        for name, fact in spec.facts.items():
            path = ("facts", name)
            if not name.startswith(f"{code}.") and code != "common":
                raise self.error(
                    doc, f"derived facts in {code}/ must be named {code}.<name>", path, key=True
                )
            if name in self.facts:
                raise self.error(
                    doc,
                    f"fact {name!r} is already defined at {self.facts[name].source}",
                    path,
                    key=True,
                )
            if fact.type not in ("bool", "enum"):
                raise self.error(doc, "a derived fact is of type bool or enum", (*path, "type"))
            values: tuple[Any, ...]
            if fact.type == "bool":
                values = (True, False)
                if fact.values is not None:
                    raise self.error(doc, "a bool fact takes no values", (*path, "values"))
            else:
                if not fact.values:
                    raise self.error(doc, "an enum fact needs its values", (*path, "values"))
                values = tuple(fact.values)
            self.facts[name] = FactDef(
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
                when_unknown=self.when_unknown(doc, fact, path),
                source=self.source(doc, path),
            )

    # ---------------------------------------------------------------- vocabularies

    def load_vocabulary(self, doc: Document, spec: schema.VocabularyFile) -> None:
        if spec.name in self.vocabs:
            raise self.error(doc, f"vocabulary {spec.name!r} is defined twice", ("name",))
        attributes: dict[str, AttributeDef] = {}
        for name, attr in spec.attributes.items():
            path = ("attributes", name)
            if attr.type == "enum" and not attr.values:
                raise self.error(doc, "an enum attribute needs its values", path)
            if attr.type == "terms" and not attr.vocabulary:
                raise self.error(doc, "a terms attribute names its vocabulary", path)
            values: tuple[Any, ...] | None = (
                (True, False)
                if attr.type == "bool"
                else (tuple(attr.values) if attr.values else None)
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
                citations=self.resolve_citations(doc, attr.citations, (*path, "citations")),
            )
        terms: dict[str, Term] = {}
        aliases: dict[str, str] = {}
        for term_name, body in spec.terms.items():
            path = ("terms", term_name)
            if not isinstance(body, dict):
                raise self.error(doc, "a term is a mapping (label, aliases, attributes...)", path)
            unknown = [k for k in body if k not in schema.TERM_KEYS and k not in attributes]
            if unknown:
                hint = suggest(unknown[0], [*schema.TERM_KEYS, *attributes])
                raise self.error(
                    doc,
                    f"unknown key {unknown[0]!r}" + (f" (did you mean {hint!r}?)" if hint else ""),
                    (*path, unknown[0]),
                    key=True,
                )
            label = body.get("label")
            if not isinstance(label, str) or not label:
                raise self.error(doc, "a term needs a label", path)
            term_aliases = body.get("aliases") or []
            if not isinstance(term_aliases, list) or not all(
                isinstance(a, str) for a in term_aliases
            ):
                raise self.error(doc, "aliases is a list of words", (*path, "aliases"))
            for alias in term_aliases:
                key = alias.lower().replace("-", "_").replace(" ", "_")
                if key in aliases or key in spec.terms:
                    raise self.error(doc, f"alias {alias!r} is used twice", (*path, "aliases"))
                aliases[key] = term_name
            values = {name: body[name] for name in attributes if name in body}
            cites: dict[str, tuple[Citation, ...]] = {}
            for attr_name, refs in (body.get("citations") or {}).items():
                if attr_name not in attributes:
                    raise self.error(
                        doc,
                        f"citations for unknown attribute {attr_name!r}",
                        (*path, "citations", attr_name),
                        key=True,
                    )
                cites[attr_name] = self.resolve_citations(
                    doc, refs, (*path, "citations", attr_name)
                )
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
        self.vocabs[spec.name] = Vocabulary(
            name=spec.name,
            fields=tuple(spec.applies_to),
            description=spec.description,
            attributes=attributes,
            terms=terms,
            aliases=aliases,
            source=self.source(doc, ()),
        )
        self._vocab_docs = getattr(self, "_vocab_docs", {})
        self._vocab_docs[spec.name] = doc

    def resolve_vocabulary_fields(self) -> None:
        """Attach vocabularies to product fields, then declare their projection facts."""
        for vocab in self.vocabs.values():
            doc = self._vocab_docs[vocab.name]
            for field_name in vocab.fields:
                fact = self.facts.get(field_name)
                if fact is None or fact.type not in ("text", "list"):
                    raise self.error(
                        doc,
                        f"{field_name!r} is not a text or list field of the product contract",
                        ("applies_to",),
                    )
                if fact.vocabulary:
                    raise self.error(
                        doc,
                        f"{field_name!r} already uses vocabulary {fact.vocabulary!r}",
                        ("applies_to",),
                    )
                self.facts[field_name] = FactDef(
                    **{
                        **fact.__dict__,
                        "type": "list" if fact.type == "list" else "term",
                        "values": tuple(vocab.terms),
                        "vocabulary": vocab.name,
                    }
                )
        for vocab in self.vocabs.values():
            doc = self._vocab_docs[vocab.name]
            for field_name in vocab.fields:
                base = self.facts[field_name]
                for attr in vocab.attributes.values():
                    name = f"{field_name}.{attr.name}"
                    values = attr.values
                    if attr.type == "terms":
                        target = self.vocabs.get(attr.vocabulary or "")
                        if target is None:
                            raise self.error(
                                doc,
                                f"no vocabulary named {attr.vocabulary!r}",
                                ("attributes", attr.name, "vocabulary"),
                            )
                        values = tuple(target.terms)
                    is_list = base.type == "list" or attr.type == "terms"
                    if base.type == "list" and attr.type == "terms":
                        raise self.error(
                            doc,
                            "a list field's attribute must be a single value",
                            ("attributes", attr.name),
                        )
                    depends = [field_name]
                    if attr.refine_by:
                        depends.append(attr.refine_by)
                    self.facts[name] = FactDef(
                        name=name,
                        type="list" if is_list else ("bool" if attr.type == "bool" else "enum"),
                        origin="projection",
                        values=values,
                        title=attr.title,
                        depends_on=tuple(depends),
                        source=self.source(doc, ("attributes", attr.name)),
                    )
        # second pass: member_of, inherit_from and refine_by targets, and each term's values
        for vocab in self.vocabs.values():
            doc = self._vocab_docs[vocab.name]
            for attr in vocab.attributes.values():
                if attr.refine_by:
                    refine = self.facts.get(attr.refine_by)
                    if refine is None or refine.type != "term":
                        raise self.error(
                            doc,
                            f"refine_by {attr.refine_by!r} is not a vocabulary field",
                            ("attributes", attr.name, "refine_by"),
                        )
                if attr.member_of:
                    target = self.facts.get(attr.member_of)
                    if target is None or target.type != "list":
                        raise self.error(
                            doc,
                            f"member_of {attr.member_of!r} is not a list fact",
                            ("attributes", attr.name, "member_of"),
                        )
                    if attr.type != "bool":
                        raise self.error(
                            doc, "a member_of attribute is of type bool", ("attributes", attr.name)
                        )
                    for field_name in vocab.fields:
                        fact = self.facts[f"{field_name}.{attr.name}"]
                        self.facts[fact.name] = FactDef(
                            **{
                                **fact.__dict__,
                                "depends_on": (*fact.depends_on, *target.depends_on),
                            }
                        )
                for term in vocab.terms.values():
                    if attr.name in term.attributes:
                        self.check_term_value(doc, vocab, term, attr, term.attributes[attr.name])
                if attr.default is not None:
                    self.check_term_value(doc, vocab, None, attr, attr.default)

    def check_term_value(
        self, doc: Document, vocab: Vocabulary, term: Term | None, attr: AttributeDef, value: Any
    ) -> None:
        path: Path_ = (
            ("terms", term.name, attr.name) if term else ("attributes", attr.name, "default")
        )

        def plain(v: Any) -> None:
            if attr.type == "terms":
                target = self.vocabs[attr.vocabulary or ""]
                if not isinstance(v, list) or any(x not in target.terms for x in v):
                    bad = [x for x in v if x not in target.terms] if isinstance(v, list) else [v]
                    raise self.error(
                        doc, f"{bad[0]!r} is not a term of vocabulary {target.name!r}", path
                    )
            elif attr.values is not None and v not in attr.values:
                raise self.error(
                    doc,
                    f"{v!r} is not a value of {attr.name} ({', '.join(map(str, attr.values))})",
                    path,
                )

        if isinstance(value, dict):
            if set(value) == {"inherit_from"}:
                other = self.vocabulary_for(value["inherit_from"])
                if other is None or attr.name not in other.attributes:
                    raise self.error(
                        doc,
                        f"inherit_from {value['inherit_from']!r}: no vocabulary field with attribute {attr.name!r}",
                        path,
                    )
                return
            if set(value) == {"item_field"}:
                if (
                    value["item_field"] not in product_model.CombinedItem.model_fields
                    or vocab.name != "combined_with"
                ):
                    raise self.error(
                        doc,
                        f"item_field {value['item_field']!r} is not a field of a combined_with item",
                        path,
                    )
                return
            if attr.refine_by is None or "default" not in value:
                raise self.error(
                    doc, "a mapping value needs refine_by on the attribute and a 'default'", path
                )
            refine_vocab = self.vocabulary_for(attr.refine_by)
            assert refine_vocab is not None
            for key, v in value.items():
                if key != "default" and key not in refine_vocab.terms:
                    raise self.error(
                        doc,
                        f"{key!r} is not a term of {refine_vocab.name!r} (refine_by {attr.refine_by})",
                        (*path, key),
                        key=True,
                    )
                plain(v)
            return
        if attr.member_of:
            raise self.error(doc, "a member_of attribute is computed, not written per term", path)
        plain(value)

    def vocabulary_for(self, field_name: str) -> Vocabulary | None:
        for vocab in self.vocabs.values():
            if field_name in vocab.fields:
                return vocab
        return None

    # ---------------------------------------------------------------- jurisdictions

    def load_jurisdiction(self, doc: Document, spec: schema.JurisdictionFile) -> None:
        if doc.file != f"{spec.code}/jurisdiction.yaml":
            raise self.error(
                doc,
                f"jurisdiction {spec.code!r} belongs in {spec.code}/jurisdiction.yaml",
                ("code",),
            )
        pathway = self.facts.get(spec.pathway_fact)
        if pathway is None or pathway.origin != "derived" or pathway.type != "enum":
            raise self.error(
                doc,
                f"pathway_fact {spec.pathway_fact!r} must be a derived enum fact",
                ("pathway_fact",),
            )
        if set(pathway.values or ()) != set(spec.pathways):
            raise self.error(
                doc,
                f"the values of {spec.pathway_fact} must be exactly the pathways listed here",
                ("pathways",),
            )
        pathways = {}
        for pid, p in spec.pathways.items():
            if not pid.startswith(f"{spec.code}."):
                raise self.error(
                    doc, f"pathway ids start with '{spec.code}.'", ("pathways", pid), key=True
                )
            self.claim_id(pid, doc, ("pathways", pid))
            pathways[pid] = Pathway(
                id=pid,
                title=p.title,
                premarket_review=p.premarket_review,
                description=p.description,
            )
        if spec.classification_fact:
            cls = self.facts.get(spec.classification_fact)
            if cls is None or cls.origin != "derived" or cls.type != "enum":
                raise self.error(
                    doc,
                    f"classification_fact {spec.classification_fact!r} must be a derived enum fact",
                    ("classification_fact",),
                )
            missing = [v for v in cls.values or () if v not in spec.classifications]
            if missing:
                raise self.error(
                    doc, f"classification {missing[0]!r} has no title here", ("classifications",)
                )
        self.jurisdictions[spec.code] = Jurisdiction(
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
            source=self.source(doc, ()),
        )

    # ---------------------------------------------------------------- rules

    def load_rules(self, doc: Document, spec: schema.RulesFile) -> None:
        code = self.jurisdiction_of(doc)
        if code not in self.jurisdictions and code != "common":
            raise self.error(
                doc,
                f"rules must sit in a jurisdiction folder (one of {', '.join(self.jurisdictions)}) or common/",
            )
        for index, raw in enumerate(spec.rules):
            path: Path_ = ("rules", index)
            if "decide" in raw:
                self.load_decision(doc, spec, code, raw, path)
            else:
                self.load_rule(doc, spec, code, raw, path)

    def validate(
        self, doc: Document, model: type[BaseModel], raw: dict[str, Any], path: Path_
    ) -> Any:
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            raise _as_rulebase_error(to_input_error(exc, doc, model, path)) from None

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

    def check_rule_id(self, doc: Document, code: str, ident: str, path: Path_) -> None:
        if not ident.startswith(f"{code}."):
            raise self.error(doc, f"rule ids in {code}/ start with '{code}.'", (*path, "id"))
        self.claim_id(ident, doc, path)

    def load_rule(
        self, doc: Document, spec: schema.RulesFile, code: str, raw: dict[str, Any], path: Path_
    ) -> None:
        rs: schema.RuleSpec = self.validate(doc, schema.RuleSpec, raw, path)
        self.check_rule_id(doc, code, rs.id, path)
        when = self.condition(doc, rs.when, (*path, "when"))
        fact = value = None
        if rs.kind == "derive":
            if not rs.then or len(rs.then) != 1:
                raise self.error(
                    doc,
                    "a derive rule sets exactly one fact: then: {fact: value}",
                    (*path, "then") if rs.then else path,
                )
            fact, value = next(iter(rs.then.items()))
            self.check_derived_value(doc, code, fact, value, (*path, "then", fact))
        elif rs.then is not None:
            raise self.error(doc, f"a {rs.kind} rule has no 'then'", (*path, "then"), key=True)
        if rs.timing is not None and rs.kind != "obligation":
            raise self.error(doc, "only obligations have a timing", (*path, "timing"), key=True)
        if rs.kind == "obligation" and not rs.timing:
            raise self.error(doc, "an obligation says when it applies (timing)", path)
        due: tuple[Due, ...] = ()
        if rs.due is not None:
            if rs.kind != "obligation":
                raise self.error(doc, "only obligations have a due date", (*path, "due"), key=True)
            options = rs.due if isinstance(rs.due, list) else [rs.due]
            for i, option in enumerate(options):
                where = (
                    (*path, "due", i, "from")
                    if isinstance(rs.due, list)
                    else (*path, "due", "from")
                )
                fact_def = self.facts.get(option.date_fact)
                if fact_def is None or fact_def.type != "date":
                    raise self.error(doc, f"due from {option.date_fact!r}: not a date fact", where)
                due += (
                    Due(option.date_fact, option.years, option.months, option.days, option.latest),
                )
        if rs.eligible_when is not None and rs.kind != "option":
            raise self.error(
                doc, "only options have eligible_when", (*path, "eligible_when"), key=True
            )
        eligible = (
            self.condition(doc, rs.eligible_when, (*path, "eligible_when"))
            if rs.eligible_when is not None
            else None
        )
        citations = self.resolve_citations(doc, rs.citations, (*path, "citations"))
        if not citations:
            raise self.error(
                doc,
                "every rule cites at least one legal source",
                path,
                check="lint.no-citation",
                rules=(rs.id,),
            )
        for name in TEMPLATE.findall(rs.title):
            if name not in self.facts or self.facts[name].origin == "derived":
                raise self.error(
                    doc, f"{{{name}}} in the title is not a product fact", (*path, "title")
                )
        self.rules.append(
            Rule(
                id=rs.id,
                title=rs.title,
                kind=rs.kind,
                jurisdiction=code,
                when=when,
                citations=citations,
                effective=self.effective(doc, spec, rs.effective, None, path),
                source=self.source(doc, path),
                index=len(self.rules),
                fact=fact,
                value=value,
                description=rs.description,
                law=rs.law,
                supersedes=rs.supersedes,
                timing=rs.timing,
                eligible_when=eligible,
                due=due,
            )
        )

    def load_decision(
        self, doc: Document, spec: schema.RulesFile, code: str, raw: dict[str, Any], path: Path_
    ) -> None:
        ds: schema.DecisionSpec = self.validate(doc, schema.DecisionSpec, raw, path)
        self.check_rule_id(doc, code, ds.id, path)
        fact_def = self.facts.get(ds.decide)
        if fact_def is None or fact_def.origin != "derived":
            raise self.error(
                doc,
                f"decide: {ds.decide!r} is not a derived fact" + self.fact_hint(ds.decide),
                (*path, "decide"),
            )
        shared = self.resolve_citations(doc, ds.citations, (*path, "citations"))
        case_ids = []
        for index, case in enumerate(ds.first_match):
            cpath = (*path, "first_match", index)
            self.check_rule_id(doc, code, case.id, cpath)
            self.check_derived_value(doc, code, ds.decide, case.value, (*cpath, "value"))
            citations = self.resolve_citations(doc, case.citations, (*cpath, "citations")) or shared
            if not citations:
                raise self.error(
                    doc,
                    "every case cites at least one legal source (or the decision does)",
                    cpath,
                    check="lint.no-citation",
                    rules=(case.id,),
                )
            self.rules.append(
                Rule(
                    id=case.id,
                    title=case.title,
                    kind="derive",
                    jurisdiction=code,
                    when=self.condition(doc, case.when, (*cpath, "when")),
                    citations=citations,
                    effective=self.effective(doc, spec, case.effective, ds.effective, cpath),
                    source=self.source(doc, cpath),
                    index=len(self.rules),
                    fact=ds.decide,
                    value=case.value,
                    description=case.description,
                    law=case.law,
                    supersedes=case.supersedes,
                    decision=ds.id,
                    case=index,
                )
            )
            case_ids.append(case.id)
        self.decisions[ds.id] = Decision(
            id=ds.id,
            title=ds.title,
            fact=ds.decide,
            jurisdiction=code,
            cases=tuple(case_ids),
            source=self.source(doc, path),
        )

    def fact_hint(self, name: str) -> str:
        hint = suggest(name, self.facts)
        return f" (did you mean {hint!r}?)" if hint else ""

    def check_derived_value(
        self, doc: Document, code: str, fact: str, value: Any, path: Path_
    ) -> None:
        definition = self.facts.get(fact)
        if definition is None:
            raise self.error(
                doc, f"fact {fact!r} is not defined" + self.fact_hint(fact), path, key=True
            )
        if definition.origin != "derived":
            raise self.error(
                doc, f"{fact!r} is an input fact: rules can only set derived facts", path, key=True
            )
        if definition.jurisdiction not in (code, "common") and code != "common":
            raise self.error(doc, f"rules in {code}/ cannot set {fact!r}", path, key=True)
        if value not in (definition.values or ()):
            shown = ", ".join(
                "true" if v is True else "false" if v is False else str(v)
                for v in definition.values or ()
            )
            raise self.error(doc, f"{value!r} is not a value of {fact} ({shown})", path)

    # ---------------------------------------------------------------- conditions

    def condition(self, doc: Document, node: Any, path: Path_) -> Condition:
        if node is None:
            return TRUE
        return self.parse(doc, node, path)

    def parse(self, doc: Document, node: Any, path: Path_) -> Condition:
        if isinstance(node, list):
            if not node:
                raise self.error(doc, "an empty list of conditions", path)
            return All(tuple(self.parse(doc, item, (*path, i)) for i, item in enumerate(node)))
        if not isinstance(node, dict) or not node:
            raise self.error(doc, "a condition is a mapping {fact: value} or a list of them", path)
        parts: list[Condition] = []
        for key, value in node.items():
            kpath = (*path, key)
            if key in ("all", "any"):
                if not isinstance(value, list) or not value:
                    raise self.error(doc, f"'{key}' takes a non-empty list of conditions", kpath)
                items = tuple(self.parse(doc, item, (*kpath, i)) for i, item in enumerate(value))
                parts.append(All(items) if key == "all" else AnyOf(items))
            elif key == "not":
                parts.append(Not(self.parse(doc, value, kpath)))
            else:
                parts.append(self.leaf(doc, key, value, kpath))
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def leaf(self, doc: Document, fact_name: str, spec: Any, path: Path_) -> Leaf:
        fact = self.facts.get(fact_name)
        if fact is None:
            raise self.error(
                doc,
                f"fact {fact_name!r} is not defined" + self.fact_hint(fact_name),
                path,
                key=True,
            )
        if isinstance(spec, dict):
            if len(spec) != 1:
                raise self.error(
                    doc, "write one operator per test, e.g. {includes: culture_expansion}", path
                )
            op, value = next(iter(spec.items()))
            ops = {
                "not": "ne",
                "one_of": "in",
                "none_of": "not_in",
                **{o: o for o in (*LIST_OPS, *DATE_OPS)},
            }
            if op not in ops:
                allowed = list(ops)
                hint = suggest(str(op), allowed)
                raise self.error(
                    doc,
                    f"unknown operator {op!r}"
                    + (
                        f" (did you mean {hint!r}?)"
                        if hint
                        else f"; use one of {', '.join(allowed)}"
                    ),
                    (*path, op),
                    key=True,
                )
            op = ops[op]
            if op == "ne" and isinstance(value, list):
                op = "not_in"
        else:
            op, value = ("in", spec) if isinstance(spec, list) else ("eq", spec)
        if fact.type == "list" and op not in LIST_OPS:
            raise self.error(
                doc,
                f"{fact_name} is a list: test it with includes, excludes, includes_any, includes_none or only",
                path,
            )
        if fact.type == "date" and op not in DATE_OPS:
            raise self.error(
                doc, f"{fact_name} is a date: test it with before or on_or_after", path
            )
        if fact.type not in ("list", "date") and op not in SCALAR_OPS:
            raise self.error(
                doc,
                f"{fact_name} is a single value: test it with a value, a list of values, or not/one_of/none_of",
                path,
            )
        multi = op in ("in", "not_in", "includes_any", "includes_none", "only")
        if multi:
            if not isinstance(value, list) or not value:
                raise self.error(doc, f"{op} takes a non-empty list of values", path)
            values = value
        else:
            if isinstance(value, list):
                raise self.error(doc, f"{op} takes one value", path)
            values = [value]
        for v in values:
            if fact.type == "date":
                if not isinstance(v, _dt.date):
                    raise self.error(doc, f"{v!r} is not a date (YYYY-MM-DD)", path)
            elif fact.values is not None and v not in fact.values:
                shown = ", ".join(
                    "true" if x is True else "false" if x is False else str(x) for x in fact.values
                )
                hint = suggest(str(v), [str(x) for x in fact.values])
                raise self.error(
                    doc,
                    f"{v!r} is not a value of {fact_name}"
                    + (f" (did you mean {hint!r}?)" if hint else f" ({shown})"),
                    path,
                )
            elif fact.type == "text" and not isinstance(v, str):
                raise self.error(doc, f"{fact_name} is text: compare it with text", path)
        if op == "only" and fact.values is not None and set(fact.values) <= set(values):
            raise self.error(
                doc,
                f"'only' lists every value of {fact_name}: the test always holds, remove it",
                path,
            )
        return Leaf(fact_name, op, tuple(values) if multi else values[0])

    # ---------------------------------------------------------------- whole-base checks

    def check_whole(self) -> None:
        by_id = {r.id: r for r in self.rules}
        for rule in self.rules:
            for leaf in leaves(rule.when):
                self.check_leaf_scope(rule, leaf)
            for cond in (rule.when, rule.eligible_when):
                if cond is None:
                    continue
                try:
                    dnf(cond, self.domain)
                except ValueError as exc:
                    raise RuleBaseError(
                        f"{rule.id}: {exc}", file=rule.source.file, line=rule.source.line
                    ) from None
            if rule.supersedes:
                old = by_id.get(rule.supersedes)
                if old is None:
                    raise RuleBaseError(
                        f"{rule.id} supersedes unknown rule {rule.supersedes!r}",
                        file=rule.source.file,
                        line=rule.source.line,
                    )
                if old.effective.end is None:
                    raise RuleBaseError(
                        f"{rule.id} supersedes {old.id}, which has no end date: give it 'to: "
                        f"{(rule.effective.start - _dt.timedelta(days=1)).isoformat()}'",
                        check="lint.supersedes-dates",
                        rules=(rule.id, old.id),
                        file=old.source.file,
                        line=old.source.line,
                    )
                expected = old.effective.end + _dt.timedelta(days=1)
                if rule.effective.start != expected:
                    gap = "overlaps" if rule.effective.start < expected else "leaves a gap after"
                    raise RuleBaseError(
                        f"{rule.id} (from {rule.effective.start}) {gap} {old.id} (to {old.effective.end}): "
                        f"a superseding rule starts the day after the rule it replaces ends ({expected})",
                        check="lint.supersedes-dates",
                        rules=(rule.id, old.id),
                        file=rule.source.file,
                        line=rule.source.line,
                    )
                if old.kind != rule.kind or old.fact != rule.fact:
                    raise RuleBaseError(
                        f"{rule.id} supersedes {old.id}, which concludes something else",
                        file=rule.source.file,
                        line=rule.source.line,
                    )
        successors: dict[str, str] = {}
        for rule in self.rules:
            if rule.supersedes:
                if rule.supersedes in successors:
                    raise RuleBaseError(
                        f"{rule.supersedes} is superseded twice ({successors[rule.supersedes]}, {rule.id})",
                        check="lint.supersedes-dates",
                        rules=(rule.supersedes, successors[rule.supersedes], rule.id),
                        file=rule.source.file,
                        line=rule.source.line,
                    )
                successors[rule.supersedes] = rule.id
        for code, jur in self.jurisdictions.items():
            keys = self.engine_keys(code)
            if keys > MAX_ENGINE_KEYS:
                raise RuleBaseError(
                    f"jurisdiction {code} reads {keys} product facts; the engine allows {MAX_ENGINE_KEYS}",
                    file=jur.source.file,
                )

    def domain(self, fact: str) -> tuple[Any, ...] | None:
        definition = self.facts.get(fact)
        return definition.values if definition else None

    def check_leaf_scope(self, rule: Rule, leaf: Leaf) -> None:
        fact = self.facts[leaf.fact]
        if fact.origin == "derived" and fact.jurisdiction not in (rule.jurisdiction, "common"):
            raise RuleBaseError(
                f"{rule.id} reads {leaf.fact}, a fact of another jurisdiction ({fact.jurisdiction})",
                file=rule.source.file,
                line=rule.source.line,
            )

    def engine_keys(self, code: str) -> int:
        """How many keys the engine's product fact will have for this jurisdiction."""
        keys: set[str] = set()
        for rule in self.rules:
            if rule.jurisdiction not in (code, "common"):
                continue
            for cond in (rule.when, rule.eligible_when):
                for leaf in leaves(cond) if cond is not None else ():
                    fact = self.facts[leaf.fact]
                    if fact.origin == "derived":
                        continue
                    if fact.type == "list":
                        keys.update(f"{leaf.fact}#{v}" for v in fact.values or ())
                    else:
                        keys.add(leaf.fact)
        return len(keys)
