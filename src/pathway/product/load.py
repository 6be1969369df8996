"""Load a product description from a file, bytes or a mapping, and check it against the rule base.

``load_product`` is the only door for products: it parses (``io.read``), validates the contract
(``contract.product``), checks vocabulary terms, determinations, expectations and jurisdictions
against the rule base, and raises ``InputError`` naming file, line, column and field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..contract.product import CombinedItem, Product
from ..errors import InputError
from ..io.document import DEFAULT_LIMITS, Document, Limits
from ..io.pydantic_errors import to_input_error
from ..io.read import parse_bytes, read_document
from ..rulebase.load import load_rulebase
from ..rulebase.model import RuleBase
from ..text import did_you_mean, nearest, quoted, words


@dataclass(frozen=True)
class LoadedProduct:
    """A validated product and where it came from."""

    product: Product
    file: str
    sha256: str
    document: Document | None = None

    def location(
        self, path: tuple[str | int, ...], *, key: bool = False
    ) -> tuple[int | None, int | None]:
        if self.document is None:
            return (None, None)
        return self.document.location(path, key=key)

    def input_values(self, rulebase: RuleBase) -> dict[str, Any]:
        """Every input fact of the product as plain data (``unknown`` included): what a baseline
        records and a later version is compared with."""
        data = self.product.model_dump(mode="json")
        out: dict[str, Any] = {}
        for name, definition in rulebase.facts.items():
            if definition.origin != "input":
                continue
            node: Any = data
            for part in name.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            out[name] = node
        return out


def load_product(
    source: str | Path | bytes | dict[str, Any] | Product,
    rulebase: RuleBase | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    name: str | None = None,
) -> LoadedProduct:
    """Read and validate a product: a path, raw bytes (``name`` labels them), a mapping or a Product."""
    rb = rulebase or load_rulebase()
    if isinstance(source, Product):
        doc = Document(file=name or "<product>", data=source.model_dump(mode="json"), sha256="")
        doc.sha256 = _digest(doc.data)
        return _check(doc, rb, source)
    if isinstance(source, dict):
        doc = Document(file=name or "<product>", data=source, sha256=_digest(source))
    elif isinstance(source, bytes):
        doc = parse_bytes(source, name or "<stdin>", limits)
    elif isinstance(source, str | Path):
        doc = read_document(source, limits, display=name)
    else:  # parsed data that is not a mapping (a list, a number, None...)
        raise InputError("a product is a mapping (format: 1, name: ...)", file=name or "<product>")
    if not isinstance(doc.data, dict):
        raise InputError(
            "a product file is a mapping (format: 1, name: ...)", file=doc.file, line=1
        )
    fmt = doc.data.get("format")
    if fmt is None:
        raise doc.error(
            "required field is missing: every product file starts with 'format: 1'",
            ("format",),
            key=True,
        )
    if fmt != 1:
        raise doc.error(
            f"format {quoted(fmt)} is not supported; this version of pathway reads format 1",
            ("format",),
        )
    try:
        product = Product.model_validate(doc.data)
    except ValidationError as exc:
        raise to_input_error(exc, doc, Product) from None
    return _check(doc, rb, product)


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _check(doc: Document, rb: RuleBase, product: Product) -> LoadedProduct:
    product = _normalise_terms(doc, rb, product)
    _check_references(doc, rb, product)
    return LoadedProduct(product=product, file=doc.file, sha256=doc.sha256, document=doc)


def _term_error(
    doc: Document, rb: RuleBase, field_name: str, word: str, path: tuple[str | int, ...]
) -> InputError:
    vocab = rb.vocabulary_for(field_name)
    assert vocab is not None
    near = nearest(word, [*vocab.terms, *vocab.aliases])
    hint = f" (nearest: {', '.join(near)})" if near else ""
    return doc.error(f"{quoted(word)} is not a term of the {vocab.name} vocabulary{hint}", path)


def _normalise_terms(doc: Document, rb: RuleBase, product: Product) -> Product:
    """Replace aliases with their terms; refuse words no vocabulary knows."""

    def one(field_name: str, word: str, path: tuple[str | int, ...]) -> str:
        if word == "unknown":
            return word
        vocab = rb.vocabulary_for(field_name)
        if vocab is None:
            return word
        term = vocab.resolve(word)
        if term is None:
            raise _term_error(doc, rb, field_name, word, path)
        return term

    update: dict[str, Any] = {}
    for vocab in rb.vocabularies.values():  # the single-term fields (material.source, use.site...)
        for field_name in vocab.fields:
            section, _, name = field_name.rpartition(".")
            if not section or "." in section:  # top-level lists are normalised below
                continue
            model = update.get(section) or getattr(product, section)
            value = getattr(model, name)
            if isinstance(value, str):
                word = one(field_name, value, (section, name))
                update[section] = model.model_copy(update={name: word})
    if isinstance(product.processing, list):
        update["processing"] = [
            one("processing", w, ("processing", i)) for i, w in enumerate(product.processing)
        ]
    if isinstance(product.use.functions, list):
        functions = [
            one("use.functions", w, ("use", "functions", i))
            for i, w in enumerate(product.use.functions)
        ]
        update["use"] = (update.get("use") or product.use).model_copy(
            update={"functions": functions}
        )
    if isinstance(product.combined_with, list):
        items: list[Any] = []
        for i, item in enumerate(product.combined_with):
            if isinstance(item, CombinedItem):
                path = (
                    ("combined_with", i)
                    if isinstance(doc.data.get("combined_with", [None] * (i + 1))[i], str)
                    else ("combined_with", i, "kind")
                )
                item = item.model_copy(update={"kind": one("combined_with", item.kind, path)})
            items.append(item)
        update["combined_with"] = items
    normalised = product.model_copy(update=update)
    # a second look for duplicates that only aliases revealed (e.g. "freezing" and "frozen")
    for field_name, values in (
        ("processing", normalised.processing),
        ("use.functions", normalised.use.functions),
    ):
        if isinstance(values, list):
            seen: set[str] = set()
            for i, term in enumerate(values):
                if term in seen and term != "unknown":
                    raise doc.error(f"{term} is listed twice", (*field_name.split("."), i))
                seen.add(term)
    return normalised


def _unknown_code(code: str, codes: list[str]) -> str:
    return f"unknown jurisdiction {quoted(code)}" + did_you_mean(
        code, codes, f"; expected {', '.join(codes)}"
    )


def _check_references(doc: Document, rb: RuleBase, product: Product) -> None:
    codes = list(rb.jurisdictions)
    for i, code in enumerate(product.jurisdictions or ()):
        if code not in rb.jurisdictions:
            raise doc.error(_unknown_code(code, codes), ("jurisdictions", i))
    pathways = rb.pathway_ids()
    for code, expected in product.expect.items():
        if code not in rb.jurisdictions:
            raise doc.error(_unknown_code(code, codes), ("expect", code), key=True)
        if expected == "undetermined":
            continue
        if pathways.get(expected) != code:
            own = [p for p, j in pathways.items() if j == code]
            raise doc.error(
                f"{quoted(expected)} is not a {code} pathway"
                + did_you_mean(
                    expected, own, f"; expected undetermined or one of {', '.join(own)}"
                ),
                ("expect", code),
            )
    for i, det in enumerate(product.determinations):
        fact = rb.facts.get(det.fact)
        if fact is None or fact.origin != "derived":
            derived = [f for f, d in rb.facts.items() if d.origin == "derived"]
            raise doc.error(
                f"{quoted(det.fact)} is not a fact the rules derive"
                + did_you_mean(det.fact, derived, "; see `pathway rules list --facts`"),
                ("determinations", i, "fact"),
            )
        if det.value not in (fact.values or ()):
            raise doc.error(
                f"{quoted(det.value)} is not a value of {det.fact} ({words(fact.values or ())})",
                ("determinations", i, "value"),
            )
        if det.expires and det.date and det.expires < det.date:
            raise doc.error("expires is before date", ("determinations", i, "expires"))
