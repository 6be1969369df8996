"""Explanations a reviewer can audit: the --explain tree, markdown reports, what-if and flips,
ranked questions and the interview that writes answers back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import pathway
from pathway.cli import cli
from pathway.render.reasoning import tree, walk

from .conftest import AS_OF, EXAMPLES

DAY = AS_OF.isoformat()


def invoke(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def test_explain_tree_for_svf_names_each_rule_with_its_citation() -> None:
    result = invoke(
        "assess", str(EXAMPLES / "svf-knee.yaml"), "-j", "us", "--as-of", DAY, "--explain"
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()

    def line(*words: str) -> str:
        found = [row for row in lines if all(w in row for w in words)]
        assert found, f"no line with {words}"
        return found[0]

    # the 351 conclusion, the structural-tissue rule with enzymatic digestion, non-homologous use
    assert "21 CFR 1271.20" in line("[us.pathway.351]")
    assert "21 CFR 1271.3(f)(1)" in line("[us.mm.structural.more_than_minimal]")
    assert "us_tissue_class = structural" in line("material.source adipose")
    assert "svf-knee.yaml:14" in line("processing enzymatic_digestion", "more_than_minimal")
    assert "21 CFR 1271.3(c)" in line("[us.hu.non_basic_function]")
    assert "svf-knee.yaml:20" in line("use.functions cartilage_regeneration", "us_basic = false")
    # a tree: the criteria sit under the 351 conclusion, their facts under them
    depth = {
        row.split("[")[1].split("]")[0]: len(row) - len(row.lstrip())
        for row in lines
        if " [" in row and "] " in row
    }
    assert (
        depth["us.pathway.351"]
        < depth["us.criteria.one_fails"]
        < depth["us.mm.structural.more_than_minimal"]
    )


def test_json_findings_carry_the_same_tree(engine: pathway.Assessor) -> None:
    result = engine.assess(EXAMPLES / "svf-knee.yaml", ["us"], AS_OF).jurisdictions["us"]
    steps = walk(tree(result))
    rules = [s.finding.rule for _, s in steps if s.finding is not None]
    assert rules[0] == "us.pathway.351" and "us.hu.non_basic_function" in rules
    leaves = [s.use for _, s in steps if s.use is not None]
    processing = [u for u in leaves if u.input == "processing" and u.term == "enzymatic_digestion"]
    assert processing and processing[0].origin == "vocabulary"
    assert processing[0].location is not None and processing[0].location.line == 14
    assert processing[0].citations and processing[0].note and "Example 14-1" in processing[0].note
    default = [u for u in leaves if u.fact == "use.intended_use"]
    assert default and default[0].origin == "default" and default[0].location is None


def test_markdown_report_ends_with_the_side_by_side_table() -> None:
    result = invoke(
        "assess",
        str(EXAMPLES / "jp-akuugo-conditional.yaml"),
        "--format",
        "markdown",
        "--as-of",
        DAY,
    )
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("# ") and "## US: United States (FDA)" in text
    assert "### Reasoning" in text and "(`us.pathway.351`;" in text
    assert "[21 CFR 1271.20](https://www.ecfr.gov/" in text
    table = text[text.index("## Side by side") :].strip().splitlines()
    assert table[2].startswith("| jurisdiction | pathway | premarket review |")
    rows = [r for r in table[4:] if r.startswith("| ")]
    assert [r.split(" ")[1] for r in rows] == ["US", "EU", "JP", "CN"]
    jp = next(r for r in rows if r.startswith("| JP"))
    assert "`jp.pmd.conditional`" in jp and "| yes |" in jp
    assert not jp.rstrip().endswith("| - |"), jp  # the conditional approval's time limit


def test_what_if_set_shows_before_and_after() -> None:
    result = invoke(
        "what-if",
        str(EXAMPLES / "related-donor-cord-blood.yaml"),
        "--set",
        "material.donor_relation=unrelated",
        "-j",
        "us",
        "--as-of",
        DAY,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    us = data["jurisdictions"]["us"]
    assert us["before"]["pathway"] == "us.361" and us["after"]["pathway"] == "us.351"
    assert us["changed"] and data["changes"][0]["text"] == "material.donor_relation were unrelated"


def test_what_if_list_edits_and_errors() -> None:
    svf = str(EXAMPLES / "svf-knee.yaml")
    added = invoke(
        "what-if", svf, "--set", "processing+=culture expansion", "-j", "eu", "--as-of", DAY
    )
    assert added.exit_code == 0 and "processing also included culture_expansion" in added.output
    assert invoke("what-if", svf, "--set", "use.homologus=true").exit_code == 2
    assert invoke("what-if", svf, "--set", "processing-=milling").exit_code == 2
    assert invoke("what-if", svf).exit_code == 2  # neither --set nor --flip


def _flips(path: Path, code: str) -> list[dict[str, object]]:
    result = invoke("what-if", str(path), "--flip", "-j", code, "--as-of", DAY, "--format", "json")
    assert result.exit_code == 0, result.output
    flips: list[dict[str, object]] = json.loads(result.output)["flips"][code]
    return flips


def test_flip_culture_expansion_moves_a_361_product_to_351() -> None:
    flips = _flips(EXAMPLES / "related-donor-cord-blood.yaml", "us")
    assert any(
        f["change"]["op"] == "add"
        and f["change"]["item"] == "culture_expansion"
        and f["after"] == "us.351"
        for f in flips
    )


def test_flip_culture_expansion_is_what_keeps_expanded_cells_351(tmp_path: Path) -> None:
    """Related-donor cord blood, culture expanded: without the expansion it would be 361."""
    path = tmp_path / "expanded.yaml"
    text = (EXAMPLES / "related-donor-cord-blood.yaml").read_text()
    path.write_text(text.replace("processing: [", "processing: [culture_expansion, ", 1))
    flips = _flips(path, "us")
    assert any(
        f["change"]["op"] == "remove"
        and f["change"]["item"] == "culture_expansion"
        and f["after"] == "us.361"
        for f in flips
    ), [f["change"]["text"] for f in flips]


def test_flip_donor_relation_and_homologous_use() -> None:
    unrelated = _flips(EXAMPLES / "unrelated-cord-blood.yaml", "us")
    assert any(
        f["change"]["field"] == "material.donor_relation" and f["after"] == "us.361"
        for f in unrelated
    )
    cover = _flips(EXAMPLES / "amniotic-membrane-wound-cover.yaml", "us")
    assert any(
        f["change"]["field"] == "use.functions"
        and f["change"]["op"] == "add"
        and f["after"] == "us.351"
        for f in cover
    ), "claiming a non-basic function (non-homologous use) makes the cover a 351 product"


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml"))[:60:6], ids=lambda p: p.stem)
def test_flip_runs_on_examples(path: Path) -> None:
    result = invoke("what-if", str(path), "--flip", "--as-of", DAY)
    assert result.exit_code == 0, result.output
    assert "the pathway would change if" in result.output


def test_questions_are_ranked_by_what_they_settle(tmp_path: Path) -> None:
    path = tmp_path / "open.yaml"
    text = (EXAMPLES / "amniotic-membrane-wound-cover.yaml").read_text()
    path.write_text(text.replace("functions: [cover, barrier]", "homologous: unknown"))
    result = invoke("questions", str(path), "-j", "us", "--as-of", DAY, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    first = data["questions"][0]
    assert first["fact"] == "use.homologous" and first["settles"] == ["us"]
    assert first["outcomes"] == {"true": {"us": "us.361"}, "false": {"us": "us.351"}}
    text_out = invoke("questions", str(path), "-j", "us", "--as-of", DAY).output
    assert "1. Does the product perform the same basic function" in text_out
    assert "settles US whatever the answer" in text_out


def test_interview_writes_answers_and_keeps_comments(tmp_path: Path) -> None:
    path = tmp_path / "cover.yaml"
    shutil.copy(EXAMPLES / "amniotic-membrane-wound-cover.yaml", path)
    original = path.read_text()
    text = original.replace(
        "  functions: [cover, barrier]\n", "  # homologous use: ask the sponsor\n"
    )
    path.write_text(text)
    result = invoke("interview", str(path), "-j", "us", "--as-of", DAY, input="yes\ntrue\n")
    assert result.exit_code == 0, result.output
    assert "answer one of true, false" in result.output  # "yes" was refused, "true" taken
    written = path.read_text()
    assert "# homologous use: ask the sponsor" in written  # comments survive
    assert written.startswith("# Dehydrated allogeneic amniotic membrane")
    assert "homologous: true" in written
    keys = [
        row.split(":")[0] for row in written.splitlines() if row and not row.startswith((" ", "#"))
    ]
    assert keys == [
        row.split(":")[0] for row in original.splitlines() if row and not row.startswith((" ", "#"))
    ]
    assert "US  us.361" in result.output
    assert pathway.load_product(path).product.use.homologous is True


def test_interview_adds_a_missing_field_in_its_section(tmp_path: Path) -> None:
    path = tmp_path / "cover.yaml"
    text = (EXAMPLES / "amniotic-membrane-wound-cover.yaml").read_text()
    path.write_text(text.replace("  systemic_effect: false\n", ""))
    result = invoke("interview", str(path), "-j", "us", "--as-of", DAY, input="false\n")
    assert result.exit_code == 0, result.output
    product = pathway.load_product(path).product
    assert product.use.systemic_effect is False
    assert "US  us.361" in result.output


def test_interview_refuses_an_answer_outside_the_choices(tmp_path: Path) -> None:
    path = tmp_path / "cover.yaml"
    text = (EXAMPLES / "amniotic-membrane-wound-cover.yaml").read_text()
    path.write_text(text.replace("functions: [cover, barrier]", "homologous: unknown"))
    result = invoke("interview", str(path), "-j", "us", "--as-of", DAY, input="maybe\nquit\n")
    assert result.exit_code == 0
    assert "answer one of true, false" in result.output
    assert "homologous: unknown" in path.read_text()


def test_a_question_on_list_items_is_answered_on_the_items(tmp_path: Path) -> None:
    """1271.10(a)(3): an added preserving agent qualifies only if it raises no new clinical
    safety concern; the question goes to the item, and the interview writes it there."""
    path = tmp_path / "cord.yaml"
    path.write_text(
        "format: 1\nname: related cord blood in DMSO\njurisdictions: [us]\n"
        "material: {form: cells, origin: allogeneic, donor_relation: first_degree, "
        "source: cord_blood, cell_type: hematopoietic_progenitor, viable: true}\n"
        "processing: [concentration, cryopreservation]\ngenetic_modification: none\n"
        "combined_with: [preserving_agent]  # DMSO\n"
        "use: {homologous: true, systemic_effect: true, metabolic_dependence: true, "
        "reproductive: false, same_surgical_procedure: false}\ncontext: {stage: marketing}\n"
    )
    asked = json.loads(invoke("questions", str(path), "--as-of", DAY, "--format", "json").output)
    first = asked["questions"][0]
    assert first["fact"] == "combined_with.new_safety_concern"
    assert first["item_field"] == "new_safety_concern" and first["settles"] == ["us"]
    assert first["outcomes"] == {"true": {"us": "us.351"}, "false": {"us": "us.361"}}
    result = invoke("interview", str(path), "--as-of", DAY, input="false\n")
    assert result.exit_code == 0 and "US  us.361" in result.output
    text = path.read_text()
    assert "combined_with: [{kind: preserving_agent, new_safety_concern: false}]" in text
    assert "# DMSO" in text
