"""Every output format, chosen here and nowhere else: each renderer turns a typed report into text.

``assessment`` renders one product's assessment in a format of ``pathway assess``; ``joined``
puts several products' pieces together as that format requires (a JSON list, JSON Lines, text
blocks separated by a blank line). ``check``, ``questions`` and ``what_if`` render the other
commands' reports. Renderers are imported when a format is used, not before.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator
from typing import Any

ASSESSMENT_FORMATS = ("text", "json", "jsonl", "markdown")
CHECK_FORMATS = ("text", "json", "sarif", "junit", "github")
REPORT_FORMATS = ("text", "json")


def model_json(model: Any) -> str:
    """A pydantic report as indented JSON (the ``json`` format of every command but assess)."""
    return str(model.model_dump_json(indent=2)) + "\n"


def assessment(fmt: str, assessment: Any, *, color: bool = False, explain: bool = False) -> str:
    """One product's assessment in ``fmt`` (a piece, before ``joined`` frames it)."""
    if fmt == "json":
        from . import json as json_format

        return json_format.piece(assessment)
    if fmt == "jsonl":
        return str(assessment.model_dump_json())
    if fmt == "markdown":
        from . import markdown

        return markdown.render([assessment])
    if fmt == "text":
        from . import text

        return text.render([assessment], color=color, explain=explain)
    raise ValueError(f"unknown assessment format {fmt!r}")


def joined(fmt: str, pieces: Iterable[str], single: bool) -> Iterator[str]:
    """The pieces of several products as one output of ``fmt``, written as they come."""
    written = 0
    for piece in pieces:
        if fmt == "jsonl":
            yield f"{piece}\n"
        elif fmt == "json" and single:
            yield piece + "\n"
        elif fmt == "json":
            yield ("[\n" if written == 0 else ",\n") + textwrap.indent(piece, "  ")
        else:
            yield ("\n" if written else "") + piece
        written += 1
    if fmt == "json" and not single:
        yield "\n]\n" if written else "[]\n"


def check(fmt: str, report: Any, *, color: bool = False) -> str:
    """A ``pathway check`` report in ``fmt``."""
    if fmt == "json":
        return model_json(report)
    if fmt == "sarif":
        from . import sarif

        return sarif.render(report)
    if fmt == "junit":
        from . import junit

        return junit.render(report)
    if fmt == "github":
        from . import github

        return github.render(report)
    if fmt == "text":
        from . import check_text

        return check_text.render(report, color=color)
    raise ValueError(f"unknown check format {fmt!r}")


def questions(fmt: str, report: Any) -> str:
    """A ``pathway questions`` report in ``fmt``."""
    if fmt == "json":
        return model_json(report)
    from . import questions_text

    return questions_text.render(report)


def diff(fmt: str, report: Any) -> str:
    """A ``pathway diff`` report in ``fmt``."""
    if fmt == "json":
        return model_json(report)
    from . import diff_text

    return diff_text.render(report)


def what_if(fmt: str, report: Any) -> str:
    """A ``pathway what-if`` report in ``fmt``."""
    if fmt == "json":
        return model_json(report)
    from . import whatif_text

    return whatif_text.render(report)
