"""Test vectors: one file format, read here for the test suite and for rule coverage alike.

A vector file (``tests/vectors/<jurisdiction>/<name>.yaml``) holds a ``base`` product, an
optional ``jurisdiction`` (the one its ``expect`` entries speak of when they name none) and
``as_of``, and ``vectors``. Each vector has an ``id``, a ``description``, the ``product`` changes
merged into the base (mappings merge, anything else replaces), an optional ``as_of``, and what it
``expect``s, per jurisdiction (or for the file's jurisdiction):

* ``pathway`` (a pathway id or ``undetermined``), ``classification``, ``premarket_review``
  (true, false, or ``undetermined`` for null);
* ``facts``: derived fact -> the value it must have;
* ``obligations`` / ``no_obligations``, ``notes`` / ``no_notes``: rule ids that must be / must not
  be in the result (an obligation that holds only if unknown facts are answered one way counts
  only in ``conditional_obligations``); ``options``: option id -> ``yes|no|undetermined|absent``;
* ``questions`` / ``no_questions``: facts that must be / must not be asked;
* ``due``: obligation id -> the due date it must have; ``overdue``: obligation ids whose due date
  must be past on the vector's day;
* ``candidates``, ``classification_candidates``: the pathways (classifications) still possible,
  exactly, in the jurisdiction's order; ``attributes``: reported fact -> its value (or
  ``undetermined``).

``mismatches`` compares a jurisdiction's result with an expectation and says, in words, each way
they differ; the test suite asserts there is none, and ``coverage`` runs the same vectors to see
which rules they exercise.
"""

from __future__ import annotations

import copy
import datetime as _dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml import YAML

from ..contract.assessment import JurisdictionResult
from ..errors import RuleBaseError

Eligible = Literal["yes", "no", "undetermined", "absent"]


class Expectation(BaseModel):
    """What a vector expects of one jurisdiction's result."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pathway: str | None = None
    classification: str | None = None
    premarket_review: bool | Literal["undetermined"] | None = None  # undetermined: null
    facts: dict[str, bool | str] = Field(default_factory=dict)
    obligations: list[str] = Field(default_factory=list)
    conditional_obligations: list[str] = Field(default_factory=list)
    no_obligations: list[str] = Field(default_factory=list)
    options: dict[str, Eligible] = Field(default_factory=dict)
    questions: list[str] = Field(default_factory=list)
    no_questions: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    no_notes: list[str] = Field(default_factory=list)
    due: dict[str, _dt.date] = Field(default_factory=dict)
    overdue: list[str] = Field(default_factory=list)
    candidates: list[str] | None = None
    classification_candidates: list[str] | None = None
    attributes: dict[str, bool | str] = Field(default_factory=dict)


KEYS = frozenset(Expectation.model_fields)


@dataclass(frozen=True)
class Vector:
    file: Path  # the vector file
    name: str  # <file relative to the vectors directory, without .yaml>:<vector id>
    description: str
    product: dict[str, Any]
    as_of: _dt.date
    expect: dict[str, Expectation]  # jurisdiction -> expectation (may be empty)


def merge(base: Any, over: Any) -> Any:
    """Deep merge: mappings merge, everything else replaces."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = copy.deepcopy(base)
        for key, value in over.items():
            out[key] = merge(out[key], value) if key in out else copy.deepcopy(value)
        return out
    return copy.deepcopy(over)


def _day(value: Any, default: _dt.date) -> _dt.date:
    if value is None:
        return default
    return value if isinstance(value, _dt.date) else _dt.date.fromisoformat(str(value))


