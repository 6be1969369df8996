"""The full JSON assessment of a handful of examples is byte-identical to its golden file
(``tests/golden/``; regenerate with ``.venv/bin/python -m tests.golden`` and review the diff)."""

from __future__ import annotations

import difflib

import pytest

from .golden import EXAMPLES, GOLDEN, assessment_json


@pytest.mark.parametrize("name", EXAMPLES)
def test_assessment_is_byte_identical_to_its_golden_file(name: str) -> None:
    want = (GOLDEN / f"{name}.json").read_text(encoding="utf-8")
    got = assessment_json(name)
    if got != want:
        diff = "".join(
            list(
                difflib.unified_diff(
                    want.splitlines(True), got.splitlines(True), "golden", "now", n=2
                )
            )[:80]
        )
        pytest.fail(
            f"the assessment of examples/{name}.yaml changed; if that is meant, run "
            f"`.venv/bin/python -m tests.golden` and review the diff:\n{diff}"
        )
