"""``pathway diff --format text``: per product and jurisdiction what moved, and why."""

from __future__ import annotations

from ..analysis.rulediff import ConclusionChange, DiffReport


def _value(value: object) -> str:
    return "undetermined" if value is None else str(value)


def change_lines(c: ConclusionChange) -> list[str]:
    tag = "MOVED" if c.pathway_changed else "changed"
    lines = [f"{tag:<8} {c.file}  {c.jurisdiction}  {c.product}"]
    if c.pathway_changed:
        lines.append(f"{'':9}pathway: {_value(c.pathway_from)} -> {_value(c.pathway_to)}")
    if c.classification_from != c.classification_to:
        lines.append(
            f"{'':9}classification: {_value(c.classification_from)} -> "
            f"{_value(c.classification_to)}"
        )
    if c.premarket_review_from != c.premarket_review_to:
        lines.append(
            f"{'':9}premarket review: {_value(c.premarket_review_from)} -> "
            f"{_value(c.premarket_review_to)}"
        )
    for label, items in (
        ("obligations added", c.obligations_added),
        ("obligations removed", c.obligations_removed),
        ("questions added", c.questions_added),
        ("questions removed", c.questions_removed),
    ):
        if items:
            lines.append(f"{'':9}{label}: {', '.join(items)}")
    lines.append(f"{'':9}because of: {', '.join(c.rules) or 'no rule change found'}")
    return lines


def render(report: DiffReport) -> str:
    lines = []
    for c in report.changes:
        lines.extend(change_lines(c))
    for e in report.errors:
        lines.append(f"{'ERROR':<8} {e.file} (rule base {e.rules}): {e.message}")
    moved = sum(c.pathway_changed for c in report.changes)
    products = len({c.file for c in report.changes})
    a, b = report.rules_from, report.rules_to
    if lines:
        lines.append("")
    lines.append(
        f"{report.products} products under rule base {a.version} ({a.source}, {a.sha256[:12]}) "
        f"and {b.version} ({b.source}, {b.sha256[:12]}) as of {report.as_of.isoformat()}: "
        f"{len(report.rules_changed)} rules changed; {products} products changed, {moved} "
        f"pathways moved, {len(report.errors)} errors"
    )
    return "\n".join(lines) + "\n"
