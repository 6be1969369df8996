"""CHANGELOG.md against the code and the rule base: its newest entry names this version of pathway
and of the rule base, and its list of changed conclusions is exactly what ``pathway diff``
finds on the shipped examples between the previous rule-base release (the newest commit whose
``rules/rulebase.yaml`` has the previous entry's version) and the rule base here."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from click.testing import CliRunner

import pathway
from pathway.cli import cli

from .conftest import AS_OF, EXAMPLES, ROOT

HEADING = re.compile(r"^## (\S+) — rule base (\S+)$", re.MULTILINE)
CHANGE = re.compile(r"`(examples/[^`]+\.yaml)` \(?([a-z]{2})\b")


def entries() -> list[tuple[str, str, str]]:
    """(pathway version, rule-base version, text) of each entry, newest first."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    found = list(HEADING.finditer(text))
    return [
        (
            m.group(1),
            m.group(2),
            text[m.end() : found[i + 1].start() if i + 1 < len(found) else None],
        )
        for i, m in enumerate(found)
    ]


def changed_conclusions(body: str) -> set[tuple[str, str]]:
    """The (product file, jurisdiction) pairs the entry's 'Changed conclusions' lists."""
    match = re.search(
        r"^### Changed conclusions\n(.*?)(?=^### |\Z)", body, re.MULTILINE | re.DOTALL
    )
    assert match, "the entry of a rule-base release needs a '### Changed conclusions' section"
    return set(CHANGE.findall(match.group(1)))


def test_the_newest_entry_is_this_release() -> None:
    version, rules, _ = entries()[0]
    assert version == pathway.__version__
    assert rules == pathway.load_rulebase().version


def revision_of(version: str) -> str | None:
    """The newest commit whose rules/rulebase.yaml has ``version`` (None outside a git clone
    with that history)."""
    try:
        log = subprocess.run(
            ["git", "-C", str(ROOT), "log", "--format=%H", "--", "rules/rulebase.yaml"],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return None
    for commit in log:
        shown = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{commit}:rules/rulebase.yaml"],
            capture_output=True, text=True,
        ).stdout  # fmt: skip
        if re.search(rf"^version: {re.escape(version)}$", shown, re.MULTILINE):
            return commit
    return None


@pytest.mark.slow
def test_the_changelog_lists_what_the_rule_base_release_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    listed = entries()
    _, current, body = listed[0]
    previous = next((rules for _, rules, _ in listed if rules != current), None)
    assert previous, "no earlier rule-base release in CHANGELOG.md"
    revision = revision_of(previous)
    if revision is None:
        pytest.skip(f"no git history with rule base {previous} here (not a full clone)")
    monkeypatch.chdir(ROOT)
    files = sorted(f"examples/{p.name}" for p in EXAMPLES.glob("*.yaml"))
    result = CliRunner().invoke(
        cli,
        [
            "diff",
            *files,
            "--rules-from",
            revision,
            "--as-of",
            AS_OF.isoformat(),
            "--format",
            "json",
        ],
    )
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.output)
    assert report["rules_from"]["version"] == previous and not report["errors"]
    found = {(c["file"], c["jurisdiction"]) for c in report["changes"]}
    assert found == changed_conclusions(body), (
        f"pathway diff against rule base {previous} ({revision[:12]}) finds {sorted(found)}; "
        f"CHANGELOG.md lists {sorted(changed_conclusions(body))}"
    )


def test_a_listed_change_is_read() -> None:
    body = "### Changed conclusions\n- `examples/jp-akuugo-conditional.yaml` (jp): x → y\n"
    assert changed_conclusions(body) == {("examples/jp-akuugo-conditional.yaml", "jp")}
    assert changed_conclusions("### Changed conclusions\nNone.\n### Engine\n") == set()
