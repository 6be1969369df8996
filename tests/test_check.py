"""``pathway check``: exit codes, every output format, baselines, and locations that point at the
line of the product file that changed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from pathway.cli import cli

from .conftest import EXAMPLES

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8")
)
AS_OF = "2026-11-25"

# The fixture repository: 20 shipped examples, each limited to the jurisdictions it states an
# expectation for, so that the whole portfolio passes and any change shows as one failure.
PORTFOLIO = [
    "aci-chondrocytes-tep",
    "adipose-msc-crohn-fistula-ctr20213380",
    "amniotic-epithelial-gvhd-ctr20233586",
    "amniotic-membrane-wound-cover",
    "autologous-fat-graft",
    "bmmsc-gvhd-ctr20132003",
    "bone-marrow-transplant",
    "car-t-autologous",
    "cd34-hbg-edited-beta-thal-ctr20222947",
    "dental-pulp-msc-periodontitis-ctr20211389",
    "hucmsc-agvhd-ctr20200887",
    "hucmsc-knee-oa-ctr20210039",
    "jp-akuugo-conditional",
    "jp-asrm-class3-prp-skin",
    "jp-temcell-full-approval",
    "menstrual-msc-ipf-ctr20220460",
    "msc-gvhd-hospital-exemption-de",
    "related-donor-cord-blood",
    "svf-knee",
    "unrelated-cord-blood",
]

# (product, the line as written, the line after the change, the jurisdiction that changes)
MUTATIONS = [
    (
        "amniotic-membrane-wound-cover",
        "processing: [rinsing, cleansing, dehydration, sterilization]",
        "processing: [rinsing, cleansing, dehydration, sterilization, milling]",
        "us",
    ),
    ("related-donor-cord-blood", "donor_relation: first_degree", "donor_relation: unrelated", "us"),
    # not donor_relation: since cells isolated from a structural tissue are more than minimally
    # manipulated (US review, Dec 2026), a structural material.source would restore us.351 too
    ("unrelated-cord-blood", "form: cells", "form: vascularized_organ", "us"),
    (
        "autologous-fat-graft",
        "same_surgical_procedure: true",
        "same_surgical_procedure: false",
        "us",
    ),
    ("msc-gvhd-hospital-exemption-de", "custom_made: true", "custom_made: false", "eu"),
    ("jp-asrm-class3-prp-skin", "origin: autologous", "origin: allogeneic", "jp"),
    ("jp-temcell-full-approval", "efficacy: confirmed", "efficacy: presumed", "jp"),
    ("svf-knee", "viable: true", "viable: false", "eu"),
]


def invoke(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["check", "--as-of", AS_OF, *args], input=input)


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    repo = tmp_path / "products"
    repo.mkdir()
    for name in PORTFOLIO:
        text = (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")
        expect = re.search(r"^expect:\n((?:  .*\n?)+)", text, flags=re.M)
        assert expect, name
        codes = [
            c for c in ("us", "eu", "jp", "cn") if re.search(rf"^  {c}:", expect.group(1), re.M)
        ]
        line = f"jurisdictions: [{', '.join(codes)}]"
        if re.search(r"^jurisdictions:.*$", text, flags=re.M):
            text = re.sub(r"^jurisdictions:.*$", line, text, flags=re.M)
        else:
            text = re.sub(r"^(name: .*)$", rf"\1\n{line}", text, count=1, flags=re.M)
        (repo / f"{name}.yaml").write_text(text, encoding="utf-8")
    for args in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "portfolio"],
    ):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    return repo


def mutate(path: Path, old: str, new: str) -> int:
    """Replace the one line holding ``old``; return its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if old in line]
    assert len(hits) == 1, (path.name, old, hits)
    lines[hits[0]] = lines[hits[0]].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")
    return hits[0] + 1


def sarif(result: Result) -> dict[str, Any]:
    log = json.loads(result.output)
    jsonschema.validate(log, SARIF_SCHEMA)
    return log


def test_shipped_examples_pass() -> None:
    result = invoke(str(EXAMPLES))
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output and " 0 errors" in result.output


