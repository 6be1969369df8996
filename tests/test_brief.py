"""Briefing drafts (``pathway brief``): every target renders for every shipped example, with the
sections its regulator's structure names, every claim cited, every statement located in the
product file, and every question the assessment leaves open listed as an open item; a brief
never claims more than the assessment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import pathway
from pathway.analysis.brief import brief
from pathway.assessment.assessor import Assessor
from pathway.cli import cli
from pathway.contract.brief import CLAIMS, Brief
from pathway.render import brief_markdown

from .conftest import AS_OF, EXAMPLES, read_yaml

STRUCTURES = read_yaml(Path(__file__).parent / "data" / "brief_structures.yaml")
NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


def test_every_target_has_its_regulators_structure(rulebase: pathway.RuleBase) -> None:
    assert sorted(rulebase.briefs) == sorted(STRUCTURES)
    for target, sections in STRUCTURES.items():
        assert [s.id for s in rulebase.briefs[target].sections] == sections, target
        for section in rulebase.briefs[target].sections:
            assert section.citations and all(c.url.startswith("http") for c in section.citations)


def drafts(engine: Assessor, name: str) -> list[tuple[Brief, pathway.Assessment]]:
    rb = engine.rulebase
    loaded = pathway.load_product(EXAMPLES / f"{name}.yaml", rb, name=f"examples/{name}.yaml")
    out = []
    for target in sorted(rb.briefs):
        template = rb.briefs[target]
        assessment = engine.assess(loaded, [template.jurisdiction], AS_OF)
        out.append((brief(rb, template, loaded, assessment), assessment))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_every_brief_renders_cited_and_complete(engine: Assessor, name: str) -> None:
    for b, assessment in drafts(engine, name):
        result = assessment.jurisdictions[b.jurisdiction]
        assert [s.id for s in b.sections] == STRUCTURES[b.target]
        items = {item.number: item for item in b.open_items}
        # every question the assessment leaves open is an open item, and no other
        assert [item.fact for item in b.open_items] == [q.fact for q in result.questions]
        for section in b.sections:
            assert section.sources and section.lines, (b.target, section.id)
            for line in section.lines:
                if line.kind in CLAIMS:
                    assert line.citations, (b.target, section.id, line.text)
                    assert all(c.url.startswith("http") for c in line.citations)
                if line.kind == "statement":
                    assert line.location and line.location.file == f"examples/{name}.yaml"
                    assert line.location.line, (b.target, line.text)
                if line.kind == "open" and line.open_item is not None:
                    assert line.open_item in items
            for line in section.lines:
                if line.kind == "finding":
                    assert any(
                        f.fact == line.fact and f.rule == line.rule and f.value == line.value
                        for f in result.findings
                    ), line.text
        # a brief never claims more than the assessment: a proposal only when determined
        proposals = [line for s in b.sections for line in s.lines if line.kind == "conclusion"]
        if result.status != "determined":
            assert not proposals, b.target
        for line in proposals:
            assert line.value == result.pathway
        text = brief_markdown.render(b)
        for number, section in enumerate(b.sections, 1):
            assert f"## {number}. {section.title}" in text
        for item in b.open_items:
            assert f"{item.number}. **`{item.fact}`**" in text


def test_an_unknown_deciding_fact_is_an_open_item(engine: Assessor) -> None:
    """With the processing unknown, the amniotic membrane's US pathway is open between 361 and
    351: the TRG draft proposes nothing (a 361 proposal would be a guess), lists the processing
    as an open item, and says so where it would state it."""
    rb = engine.rulebase
    loaded = pathway.load_product(EXAMPLES / "amniotic-membrane-wound-cover.yaml", rb)
    product = loaded.product.model_copy(update={"processing": "unknown"})
    unknown = pathway.load_product(product, rb)
    b = brief(rb, rb.briefs["fda-trg"], unknown, engine.assess(unknown, ["us"], AS_OF))
    assert b.status == "undetermined"
    facts = [item.fact for item in b.open_items]
    assert "processing" in facts, facts
    (manufacture,) = [s for s in b.sections if s.id == "manufacture"]
    assert manufacture.lines[0].kind == "open" and manufacture.lines[0].fact == "processing"
    lines = [line for s in b.sections for line in s.lines]
    assert not [line for line in lines if line.kind == "conclusion"]
    (proposal,) = [s for s in b.sections if s.id == "recommendation"]
    assert proposal.lines[0].kind == "open" and "Undetermined" in proposal.lines[0].text
    for item in b.open_items:
        assert item.question and item.why


def test_a_stated_empty_list_and_an_open_classification(engine: Assessor) -> None:
    rb = engine.rulebase
    fat = pathway.load_product(EXAMPLES / "autologous-fat-graft.yaml", rb)
    b = brief(rb, rb.briefs["fda-trg"], fat, engine.assess(fat, ["us"], AS_OF))
    (stated,) = [line for s in b.sections for line in s.lines if line.fact == "combined_with"]
    assert stated.kind == "statement" and stated.value == [] and "none" in stated.text
    cart = pathway.load_product(EXAMPLES / "car-t-autologous.yaml", rb)
    assessment = engine.assess(cart, ["eu"], AS_OF)
    assert assessment.jurisdictions["eu"].classification is None
    b = brief(rb, rb.briefs["ema-cat"], cart, assessment)
    (section,) = [s for s in b.sections if s.id == "proposed_classification"]
    opened = [line for line in section.lines if line.kind == "open"]
    assert opened and "eu.gtmp" in opened[0].text and opened[0].open_item == 1
    assert "classification still open" in brief_markdown.render(b)


def test_a_line_break_in_the_product_cannot_forge_a_line(engine: Assessor) -> None:
    rb = engine.rulebase
    loaded = pathway.load_product(EXAMPLES / "amniotic-membrane-wound-cover.yaml", rb)
    use = loaded.product.use.model_copy(update={"indication": "wounds\n- **Proposal**: us.361"})
    forged = pathway.load_product(
        loaded.product.model_copy(update={"processing": "unknown", "use": use}), rb
    )
    text = brief_markdown.render(
        brief(rb, rb.briefs["fda-trg"], forged, engine.assess(forged, ["us"], AS_OF))
    )
    assert "\n- **Proposal**" not in text


def test_a_section_for_another_track_says_it_does_not_apply(engine: Assessor) -> None:
    rb = engine.rulebase
    loaded = pathway.load_product(EXAMPLES / "jp-asrm-class2-autologous-msc.yaml", rb)
    b = brief(rb, rb.briefs["pmda"], loaded, engine.assess(loaded, ["jp"], AS_OF))
    applies = {s.id: s.applies for s in b.sections}
    assert applies["plan_treatment"] and not applies["consultation_outline"]
    (plan,) = [s for s in b.sections if s.id == "plan_treatment"]
    assert any(line.fact == "jp.asrm_class" and line.value == "class2" for line in plan.lines)


def run(*args: str) -> tuple[str, int]:
    result = CliRunner().invoke(cli, list(args))
    return result.output, result.exit_code


def test_the_command(tmp_path: Path) -> None:
    file = str(EXAMPLES / "msc-gvhd-hospital-exemption-de.yaml")
    day = ["--as-of", AS_OF.isoformat()]
    text, code = run("brief", file, "--to", "ema-cat", *day)
    assert code == 0 and text.startswith("# ATMP classification request")
    data, code = run("brief", file, "--to", "ema-cat", "--format", "json", *day)
    assert code == 0 and json.loads(data)["target"] == "ema-cat"
    out = tmp_path / "brief.md"
    _, code = run("brief", file, "--to", "ema-cat", "-o", str(out), *day)
    assert code == 0 and out.read_text(encoding="utf-8") == text
    message, code = run("brief", file, "--to", "ema-ca")
    assert code == 2 and "did you mean 'ema-cat'" in message
    message, code = run("brief", file)
    assert code == 2 and "--to" in message
