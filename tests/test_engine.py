"""The durable_rules engine: sessions, failures, threads, compiled shapes."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import pathway
from pathway.errors import EngineError
from pathway.evaluate.durable.session import Engine
from pathway.evaluate.result import Recorder
from pathway.facts import build_facts
from pathway.product.load import load_product

from .conftest import AS_OF, EXAMPLES

SVF = EXAMPLES / "svf-knee.yaml"


def python_output(code: str, timeout: int = 120) -> bytes:
    """Run ``code`` in a new interpreter, so that a crash fails this test and not the suite;
    its standard output."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    return proc.stdout


@pytest.mark.slow
def test_many_evaluations_do_not_leak_sessions(rulebase: pathway.RuleBase) -> None:
    """durable_rules allows 1024 live sessions per ruleset: every evaluation must delete its own."""
    engine = Engine(rulebase, memo=0)
    facts = build_facts(load_product(SVF, rulebase).product, rulebase, AS_OF)
    first = engine.evaluate("us", facts, AS_OF)
    for _ in range(3000):
        assert engine.evaluate("us", facts, AS_OF).derived == first.derived


def test_no_background_threads(rulebase: pathway.RuleBase) -> None:
    before = threading.active_count()
    engine = Engine(rulebase)
    facts = build_facts(load_product(SVF, rulebase).product, rulebase, AS_OF)
    engine.evaluate("us", facts, AS_OF)
    assert threading.active_count() == before


