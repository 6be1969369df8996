"""JSON output: one assessment object per product, a list for several (contract section 2)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..contract.assessment import Assessment


def to_data(assessment: Assessment) -> dict[str, object]:
    return assessment.model_dump(mode="json")


def piece(assessment: Assessment) -> str:
    """One assessment as indented JSON (without the final newline)."""
    return json.dumps(to_data(assessment), indent=2, ensure_ascii=False)


def render(assessments: Sequence[Assessment]) -> str:
    """One assessment as a JSON object, several as a list (what ``pathway assess`` writes)."""
    data: object = [to_data(a) for a in assessments]
    if len(assessments) == 1:
        data = to_data(assessments[0])
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
