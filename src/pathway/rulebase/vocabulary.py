"""Vocabularies: the terms a product field takes, and what each jurisdiction's law says of them.

A vocabulary (``rules/vocabulary/<name>.yaml``) is its terms: a label, aliases for common
spellings, a description. Each jurisdiction adds attributes (``rules/<jur>/vocabulary/<name>.yaml``):
for the US, whether a source tissue is structural and whether a processing step is minimal
manipulation of it; for the EU, whether a step is substantial manipulation; and so on. An
attribute's value for a term is an ``AttributeValue``: the value, the sources it rests on (its
own citations, or the attribute's, explicitly inherited) and, where the law changed, the days it
is in force. On a day no value covers, the attribute's ``default`` applies (or no value at all).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from .references import Citation, Effective, Source


@dataclass(frozen=True)
class AttributeValue:
    """What one term gives for one attribute during ``effective`` (``None``: on every day)."""

    value: Any  # a value of the attribute, or one of the forms of rulebase.projection
    citations: tuple[Citation, ...]  # its own sources; () when it inherits the attribute's
    inherits: bool = False  # written `citations: attribute`: it rests on the attribute's sources
    note: str | None = None
    effective: Effective | None = None
    source: Source | None = field(default=None, compare=False)

    def covers(self, day: _dt.date) -> bool:
        return self.effective is None or self.effective.covers(day)

    def basis(self, attribute: AttributeDef) -> tuple[Citation, ...]:
        """The sources the value rests on: its own, or the attribute's it inherits."""
        return attribute.citations if self.inherits else self.citations


@dataclass(frozen=True)
class AttributeDef:
    name: str
    type: Literal["bool", "enum", "terms"]
    values: tuple[Any, ...] | None
    vocabulary: str | None = None  # for type terms
    refine_by: str | None = None
    member_of: str | None = None  # a list fact; the item's membership in it is the value
    default: Any = None
    title: str | None = None
    citations: tuple[Citation, ...] = ()
    jurisdiction: str = ""  # whose law the attribute states
    terms: dict[str, tuple[AttributeValue, ...]] = field(
        default_factory=dict, hash=False, compare=False
    )
    source: Source | None = field(default=None, compare=False)

    def value_on(self, term: str, day: _dt.date) -> AttributeValue | None:
        """The value ``term`` has on ``day`` (None: the default applies, or there is none)."""
        for entry in self.terms.get(term, ()):
            if entry.covers(day):
                return entry
        return None

    def raw_forms(self) -> Iterator[Any]:
        """Every value written for the attribute, on any day, and its default."""
        for entries in self.terms.values():
            for entry in entries:
                yield entry.value
        if self.default is not None:
            yield self.default

    def item_field_of(self, term: str) -> str | None:
        """The item field ``term`` takes its value from on some day, if any."""
        for entry in self.terms.get(term, ()):
            if isinstance(entry.value, dict) and "item_field" in entry.value:
                return str(entry.value["item_field"])
        return None

    @property
    def item_field(self) -> str | None:
        """The field of a list item the attribute takes its value from (``{item_field: ...}``)."""
        for raw in self.raw_forms():
            if isinstance(raw, dict) and "item_field" in raw:
                return str(raw["item_field"])
        return None

    def boundaries(self) -> set[_dt.date]:
        """The days on which one of the attribute's values starts or stops being in force."""
        days: set[_dt.date] = set()
        for entries in self.terms.values():
            for entry in entries:
                if entry.effective is not None:
                    if entry.effective.start != _dt.date.min:  # "until": no start to mark
                        days.add(entry.effective.start)
                    if entry.effective.end is not None:
                        days.add(entry.effective.end + _dt.timedelta(days=1))
        return days


@dataclass(frozen=True)
class Term:
    name: str
    label: str
    aliases: tuple[str, ...]
    description: str | None


@dataclass(frozen=True)
class Vocabulary:
    name: str
    fields: tuple[str, ...]  # product fields whose values are terms of this vocabulary
    description: str | None
    attributes: dict[str, AttributeDef]
    terms: dict[str, Term]
    aliases: dict[str, str]  # alias -> term
    source: Source

    def resolve(self, word: str) -> str | None:
        """The term ``word`` names (a term or an alias), or None."""
        key = word.strip().lower().replace("-", "_").replace(" ", "_")
        if key in self.terms:
            return key
        return self.aliases.get(key)


def vocabulary_for(vocabularies: dict[str, Vocabulary], product_field: str) -> Vocabulary | None:
    """The vocabulary whose terms ``product_field`` takes, if any."""
    for vocab in vocabularies.values():
        if product_field in vocab.fields:
            return vocab
    return None
