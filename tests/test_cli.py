"""The command line: formats, outputs, rule inspection, schemas, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import CliRunner

import pathway
from pathway.cli import cli

from .conftest import EXAMPLES

SVF = str(EXAMPLES / "svf-knee.yaml")


def invoke(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_assess_text() -> None:
    result = invoke("assess", SVF, "--as-of", "2026-11-25")
    assert result.exit_code == 0
    assert "pathway: us.351" in result.output
    assert "obligations:" in result.output
    assert "\x1b[" not in result.output  # no colour when not a terminal


def test_assess_explain_shows_reasons() -> None:
    result = invoke("assess", SVF, "--as-of", "2026-11-25", "--explain")
    assert "processing enzymatic_digestion: us_mm_structural = more_than_minimal" in result.output


def test_assess_json_and_output_file(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    result = invoke("assess", SVF, "--format", "json", "-o", str(out), "--as-of", "2026-11-25")
    assert result.exit_code == 0 and result.output == ""
    data = json.loads(out.read_text())
    assert data["format"] == 1 and data["as_of"] == "2026-11-25"
    assert data["jurisdictions"]["us"]["pathway"] == "us.351"


def test_assess_several_products_gives_a_list() -> None:
    result = invoke(
        "assess", str(EXAMPLES), "--format", "json", "-j", "us", "--as-of", "2026-11-25"
    )
    data = json.loads(result.output)
    assert isinstance(data, list) and len(data) == len(list(EXAMPLES.glob("*.yaml")))


def test_assess_stdin() -> None:
    result = invoke("assess", "-", "--format", "json", input=Path(SVF).read_text())
    assert json.loads(result.output)["product"]["file"] == "<stdin>"


def test_rules_list_show_lint() -> None:
    listed = invoke("rules", "list", "-j", "us")
    assert "us.mm.structural.more_than_minimal" in listed.output
    shown = invoke("rules", "show", "us.mm.structural.more_than_minimal")
    assert "21 CFR 1271.3(f)(1)" in shown.output and "https://www.ecfr.gov" in shown.output
    assert "processing.us_mm_structural includes more_than_minimal" in shown.output
    decision = invoke("rules", "show", "us.pathway")
    assert decision.output.count("of decision us.pathway") == 5
    fact = invoke("rules", "show", "us.minimally_manipulated")
    assert "derived by" in fact.output
    lint = invoke("rules", "lint")
    assert lint.exit_code == 0 and lint.output.startswith("ok:")
    facts = invoke("rules", "list", "--facts", "--format", "json")
    assert any(row["fact"] == "processing.us_mm_structural" for row in json.loads(facts.output))


def test_rules_list_as_of_selects_dated_rules() -> None:
    before = invoke("rules", "list", "--as-of", "2020-01-01").output
    after = invoke("rules", "list", "--as-of", "2022-01-01").output
    assert (
        "us.note.enforcement_discretion " in before
        and "us.note.enforcement_discretion_ended" not in before
    )
    assert "us.note.enforcement_discretion_ended" in after


def test_schemas_are_valid_json_schema() -> None:
    for which in ("product", "assessment"):
        data = json.loads(invoke("schema", which).output)
        jsonschema.Draft202012Validator.check_schema(data)


def test_assessment_json_validates_against_exported_schema() -> None:
    schema = json.loads(invoke("schema", "assessment").output)
    data = json.loads(invoke("assess", SVF, "--format", "json").output)
    jsonschema.validate(data, schema)


def test_version() -> None:
    assert pathway.__version__ in invoke("--version").output


def test_library_api(tmp_path: Path) -> None:
    loaded = pathway.load_product(SVF)
    assert loaded.product.material.source == "adipose"
    result = pathway.assess(loaded, jurisdictions=["us"])
    assert isinstance(result, pathway.Assessment)
    assert result.jurisdictions["us"].pathway == "us.351"
    assert (
        pathway.assess(
            {"format": 1, "name": "organ", "material": {"form": "vascularized_organ"}},
            jurisdictions=["us"],
        )
        .jurisdictions["us"]
        .pathway
        == "us.not_hctp"
    )