def test_exception_in_an_action_is_surfaced(
    rulebase: pathway.RuleBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = Engine(rulebase)
    facts = build_facts(load_product(SVF, rulebase).product, rulebase, AS_OF)
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


@pytest.mark.slow
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
    """No field-to-field comparison across facts (durable_rules issue #381 segfaults on them),
    no $or (its branches are not shared: many rules overflow durable's alpha stack)."""
    engine = Engine(rulebase)
    for code in rulebase.jurisdictions:
        definition = engine.definition(code, AS_OF)
        assert len(definition) > 1
        for name, body in definition.items():
            aliases = {next(iter(p)) for p in body["all"]}
            for pattern in body["all"]:
                _constants_only(pattern, aliases)
                ((_, test),) = pattern.items()
                assert "$or" not in repr(test), f"{name}: $or in {test}"
                tests = test["$and"]
                assert tests[0] == {"t": 1} and set(tests[1]) == {"f"}, f"{name}: {test}"
                assert all(set(t) <= {"v", "$neq", "$lt", "$gte"} for t in tests[2:]), test


@pytest.mark.slow
def test_a_product_no_rule_matches_does_not_crash_the_engine() -> None:
    """durable_rules corrupts memory deleting a session none of whose facts matched a rule; the
    engine's catch-all rule prevents it. Run in a subprocess so a crash fails this test."""
    code = (
        "import datetime as dt, pathway\n"
        "a = pathway.Assessor()\n"
        "for _ in range(200):\n"
        "    a.assess({'format': 1, 'name': 'nothing known'}, as_of=dt.date(2026, 11, 25))\n"
        "    a.assess({'format': 1, 'name': 'x', 'sponsor': 'clinic', 'context': {'stage': 'individual_patient'}},"
        " as_of=dt.date(2026, 11, 25))\n"
        "print('ok')\n"
    )
    assert python_output(code).strip() == b"ok"


def test_compiled_patterns_test_each_fact_once(rulebase: pathway.RuleBase) -> None:
    engine = Engine(rulebase)
    for code in rulebase.jurisdictions:
        for name, body in engine.definition(code, AS_OF).items():
            facts = [next(iter(p.values()))["$and"][1]["f"] for p in body["all"]]
            assert len(facts) == len(set(facts)), f"{name}: a fact in two patterns"


def test_wide_rule_base_stays_within_durable_limits(tmp_path: Path) -> None:
    """Seventy rules testing one product value through "one of": with $or branches this
    overflowed durable's 64-node alpha stack (error 303) and then crashed the process on delete
    (munmap_chunk). Run in a subprocess so that a crash fails the test instead of the suite."""
    root = tmp_path / "rules"
    shutil.copytree(pathway.default_rules_dir(), root)
    rules = "\n".join(
        f"""  - id: jp.planted.wide_{i}
    title: Planted rule {i}
    kind: note
    when:
      - material.form: [cells, tissue, blood_component]
      - processing.jp_processing: {{includes_any: [processed, case_by_case]}}
      - material.origin: [autologous, allogeneic]
    citations: ["ASRM Art 2"]"""
        for i in range(70)
    )
    (root / "jp" / "planted.yaml").write_text(
        "kind: rules\ntitle: planted\neffective: {from: 2014-11-25}\nrules:\n" + rules + "\n"
    )
    code = (
        "import datetime as dt, pathway\n"
        f"rb = pathway.load_rulebase({str(root)!r})\n"
        "a = pathway.Assessor(rb)\n"
        f"p = {str(EXAMPLES / 'jp-asrm-class2-autologous-msc.yaml')!r}\n"
        "for _ in range(50):\n"
        "    r = a.assess(p, ['jp'], dt.date(2026, 11, 25)).jurisdictions['jp']\n"
        "print(r.pathway, len(r.notes))\n"
    )
    pathway_id, notes = python_output(code, timeout=300).split()
    assert pathway_id == b"jp.asrm.class2" and int(notes) >= 70


def test_a_ruleset_too_wide_for_durable_is_refused() -> None:
    from pathway.evaluate.durable.limits import check_limits

    definition = {
        f"r{i}": {"all": [{"m0": {"$and": [{"t": 1}, {"f": "x"}, {"$neq": {"v": f"k{i}"}}]}}]}
        for i in range(60)
    }
    with pytest.raises(EngineError, match="too wide for durable_rules"):
        check_limits(definition, lambda name: None)


def test_the_same_facts_are_evaluated_once(rulebase: pathway.RuleBase) -> None:
    engine = Engine(rulebase)
    facts = build_facts(load_product(SVF, rulebase).product, rulebase, AS_OF)
    first = engine.evaluate("us", facts, AS_OF)
    sessions = next(engine._sids)
    again = engine.evaluate("us", facts, AS_OF)
    assert again.comparable() == first.comparable()
    assert next(engine._sids) == sessions + 1  # no session was opened for the repeat
    other = build_facts(load_product(EXAMPLES / "prp-knee.yaml", rulebase).product, rulebase, AS_OF)
    assert engine.evaluate("us", other, AS_OF).derived != first.derived
    fresh = Engine(rulebase, memo=0).evaluate("us", facts, AS_OF)
    assert fresh.comparable() == first.comparable()


STORAGE_SETTERS = re.compile(r"set_\w*callback|\bdurable\.engine\b|\bfrom durable\b")


def test_pathway_never_registers_a_storage_callback() -> None:
    """On Python 3.13+ durable's storage callbacks would call PyEval_CallObject, which is
    missing there (evaluate/durable/_c.py loads the extension with lazy binding): no pathway
    module may register one, nor use durable's Host, which does."""
    package = Path(pathway.__file__).parent
    found = [
        f"{path.relative_to(package)}: {match.group()}"
        for path in sorted(package.rglob("*.py"))
        for match in STORAGE_SETTERS.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_extension_loads_and_the_dlopen_flags_are_restored() -> None:
    """The extension loads on this Python; a plain import (``RTLD_NOW``) does too exactly
    where lazy binding is not needed, and pathway leaves the process's dlopen flags as it
    found them."""
    code = (
        "import sys\n"
        "before = sys.getdlopenflags()\n"
        "import pathway\n"
        "from pathway.evaluate.durable._c import durable_c\n"
        "print(sys.getdlopenflags() == before, callable(durable_c.assert_facts))\n"
    )
    assert python_output(code).split() == [b"True", b"True"]
    plain = subprocess.run(
        [sys.executable, "-c", "import durable_rules_engine"], capture_output=True, timeout=60
    )
    if sys.version_info >= (3, 13):
        assert b"PyEval_CallObject" in plain.stderr  # what lazy binding works around
    else:
        assert plain.returncode == 0, plain.stderr.decode()[-2000:]
