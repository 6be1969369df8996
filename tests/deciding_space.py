"""The deciding input space of a jurisdiction, for tests/test_completeness.py.

The *deciding rules* are the derive rules its pathway fact depends on, transitively (the rules of
every period); the *deciding fields* are the input facts they read and the product fields behind
the vocabulary projections they read. The values of a field that every deciding test treats
alike form a class: the same answer to every test on the field, the same vocabulary attributes
(those read, and those they are computed from), and not named by another vocabulary (a
refinement key, an item of a list of terms). Any member stands for its class, so the space is
every combination of one class per field, with ``unknown`` as one more value: a scalar takes a
class or ``unknown``; a list any set of item classes, closed or open (``unknown`` among its
items), or ``unknown`` as a whole. ``combined_with`` items also carry the item fields their
vocabulary reads (``integral``, ``new_safety_concern``: true, false or unknown).
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from pathway.authoring.satisfiability import Satisfier
from pathway.rulebase.conditions import Leaf, facts_of, leaves
from pathway.rulebase.model import Rule, RuleBase

from .strategies import set_path

TRI = (True, False, "unknown")


def _many(leaf: Leaf) -> tuple[Any, ...]:
    return leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)


def deciding_rules(rb: RuleBase, code: str) -> list[Rule]:
    derive = [r for r in rb.rules_for(code) if r.kind == "derive"]
    wanted = {rb.jurisdictions[code].pathway_fact}
    grown = True
    while grown:
        grown = False
        for rule in derive:
            if rule.fact in wanted:
                for name in facts_of(rule.when):
                    if rb.facts[name].origin == "derived" and name not in wanted:
                        wanted.add(name)
                        grown = True
    return [r for r in derive if r.fact in wanted]


@dataclass(frozen=True)
class FieldSpace:
    """One deciding field: its classes of values (members of each), scalar or list."""

    name: str
    is_list: bool
    classes: tuple[tuple[Any, ...], ...]  # for lists: classes of items (mappings or terms)

    @property
    def size(self) -> int:
        if self.is_list:
            return 2 ** (len(self.classes) + 1) + 1
        return len(self.classes) + 1

    def values(self) -> Iterator[Any]:
        """One value per combination of classes (the first member stands for its class)."""
        yield "unknown"
        if not self.is_list:
            for members in self.classes:
                yield members[0]
            return
        for count in range(len(self.classes) + 1):
            for chosen in itertools.combinations(self.classes, count):
                items = [members[0] for members in chosen]
                yield items
                yield [*items, "unknown"]

    def strategy(self) -> st.SearchStrategy[Any]:
        """Any value: a class, then any member of it (so members are tried too)."""
        member = st.sampled_from(self.classes).flatmap(st.sampled_from)
        if not self.is_list:
            return st.one_of(member, member, member, st.just("unknown"))
        items = st.lists(member, max_size=4, unique_by=repr)
        return st.one_of(
            items, items, items, items.map(lambda xs: [*xs, "unknown"]), st.just("unknown")
        )


@dataclass(frozen=True)
class Space:
    code: str
    fields: tuple[FieldSpace, ...]

    @property
    def size(self) -> int:
        return math.prod(f.size for f in self.fields)

    def combinations(self) -> Iterator[dict[str, Any]]:
        names = [f.name for f in self.fields]
        for combo in itertools.product(*(list(f.values()) for f in self.fields)):
            yield product(dict(zip(names, combo, strict=True)))

    def strategy(self) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries({f.name: f.strategy() for f in self.fields}).map(product)


def product(values: dict[str, Any]) -> dict[str, Any]:
    """A product file with these dotted fields (the others left out)."""
    data: dict[str, Any] = {"format": 1, "name": "deciding combination"}
    for path, value in values.items():
        set_path(data, path, value)
    return data


def drop_path(data: dict[str, Any], path: str) -> bool:
    """Leave the dotted field out (it becomes unknown); False when it is not there."""
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, dict) or last not in node:
        return False
    del node[last]
    return True


def deciding_space(rb: RuleBase, code: str) -> Space:
    sat = Satisfier(rb)
    tests = [leaf for rule in deciding_rules(rb, code) for leaf in leaves(rule.when)]
    read = {leaf.fact for leaf in tests}
    fields: set[str] = set()
    for name in read:
        origin = rb.facts[name].origin
        if origin == "input":
            fields.add(name)
        elif origin == "projection":
            fields |= sat.dependencies(name)
    relevant = _relevant_attributes(rb, read)
    named = _named_terms(rb, relevant)
    spaces = []
    for name in sorted(fields):
        definition = rb.facts[name]
        own = [leaf for leaf in tests if leaf.fact == name]
        attributes = sorted(a for f, a in relevant if f == name)
        vocab = rb.vocabulary_for(name)
        groups: dict[Any, list[Any]] = {}
        for value in definition.values or ():
            raw = ()
            if vocab is not None:
                raw = tuple(repr(_raw(vocab.attributes[a], value)) for a in attributes)
            key = (tuple(value in _many(leaf) for leaf in own), raw, value in named and value)
            groups.setdefault(key, []).append(value)
        classes = list(groups.values())
        if name == "combined_with":
            classes = _with_item_fields(rb, classes, attributes)
        spaces.append(FieldSpace(name, definition.is_list, tuple(tuple(c) for c in classes)))
    return Space(code, tuple(spaces))


def _raw(attr: Any, term: str) -> Any:
    """What a term is for an attribute on every day: its values with their dates, or the
    attribute's default (terms alike on every day form one class)."""
    entries = attr.terms.get(term, ())
    if not entries:
        return attr.default
    return tuple((e.effective and str(e.effective), e.value) for e in entries)


