"""`pathway rules lint`: the shipped rule base lints clean; each planted defect is reported with
its check id, file and line (exit 1 for a finding of the analyses, 2 for a base that does not
load); the satisfiability behind the analyses follows vocabulary projections."""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import pathway
from pathway.assessment.assessor import Assessor
from pathway.authoring.lint import CHECKS, lint
from pathway.authoring.satisfiability import Satisfier
from pathway.cli import cli
from pathway.errors import EngineError
from pathway.rulebase.conditions import Leaf

from .test_rulebase import DEFECTS, SHIPPED, planted


def run_lint(*args: str) -> Any:
    return CliRunner().invoke(cli, ["rules", "lint", *args], catch_exceptions=False)


@functools.cache
def shipped_findings() -> tuple[Any, ...]:
    """The shipped rule base's lint findings, computed once for the tests that compare."""
    return tuple(lint(pathway.load_rulebase()))


def test_shipped_rule_base_lints_clean() -> None:
    result = run_lint()
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok:")
    findings = shipped_findings()
    assert not [f for f in findings if f.severity == "error"]
    assert len(result.output.strip().splitlines()) == 1 + len(findings)


def test_shipped_rule_base_json() -> None:
    result = run_lint("--format", "json")
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["loaded"] is True
    assert data["summary"]["errors"] == 0
    assert set(data["checks"]) == set(CHECKS)


# ------------------------------------------------------------------ planting


def copy_rules(tmp_path: Path, files: dict[str, str]) -> Path:
    """The shipped rule base with extra files (path under the rule base -> text)."""
    root = tmp_path / "rules"
    shutil.copytree(SHIPPED, root)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


PLANTED_FACTS = """kind: facts
facts:
  us.planted_flag:
    type: bool
    title: A planted flag
    question: Is the planted flag set?
  us.planted_silent:
    type: bool
    title: A planted fact nobody sets and nobody is asked
  us.planted_unread:
    type: bool
    title: A planted fact nobody reads
    question: Is the planted unread fact set?
  us.planted_choice:
    type: enum
    values: [first, second]
    title: A planted decision
    question: Which planted choice?
"""

RULES_HEAD = """kind: rules
title: Planted defects
effective: {from: 2005-05-25}
rules:
"""