def test_portfolio_passes_with_no_sarif_results(portfolio: Path) -> None:
    result = invoke(str(portfolio), "--format", "sarif", "--fail-on", "undetermined")
    assert result.exit_code == 0, result.output
    log = sarif(result)
    assert log["runs"][0]["results"] == []


@pytest.mark.slow
@pytest.mark.parametrize("name, old, new, code", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_one_changed_fact_is_one_result_on_its_line(
    portfolio: Path, name: str, old: str, new: str, code: str
) -> None:
    line = mutate(portfolio / f"{name}.yaml", old, new)
    result = invoke(str(portfolio), "--format", "sarif", "--since", "HEAD")
    assert result.exit_code == 1, result.output
    log = sarif(result)
    results = log["runs"][0]["results"]
    assert len(results) == 1, [r["message"]["text"] for r in results]
    (only,) = results
    where = only["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"].endswith(f"products/{name}.yaml")
    assert where["region"]["startLine"] == line, only["message"]["text"]
    assert only["level"] == "error" and only["properties"]["jurisdiction"] == code
    assert f"expected {only['properties']['expected']}" in only["message"]["text"]
    rule_ids = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert only["ruleId"] in rule_ids and only["ruleId"].startswith(f"{code}.")


# Without a previous version the line is found by re-evaluation alone: the single change that
# gives the expected pathway back. These changes leave no other single change that does so.
UNAMBIGUOUS = [m for m in MUTATIONS if m[0] not in ("svf-knee", "related-donor-cord-blood")]


@pytest.mark.slow
@pytest.mark.parametrize("name, old, new, code", UNAMBIGUOUS, ids=[m[0] for m in UNAMBIGUOUS])
def test_without_history_the_restoring_change_is_located(
    portfolio: Path, name: str, old: str, new: str, code: str
) -> None:
    line = mutate(portfolio / f"{name}.yaml", old, new)
    result = invoke(str(portfolio), "--format", "json")
    (failed,) = [r for r in json.loads(result.output)["results"] if r["failed"]]
    assert failed["jurisdiction"] == code and failed["location"]["line"] == line, failed


def test_since_needs_a_revision(portfolio: Path) -> None:
    result = invoke(str(portfolio / "svf-knee.yaml"), "--since", "no-such-rev")
    assert result.exit_code == 2 and "is not a git revision" in result.output


def test_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        "format: 1\nname: organ\njurisdictions: [us]\nmaterial: {form: vascularized_organ}\n"
        "expect: {us: us.not_hctp}\n"
    )
    assert invoke(str(good)).exit_code == 0
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(good.read_text().replace("us.not_hctp}", "us.351}"))
    assert invoke(str(wrong)).exit_code == 1
    open_ = tmp_path / "open.yaml"
    open_.write_text("format: 1\nname: open\njurisdictions: [us]\n")
    assert invoke(str(open_)).exit_code == 0  # assessed and reported, not failed
    assert invoke(str(open_), "--fail-on", "undetermined").exit_code == 1
    waiting = tmp_path / "waiting.yaml"
    waiting.write_text(open_.read_text() + "expect: {us: undetermined}\n")
    assert invoke(str(waiting), "--fail-on", "undetermined").exit_code == 0
    no_expect = tmp_path / "no_expect.yaml"
    no_expect.write_text(good.read_text().split("expect:")[0])
    assert invoke(str(no_expect)).exit_code == 0
    assert invoke(str(no_expect), "--fail-on", "unchecked").exit_code == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nname: x\nuse: {homologus: true}\n")
    mixed = invoke(str(good), str(wrong), str(bad))
    assert mixed.exit_code == 2  # bad input wins, and the others are still checked
    assert "FAIL" in mixed.output and "bad.yaml:3" in mixed.output
    assert invoke(str(good), "--fail-on", "nonsense").exit_code == 2


