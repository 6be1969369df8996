"""The durable_rules engine: sessions, failures, threads, compiled shapes."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import pathway
from pathway.engine import Engine
from pathway.errors import EngineError
from pathway.evaluation import Recorder
from pathway.facts import build_facts
from pathway.loading import load_product

from .conftest import AS_OF, EXAMPLES

SVF = EXAMPLES / "svf-knee.yaml"


def test_many_evaluations_do_not_leak_sessions(rulebase: pathway.RuleBase) -> None:
    """durable_rules allows 1024 live sessions per ruleset: every evaluation must delete its own."""
    engine = Engine(rulebase)
    facts = build_facts(load_product(SVF, rulebase).product, rulebase)
    first = engine.evaluate("us", facts, AS_OF)
    for _ in range(3000):
        assert engine.evaluate("us", facts, AS_OF).derived == first.derived


def test_no_background_threads(rulebase: pathway.RuleBase) -> None:
    before = threading.active_count()
    engine = Engine(rulebase)
    facts = build_facts(load_product(SVF, rulebase).product, rulebase)
    engine.evaluate("us", facts, AS_OF)
    assert threading.active_count() == before


def test_exception_in_an_action_is_surfaced(
    rulebase: pathway.RuleBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = Engine(rulebase)
    facts = build_facts(load_product(SVF, rulebase).product, rulebase)
    original = Recorder.derive

    def broken(self: Recorder, rule: Any) -> bool:
        if rule.id == "us.mm.structural.more_than_minimal":
            raise ZeroDivisionError("planted")
        return original(self, rule)

    monkeypatch.setattr(Recorder, "derive", broken)
    with pytest.raises(
        EngineError, match=r"us\.mm\.structural\.more_than_minimal: ZeroDivisionError"
    ):
        engine.evaluate("us", facts, AS_OF)
    monkeypatch.setattr(Recorder, "derive", original)
    assert engine.evaluate("us", facts, AS_OF).derived["us.pathway"] == "us.351"


def test_inconsistent_rule_base_is_an_internal_error(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    shutil.copytree(pathway.default_rules_dir(), root)
    path = root / "us" / "21cfr1271" / "1271_10a_criteria.yaml"
    path.write_text(
        path.read_text()
        + """
  - id: us.systemic.planted_conflict
    title: A planted rule that contradicts us.systemic.autologous
    when: {material.origin: autologous}
    then: {us.systemic_ok: false}
    citations: ["21 CFR 1271.10(a)(4)"]
"""
    )
    rb = pathway.load_rulebase(root)
    for evaluator in ("engine", "oracle"):
        with pytest.raises(EngineError, match="inconsistent"):
            pathway.Assessor(rb, evaluator).assess(SVF, ["us"], AS_OF)  # type: ignore[arg-type]


def test_day_without_rules_in_force(rulebase: pathway.RuleBase) -> None:
    """durable_rules crashes on a ruleset with no rules: such days must not reach it."""
    result = pathway.Assessor(rulebase).assess(SVF, ["us"], dt.date(1999, 1, 1)).jurisdictions["us"]
    assert result.status == "undetermined"
    assert any("no United States (FDA) rules in force" in n.text for n in result.notes)


def test_threads_give_the_same_results(rulebase: pathway.RuleBase) -> None:
    assessor = pathway.Assessor(rulebase)
    files = sorted(EXAMPLES.glob("*.yaml"))
    sequential = [assessor.assess(f, as_of=AS_OF).model_dump_json() for f in files]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            parallel = list(
                pool.map(lambda f: assessor.assess(f, as_of=AS_OF).model_dump_json(), files)
            )
            assert parallel == sequential


def _constants_only(node: Any, aliases: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in (
                "$l",
                "$r",
                "$m",
                "$s",
                "$t",
                "$iany",
                "$iall",
                "$add",
                "$sub",
                "$mul",
                "$div",
            ):
                raise AssertionError(f"operator {key} in a compiled rule")
            if isinstance(value, dict) and value and set(value) <= aliases:
                raise AssertionError(f"cross-fact reference {value}")
            _constants_only(value, aliases)
    elif isinstance(node, list):
        for item in node:
            _constants_only(item, aliases)


def test_compiled_rules_compare_fields_with_constants_only(rulebase: pathway.RuleBase) -> None:
    """No field-to-field comparison across facts (durable_rules issue #381 segfaults on them)."""
    engine = Engine(rulebase)
    for code in rulebase.jurisdictions:
        definition = engine.definition(code, AS_OF)
        assert definition
        for name, body in definition.items():
            aliases = {next(iter(p)) for p in body["all"]}
            for pattern in body["all"]:
                _constants_only(pattern, aliases)
                ((_, test),) = pattern.items()
                text = repr(test)
                assert "'t': 'p'" in text or "'t': 'd'" in text, (
                    f"{name}: pattern without discriminator"
                )


def test_a_product_no_rule_matches_does_not_crash_the_engine() -> None:
    """durable_rules corrupts memory deleting a session none of whose facts matched a rule; the
    engine's catch-all rule prevents it. Run in a subprocess so a crash fails this test."""
    import subprocess
    import sys

    code = (
        "import datetime as dt, pathway\n"
        "a = pathway.Assessor()\n"
        "for _ in range(200):\n"
        "    a.assess({'format': 1, 'name': 'nothing known'}, as_of=dt.date(2026, 11, 25))\n"
        "    a.assess({'format': 1, 'name': 'x', 'sponsor': 'clinic', 'context': {'stage': 'individual_patient'}},"
        " as_of=dt.date(2026, 11, 25))\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert proc.stdout.strip() == b"ok"


def test_compiled_patterns_test_each_field_once(rulebase: pathway.RuleBase) -> None:
    engine = Engine(rulebase)
    for code in rulebase.jurisdictions:
        for name, body in engine.definition(code, AS_OF).items():
            for pattern in body["all"]:
                ((_, test),) = pattern.items()
                tests = test.get("$and", [test]) if isinstance(test, dict) else []
                keys = [
                    next(iter(t))
                    for t in tests
                    if isinstance(t, dict) and len(t) == 1 and not next(iter(t)).startswith("$")
                ]
                assert len(keys) == len(set(keys)), f"{name}: a field tested twice in {test}"
