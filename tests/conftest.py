"""Shared fixtures: the shipped rule base, both evaluators, vector files, and the hypothesis
profiles every property test runs under.

Profiles (``HYPOTHESIS_PROFILE``): ``default`` (300 examples per property, the test suite),
``thorough`` (10,000) and ``fuzz`` (100,000, for ``tests/test_fuzz.py``). The properties that
assess a product in full on every example run fewer (``scaled``), in proportion. Registered
here, before any test module is imported, so that the choice never depends on collection order.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from ruamel.yaml import YAML

import pathway
from pathway.assessment.assessor import Assessor

_SUPPRESSED = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
]
for _profile, _count in (("default", 300), ("thorough", 10_000), ("fuzz", 100_000)):
    settings.register_profile(
        _profile,
        max_examples=_count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=_SUPPRESSED,
    )
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Every command computes its answer: a test that changes what a run sees (a planted rule base,
# a patched function) must not be answered from an earlier run. tests/test_replay.py turns
# replaying back on where it is the subject.
os.environ["PATHWAY_NO_REPLAY"] = "1"


def scaled(examples: int) -> settings:
    """Settings for a property whose every example assesses a product in full (its questions
    re-evaluated with each answer): ``examples`` under the default profile, scaled up with the
    profile (the ``thorough`` profile runs about 33 times as many)."""
    return settings(max_examples=max(1, examples * settings.default.max_examples // 300))


ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
VECTORS = Path(__file__).resolve().parent / "vectors"
AS_OF = dt.date(2026, 11, 25)


def read_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


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


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache and key directory of this test's own, with replaying on."""
    monkeypatch.setenv("PATHWAY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("PATHWAY_NO_CACHE", raising=False)
    monkeypatch.delenv("PATHWAY_NO_REPLAY", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path / "cache"
