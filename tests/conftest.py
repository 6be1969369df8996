"""Shared fixtures: the shipped rule base, both evaluators, and vector files."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

import pathway
from pathway.assessment.assessor import Assessor

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
VECTORS = Path(__file__).resolve().parent / "vectors"
AS_OF = dt.date(2026, 11, 25)


def read_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def merge(base: Any, over: Any) -> Any:
    """Deep merge for vector files: mappings merge, everything else replaces."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = copy.deepcopy(base)
        for key, value in over.items():
            out[key] = merge(out[key], value) if key in out else copy.deepcopy(value)
        return out
    return copy.deepcopy(over)


def load_vectors(name: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    data = read_yaml(VECTORS / name)
    return data, data["vectors"]


@pytest.fixture(scope="session")
def rulebase() -> pathway.RuleBase:
    return pathway.load_rulebase()


@pytest.fixture(scope="session")
def engine(rulebase: pathway.RuleBase) -> Assessor:
    return Assessor(rulebase, "engine")


@pytest.fixture(scope="session")
def oracle(rulebase: pathway.RuleBase) -> Assessor:
    return Assessor(rulebase, "oracle")


@pytest.fixture(scope="session", params=["engine", "oracle"])
def evaluator(request: pytest.FixtureRequest, engine: Assessor, oracle: Assessor) -> Assessor:
    return engine if request.param == "engine" else oracle


def derived(result: pathway.JurisdictionResult) -> dict[str, Any]:
    """The value of each derived fact in a jurisdiction's findings."""
    return {f.fact: f.value for f in result.findings}
