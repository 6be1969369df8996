"""The product form, made from the rule base: one field per input fact of the product contract,
grouped as the product file is (who and what, processing, use, context), each with its question
and help, vocabulary terms as choices with their descriptions, and unknown as an explicit
choice. ``to_yaml`` turns a submitted form into a product file (onto the file it came from, so
that its comments, determinations and expectations stay); ``values_of`` fills the form back."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..io import yaml_edit
from ..rulebase.model import RuleBase

NONE = "__none__"  # a list answered as empty ("nothing")
GROUPS = (
    ("material", "What it is", ("sponsor", "material.", "genetic_modification", "vector")),
    ("processing", "How it is made", ("processing", "combined_with")),
    ("use", "How it is used", ("use.",)),
    ("context", "Who provides it, where, and on what evidence", ("context.",)),
)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    description: str | None = None


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # select | multi | date | text | words
    question: str
    help: str | None
    choices: tuple[Choice, ...] = ()

    @property
    def id(self) -> str:
        return "f-" + self.name.replace(".", "-")


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    fields: tuple[Field, ...]


def choices(rb: RuleBase, name: str) -> tuple[Choice, ...]:
    """The choices of input fact ``name``: its vocabulary's terms, yes and no, or its values."""
    definition = rb.facts[name]
    vocab = rb.vocabulary_for(name)
    if vocab is not None:
        return tuple(Choice(t.name, t.label, t.description) for t in vocab.terms.values())
    if definition.type == "bool":
        return (Choice("true", "yes"), Choice("false", "no"))
    return tuple(Choice(str(v), str(v).replace("_", " ")) for v in definition.values or ())


def fields(rb: RuleBase) -> tuple[Group, ...]:
    """The form's fields, grouped, in the order of the contract."""
    placed: dict[str, list[Field]] = {g[0]: [] for g in GROUPS}
    for name, definition in rb.facts.items():
        if definition.origin != "input":
            continue
        group = next(g[0] for g in GROUPS if any(name.startswith(p) for p in g[2]))
        if definition.type == "date":
            kind = "date"
        elif definition.type == "text":
            kind = "text"
        elif definition.is_list:
            kind = "multi" if definition.values else "words"
        else:
            kind = "select"
        offered = choices(rb, name) if kind in ("select", "multi") else ()
        placed[group].append(
            Field(name, kind, definition.question or name, definition.help, offered)
        )
    return tuple(Group(g[0], g[1], tuple(placed[g[0]])) for g in GROUPS)


def _typed(rb: RuleBase, name: str, text: str) -> Any:
    """The value of a single-choice answer as the contract types it."""
    definition = rb.facts[name]
    if definition.type == "bool":
        return text == "true"
    if definition.type == "date":
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(f"{text!r} is not a date (YYYY-MM-DD)", field=name) from None
    for value in definition.values or ():
        if str(value) == text:
            return value
    if definition.values:
        raise InputError(f"{text!r} is not one of the choices", field=name)
    return text


def multi_fields(groups: Sequence[Group]) -> frozenset[str]:
    """The fields that take several values (checkboxes), and the jurisdictions."""
    return frozenset(
        [f.name for g in groups for f in g.fields if f.kind == "multi"] + ["jurisdictions"]
    )


def to_yaml(
    rb: RuleBase,
    groups: Sequence[Group],
    form: Mapping[str, Sequence[str]],
    base: str | None = None,
) -> str:
    """The product file a submitted form (of the fields ``groups``) describes: onto ``base`` (a
    product file's text, whose comments and other keys stay) or a new one. A field left unknown
    is removed."""
    data = yaml_edit.load_text(base, "product") if base else None
    if not isinstance(data, dict):
        data = yaml_edit.load_text("format: 1\n", "product")
    name = " ".join((form.get("name") or [""])[0].split())
    if not name:
        raise InputError("a product needs a name", field="name")
    data["format"] = 1
    data["name"] = name
    codes = [c for c in form.get("jurisdictions", ()) if c in rb.jurisdictions]
    if codes:
        yaml_edit.set_field(data, "jurisdictions", codes)
    else:
        data.pop("jurisdictions", None)
    for group in groups:
        for field in group.fields:
            given = [v.strip() for v in form.get(field.name, ()) if v.strip()]
            if field.kind == "multi":
                if not given:
                    yaml_edit.remove_field(data, field.name)
                    continue
                known = {c.value for c in field.choices} | {"unknown", NONE}
                wrong = [v for v in given if v not in known]
                if wrong:
                    raise InputError(f"{wrong[0]!r} is not one of the choices", field=field.name)
                # an item the file gives as a mapping ({kind: ..., new_safety_concern: false})
                # stays as it is while its kind is still ticked
                stated = yaml_edit.get_field(data, field.name)
                before = {
                    item.get("kind"): item
                    for item in (stated if isinstance(stated, list) else ())
                    if isinstance(item, dict)
                }
                items = [dict(before[v]) if v in before else v for v in given if v != NONE]
                yaml_edit.set_field(data, field.name, items)
            elif field.kind == "words":
                items = [w.strip() for v in given for w in v.split(",") if w.strip()]
                if items:
                    yaml_edit.set_field(data, field.name, items)
                else:
                    yaml_edit.remove_field(data, field.name)
            elif not given or given[0] == "unknown":
                yaml_edit.remove_field(data, field.name)
            else:
                yaml_edit.set_field(data, field.name, _typed(rb, field.name, given[0]))
    return yaml_edit.dump_text(data)


def values_of(
    rb: RuleBase, inputs: Mapping[str, Any], jurisdictions: Sequence[str]
) -> dict[str, Any]:
    """The form's values for a product's input facts (``LoadedProduct.input_values``)."""
    out: dict[str, Any] = {"jurisdictions": list(jurisdictions)}
    for name, value in inputs.items():
        if value is None or value == "unknown":
            continue
        if isinstance(value, list):
            items = [v.get("kind") if isinstance(v, dict) else v for v in value]
            out[name] = [str(v) for v in items] or [NONE]
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        else:
            out[name] = str(value)
    return out
