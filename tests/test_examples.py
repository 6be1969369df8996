"""The shipped examples: each meets its expectations, and its JSON validates against the schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import pathway
from pathway.product.schema import assessment_schema, product_schema
from pathway.render import json as render_json

from .conftest import AS_OF, EXAMPLES, read_yaml

FILES = sorted(EXAMPLES.glob("*.yaml"))


def test_enough_examples() -> None:
    assert len(FILES) >= 12
    with_us = [p for p in FILES if "us" in read_yaml(p).get("expect", {})]
    assert len(with_us) >= 12, "at least 12 examples state the US pathway they expect"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_example_meets_expectations(path: Path, engine: pathway.Assessor) -> None:
    expect = read_yaml(path).get("expect", {})
    assert expect, "every example states the pathway it expects somewhere"
    result = engine.assess(path, as_of=AS_OF)
    for code, pathway_id in expect.items():
        got = result.jurisdictions[code]
        assert (got.pathway or "undetermined") == pathway_id, f"{path.name}: {code}"


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_example_json_is_valid_and_cited(path: Path, engine: pathway.Assessor) -> None:
    result = engine.assess(path, as_of=AS_OF)
    data = json.loads(render_json.render([result]))
    jsonschema.validate(data, assessment_schema())
    for jur in data["jurisdictions"].values():
        for kind in ("findings", "obligations", "options"):
            for item in jur[kind]:
                assert item["citations"], f"{kind} without citation: {item}"
                for c in item["citations"]:
                    assert c["url"].startswith(("https://", "http://")), c


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_example_validates_against_product_schema(path: Path, rulebase: pathway.RuleBase) -> None:
    as_json = json.loads(json.dumps(read_yaml(path), default=str))  # YAML dates as ISO strings
    jsonschema.validate(as_json, product_schema(rulebase))


@pytest.mark.slow
def test_output_is_deterministic(engine: pathway.Assessor) -> None:
    outputs = {render_json.render([engine.assess(p, as_of=AS_OF) for p in FILES]) for _ in range(2)}
    assert len(outputs) == 1
