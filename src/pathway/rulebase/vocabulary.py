"""Vocabularies: the terms a product field takes, and the attributes the rules read of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .references import Citation, Source


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


@dataclass(frozen=True)
class Term:
    name: str
    label: str
    aliases: tuple[str, ...]
    description: str | None
    attributes: dict[str, Any] = field(hash=False, compare=False)
    citations: dict[str, tuple[Citation, ...]] = field(
        default_factory=dict, hash=False, compare=False
    )
    notes: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


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