def read_vectors(path: Path, root: Path, as_of: _dt.date) -> list[Vector]:
    """The vectors of one file (``as_of``: the day of vectors and files that give none)."""
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except Exception as exc:  # a broken vector file: say which
        raise RuleBaseError(f"cannot read the vector file: {exc}", file=str(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get("vectors"), list):
        raise RuleBaseError("not a vector file (base, vectors)", file=str(path))
    label = path.relative_to(root).with_suffix("").as_posix()
    file_day = _day(data.get("as_of"), as_of)
    out = []
    for index, entry in enumerate(data["vectors"]):
        raw = entry.get("expect") or {}
        by_code = (
            {data["jurisdiction"]: raw} if set(raw) <= KEYS and "jurisdiction" in data else raw
        )
        try:
            expect = {code: Expectation.model_validate(e or {}) for code, e in by_code.items()}
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise RuleBaseError(
                f"vector {entry.get('id')!r}: expect.{where}: {first['msg']}",
                file=str(path),
                field=f"vectors[{index}].expect",
            ) from None
        out.append(
            Vector(
                file=path,
                name=f"{label}:{entry.get('id')}",
                description=str(entry.get("description", "")),
                product=merge(data.get("base") or {}, entry.get("product") or {}),
                as_of=_day(entry.get("as_of"), file_day),
                expect=expect,
            )
        )
    return out


def all_vectors(root: Path, as_of: _dt.date) -> Iterator[Vector]:
    """Every vector of every file below ``root``, files in name order."""
    for path in sorted(root.rglob("*.yaml")):
        yield from read_vectors(path, root, as_of)


def mismatches(result: JurisdictionResult, expect: Expectation) -> list[str]:
    """Each way ``result`` differs from ``expect``, in words (empty: it matches)."""
    out: list[str] = []
    asked = [q.fact for q in result.questions]
    if expect.pathway == "undetermined":
        if result.status != "undetermined" or result.pathway is not None:
            out.append(f"pathway is {result.pathway}, expected undetermined")
    elif expect.pathway is not None:
        if result.status != "determined":
            out.append(f"pathway is undetermined (questions {asked}), expected {expect.pathway}")
        elif result.pathway != expect.pathway:
            out.append(f"pathway is {result.pathway}, expected {expect.pathway}")
    if expect.classification is not None and result.classification != expect.classification:
        out.append(f"classification is {result.classification}, expected {expect.classification}")
    wanted = None if expect.premarket_review == "undetermined" else expect.premarket_review
    if expect.premarket_review is not None and result.premarket_review is not wanted:
        out.append(
            f"premarket review is {result.premarket_review}, expected {expect.premarket_review}"
        )
    found = {f.fact: f.value for f in result.findings}
    for fact, value in expect.facts.items():
        if fact not in found:
            out.append(f"{fact} not derived (questions: {asked})")
        elif found[fact] != value:
            out.append(f"{fact} is {found[fact]}, expected {value}")
    obligations = {o.id for o in result.obligations if not o.conditional_on}
    conditional = {o.id for o in result.obligations if o.conditional_on}
    out += [f"missing obligation {o}" for o in expect.obligations if o not in obligations]
    out += [
        f"missing conditional obligation {o}"
        for o in expect.conditional_obligations
        if o not in conditional
    ]
    out += [f"unexpected obligation {o}" for o in expect.no_obligations if o in obligations]
    options = {o.id: o.eligible for o in result.options}
    for option, eligible in expect.options.items():
        if eligible == "absent" and option in options:
            out.append(f"option {option} is offered, expected absent")
        elif eligible != "absent" and options.get(option) != eligible:
            out.append(f"option {option} is {options.get(option)}, expected {eligible}")
    out += [f"{f} not asked (asked {asked})" for f in expect.questions if f not in asked]
    out += [f"{f} asked, expected not" for f in expect.no_questions if f in asked]
    notes = {n.rule for n in result.notes}
    out += [f"missing note {n}" for n in expect.notes if n not in notes]
    out += [f"unexpected note {n}" for n in expect.no_notes if n in notes]
    dues = {o.id: o.due for o in result.obligations}
    for obligation, day in expect.due.items():
        if dues.get(obligation) != day:
            out.append(f"{obligation} due {dues.get(obligation)}, expected {day}")
    overdue = {o.id for o in result.obligations if o.overdue}
    out += [f"{o} is not overdue" for o in expect.overdue if o not in overdue]
    for name, wanted, got in (
        ("candidates", expect.candidates, result.candidates),
        (
            "classification candidates",
            expect.classification_candidates,
            result.classification_candidates,
        ),
    ):
        if wanted is not None and got != wanted:
            out.append(f"{name} are {got}, expected {wanted}")
    reported = {a.fact: a.value for a in result.attributes}
    for fact, value in expect.attributes.items():
        got_value = reported.get(fact, "absent")
        shown = "undetermined" if got_value is None else got_value
        if shown != value:
            out.append(f"{fact} is {shown}, expected {value}")
    return out
