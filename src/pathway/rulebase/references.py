"""References: a legal source (``Citation``), the days a rule or value is in force (``Effective``),
and a place in the rule files (``Source``)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ..contract.assessment import CitationOut

Basis = Literal["primary", "secondary", "unverified"]


@dataclass(frozen=True)
class Citation:
    ref: str
    url: str
    title: str | None = None
    basis: Basis = "primary"
    note: str | None = None
    original_title: str | None = None

    def out(self) -> CitationOut:
        """The citation as the assessment shows it (made once: output models are frozen)."""
        made = self.__dict__.get("_out")
        if made is None:
            made = CitationOut(
                ref=self.ref,
                url=self.url,
                title=self.title,
                original_title=self.original_title,
                basis=self.basis,
            )
            object.__setattr__(self, "_out", made)
        return made


def cite_all(citations: Iterable[Citation | CitationOut]) -> list[CitationOut]:
    """Citations as the assessment shows them, each (reference, URL) once, in order (rule-base
    citations, or the citations of several findings merged)."""
    out: dict[tuple[str, str], CitationOut] = {}
    for c in citations:
        if (c.ref, c.url) not in out:
            out[(c.ref, c.url)] = c.out() if isinstance(c, Citation) else c
    return list(out.values())


@dataclass(frozen=True)
class Effective:
    start: _dt.date
    end: _dt.date | None = None  # last day in force (inclusive)

    def covers(self, day: _dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat() if self.end else 'today'}"


@dataclass(frozen=True)
class Source:
    """Where something was defined: for messages and for `pathway rules show`."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file
