"""What if the product were different: pathways before and after a change, and the single-fact
changes that would change each pathway.

Everything here is computed by re-evaluating the changed product with the same rule base: no
hint is written by hand. A change is made to the product file's own data (so aliases, comments
and unknowns keep their meaning) and the result is validated again like any product: a change
that would make the product contradictory is not a possible product and is skipped.

Candidate single-fact changes, for every input fact a jurisdiction's rules read: each other value
of a boolean or enumerated fact, each other term of a vocabulary fact, and for a list fact the
removal of each item and the addition of each term it lacks (for an unknown list: the empty
list and each one-item list). Dates and free text are not varied.
"""

from __future__ import annotations

import copy
import datetime as _dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ..contract.assessment import JurisdictionResult, Out, ProductReport
from ..contract.product import CombinedItem
from ..errors import EngineError, InputError
from ..io.read import parse_bytes
from ..product.load import LoadedProduct, load_product
from ..rulebase.conditions import leaves
from ..text import did_you_mean, word

if TYPE_CHECKING:
    from ..assessment.assessor import Assessor


@dataclass(frozen=True)
class Change:
    """One change to a product field: set it, or add or remove one item of a list."""

    field: str
    op: Literal["set", "add", "remove"]
    value: Any = None  # set: the new value (product-file form)
    item: Any = None  # add/remove: the item (a term)
    index: int | None = None  # remove: its position in the list

    def describe(self) -> str:
        if self.op == "add":
            return f"{self.field} also included {self.item}"
        if self.op == "remove":
            if self.item == "unknown":
                return f"{self.field} were known to be complete (no 'unknown' item)"
            return f"{self.field} did not include {self.item}"
        return f"{self.field} were {word(self.value)}"

    def apply(self, data: dict[str, Any]) -> None:
        *parents, last = self.field.split(".")
        node = data
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = {}
                node[part] = child
            node = child
        if self.op == "set":
            node[last] = copy.deepcopy(self.value)
            return
        current = node.get(last)
        items = list(current) if isinstance(current, list) else []
        if self.op == "add":
            items.append(self.item)
        elif self.index is not None and self.index < len(items):
            del items[self.index]
        node[last] = items


@dataclass(frozen=True)
class Flip:
    """A single change and the pathway it leads to (None: undetermined)."""

    change: Change
    before: str | None
    after: str | None
    effect: int = 0  # how many derived facts of the jurisdiction the change alters


def _items(loaded: LoadedProduct, field: str) -> list[Any]:
    node: Any = loaded.product
    for part in field.split("."):
        node = getattr(node, part)
    if not isinstance(node, list):
        return []
    return [i.kind if isinstance(i, CombinedItem) else i for i in node]


