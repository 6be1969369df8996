"""Data-driven tests: every vector file under tests/vectors/ (FDA worked examples, pathways,
CAT classifications, US/EU divergences), with both the engine and the oracle.

A file has a `base` product, optional `jurisdiction` (default for `expect`) and `as_of`, and
`vectors`. Each vector's `expect` holds, per jurisdiction (or for the file's jurisdiction):
pathway (or "undetermined"), classification, premarket_review, facts, obligations,
no_obligations, options ({id: yes|no|undetermined|absent}), questions, notes, due ({obligation: date}).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pathway.assessment.assessor import Assessor

from .conftest import AS_OF, VECTORS, derived, merge, read_yaml

CASES = []
for path in sorted(VECTORS.rglob("*.yaml")):
    data = read_yaml(path)
    for vector in data["vectors"]:
        CASES.append(
            pytest.param(
                data, vector, id=f"{path.relative_to(VECTORS).with_suffix('')}:{vector['id']}"
            )
        )

KEYS = {
    "pathway",
    "classification",
    "premarket_review",
    "facts",
    "obligations",
    "no_obligations",
    "options",
    "questions",
    "notes",
    "due",
}


def expectations(data: dict[str, Any], vector: dict[str, Any]) -> dict[str, dict[str, Any]]:
    expect = vector["expect"]
    if set(expect) <= KEYS:
        return {data["jurisdiction"]: expect}
    return expect


def check(result: Any, expect: dict[str, Any], label: str) -> None:
    if "pathway" in expect:
        if expect["pathway"] == "undetermined":
            assert result.status == "undetermined" and result.pathway is None, label
        else:
            assert result.status == "determined", (
                f"{label}: questions {[q.fact for q in result.questions]}"
            )
            assert result.pathway == expect["pathway"], label
    if "classification" in expect:
        assert result.classification == expect["classification"], label
    if "premarket_review" in expect:
        assert result.premarket_review is expect["premarket_review"], label
    found = derived(result)
    for fact, value in expect.get("facts", {}).items():
        assert fact in found, (
            f"{label}: {fact} not derived (questions: {[q.fact for q in result.questions]})"
        )
        assert found[fact] == value, f"{label}: {fact}"
    obligations = {o.id for o in result.obligations}
    for ob in expect.get("obligations", []):
        assert ob in obligations, f"{label}: missing obligation {ob}"
    for ob in expect.get("no_obligations", []):
        assert ob not in obligations, f"{label}: unexpected obligation {ob}"
    options = {o.id: o.eligible for o in result.options}
    for opt, eligible in expect.get("options", {}).items():
        if eligible == "absent":
            assert opt not in options, label
        else:
            assert options.get(opt) == eligible, f"{label}: option {opt}"
    asked = [q.fact for q in result.questions]
    for fact in expect.get("questions", []):
        assert fact in asked, f"{label}: {fact} not asked (asked {asked})"
    notes = {n.rule for n in result.notes}
    for rule in expect.get("notes", []):
        assert rule in notes, f"{label}: missing note {rule}"
    dues = {o.id: o.due for o in result.obligations}
    for ob, day in expect.get("due", {}).items():
        want = dt.date.fromisoformat(day) if isinstance(day, str) else day
        assert dues.get(ob) == want, f"{label}: {ob} due {dues.get(ob)}, expected {want}"


@pytest.mark.parametrize(("data", "vector"), CASES)
def test_vector(data: dict[str, Any], vector: dict[str, Any], evaluator: Assessor) -> None:
    product = merge(data["base"], vector["product"])
    day = vector.get("as_of", data.get("as_of", AS_OF))
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    wanted = expectations(data, vector)
    result = evaluator.assess(product, list(wanted), day)
    for code, expect in wanted.items():
        check(
            result.jurisdictions[code], expect, f"{code}: {vector['id']} ({vector['description']})"
        )


def test_every_worked_example_of_the_reference_is_a_vector() -> None:
    wanted = {
        "10-1a", "10-1b", "10-1c", "10-2a", "10-2b", "10-3", "10-4a", "10-4b", "11-1", "11-2",
        "11-3", "12-1", "12-2", "14-1", "16-1a", "16-1b", "16-1c", "17-1", "17-2", "19-1a",
        "19-1b", "19-1c", "19-2", "19-3", "19-4a", "19-4b", "19-4c", "19-5", "19-6a", "19-6b",
        "19-6c", "19-6d", "20-1a", "20-1b", "20-2", "20-3", "III.B-Q8", "IV-Q2",
    }  # fmt: skip
    have = {v["id"] for v in read_yaml(VECTORS / "us" / "fda_mmhu_examples.yaml")["vectors"]}
    missing = {w for w in wanted if not any(h == w or h.startswith(w + "-") for h in have)}
    assert not missing
