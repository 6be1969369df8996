"""The rule base loader: the shipped base is valid; each planted defect is refused with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pathway
from pathway.errors import RuleBaseError

SHIPPED = pathway.default_rules_dir()
RULE_FILE = "us/21cfr1271/1271_10a_criteria.yaml"


def planted(tmp_path: Path, file: str, old: str, new: str) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(SHIPPED, root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {file}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def test_shipped_rule_base_is_valid() -> None:
    rb = pathway.load_rulebase()
    assert rb.rules and rb.jurisdictions
    ids = [r.id for r in rb.rules]
    assert len(ids) == len(set(ids))
    for rule in rb.rules:
        assert rule.citations, rule.id
        for c in rule.citations:
            assert c.url.startswith(("https://", "http://")), (rule.id, c.ref)


DEFECTS = {
    "duplicate id": (
        RULE_FILE,
        "- id: us.systemic.reproductive",
        "- id: us.systemic.autologous",
        "already used",
    ),
    "no citation": (
        RULE_FILE,
        '    citations: ["21 CFR 1271.10(a)(4)"]\n\n  - id: us.systemic.reproductive',
        "\n\n  - id: us.systemic.reproductive",
        "cites at least one",
    ),
    "unknown citation": (
        RULE_FILE,
        '"21 CFR 1271.10(a)(3)"]',
        '"21 CFR 1271.10(a)(33)"]',
        "not in any citations file",
    ),
    "unknown fact": (
        RULE_FILE,
        "use.systemic_effect: false",
        "use.systemic_efect: false",
        "did you mean 'use.systemic_effect'",
    ),
    "value out of domain": (
        RULE_FILE,
        "material.origin: autologous",
        "material.origin: autologus",
        "did you mean 'autologous'",
    ),
    "unknown operator": (
        RULE_FILE,
        "{only: [allowed_agent]}",
        "{onlyy: [allowed_agent]}",
        "unknown operator",
    ),
    "ne instead of not": (
        RULE_FILE,
        "{only: [allowed_agent]}",
        "{ne: [allowed_agent]}",
        "unknown operator",
    ),
    "list tested as scalar": (
        RULE_FILE,
        "combined_with.us_combination: {includes: other_article}",
        "combined_with.us_combination: other_article",
        "is a list",
    ),
    "derive two facts": (
        RULE_FILE,
        'then: {us.systemic_ok: true}\n    citations: ["21 CFR 1271.10(a)(4)", "21 CFR 1271.3(a)"]',
        'then: {us.systemic_ok: true, us.meets_361: true}\n    citations: ["21 CFR 1271.10(a)(4)", "21 CFR 1271.3(a)"]',
        "exactly one fact",
    ),
    "sets an input fact": (
        RULE_FILE,
        'then: {us.systemic_ok: true}\n    citations: ["21 CFR 1271.10(a)(4)", "21 CFR 1271.3(a)"]',
        'then: {use.reproductive: true}\n    citations: ["21 CFR 1271.10(a)(4)", "21 CFR 1271.3(a)"]',
        "input fact",
    ),
    "unknown rule key": (
        RULE_FILE,
        "    title: For reproductive use",
        "    titel: For reproductive use",
        "did you mean 'title'",
    ),
    "no effective date": (RULE_FILE, "effective: {from: 2005-05-25}\n", "", "no effective date"),
    "to before from": (
        RULE_FILE,
        "effective: {from: 2005-05-25}",
        "effective: {from: 2005-05-25, to: 2001-01-01}",
        "before 'from'",
    ),
    "citation without url": (
        "us/citations.yaml",
        "    url: https://www.ecfr.gov/current/title-21/section-1271.20\n",
        "",
        "required field is missing",
    ),
    "superseding gap": (
        "us/notes.yaml",
        "effective: {from: 2021-06-01}",
        "effective: {from: 2021-06-05}",
        "leaves a gap",
    ),
    "superseding overlap": (
        "us/notes.yaml",
        "effective: {from: 2021-06-01}",
        "effective: {from: 2021-05-20}",
        "overlaps",
    ),
    "unknown vocabulary key": (
        "vocabulary/processing.yaml",
        "  encapsulation: {label: Encapsulation,",
        "  encapsulation: {us_ssp_such: true, label: Encapsulation,",
        "unknown key 'us_ssp_such'",
    ),
    "attribute value for an unknown term": (
        "us/vocabulary/processing.yaml",
        "      rinsing: {value: true, citations: attribute}",
        "      rinsng: {value: true, citations: attribute}",
        "did you mean 'rinsing'",
    ),
    "vocabulary value out of domain": (
        "us/vocabulary/processing.yaml",
        '        value: {default: more_than_minimal, bone: minimal}\n        citations: attribute\n        note: "Example 10-1b',
        '        value: {default: more_than_minimal, bone: minimall}\n        citations: attribute\n        note: "Example 10-1b',
        "is not a value",
    ),
    "refinement by unknown term": (
        "us/vocabulary/processing.yaml",
        '        value: {default: more_than_minimal, bone: minimal}\n        citations: attribute\n        note: "Example 10-1b',
        '        value: {default: more_than_minimal, bones: minimal}\n        citations: attribute\n        note: "Example 10-1b',
        "is not a term",
    ),
    "vocabulary value without a source": (
        "us/vocabulary/processing.yaml",
        "      cleansing: {value: minimal, citations: attribute}",
        "      cleansing: {value: minimal, citations: []}",
        "cites its source",
    ),
    "vocabulary value that does not say what it rests on": (
        "us/vocabulary/processing.yaml",
        "      cleansing: {value: minimal, citations: attribute}",
        "      cleansing: {value: minimal}",
        "citations",
    ),
    "overlapping dated vocabulary values": (
        "eu/vocabulary/member_state.yaml",
        "        - {value: member, from: 2013-07-01,",
        "        - {value: member, from: 2013-06-01,",
        "overlap",
    ),
    "unknown kind": ("us/notes.yaml", "kind: rules", "kind: rule", "did you mean 'rules'"),
    "rule outside its folder prefix": (
        RULE_FILE,
        "- id: us.systemic.reproductive",
        "- id: eu.systemic.reproductive",
        "start with 'us.'",
    ),
    "concept side not a true/false fact": (
        "concepts.yaml",
        "fact: us.homologous_use",
        "fact: us.pathway",
        "is not a derived true/false fact of 'us'",
    ),
    "concept side without its heavier value": (
        "concepts.yaml",
        "        fact: jp.homologous\n        heavier: false\n",
        "        fact: jp.homologous\n",
        "needs heavier",
    ),
    "brief naming an unknown fact": (
        "briefs/fda-trg.yaml",
        "facts: [processing]",
        "facts: [processing, us.minimaly_manipulated]",
        "is not a product field or derived fact",
    ),
    "brief for another jurisdiction's fact": (
        "briefs/fda-trg.yaml",
        "facts: [processing]",
        "facts: [processing, eu.substantially_manipulated]",
        "belongs to 'eu'",
    ),
    "brief section for an unknown outcome": (
        "briefs/pmda.yaml",
        "when: [jp.asrm.class1, jp.asrm.class2, jp.asrm.class3, jp.track.asrm]\n    facts:",
        "when: [jp.asrm.class4]\n    facts:",
        "is not a pathway or classification of 'jp'",
    ),
    "brief in the wrong file": (
        "briefs/nhc.yaml",
        "id: nhc",
        "id: nmpa",
        "belongs in briefs/nmpa.yaml",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_planted_defect_is_refused(tmp_path: Path, name: str) -> None:
    file, old, new, words = DEFECTS[name]
    root = planted(tmp_path, file, old, new)
    with pytest.raises(RuleBaseError) as info:
        pathway.load_rulebase(root)
    message = str(info.value)
    assert words in message, message
    assert message.split(":")[0].endswith(".yaml"), message
    assert message.split(":")[1].isdigit(), f"no line number: {message}"


@pytest.mark.slow
def test_rule_base_error_through_the_cli(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pathway.cli import cli

    root = planted(tmp_path, *DEFECTS["unknown fact"][:3])
    result = CliRunner().invoke(cli, ["rules", "lint", "--rules", str(root)])
    assert result.exit_code == 2
    summary, line = result.output.strip().splitlines()  # the finding lines follow the summary
    assert summary.startswith("failed: ") and ".yaml:" in line and " error lint.load" in line
    other = CliRunner().invoke(cli, ["rules", "list", "--rules", str(root)])
    assert other.exit_code == 2 and other.output.startswith("error: ")


@pytest.mark.slow
def test_loading_is_cached_by_content(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    shutil.copytree(SHIPPED, root)
    first = pathway.load_rulebase(root)
    assert pathway.load_rulebase(root) is first
    (root / "us" / "notes.yaml").write_text(
        (root / "us" / "notes.yaml").read_text() + "\n# changed\n"
    )
    assert pathway.load_rulebase(root).sha256 != first.sha256


def test_the_shipped_rule_base_is_read_once_per_process() -> None:
    """A library caller's assessments do not stat every rule file each time."""
    shipped = pathway.load_rulebase()
    assert pathway.load_rulebase() is shipped
    assert pathway.load_rulebase(SHIPPED).sha256 == shipped.sha256