PLANTED_RULES = {
    "lint.unproduced-fact": """
  - id: us.planted.reads_silent
    kind: note
    title: Reads a fact nothing sets and no question asks
    when: {us.planted_silent: true}
    citations: ["21 CFR 1271.3(d)"]
""",
    "lint.unread-fact": """
  - id: us.planted.sets_unread
    title: Sets a fact nobody reads
    when: {material.form: cells}
    then: {us.planted_unread: true}
    citations: ["21 CFR 1271.3(d)"]
""",
    "lint.never-fires/projection": """
  - id: us.planted.bone_nonstructural
    kind: note
    title: Bone that is nonstructural tissue
    when:
      - material.source: bone
      - material.source.us_tissue_class: nonstructural
    citations: ["21 CFR 1271.3(d)"]
""",
    "lint.never-fires/refined-projection": """
  - id: us.planted.milled_tendon_minimal
    kind: note
    title: Milled tendon with only minimal steps (milling is minimal for bone only)
    when:
      - material.source: tendon_ligament
      - processing: {includes: milling}
      - processing.us_mm_structural: {only: [minimal]}
    citations: ["21 CFR 1271.3(f)(1)"]
""",
    "lint.never-fires/unproduced-value": """
  - id: us.planted.flag_false
    title: The flag is false for cells
    when: {material.form: cells}
    then: {us.planted_flag: false}
    citations: ["21 CFR 1271.3(d)"]
  - id: us.planted.needs_flag_true
    kind: note
    title: Needs the flag true, which no rule sets
    when: {us.planted_flag: true}
    citations: ["21 CFR 1271.3(d)"]
""",
    "lint.never-fires/shadowed-case": """
  - id: us.planted.choice
    title: A planted decision
    decide: us.planted_choice
    first_match:
      - id: us.planted.choice.cells
        title: Cells
        when: {material.form: [cells, tissue]}
        value: first
        citations: ["21 CFR 1271.3(d)"]
      - id: us.planted.choice.cells_again
        title: Cells again (always pre-empted by the case above)
        when: {material.form: cells}
        value: second
        citations: ["21 CFR 1271.3(d)"]
  - id: us.planted.reads_choice
    kind: note
    title: Reads the planted decision
    when: {us.planted_choice: [first, second]}
    citations: ["21 CFR 1271.3(d)"]
""",
    "lint.never-fires/other-period": """
  - id: us.planted.flag_late
    title: The flag is set, from 2030
    when: {material.form: cells}
    then: {us.planted_flag: true}
    citations: ["21 CFR 1271.3(d)"]
    effective: {from: 2030-01-01}
  - id: us.planted.flag_early_reader
    kind: note
    title: Needs the flag before 2030, when no rule sets it
    when: {us.planted_flag: true}
    citations: ["21 CFR 1271.3(d)"]
    effective: {from: 2005-05-25, to: 2029-12-31}
  - id: us.planted.flag_early_false
    title: The flag is false for tissue
    when: {material.form: tissue}
    then: {us.planted_flag: false}
    citations: ["21 CFR 1271.3(d)"]
""",
    "lint.unverified-decides": """
  - id: us.planted.ssp_unverified
    title: Rinsed autologous tissue in one operation keeps the exception (resting on an unchecked source)
    when:
      - use.same_surgical_procedure: true
      - material.origin: autologous
      - processing: {only: [rinsing]}
    then: {us.ssp: true}
    citations:
      - {ref: "A planted note nobody checked", url: "https://example.org/planted", basis: unverified}
""",
    "lint.overlap": """
  - id: us.planted.systemic_fails_reproductive
    title: Reproductive use fails criterion 4 (contradicts us.systemic.reproductive)
    when:
      - use.reproductive: true
      - material.source: semen
    then: {us.systemic_ok: false}
    citations: ["21 CFR 1271.10(a)(4)"]
""",
}

EXPECTED_RULES = {
    "lint.unproduced-fact": "us.planted.reads_silent",
    "lint.unread-fact": "us.planted.sets_unread",
    "lint.never-fires/projection": "us.planted.bone_nonstructural",
    "lint.never-fires/refined-projection": "us.planted.milled_tendon_minimal",
    "lint.never-fires/unproduced-value": "us.planted.needs_flag_true",
    "lint.never-fires/shadowed-case": "us.planted.choice.cells_again",
    "lint.never-fires/other-period": "us.planted.flag_early_reader",
    "lint.overlap": "us.planted.systemic_fails_reproductive",
    "lint.unverified-decides": "us.planted.ssp_unverified",
}


def planted_base(tmp_path: Path, name: str) -> Path:
    return copy_rules(
        tmp_path,
        {
            "us/planted_facts.yaml": PLANTED_FACTS,
            "us/planted.yaml": RULES_HEAD + PLANTED_RULES[name],
        },
    )


def lines_of(output: str) -> list[str]:
    return output.strip().splitlines()[1:]  # after the summary


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PLANTED_RULES))
def test_planted_analysis_defect_is_reported(tmp_path: Path, name: str) -> None:
    check = name.split("/")[0]
    root = planted_base(tmp_path, name)
    result = run_lint("--rules", str(root))
    severity = CHECKS[check].severity
    assert result.exit_code == (1 if severity == "error" else 0), result.output
    wanted = EXPECTED_RULES[name]
    hits = [line for line in lines_of(result.output) if f" {check} " in line and wanted in line]
    assert hits, result.output
    assert all(f" {severity} " in line for line in hits)
    place = hits[0].split(": ")[0]
    assert place.endswith(".yaml:" + place.rsplit(":", 1)[-1]) and place.rsplit(":", 1)[1].isdigit()
    # nothing else is new: the planted defect alone (what the shipped base has, it still has)
    shipped = {(f.check, f.rules) for f in shipped_findings()}
    new = [f for f in lint(pathway.load_rulebase(root)) if (f.check, f.rules) not in shipped]
    assert all(any("planted" in r for r in f.rules) for f in new), new


