"""``pathway questions --format text``: the open pathways, then the questions, the most decisive
first, each with the jurisdictions it would settle."""

from __future__ import annotations

from ..analysis.ranking import QuestionsReport
from ..text import word as _word


def render(report: QuestionsReport) -> str:
    lines = [report.product, f"  file: {report.file} · as of {report.as_of.isoformat()}", ""]
    for code, pathway in report.pathways.items():
        lines.append(f"  {code.upper()}  {pathway or 'undetermined'}")
    lines.append("")
    if not report.questions:
        lines.append("  Every pathway and classification is determined: nothing to ask.")
    for i, q in enumerate(report.questions, 1):
        answers = f" [{', '.join(_word(a) for a in q.answers)}]" if q.answers else ""
        lines.append(f"  {i}. {q.question}{answers}")
        settles = (
            f"settles {', '.join(c.upper() for c in q.settles)} whatever the answer"
            if q.settles
            else (
                f"may settle {', '.join(c.upper() for c in q.may_settle)}"
                if q.may_settle
                else "narrows the question"
            )
        )
        lines.append(
            f"     ({q.fact}; for {', '.join(c.upper() for c in q.jurisdictions)}; {settles})"
        )
        if q.note:
            lines.append(f"     note: {q.note}")
    return "\n".join(lines) + "\n"
