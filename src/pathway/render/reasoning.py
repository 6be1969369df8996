"""The chain of rules behind a jurisdiction's pathway, as a tree a reviewer can audit.

The root is the finding that concluded the pathway (or, while it is undetermined, every finding
nothing else rests on). Each finding's children are the facts its rule tested: a derived fact
expands into the findings that concluded it; a product fact, a contract default, a vocabulary
term or an expert determination is a leaf with its value and where it came from. A fact already
expanded elsewhere in the tree is shown once more as a reference, not expanded again.

Built from the ``Assessment`` alone (``findings`` and their ``uses``), so every renderer (text,
markdown) and every consumer of the JSON can draw the same tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..contract.assessment import FactUse, Finding, JurisdictionResult


@dataclass
class Step:
    """A node: a finding (with the steps behind it) or a leaf fact use."""

    finding: Finding | None = None
    use: FactUse | None = None
    children: list[Step] = field(default_factory=list)
    repeated: bool = False  # a finding already shown above


def tree(result: JurisdictionResult) -> list[Step]:
    """The reasoning behind ``result``: one root for a determined pathway, else one per finding
    that no other finding uses."""
    by_fact: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_fact.setdefault(finding.fact, []).append(finding)
    expanded: set[str] = set()

    def steps_for(fact: str) -> list[Step]:
        if fact in expanded:
            return [Step(finding=f, repeated=True) for f in by_fact[fact]]
        expanded.add(fact)
        return [node(f) for f in by_fact[fact]]

    def node(finding: Finding) -> Step:
        step = Step(finding=finding)
        for use in finding.uses:
            if use.origin in ("derived", "determination") and use.fact in by_fact:
                step.children.extend(steps_for(use.fact))
            else:
                step.children.append(Step(use=use))
        return step

    if result.pathway is not None and result.pathway_fact in by_fact:
        return steps_for(result.pathway_fact)
    used = {u.fact for f in result.findings for u in f.uses if u.origin != "vocabulary"}
    roots = [fact for fact in by_fact if fact not in used]
    out: list[Step] = []
    for fact in roots:
        out.extend(steps_for(fact))
    return out


def walk(steps: list[Step], depth: int = 0) -> list[tuple[int, Step]]:
    """Depth-first (depth, step) pairs."""
    out: list[tuple[int, Step]] = []
    for step in steps:
        out.append((depth, step))
        out.extend(walk(step.children, depth + 1))
    return out


def where(use: FactUse) -> str | None:
    loc = use.location
    if loc is None or loc.line is None:
        return None
    return f"{loc.file}:{loc.line}"