def _relevant_attributes(rb: RuleBase, read: set[str]) -> set[tuple[str, str]]:
    """(field, attribute) of every projection read, and of those they are computed from."""
    todo = [name for name in read if rb.facts[name].origin == "projection"]
    out: set[tuple[str, str]] = set()
    while todo:
        name = todo.pop()
        base = rb.facts[name].depends_on[0]
        vocab = rb.vocabulary_for(base)
        assert vocab is not None
        attr = vocab.attributes[name[len(base) + 1 :]]
        if (base, attr.name) in out:
            continue
        out.add((base, attr.name))
        if attr.member_of:
            todo.append(attr.member_of)
        for raw in attr.raw_forms():
            if isinstance(raw, dict) and "inherit_from" in raw:
                todo.append(f"{raw['inherit_from']}.{attr.name}")
    return out


def _named_terms(rb: RuleBase, relevant: set[tuple[str, str]]) -> set[Any]:
    """Terms another vocabulary names: refinement keys, items of lists of terms."""
    named: set[Any] = set()
    for base, attr_name in relevant:
        vocab = rb.vocabulary_for(base)
        assert vocab is not None
        attr = vocab.attributes[attr_name]
        for raw in attr.raw_forms():
            if isinstance(raw, dict):
                named |= set(raw) - {"default", "inherit_from", "item_field"}
            elif isinstance(raw, list):
                named |= set(raw)
    return named


def _with_item_fields(
    rb: RuleBase, classes: list[list[Any]], attributes: list[str]
) -> list[list[Any]]:
    """combined_with items as mappings with every value of the item fields read."""
    vocab = rb.vocabulary_for("combined_with")
    assert vocab is not None
    item_fields = sorted({f for a in attributes if (f := vocab.attributes[a].item_field)})
    out = []
    for members in classes:
        for flags in itertools.product(TRI, repeat=len(item_fields)):
            out.append(
                [{"kind": kind, **dict(zip(item_fields, flags, strict=True))} for kind in members]
            )
    return out


def near(seed: dict[str, Any], space: Space) -> st.SearchStrategy[dict[str, Any]]:
    """Products close to ``seed``: one to three of its deciding fields drawn anew."""
    by_name = {f.name: f for f in space.fields}

    @st.composite
    def changed(draw: st.DrawFn) -> dict[str, Any]:
        data = copy.deepcopy(seed)
        names = draw(
            st.lists(st.sampled_from(sorted(by_name)), min_size=1, max_size=3, unique=True)
        )
        for name in names:
            set_path(data, name, draw(by_name[name].strategy()))
        return data

    return changed()
