"""Where a fact of a product is written in its file: line, column and field, for reports.

Input facts are product fields (``use.homologous`` -> ``use: homologous:``); a list item is found
by its position in the (alias-normalised) list, which is the position in the file. A field the
file leaves out points at its nearest written parent. Products given as mappings have no file
positions: every location is then None.
"""

from __future__ import annotations

from typing import Any

from ..contract.assessment import SourceLocation
from ..contract.product import CombinedItem, Determination
from ..errors import ContradictionError
from ..io.document import dotted
from ..product.load import LoadedProduct
from ..rulebase.conditions import leaves
from ..rulebase.model import Rule, RuleBase


def _path(field: str) -> tuple[str | int, ...]:
    return tuple(field.split("."))


class Locator:
    def __init__(self, loaded: LoadedProduct) -> None:
        self.loaded = loaded
        doc = loaded.document
        self._has_positions = doc is not None and bool(doc.value_locations)
        self._seen: dict[tuple[Any, ...], Any] = {}

    def written(self, field: str) -> bool:
        """Whether the file itself gives ``field`` (as opposed to the contract's default)."""
        key = ("written", field)
        if key not in self._seen:
            self._seen[key] = self._written(field)
        return bool(self._seen[key])

    def _written(self, field: str) -> bool:
        doc = self.loaded.document
        if doc is None:
            return True
        node: Any = doc.data
        for part in field.split("."):
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return True

    def _at(self, path: tuple[str | int, ...], key: bool = False) -> SourceLocation | None:
        if not self._has_positions:
            return None
        cache_key = ("at", path, key)
        if cache_key not in self._seen:
            line, column = self.loaded.location(path, key=key)
            self._seen[cache_key] = SourceLocation(
                file=self.loaded.file, line=line, column=column, field=dotted(path)
            )
        return self._seen[cache_key]  # type: ignore[no-any-return]

    def field(self, field: str) -> SourceLocation | None:
        """The value of ``field`` (or, when left out, its nearest written parent)."""
        return self._at(_path(field))

    def key(self, path: tuple[str | int, ...]) -> SourceLocation | None:
        return self._at(path, key=True)

    def item(self, field: str, term: Any) -> SourceLocation | None:
        """The list item of ``field`` that is ``term`` (after aliases are resolved)."""
        node: Any = self.loaded.product
        for part in field.split("."):
            node = getattr(node, part, None)
        if isinstance(node, list):
            for index, item in enumerate(node):
                name = item.kind if isinstance(item, CombinedItem) else item
                if name == term:
                    return self._at((*_path(field), index))
        return self.field(field)

    def determination_entry(self, fact: str) -> Determination | None:
        """The product's determination of ``fact`` (None: there is none)."""
        for det in self.loaded.product.determinations:
            if det.fact == fact:
                return det
        return None

    def determination(self, fact: str) -> SourceLocation | None:
        for index, det in enumerate(self.loaded.product.determinations):
            if det.fact == fact:
                return self._at(("determinations", index))
        return None

    def expectation(self, code: str) -> SourceLocation | None:
        if code in self.loaded.product.expect:
            return self._at(("expect", code))
        return None


def locate_contradiction(
    exc: ContradictionError, loaded: LoadedProduct, rb: RuleBase, active: tuple[Rule, ...]
) -> ContradictionError:
    """Point a contradiction found by the rules at the product line it comes from."""
    inputs: list[str] = []
    for rule in active:
        if rule.id in exc.message:
            for leaf in leaves(rule.when):
                fdef = rb.facts[leaf.fact]
                for name in (fdef.depends_on or (leaf.fact,)) if fdef.origin != "derived" else ():
                    if name not in inputs:
                        inputs.append(name)
    line = column = None
    field = exc.field
    for name in inputs:
        line, column = loaded.location(tuple(name.split(".")))
        if line is not None:
            field = name
            break
    return ContradictionError(
        f"contradictory facts: {exc.message}"
        + (f" (facts involved: {', '.join(inputs)})" if inputs else ""),
        file=loaded.file,
        line=line,
        column=column,
        field=field,
    )
