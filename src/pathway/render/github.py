"""``pathway check --format github``: GitHub Actions workflow commands (annotations).

A failed check is an ``::error``, an undetermined pathway that does not fail the check a
``::warning``; each names the product file and line, so the annotation shows on the diff. A
change ahead (``--horizon``) is a ``::warning``, an ``::error`` with ``--fail-on transition``.
"""

from __future__ import annotations

from ..analysis.check.models import CheckReport
from .check_text import summary_line


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, file: str, line: int | None, col: int | None, title: str, msg: str) -> str:
    props = [f"file={_property(file)}"]
    if line is not None:
        props.append(f"line={line}")
        if col is not None:
            props.append(f"col={col}")
    props.append(f"title={_property(title)}")
    return f"::{level} {','.join(props)}::{_data(msg)}"


def render(report: CheckReport) -> str:
    lines = []
    for r in report.results:
        if not (r.failed or r.status == "undetermined"):
            continue
        loc = r.location
        lines.append(
            _command(
                "error" if r.failed else "warning",
                r.file,
                loc.line if loc else None,
                loc.column if loc else None,
                f"pathway {r.jurisdiction}: {r.actual}"
                + (f" (expected {r.expected})" if r.expected else ""),
                f"{r.message} [rule {r.rule}]",
            )
        )
    for t in report.transitions or ():
        lines.append(
            _command(
                "error" if t.failed else "warning",
                t.file,
                t.location.line if t.location else None,
                t.location.column if t.location else None,
                f"pathway {t.jurisdiction}: a change on {t.date.isoformat()}",
                f"{t.title} [{', '.join(t.rules)}]",
            )
        )
    for e in report.errors:
        lines.append(
            _command(
                "error",
                e.file,
                e.line,
                e.column,
                "pathway: bad product file",
                (f"{e.field}: " if e.field else "") + e.message,
            )
        )
    lines.append(summary_line(report).replace("\n", " · "))
    return "\n".join(lines) + "\n"