def test_an_unverified_vocabulary_value_on_the_way_to_a_lighter_pathway_is_reported(
    tmp_path: Path,
) -> None:
    """A value the US minimal-manipulation test reads (rinsing of structural tissue: minimal, on
    the way to 361) made to rest on an unverified source alone is a finding; the same value with
    a verified source is not."""
    text = (SHIPPED / "us" / "vocabulary" / "processing.yaml").read_text(encoding="utf-8")
    old = "      rinsing: {value: minimal, citations: attribute}\n"
    assert old in text
    planted = (
        '      rinsing: {value: minimal, citations: [{ref: "Unchecked note", '
        'url: "https://example.org/unchecked", basis: unverified}]}\n'
    )
    root = copy_rules(tmp_path, {"us/vocabulary/processing.yaml": text.replace(old, planted, 1)})
    findings = [
        f for f in lint(pathway.load_rulebase(root)) if f.check == "lint.unverified-decides"
    ]
    assert [f.location.file for f in findings if f.location] == ["us/vocabulary/processing.yaml"]
    assert "rinsing" in findings[0].message and "us_mm_structural" in findings[0].message


def test_an_unverified_rule_that_can_only_require_more_is_not_reported() -> None:
    """Rules resting only on unverified sources exist in the shipped base (e.g. the ASRM Class II
    item for cultured cells): they make the answer stricter, never lighter, so lint is clean."""
    rb = pathway.load_rulebase()
    unverified = [
        r.id
        for r in rb.rules
        if r.kind == "derive" and all(c.basis == "unverified" for c in r.citations)
    ]
    assert unverified
    assert not [f for f in lint(rb) if f.check == "lint.unverified-decides"]


def test_overlap_gives_a_counterexample_that_breaks_the_assessment(tmp_path: Path) -> None:
    root = planted_base(tmp_path, "lint.overlap")
    rb = pathway.load_rulebase(root)
    overlaps = {f.rules: f for f in lint(rb) if f.check == "lint.overlap"}
    assert ("us.systemic.autologous", "us.planted.systemic_fails_reproductive") in overlaps
    found = overlaps[("us.systemic.reproductive", "us.planted.systemic_fails_reproductive")]
    example = dict(found.counterexample)
    assert example["use.reproductive"] == "true" and example["material.source"] == "semen"
    product = {
        "format": 1,
        "name": "counterexample",
        "material": {"form": "gametes_or_embryo", "source": "semen", "origin": "allogeneic"},
        "use": {"reproductive": True},
    }
    with pytest.raises(EngineError, match=r"us\.systemic_ok"):
        Assessor(rb, "oracle").assess(product, ["us"], dt.date(2026, 11, 25))


def test_the_china_overlap_lint_found_is_reported_if_reintroduced(tmp_path: Path) -> None:
    """cn.route.clinic_research lacked `context.approved_use: false`: a clinic's research with a
    marketed drug got both answers for cn.lawful_route and its assessment failed."""
    root = planted(
        tmp_path,
        "cn/stem_cell_measures_2015/clinical_research.yaml",
        "      - sponsor: clinic\n      - context.approved_use: false\n    then: {cn.lawful_route: false}",
        "      - sponsor: clinic\n    then: {cn.lawful_route: false}",
    )
    result = run_lint("--rules", str(root), "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.output)["findings"]
    (found,) = [f for f in findings if f["check"] == "lint.overlap"]
    assert found["file"].endswith(
        (
            "cn/drug_administration_law/registration.yaml",
            "stem_cell_measures_2015/clinical_research.yaml",
        )
    )
    assert set(found["rules"]) == {"cn.route.approved_use", "cn.route.clinic_research"}
    assert found["counterexample"] == {
        "context.approved_use": "true",
        "context.stage": "research",
        "sponsor": "clinic",
    }


# ------------------------------------------------------------------ what the loader refuses

LOADER_DEFECTS = {
    "duplicate id": "lint.duplicate-id",
    "no citation": "lint.no-citation",
    "citation without url": "lint.no-url",
    "superseding gap": "lint.supersedes-dates",
    "superseding overlap": "lint.supersedes-dates",
    "to before from": "lint.never-fires",
    "unknown fact": "lint.load",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LOADER_DEFECTS))