class WhatIf:
    """Re-evaluates changed versions of a product with one assessor."""

    def __init__(self, assessor: Assessor) -> None:
        self.assessor = assessor
        self.rb = assessor.rulebase

    def input_fields(self) -> list[str]:
        return [name for name, f in self.rb.facts.items() if f.origin == "input"]

    def parse(self, text: str, loaded: LoadedProduct) -> Change:
        """``use.homologous=true``, ``processing=[cryopreservation]``, ``processing+=x``,
        ``processing-=x`` (the value is YAML)."""
        for op, sign in (("add", "+="), ("remove", "-="), ("set", "=")):  # noqa: B007
            if sign in text:
                field, _, raw = text.partition(sign)
                break
        else:
            raise InputError(
                f"{text!r} is not FIELD=VALUE (or FIELD+=ITEM, FIELD-=ITEM)", file="--set"
            )
        field = field.strip()
        fields = self.input_fields()
        if field not in fields:
            raise InputError(
                f"{field!r} is not a product fact"
                + did_you_mean(field, fields, "; see `pathway rules list --facts`"),
                file="--set",
            )
        raw = raw.strip()
        value = parse_bytes(raw.encode(), f"--set {field}").data if raw else ""
        if op == "set":
            return Change(field, "set", value=value)
        if not self.rb.facts[field].is_list or not isinstance(value, str):
            raise InputError(f"{field}{sign} takes one item of a list field", file="--set")
        vocab = self.rb.vocabulary_for(field)
        term = (vocab.resolve(value) if vocab is not None else None) or value
        if op == "add":
            return Change(field, "add", item=term)
        for index, item in enumerate(_items(loaded, field)):
            if item == term:
                return Change(field, "remove", item=item, index=index)
        raise InputError(f"{field} does not include {value!r}", file="--set")

    def changed(self, loaded: LoadedProduct, changes: Iterable[Change]) -> LoadedProduct:
        """The product with ``changes`` made (an ``InputError`` if it is no valid product)."""
        data = copy.deepcopy(loaded.document.data if loaded.document else {})
        if not data:
            data = loaded.product.model_dump(mode="json")
        for change in changes:
            change.apply(data)
        return load_product(data, self.rb, name=loaded.file)

    def pathway(self, loaded: LoadedProduct, code: str, day: _dt.date) -> str | None:
        ev = self.assessor.evaluate(loaded, code, day)
        return ev.derived.get(self.rb.jurisdictions[code].pathway_fact)

    def deciding_fields(self, code: str, day: _dt.date) -> list[str]:
        """Input facts that a rule of ``code`` in force on ``day`` reads (directly or through
        a vocabulary), in the rule base's order of facts."""
        read: set[str] = set()
        for rule in self.rb.active_rules(code, day):
            if rule.kind != "derive":
                continue
            for leaf in leaves(rule.when):
                definition = self.rb.facts[leaf.fact]
                if definition.origin == "input":
                    read.add(leaf.fact)
                elif definition.origin == "projection":
                    read.update(definition.depends_on)
        return [
            name
            for name, f in self.rb.facts.items()
            if name in read and f.origin == "input" and f.type not in ("date", "text")
        ]

    def candidates(self, loaded: LoadedProduct, fields: Iterable[str]) -> Iterator[Change]:
        product = loaded.product
        for field in fields:
            definition = self.rb.facts[field]
            vocab = self.rb.vocabulary_for(field)
            domain = list(vocab.terms) if vocab is not None else list(definition.values or ())
            current: Any = product
            for part in field.split("."):
                current = getattr(current, part)
            if definition.is_list:
                if current == "unknown":
                    yield Change(field, "set", value=[])
                    for term in domain:
                        yield Change(field, "set", value=[term])
                    continue
                items = _items(loaded, field)
                for index, item in enumerate(items):
                    yield Change(field, "remove", item=item, index=index)
                for term in domain:
                    if term not in items:
                        yield Change(field, "add", item=term)
                continue
            for value in domain:
                if value != current:
                    yield Change(field, "set", value=value)

    def flips(
        self,
        loaded: LoadedProduct,
        code: str,
        day: _dt.date,
        fields: Iterable[str] | None = None,
    ) -> list[Flip]:
        """Every single change (over ``fields``, default the deciding ones) that changes the
        pathway of ``code``."""
        fact = self.rb.jurisdictions[code].pathway_fact
        base = self.assessor.evaluate(loaded, code, day).derived
        before = base.get(fact)
        out = []
        for change in self.candidates(loaded, fields or self.deciding_fields(code, day)):
            try:
                derived = self.assessor.evaluate(self.changed(loaded, [change]), code, day).derived
            except (InputError, EngineError):  # no valid product (contradictions included)
                continue
            after = derived.get(fact)
            if after != before:
                effect = sum(
                    1 for k in base.keys() | derived.keys() if base.get(k) != derived.get(k)
                )
                out.append(Flip(change, before, after, effect))
        return out


# ----------------------------------------------------------------------------- reports


class Outcome(Out):
    pathway: str | None
    status: Literal["determined", "undetermined"]
    premarket_review: bool | None = None


class ChangeOut(Out):
    field: str
    op: Literal["set", "add", "remove"]
    value: Any = None
    item: Any = None
    text: str = Field(description="the change in words")


class Comparison(Out):
    """One jurisdiction before and after the changes."""

    before: Outcome
    after: Outcome
    changed: bool


class FlipOut(Out):
    change: ChangeOut
    before: str | None
    after: str | None


class WhatIfReport(ProductReport):
    kind: Literal["what-if"] = "what-if"
    changes: list[ChangeOut] = Field(default_factory=list)
    jurisdictions: dict[str, Comparison] = Field(default_factory=dict)
    flips: dict[str, list[FlipOut]] = Field(
        default_factory=dict,
        description="per jurisdiction, every single change that would change its pathway",
    )


def change_out(change: Change) -> ChangeOut:
    return ChangeOut(
        field=change.field,
        op=change.op,
        value=change.value,
        item=change.item,
        text=change.describe(),
    )


def outcome(result: JurisdictionResult) -> Outcome:
    return Outcome(
        pathway=result.pathway, status=result.status, premarket_review=result.premarket_review
    )


def report(
    whatif: WhatIf,
    loaded: LoadedProduct,
    changes: list[Change],
    codes: list[str],
    day: _dt.date,
    flip: bool,
) -> WhatIfReport:
    """Before and after ``changes`` for each jurisdiction, and, with ``flip``, the single
    changes (to the changed product) that would change each pathway."""
    assessor = whatif.assessor
    before = assessor.assess(loaded, codes, day)
    after_product = whatif.changed(loaded, changes) if changes else loaded
    after = assessor.assess(after_product, codes, day) if changes else before
    compared = {
        code: Comparison(
            before=outcome(before.jurisdictions[code]),
            after=outcome(after.jurisdictions[code]),
            changed=before.jurisdictions[code].pathway != after.jurisdictions[code].pathway,
        )
        for code in before.jurisdictions
    }
    flips: dict[str, list[FlipOut]] = {}
    if flip:
        for code in after.jurisdictions:
            flips[code] = [
                FlipOut(change=change_out(f.change), before=f.before, after=f.after)
                for f in whatif.flips(after_product, code, day)
            ]
    return WhatIfReport(
        product=loaded.product.name,
        file=loaded.file,
        as_of=day,
        changes=[change_out(c) for c in changes],
        jurisdictions=compared if changes else {},
        flips=flips,
    )
