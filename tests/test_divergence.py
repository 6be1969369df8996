"""Divergences (``rules/concepts.yaml``): where the jurisdictions' own tests of one question part
for a product, each side with what decided it; never counted from an open side or from a
jurisdiction that has no such test."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import pathway
from pathway.assessment.assessor import Assessor
from pathway.cli import cli

from .conftest import AS_OF, EXAMPLES


def assess(
    engine: Assessor, name: str, jurisdictions: list[str] | None = None
) -> pathway.Assessment:
    return engine.assess(EXAMPLES / f"{name}.yaml", jurisdictions, AS_OF)


def test_prp_in_a_joint_parts_on_manipulation(engine: Assessor) -> None:
    """Centrifuged PRP: minimally manipulated in the US, not substantially manipulated in the EU,
    but processing (加工) under Japan's ASRM."""
    a = assess(engine, "prp-knee")
    (d,) = [d for d in a.divergences if d.concept == "manipulation"]
    sides = {s.jurisdiction: s for s in d.sides}
    assert (sides["us"].value, sides["us"].heavier) == (True, False)
    assert (sides["eu"].value, sides["eu"].heavier) == (False, False)
    assert (sides["jp"].value, sides["jp"].heavier) == (False, True)
    assert sides["cn"].fact is None and sides["cn"].heavier is None and sides["cn"].citations
    assert sides["us"].fact == "us.minimally_manipulated" and sides["us"].rules


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_every_divergence_is_decided_and_cited(engine: Assessor, name: str) -> None:
    a = assess(engine, name)
    for d in a.divergences:
        assert {s.heavier for s in d.sides} >= {True, False}, d.concept
        for side in d.sides:
            assert side.jurisdiction in a.jurisdictions
            assert side.says
            if side.heavier is not None:
                assert side.rules and side.citations, (d.concept, side.jurisdiction)
                found = {
                    f.value for f in a.jurisdictions[side.jurisdiction].findings
                    if f.fact == side.fact
                }  # fmt: skip
                assert found == {side.value}
            elif side.fact is None:
                assert side.citations


def test_one_jurisdiction_has_no_divergence(engine: Assessor) -> None:
    assert assess(engine, "prp-knee", ["jp"]).divergences == []
    assert assess(engine, "prp-knee", ["us", "eu"]).divergences == []


def test_an_open_side_is_not_a_divergence(engine: Assessor) -> None:
    """With the processing unknown, the US and EU manipulation facts are open: PRP in Japan alone
    on the heavier side is no divergence."""
    loaded = pathway.load_product(EXAMPLES / "prp-knee.yaml")
    product = loaded.product.model_copy(update={"processing": "unknown"})
    a = engine.assess(product, ["us", "jp"], AS_OF)
    us = a.jurisdictions["us"]
    assert not any(f.fact == "us.minimally_manipulated" for f in us.findings)
    assert not [d for d in a.divergences if d.concept == "manipulation"]


def test_text_markdown_and_json_show_them() -> None:
    file = str(EXAMPLES / "prp-knee.yaml")
    runner = CliRunner()
    day = ["--as-of", AS_OF.isoformat()]
    text = runner.invoke(cli, ["assess", file, *day]).output
    assert "WHERE THE JURISDICTIONS PART" in text and "heavier" in text
    markdown = runner.invoke(cli, ["assess", file, "--format", "markdown", *day]).output
    assert "## Where the jurisdictions part" in markdown
    assert "| JP | heavier |" in markdown
    data = json.loads(runner.invoke(cli, ["assess", file, "--format", "json", *day]).output)
    assert [d["concept"] for d in data["divergences"]] == ["manipulation"]
