"""Rule-base impact (``pathway diff``): a planted rule change moves exactly the products it
should, names the rule responsible, and sets the exit code; a git revision can be given."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import pathway
from pathway.cli import cli

from .conftest import AS_OF, EXAMPLES

CORPUS = [
    str(EXAMPLES / name)
    for name in ("jp-akuugo-conditional.yaml", "svf-knee.yaml", "prp-knee.yaml")
]
CONDITIONAL = """        value: jp.pmd.conditional
        citations: ["PMD Act Art 23-26(1)"]"""


def run(*args: str) -> tuple[str, int]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.output, result.exit_code


def diff(before: Path | str, after: Path | str, *extra: str) -> tuple[dict[str, Any], int]:
    output, code = run(
        "diff", *CORPUS, "--rules-from", str(before), "--rules-to", str(after),
        "--as-of", AS_OF.isoformat(), "--format", "json", *extra,
    )  # fmt: skip
    return json.loads(output), code


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two copies of the shipped rule base; in the second, Japan's conditional approval case
    concludes full approval instead."""
    root = tmp_path_factory.mktemp("rulebases")
    before, after = root / "before", root / "after"
    shutil.copytree(pathway.default_rules_dir(), before)
    shutil.copytree(pathway.default_rules_dir(), after)
    target = after / "jp" / "pathway.yaml"
    text = target.read_text(encoding="utf-8")
    assert text.count(CONDITIONAL) == 1
    target.write_text(
        text.replace(CONDITIONAL, CONDITIONAL.replace("jp.pmd.conditional", "jp.pmd.approval")),
        encoding="utf-8",
    )
    return before, after


def test_the_same_rule_base_moves_nothing(planted: tuple[Path, Path]) -> None:
    before, _ = planted
    report, code = diff(before, before)
    assert code == 0 and report["changes"] == [] and report["rules_changed"] == []
    assert report["products"] == len(CORPUS)


def test_a_planted_change_moves_the_one_product_it_concerns(planted: tuple[Path, Path]) -> None:
    report, code = diff(*planted)
    assert code == 1
    assert report["rules_changed"] == ["jp.pathway.pmd_conditional"]
    (change,) = report["changes"]
    assert change["file"].endswith("jp-akuugo-conditional.yaml")
    assert change["jurisdiction"] == "jp" and change["pathway_changed"] is True
    assert (change["pathway_from"], change["pathway_to"]) == (
        "jp.pmd.conditional",
        "jp.pmd.approval",
    )
    assert change["rules"] == ["jp.pathway.pmd_conditional"]
    assert "jp.obl.pmd.reapply" in change["obligations_removed"]


def test_text_names_what_moved_and_why(planted: tuple[Path, Path]) -> None:
    before, after = planted
    output, code = run(
        "diff", *CORPUS, "--rules-from", str(before), "--rules-to", str(after),
        "--as-of", AS_OF.isoformat(),
    )  # fmt: skip
    assert code == 1
    assert "MOVED" in output and "jp.pmd.conditional -> jp.pmd.approval" in output
    assert "because of: jp.pathway.pmd_conditional" in output
    assert "1 products changed, 1 pathways moved" in output


def test_an_unreadable_product_is_exit_2(planted: tuple[Path, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nmaterial: {origin: martian}\n", encoding="utf-8")
    before, after = planted
    output, code = run("diff", str(bad), "--rules-from", str(before), "--rules-to", str(after))
    assert code == 2 and "bad.yaml" in output


def test_a_git_revision_is_a_rule_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--rules-from REV`` reads ``rules/`` as it was at REV in the repository here."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to test git revisions (it is on every CI machine here)")
    repo = tmp_path / "repo"
    shutil.copytree(pathway.default_rules_dir(), repo / "rules")

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "rules")
    git("commit", "-qm", "rules")
    target = repo / "rules" / "jp" / "pathway.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(
        text.replace(CONDITIONAL, CONDITIONAL.replace("jp.pmd.conditional", "jp.pmd.approval")),
        encoding="utf-8",
    )
    monkeypatch.chdir(repo)
    report, code = diff("HEAD", repo / "rules")
    assert code == 1 and report["rules_from"]["source"] == "HEAD"
    assert [c["jurisdiction"] for c in report["changes"]] == ["jp"]
    report, code = diff("HEAD:rules", "HEAD")
    assert code == 0 and report["changes"] == []
    output, code = run("diff", *CORPUS, "--rules-from", "no-such-revision")
    assert code == 2 and "--rules-from" in output


def test_a_mistyped_jurisdiction_or_an_option_as_revision_is_refused(
    planted: tuple[Path, Path], tmp_path: Path
) -> None:
    before, after = planted
    output, code = run(
        "diff", *CORPUS, "--rules-from", str(before), "--rules-to", str(after), "-j", "uss"
    )
    assert code == 2 and "uss" in output
    target = tmp_path / "written-by-git.tar"
    output, code = run("diff", *CORPUS, f"--rules-from=--output={target}")
    assert code == 2 and not target.exists()
