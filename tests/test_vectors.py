"""Data-driven tests: every vector file under tests/vectors/ (FDA worked examples, pathways,
CAT classifications, US/EU divergences, dated vocabulary values), with both the engine and the
oracle. The file format is ``pathway.authoring.vectors`` (the same reader rule coverage uses).
"""

from __future__ import annotations

import pytest

from pathway.assessment.assessor import Assessor
from pathway.authoring.vectors import Vector, all_vectors, mismatches

from .conftest import AS_OF, VECTORS, read_yaml

CASES = [pytest.param(v, id=v.name) for v in all_vectors(VECTORS, AS_OF)]


@pytest.mark.parametrize("vector", CASES)
def test_vector(vector: Vector, evaluator: Assessor) -> None:
    result = evaluator.assess(vector.product, list(vector.expect), vector.as_of)
    for code, expect in vector.expect.items():
        wrong = mismatches(result.jurisdictions[code], expect)
        assert not wrong, f"{code}: {vector.name} ({vector.description}): {wrong}"


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