def test_json_output(portfolio: Path) -> None:
    line = mutate(portfolio / "svf-knee.yaml", "viable: true", "viable: false")
    result = invoke(str(portfolio), "--format", "json", "--since", "HEAD")
    data = json.loads(result.output)
    assert data["kind"] == "check" and data["summary"]["failed"] == 1
    assert data["summary"]["products"] == 20 and data["summary"]["checks"] == 42
    (failed,) = [r for r in data["results"] if r["failed"]]
    assert failed["location"]["line"] == line and failed["location"]["field"] == "material.viable"
    # non-viable cells presented to regenerate may still act pharmacologically: the TEP
    # exclusion of Reg 1394/2007 Art 2(1)(b) needs both conditions, so the pathway opens
    assert failed["expected"] == "eu.atmp" and failed["actual"] == "undetermined"
    assert "material.viable were true" in failed["would_match"]
    assert failed["citations"] and all(c["url"].startswith("https://") for c in failed["citations"])


def test_junit_output(portfolio: Path) -> None:
    mutate(portfolio / "svf-knee.yaml", "viable: true", "viable: false")
    (portfolio / "broken.yaml").write_text("format: 1\nname: [x\n")
    result = invoke(str(portfolio), "--format", "junit")
    assert result.exit_code == 2
    xml = result.output[result.output.index("<?xml") :]
    root = ET.fromstring(xml.encode())
    assert root.tag == "testsuites"
    cases = root.findall(".//testcase")
    assert len(cases) == 42 + 1  # one per product and jurisdiction, and the broken file
    failures = root.findall(".//failure")
    assert len(failures) == 1 and "undetermined" in failures[0].get("message", "")
    errors = root.findall(".//error")
    assert len(errors) == 1 and root.get("errors") == "1" and root.get("failures") == "1"


def test_github_annotations(portfolio: Path) -> None:
    line = mutate(
        portfolio / "related-donor-cord-blood.yaml",
        "donor_relation: first_degree",
        "donor_relation: unrelated",
    )
    result = invoke(str(portfolio), "--format", "github", "--since", "HEAD")
    errors = [row for row in result.output.splitlines() if row.startswith("::error ")]
    assert len(errors) == 1
    assert f"related-donor-cord-blood.yaml,line={line}," in errors[0]
    assert "title=pathway us%3A us.351 (expected us.361)" in errors[0]


def test_text_output_names_rule_and_line(portfolio: Path) -> None:
    line = mutate(portfolio / "svf-knee.yaml", "viable: true", "viable: false")
    result = invoke(str(portfolio), "--since", "HEAD")
    assert result.exit_code == 1
    (fail,) = [row for row in result.output.splitlines() if row.startswith("FAIL")]
    assert f"svf-knee.yaml:{line}:" in fail and "expected eu.atmp" in fail
    assert "rule eu.pathway: The EU pathway" in result.output
    assert "42 checks in 20 products: 41 passed, 1 failed" in result.output


def test_extra_reports_are_written(portfolio: Path, tmp_path: Path) -> None:
    mutate(portfolio / "svf-knee.yaml", "viable: true", "viable: false")
    out = tmp_path / "out.sarif"
    junit = tmp_path / "out.xml"
    result = invoke(
        str(portfolio),
        "--format",
        "github",
        "--report",
        f"sarif:{out}",
        "--report",
        f"junit:{junit}",
    )
    assert result.exit_code == 1 and "::error " in result.output
    jsonschema.validate(json.loads(out.read_text()), SARIF_SCHEMA)
    assert ET.parse(junit).getroot().get("failures") == "1"
    assert invoke(str(portfolio), "--report", "xml:x").exit_code == 2


