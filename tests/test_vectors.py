"""Data-driven tests: FDA's worked examples and the US pathway vectors (tests/vectors/us)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pathway.assess import Assessor

from .conftest import AS_OF, derived, load_vectors, merge

FDA_SOURCE, FDA_VECTORS = load_vectors("us/fda_mmhu_examples.yaml")
PATH_SOURCE, PATH_VECTORS = load_vectors("us/pathways.yaml")


@pytest.mark.parametrize("vector", FDA_VECTORS, ids=[v["id"] for v in FDA_VECTORS])
def test_fda_worked_example(vector: dict[str, Any], evaluator: Assessor) -> None:
    product = merge(FDA_SOURCE["base"], vector["product"])
    result = evaluator.assess(product, ["us"], AS_OF).jurisdictions["us"]
    found = derived(result)
    for fact, value in vector["expect"].items():
        assert fact in found, (
            f"{vector['id']}: {fact} not derived (questions: {[q.fact for q in result.questions]})"
        )
        assert found[fact] == value, f"{vector['id']} ({vector['description']}): {fact}"


def test_every_worked_example_of_the_reference_is_a_vector() -> None:
    wanted = {
        "10-1a",
        "10-1b",
        "10-1c",
        "10-2a",
        "10-2b",
        "10-3",
        "10-4a",
        "10-4b",
        "11-1",
        "11-2",
        "11-3",
        "12-1",
        "12-2",
        "14-1",
        "16-1a",
        "16-1b",
        "16-1c",
        "17-1",
        "17-2",
        "19-1a",
        "19-1b",
        "19-1c",
        "19-2",
        "19-3",
        "19-4a",
        "19-4b",
        "19-4c",
        "19-5",
        "19-6a",
        "19-6b",
        "19-6c",
        "19-6d",
        "20-1a",
        "20-1b",
        "20-2",
        "20-3",
        "III.B-Q8",
        "IV-Q2",
    }
    have = {v["id"] for v in FDA_VECTORS}
    missing = {w for w in wanted if not any(h == w or h.startswith(w + "-") for h in have)}
    assert not missing


@pytest.mark.parametrize("vector", PATH_VECTORS, ids=[v["id"] for v in PATH_VECTORS])
def test_us_pathway_vector(vector: dict[str, Any], evaluator: Assessor) -> None:
    product = merge(PATH_SOURCE["base"], vector["product"])
    day = vector.get("as_of", PATH_SOURCE.get("as_of", AS_OF))
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    result = evaluator.assess(product, ["us"], day).jurisdictions["us"]
    expect = vector["expect"]
    label = f"{vector['id']} ({vector['description']})"
    if expect["pathway"] == "undetermined":
        assert result.status == "undetermined", label
        assert result.pathway is None, label
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
        assert found.get(fact) == value, f"{label}: {fact}"
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
