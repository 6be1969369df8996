"""Which line a failed check points at, computed rather than guessed: the single changes that
give the expected pathway back, ranked (``flip_rank``), the facts the pathway rests on
(``deciding_uses``), and the location chosen among them (``point_at``)."""

from __future__ import annotations

from ...assessment.locate import Locator
from ...contract.assessment import FactUse, JurisdictionResult, SourceLocation
from ..whatif import Flip


def deciding_uses(result: JurisdictionResult, pathway_fact: str) -> list[FactUse]:
    """The product facts behind the pathway: the inputs of the findings that support it,
    followed down through derived facts (the pathway's own finding first)."""
    by_fact: dict[str, list[FactUse]] = {}
    for finding in result.findings:
        by_fact.setdefault(finding.fact, []).extend(finding.uses)
    out: list[FactUse] = []
    seen: set[str] = set()

    def visit(fact: str) -> None:
        if fact in seen:
            return
        seen.add(fact)
        for use in by_fact.get(fact, []):
            if use.origin == "derived":
                visit(use.fact)
            elif use not in out:
                out.append(use)

    visit(pathway_fact)
    return out


def flip_rank(
    flip: Flip,
    mends_all: bool,
    elsewhere: int,
    changed: dict[str, SourceLocation | None],
    deciding: list[FactUse],
    locator: Locator,
) -> tuple[bool, bool, bool, bool, int, int, int]:
    """Which single change most likely undoes what broke the check, best first:

    0. it changes a fact that changed since the previous version (when one is known);
    1. it changes a fact the current pathway rests on (a value it used, or an item it used),
       rather than adding something the rules did not need, and one the file writes (not a
       default the contract supplies);
    2. with it, every other expectation of the product holds too;
    3. it alters the fewest derived facts, here and in the product's other jurisdictions (the
       most local explanation);
    4. the fact comes earliest in the reasoning, then in the file.
    """
    change = flip.change
    used = [(u.input or u.fact, u.term) for u in deciding]
    fields = [f for f, _ in used]
    if change.op == "remove":
        in_chain = (change.field, change.item) in used or change.field in fields
    else:
        in_chain = change.op == "set" and change.field in fields
    position = fields.index(change.field) if change.field in fields else len(fields)
    location = flip_location(flip, locator)
    line = location.line or 0 if location else 0
    written = locator.written(change.field)
    return (
        change.field not in changed,
        not in_chain,
        not written,
        not mends_all,
        flip.effect + elsewhere,
        position,
        line,
    )


def flip_location(flip: Flip, locator: Locator) -> SourceLocation | None:
    change = flip.change
    if change.op == "remove":
        return locator.item(change.field, change.item)
    return locator.field(change.field)


def point_at(
    locator: Locator,
    code: str,
    result: JurisdictionResult,
    source: str | None,
    flips: list[Flip],
    changed: dict[str, SourceLocation | None],
    deciding: list[FactUse],
) -> SourceLocation | None:
    """The line a failed check points at, best first: the fact whose single change gives
    the expected pathway back; else a fact that changed since the previous version (git or
    baseline) and that the result rests on; the fact of the first open question; the
    ``expect`` entry; a deciding fact; the top of the file."""
    if flips:
        change = flips[0].change
        if change.field in changed and changed[change.field] is not None:
            return changed[change.field]
        return flip_location(flips[0], locator)
    relevant = [u.input or u.fact for u in deciding] + [q.fact for q in result.questions]
    for field in relevant:
        if changed.get(field) is not None:
            return changed[field]
    if result.pathway is None and result.questions:
        first = result.questions[0].fact
        if locator.written(first):
            return locator.field(first)
    if source == "expect":
        return locator.expectation(code)
    return next((u.location for u in deciding if u.location), None) or locator.key(())