def test_bad_input_is_a_sarif_result_too(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nname: x\nuse: {homologus: true}\n")
    result = invoke(str(bad), "--format", "sarif")
    assert result.exit_code == 2
    log = json.loads(result.output[result.output.index("{") :])
    jsonschema.validate(log, SARIF_SCHEMA)
    (only,) = log["runs"][0]["results"]
    assert only["ruleId"] == "pathway.input"
    assert only["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


def test_undetermined_result_points_at_the_open_fact(tmp_path: Path) -> None:
    path = tmp_path / "cover.yaml"
    text = (EXAMPLES / "amniotic-membrane-wound-cover.yaml").read_text()
    path.write_text(text.replace("functions: [cover, barrier]", "homologous: unknown"))
    line = next(i for i, row in enumerate(path.read_text().splitlines(), 1) if "homologous:" in row)
    result = invoke(str(path), "-j", "us", "--format", "json")
    (us,) = json.loads(result.output)["results"]
    assert us["actual"] == "undetermined" and us["failed"] and result.exit_code == 1
    assert us["location"]["line"] == line
    assert "use.homologous" in us["questions"]
    assert "use.homologous were true" in us["would_match"]


def test_baseline_records_and_detects_changes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("prp-knee", "svf-knee", "related-donor-cord-blood"):
        text = (EXAMPLES / f"{name}.yaml").read_text()
        (repo / f"{name}.yaml").write_text(text.split("\nexpect:")[0] + "\n")
    base = tmp_path / "pathway-baseline.json"
    written = invoke(str(repo), "--write-baseline", str(base))
    assert written.exit_code == 0, written.output
    recorded = json.loads(base.read_text())
    assert recorded["kind"] == "pathway-baseline"
    assert recorded["products"]["repo/svf-knee.yaml"]["pathways"]["us"] == "us.351"
    assert invoke(str(repo), "--baseline", str(base), "--fail-on", "unchecked").exit_code == 0
    line = mutate(repo / "related-donor-cord-blood.yaml", "first_degree", "unrelated")
    changed = invoke(str(repo), "--baseline", str(base), "--format", "json")
    assert changed.exit_code == 1
    (failed,) = [r for r in json.loads(changed.output)["results"] if r["failed"]]
    assert failed["expected_from"] == "baseline" and failed["location"]["line"] == line
    recorded["rulebase"] = {"version": "2026.01.0", "sha256": "0" * 64}
    base.write_text(json.dumps(recorded))
    summary = invoke(str(repo), "--baseline", str(base))
    assert "the rule base changed since the baseline was written: 2026.01.0" in summary.output
    base.write_text("{not json")
    assert invoke(str(repo), "--baseline", str(base)).exit_code == 2


def test_expectations_outside_the_product_jurisdictions_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    shutil.copy(EXAMPLES / "svf-knee.yaml", path)
    text = path.read_text().replace("name: Autologous", "jurisdictions: [us]\nname: Autologous")
    path.write_text(text)
    data = json.loads(invoke(str(path), "--format", "json").output)
    assert {r["jurisdiction"] for r in data["results"]} == {"us", "eu"}


def test_pre_commit_hook_runs_pathway_check() -> None:
    from ruamel.yaml import YAML

    hooks = YAML(typ="safe").load((EXAMPLES.parent / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "pathway-check" and hook["entry"] == "pathway check"
    assert hook["language"] == "python" and hook["pass_filenames"] is True
    assert re.search(hook["files"], "products/svf-knee.yaml")
    assert not re.search(hook["files"], ".pre-commit-config.yaml")


@pytest.mark.slow
def test_action_script_checks_and_writes_sarif(tmp_path: Path) -> None:
    """Run the composite action's own check step as GitHub would, on the shipped examples."""
    import os
    import sys

    from ruamel.yaml import YAML

    action = YAML(typ="safe").load((EXAMPLES.parent / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    (step,) = [s for s in action["runs"]["steps"] if s.get("id") == "check"]
    outputs = tmp_path / "github_output"
    sarif_file = tmp_path / "out.sarif"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRODUCTS": str(EXAMPLES),
        "SARIF_FILE": str(sarif_file),
        "FAIL_ON": "",
        "SINCE": "",
        "ARGS": f"--as-of {AS_OF}",
        "GITHUB_OUTPUT": str(outputs),
    }
    proc = subprocess.run(
        ["bash", "-c", step["run"]], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "exit-code=0" in outputs.read_text()
    assert "0 failed" in proc.stdout
    jsonschema.validate(json.loads(sarif_file.read_text()), SARIF_SCHEMA)
    env["FAIL_ON"] = "undetermined unchecked"
    proc = subprocess.run(
        ["bash", "-c", step["run"]], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 1 and "::error file=" in proc.stdout
    assert "exit-code=1" in outputs.read_text()
