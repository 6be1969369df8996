"""Looking ahead (``--horizon``): the changes of the law and the deadlines that change a product's
pathway, classification or obligations between the day assessed and the horizon."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

import pathway
from pathway.analysis.horizon import _state, transitions
from pathway.cli import cli

from .conftest import AS_OF, EXAMPLES

SOHO = dt.date(2027, 8, 7)  # Regulation (EU) 2024/1938 applies (Art 93)
FAT = str(EXAMPLES / "autologous-fat-graft.yaml")  # an EU tissue product
AKUUGO = str(EXAMPLES / "jp-akuugo-conditional.yaml")  # a conditional, time-limited approval


def run(*args: str) -> tuple[str, int]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.output, result.exit_code


def assessed(product: str, horizon: dt.date, *extra: str) -> dict[str, Any]:
    output, code = run(
        "assess", product, "--format", "json", "--as-of", AS_OF.isoformat(),
        "--horizon", horizon.isoformat(), *extra,
    )  # fmt: skip
    assert code == 0, output
    data: dict[str, Any] = json.loads(output)
    return data


def test_the_soho_switch_is_found_for_an_eu_tissue_product() -> None:
    data = assessed(FAT, dt.date(2028, 12, 31), "-j", "eu")
    assert data["horizon"] == "2028-12-31"
    (change,) = data["transitions"]
    assert change["date"] == SOHO.isoformat() and change["jurisdiction"] == "eu"
    assert change["kind"] == "law"
    assert "eu.obl.tissues.soho" in change["obligations_added"]
    assert "eu.obl.tissues.soho" in change["rules"]
    assert any("2024/1938" in c["ref"] for c in change["citations"])
    assert all(c["url"].startswith("https://") for c in change["citations"])


def test_the_horizon_is_inclusive_and_the_day_assessed_is_not() -> None:
    assert assessed(FAT, SOHO - dt.timedelta(days=1), "-j", "eu")["transitions"] == []
    assert [t["date"] for t in assessed(FAT, SOHO, "-j", "eu")["transitions"]] == ["2027-08-07"]
    output, code = run("assess", FAT, "--as-of", "2027-08-07", "--horizon", "2027-08-07")
    assert code == 2 and "--horizon" in output


def test_a_conditional_approval_s_time_limit_is_a_deadline() -> None:
    data = assessed(AKUUGO, dt.date(2032, 12, 31), "-j", "jp")
    (deadline,) = data["transitions"]
    assert deadline["kind"] == "deadline" and deadline["jurisdiction"] == "jp"
    assert deadline["rules"] == ["jp.obl.pmd.reapply"]
    due = next(
        o["due"]
        for o in data["jurisdictions"]["jp"]["obligations"]
        if o["id"] == "jp.obl.pmd.reapply"
    )
    assert deadline["date"] == due
    before = dt.date.fromisoformat(due) - dt.timedelta(days=1)
    assert assessed(AKUUGO, before, "-j", "jp")["transitions"] == []


def test_without_a_horizon_the_output_is_as_before() -> None:
    output, code = run("assess", FAT, "--format", "json", "--as-of", AS_OF.isoformat())
    assert code == 0
    data = json.loads(output)
    assert "horizon" not in data and "transitions" not in data


@pytest.mark.parametrize("example", ["autologous-fat-graft", "jp-akuugo-conditional", "svf-knee"])
def test_each_law_change_is_what_assessing_on_either_side_gives(example: str) -> None:
    """A law transition's before and after are the assessments of the day before and the day
    itself; nothing changes on a day no transition names."""
    path = EXAMPLES / f"{example}.yaml"
    assessor = pathway.default_assessor()
    loaded = assessor.load(path)
    horizon = dt.date(2032, 12, 31)
    found = transitions(assessor, loaded, assessor.assess(loaded, as_of=AS_OF), horizon)
    assert [t.date for t in found] == sorted(t.date for t in found)
    assert all(AS_OF < t.date <= horizon for t in found)
    for t in found:
        if t.kind != "law":
            continue
        before = assessor.assess(loaded, [t.jurisdiction], t.date - dt.timedelta(days=1))
        after = assessor.assess(loaded, [t.jurisdiction], t.date)
        assert before.jurisdictions[t.jurisdiction].pathway == t.pathway_before
        assert after.jurisdictions[t.jurisdiction].pathway == t.pathway_after
        assert after.jurisdictions[t.jurisdiction].classification == t.classification_after
    changed = {(t.date, t.jurisdiction) for t in found if t.kind == "law"}
    rb = assessor.rulebase
    for day in (d for d in rb.boundaries() if AS_OF < d <= horizon):
        for code in loaded.product.jurisdictions or rb.jurisdictions:
            if (day, code) in changed:
                continue
            a = assessor.assess(loaded, [code], day - dt.timedelta(days=1)).jurisdictions[code]
            b = assessor.assess(loaded, [code], day).jurisdictions[code]
            assert _state(a) == _state(b), (day, code)


def test_text_and_markdown_show_what_is_ahead() -> None:
    args = ("--as-of", AS_OF.isoformat(), "--horizon", "2028-01-01", "-j", "eu")
    text, _ = run("assess", FAT, *args)
    assert "AHEAD  from 2026-11-25 to 2028-01-01" in text and "2027-08-07" in text
    markdown, _ = run("assess", FAT, *args, "--format", "markdown")
    assert "## Ahead: 2026-11-25 to 2028-01-01" in markdown
    assert "| 2027-08-07 | EU |" in markdown and "](https://" in markdown
    quiet, _ = run("assess", FAT, "--as-of", AS_OF.isoformat(), "--horizon", "2027-01-01")
    assert "nothing in the rule base changes this product" in quiet


def check(*extra: str) -> tuple[str, int]:
    return run("check", FAT, "--as-of", AS_OF.isoformat(), *extra)


def test_check_fails_on_a_transition_within_the_horizon_only_when_asked() -> None:
    output, code = check("--horizon", "2028-01-01")
    assert code == 0 and "transition   " in output and "1 change ahead" in output
    output, code = check("--horizon", "2028-01-01", "--fail-on", "transition")
    assert code == 1 and "TRANSITION" in output
    output, code = check("--horizon", "2027-08-06", "--fail-on", "transition")
    assert code == 0 and "0 changes ahead" in output
    output, code = check("--fail-on", "transition")
    assert code == 2 and "--horizon" in output


def test_check_reports_transitions_in_every_format(tmp_path: Path) -> None:
    ahead = ("--horizon", "2028-01-01", "-j", "eu")
    sarif = json.loads(check(*ahead, "--format", "sarif")[0])
    (result,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "pathway.transition"]
    assert result["level"] == "warning" and result["properties"]["date"] == "2027-08-07"
    failing = json.loads(check(*ahead, "--fail-on", "transition", "--format", "sarif")[0])
    levels = [r["level"] for r in failing["runs"][0]["results"]]
    assert "error" in levels
    github, _ = check(*ahead, "--format", "github")
    assert "::warning file=" in github and "a change on 2027-08-07" in github
    junit, _ = check(*ahead, "--fail-on", "transition", "--format", "junit")
    assert 'name="pathway transitions"' in junit and 'type="pathway.transition"' in junit
    report = json.loads(check(*ahead, "--format", "json")[0])
    assert report["summary"]["transitions"] == 1 and report["transitions"][0]["file"] == FAT
    plain = json.loads(check("--format", "json")[0])
    assert "transitions" not in plain and "transitions" not in plain["summary"]


def test_the_library_looks_ahead() -> None:
    a = pathway.look_ahead(FAT, dt.date(2028, 1, 1), ["eu"], AS_OF)
    assert a.transitions is not None and [t.date for t in a.transitions] == [SOHO]
    with pytest.raises(ValueError):
        pathway.look_ahead(FAT, AS_OF, ["eu"], AS_OF)


def test_an_assessment_with_transitions_meets_the_exported_schema() -> None:
    schema = json.loads(run("schema", "assessment")[0])
    jsonschema.validate(assessed(AKUUGO, dt.date(2032, 12, 31)), schema)


def test_an_expiring_determination_is_a_change_ahead(tmp_path: Path) -> None:
    """A Tissue Reference Group recommendation recorded until a day: the day after, the US
    pathway goes back to what the rules give without it."""
    product = tmp_path / "svf.yaml"
    text = (EXAMPLES / "svf-knee.yaml").read_text(encoding="utf-8")
    product.write_text(
        text
        + "determinations:\n"
        + "  - fact: us.minimally_manipulated\n"
        + "    value: true\n"
        + "    reason: planted for the test\n"
        + "    authority: fda_trg\n"
        + "    expires: 2027-03-31\n"
        + "  - fact: us.homologous_use\n"
        + "    value: true\n"
        + "    reason: planted for the test\n"
        + "    authority: fda_trg\n"
        + "    expires: 2027-03-31\n",
        encoding="utf-8",
    )
    data = assessed(str(product), dt.date(2027, 12, 31), "-j", "us")
    (change,) = data["transitions"]
    assert change["kind"] == "determination" and change["date"] == "2027-04-01"
    assert change["rules"] == [
        "determination us.minimally_manipulated",
        "determination us.homologous_use",
    ]
    assert (change["pathway_before"], change["pathway_after"]) == ("us.361", "us.351")
