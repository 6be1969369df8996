"""`pathway rules docs`: a page for every rule, decision list and jurisdiction, an index, relative
links that resolve, and on each rule's page the test vectors that exercise it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import pathway
from pathway.cli import cli

from .conftest import VECTORS, read_yaml

LINK = re.compile(r"\]\(<?([^)>\s]+)>?\)")


def write_docs(tmp_path: Path, *args: str) -> tuple[Path, Any]:
    out = tmp_path / "site"
    result = CliRunner().invoke(
        cli,
        ["rules", "docs", "-o", str(out), "--as-of", "2026-11-25", *args],
        catch_exceptions=False,
    )
    return out, result


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out, result = write_docs(tmp_path_factory.mktemp("docs"), "--vectors", str(VECTORS))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote ")
    return out


def test_every_rule_decision_and_jurisdiction_has_a_page(site: Path) -> None:
    rb = pathway.load_rulebase()
    for rule in rb.rules:
        page = site / "rules" / f"{rule.id}.md"
        assert page.is_file(), rule.id
        assert page.read_text(encoding="utf-8").startswith(f"# `{rule.id}`")
    for decision in rb.decisions:
        assert (site / "rules" / f"{decision}.md").is_file()
    for code in rb.jurisdictions:
        assert (site / f"{code}.md").is_file()
    index = (site / "index.md").read_text(encoding="utf-8")
    assert all(f"(rules/{rule.id}.md)" in index for rule in rb.rules)
    assert all(f"({code}.md)" in index for code in rb.jurisdictions)


def test_relative_links_resolve(site: Path) -> None:
    pages = sorted(site.rglob("*.md"))
    checked = 0
    for page in pages:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            assert (page.parent / target.split("#")[0]).is_file(), f"{page}: {target}"
            checked += 1
    assert checked > 1000  # rules link to one another, to their jurisdiction and the index


def test_a_rule_page_says_what_the_rule_is(site: Path) -> None:
    page = (site / "rules" / "us.pathway.351.md").read_text(encoding="utf-8")
    assert "**The HCT/P fails a criterion of 1271.10(a)**" in page
    assert "- `us.meets_361` is false" in page
    assert "Sets `us.pathway`" in page and "`us.351`" in page
    assert "[21 CFR 1271.20](https://www.ecfr.gov/" in page
    assert "in force: 2005-05-25 to today" in page
    assert "Overridden by (earlier cases of `us.pathway`): [`us.pathway.nonclinical`]" in page
    assert "Fed by (set a fact it reads): [`us.criteria.all_met`]" in page
    original = next(
        c for r in pathway.load_rulebase().rules for c in r.citations if c.original_title
    )
    rule = next(r for r in pathway.load_rulebase().rules if original in r.citations)
    assert original.original_title in (site / "rules" / f"{rule.id}.md").read_text(encoding="utf-8")


def test_superseding_rules_link_both_ways(site: Path) -> None:
    old = (site / "rules" / "us.note.enforcement_discretion.md").read_text(encoding="utf-8")
    new = (site / "rules" / "us.note.enforcement_discretion_ended.md").read_text(encoding="utf-8")
    assert "Superseded by [`us.note.enforcement_discretion_ended`]" in old
    assert "Supersedes [`us.note.enforcement_discretion`]" in new


def test_rule_pages_list_the_vectors_that_exercise_them(site: Path) -> None:
    data = read_yaml(VECTORS / "us" / "pathways.yaml")
    expecting_351 = [v["id"] for v in data["vectors"] if v["expect"].get("pathway") == "us.351"]
    assert expecting_351
    page = (site / "rules" / "us.pathway.351.md").read_text(encoding="utf-8")
    for vector_id in expecting_351:
        assert f"[`us/pathways:{vector_id}`](" in page, vector_id
    never = [
        p
        for p in (site / "rules").glob("*.md")
        if "No test vector exercises this rule." in p.read_text()
    ]
    assert len(never) < len(list((site / "rules").glob("*.md"))) / 2


def test_vectors_option(tmp_path: Path) -> None:
    vectors = tmp_path / "vectors"
    vectors.mkdir()
    (vectors / "one.yaml").write_text(
        "jurisdiction: us\nbase: {format: 1, name: organ}\nvectors:\n"
        "  - id: organ\n    description: an organ\n"
        "    product: {material: {form: vascularized_organ}}\n    expect: {pathway: us.not_hctp}\n",
        encoding="utf-8",
    )
    out, result = write_docs(tmp_path, "--vectors", str(vectors))
    assert result.exit_code == 0, result.output
    page = (out / "rules" / "us.pathway.not_hctp.md").read_text(encoding="utf-8")
    assert "[`one:organ`](" in page and "an organ" in page
    assert "No test vector exercises this rule." in (out / "rules" / "us.pathway.351.md").read_text(
        encoding="utf-8"
    )
    vector_links = [t for t in LINK.findall(page) if t.endswith("one.yaml")]
    assert vector_links and (out / "rules" / vector_links[0]).resolve() == vectors / "one.yaml"


def test_a_missing_vectors_directory_is_refused(tmp_path: Path) -> None:
    _, result = write_docs(tmp_path, "--vectors", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
