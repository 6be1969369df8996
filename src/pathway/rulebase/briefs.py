"""The structure a regulator publishes for a request (``kind: brief`` files in ``rules/briefs/``):
its sections in the regulator's order, what each asks for, where the regulator names it, and which
facts and parts of the assessment fill it. ``analysis/brief.py`` fills one in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .references import Citation, Source

Part = Literal["proposal", "obligations", "options", "notes"]


@dataclass(frozen=True)
class BriefSection:
    id: str
    title: str
    asks: str
    citations: tuple[Citation, ...]
    facts: tuple[str, ...] = ()
    show: tuple[Part, ...] = ()
    when: tuple[str, ...] = ()  # pathway or classification ids; empty: always
    fill: tuple[str, ...] = ()  # what only the sponsor can write


@dataclass(frozen=True)
class BriefTemplate:
    id: str
    jurisdiction: str
    title: str
    regulator: str
    purpose: str
    submit: str
    citations: tuple[Citation, ...]
    sections: tuple[BriefSection, ...]
    source: Source