def test_loader_defect_is_reported_with_its_check(tmp_path: Path, name: str) -> None:
    root = planted(tmp_path, *DEFECTS[name][:3])
    result = run_lint("--rules", str(root))
    assert result.exit_code == 2, result.output
    summary, line = result.output.strip().splitlines()
    assert summary.startswith("failed:") and "does not load" in summary
    place, rest = line.split(": ", 1)
    assert ".yaml:" in place and place.split(":")[-1].isdigit(), line
    assert rest.startswith(f"error {LOADER_DEFECTS[name]}"), line


def test_loader_defect_names_the_rules(tmp_path: Path) -> None:
    root = planted(tmp_path, *DEFECTS["duplicate id"][:3])
    data = json.loads(run_lint("--rules", str(root), "--format", "json").output)
    (found,) = data["findings"]
    assert data["loaded"] is False and found["rules"] == ["us.systemic.autologous"]


def test_input_fact_without_question_is_an_unproduced_fact(tmp_path: Path) -> None:
    root = planted(
        tmp_path,
        "facts.yaml",
        "  material.viable:\n    question: Does the product contain living cells or tissue when administered?\n",
        "  material.viable:\n    title: Viable\n",
    )
    result = run_lint("--rules", str(root))
    assert result.exit_code == 2
    assert "error lint.unproduced-fact" in result.output


# ------------------------------------------------------------------ satisfiability


@pytest.fixture(scope="module")
def satisfier() -> Satisfier:
    return Satisfier(pathway.load_rulebase())


def test_projection_follows_its_term(satisfier: Satisfier) -> None:
    bone = Leaf("material.source", "eq", "bone")
    assert satisfier.witness((bone, Leaf("material.source.us_tissue_class", "eq", "structural")))
    assert not satisfier.witness(
        (bone, Leaf("material.source.us_tissue_class", "eq", "nonstructural"))
    )


def test_list_projection_follows_its_items_and_refinement(satisfier: Satisfier) -> None:
    milled = Leaf("processing", "includes", "milling")
    minimal = Leaf("processing.us_mm_structural", "only", ("minimal",))
    found = satisfier.witness((milled, minimal))
    assert found is not None and found.values["material.source"] == "bone"  # refined: minimal
    tendon = Leaf("material.source", "eq", "tendon_ligament")
    assert satisfier.witness((milled, minimal, tendon)) is None
    digestion = Leaf("processing", "includes", "enzymatic_digestion")
    assert (
        satisfier.witness(
            (digestion, Leaf("processing.us_mm_structural", "excludes", "more_than_minimal"))
        )
        is None
    )


def test_derived_values_are_limited_to_what_rules_produce(satisfier: Satisfier) -> None:
    wanted = (Leaf("us.ssp", "eq", True),)
    assert satisfier.witness(wanted) is not None
    assert satisfier.witness(wanted, {"us.ssp": frozenset({False})}) is None
    assert satisfier.missing(wanted, {"us.ssp": frozenset({False})}) == [("us.ssp", (True,))]


def test_dates_are_intervals(satisfier: Satisfier) -> None:
    day = dt.date(2020, 1, 1)
    after = Leaf("context.approval_date", "on_or_after", day)
    assert satisfier.witness((after, Leaf("context.approval_date", "before", day))) is None
    found = satisfier.witness((after, Leaf("context.approval_date", "before", dt.date(2020, 1, 2))))
    assert found is not None and found.values["context.approval_date"] == day
