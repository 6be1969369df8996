"""The one-line message of a check result."""

from __future__ import annotations

from ...contract.assessment import FactUse, JurisdictionResult
from .models import Status


def message(
    code: str,
    status: Status,
    expected: str | None,
    source: str | None,
    actual: str,
    title: str,
    deciding: list[FactUse],
    would_match: list[str],
    result: JurisdictionResult,
) -> str:
    label = code.upper()
    if status == "pass":
        return f"{label} pathway is {actual}, as expected"
    if status == "fail":
        text = f"{label} pathway is {actual}, expected {expected} ({source})"
    elif status == "undetermined":
        text = f"{label} pathway is undetermined and no expectation is recorded"
    else:
        text = f"{label} pathway is {actual} and no expectation is recorded"
    if result.pathway is not None:
        text += f": {title.rstrip('.')}"
        facts = [u.describe(brief=True) for u in deciding[:4]]
        if facts:
            text += f" ({'; '.join(facts)})"
    elif result.questions:
        text += f"; open: {', '.join(q.fact for q in result.questions[:4])}"
    if would_match:
        text += f". It would be {expected} if {would_match[0]}"
        if len(would_match) > 1:
            text += f" (or {len(would_match) - 1} other single change(s))"
    return text
