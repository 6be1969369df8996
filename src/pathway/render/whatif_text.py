"""``pathway what-if --format text``: pathways before and after, and the single changes that
would change each pathway (changes of one field that lead to the same pathway on one line)."""

from __future__ import annotations

from ..analysis.whatif import FlipOut, WhatIfReport
from ..text import word as _word

SHOWN_VALUES = 6


def _pathway(value: str | None) -> str:
    return value or "undetermined"


def grouped(flips: list[FlipOut]) -> list[tuple[str, str | None]]:
    """(words, pathway after) with changes of one field to the same pathway merged."""
    groups: dict[tuple[str, str, str | None], list[FlipOut]] = {}
    for f in flips:
        groups.setdefault((f.change.field, f.change.op, f.after), []).append(f)
    out = []
    for (field, op, after), items in groups.items():
        if len(items) == 1:
            out.append((items[0].change.text, after))
            continue
        values = [_word(i.change.item if op != "set" else i.change.value) for i in items]
        shown = ", ".join(values[:SHOWN_VALUES]) + (
            f" (or {len(values) - SHOWN_VALUES} more)" if len(values) > SHOWN_VALUES else ""
        )
        verb = {"set": "were one of", "add": "also included one of", "remove": "lacked one of"}[op]
        out.append((f"{field} {verb}: {shown}", after))
    return out


def render(report: WhatIfReport) -> str:
    lines = [report.product, f"  file: {report.file} · as of {report.as_of.isoformat()}", ""]
    if report.changes:
        lines.append("  if " + "; and ".join(c.text for c in report.changes) + ":")
        for code, c in report.jurisdictions.items():
            mark = "  (changes)" if c.changed else ""
            lines.append(
                f"    {code.upper()}  {_pathway(c.before.pathway)} -> {_pathway(c.after.pathway)}{mark}"
            )
        lines.append("")
    for code, flips in report.flips.items():
        now = report.jurisdictions[code].after.pathway if code in report.jurisdictions else None
        head = flips[0].before if flips else now
        lines.append(f"  {code.upper()} (now {_pathway(head)}): the pathway would change if")
        if not flips:
            lines.append("    (no single change to a fact the rules read changes it)")
        for words, after in grouped(flips):
            lines.append(f"    - {words}: {_pathway(after)}")
        lines.append("")
    return "\n".join(lines)
