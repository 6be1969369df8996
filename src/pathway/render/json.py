"""JSON output: one assessment object per product, a list for several (contract section 2)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..assessment import Assessment


def to_data(assessment: Assessment) -> dict[str, object]:
    return assessment.model_dump(mode="json")


def render(assessments: Sequence[Assessment]) -> str:
    data: object = [to_data(a) for a in assessments]
    if len(assessments) == 1:
        data = to_data(assessments[0])
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
