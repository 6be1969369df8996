"""The caution invariant, checked: a source nobody verified never decides a lighter pathway.

Every citation carries a ``basis`` (primary, secondary, unverified). A rule whose every citation
is ``unverified``, or a vocabulary value whose every source is, may narrow a question or require
more, but it must not be able to lead to a pathway without premarket review (the pathways whose
``premarket_review`` is false, or left to the classification).

Which conclusions can lead there is computed backwards from those pathways, period by period: a
pathway case with a lighter value leads there; so does every value of a fact that satisfies a
test of a rule (or decision case, earlier cases ruled out) that leads there, through the negation
normal form of its condition; and so does every vocabulary value that satisfies such a test on a
projection. ``lint.unverified-decides`` reports each rule and each vocabulary value on that path
that rests on unverified sources only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import Location
from ..rulebase.conditions import Leaf, leaves
from ..rulebase.model import Period, RuleBase
from ..rulebase.references import Citation, Source
from ..rulebase.vocabulary import AttributeValue
from .checks import Finding, at, finding

Support = set[tuple[str, Any]]  # (fact, value) that can lead to a lighter pathway


def _unverified(citations: Iterable[Citation]) -> bool:
    cited = list(citations)
    return bool(cited) and all(c.basis == "unverified" for c in cited)


def lighter_pathways(rb: RuleBase) -> set[tuple[str, str]]:
    """(pathway fact, pathway) for every pathway without premarket review, or whose premarket
    review the classification decides."""
    return {
        (jur.pathway_fact, p.id)
        for jur in rb.jurisdictions.values()
        for p in jur.pathways.values()
        if p.premarket_review is not True
    }


def satisfying(leaf: Leaf, domain: tuple[Any, ...] | None) -> set[Any]:
    """The values of the fact (the items, for a list) that make the test hold, or help it hold."""
    given = set(leaf.value) if isinstance(leaf.value, tuple) else {leaf.value}
    if leaf.op in ("eq", "in", "includes", "includes_any", "only", "on_or_after", "before"):
        return given if leaf.op not in ("on_or_after", "before") else set()
    return {v for v in domain or () if v not in given}  # ne, not_in, excludes, includes_none


def support(rb: RuleBase) -> Support:
    """Every (fact, value) that some rule in force on some day can turn into a lighter pathway,
    and the lighter pathways themselves."""
    found: Support = set(lighter_pathways(rb))
    periods = [p for code in rb.jurisdictions for p in rb.periods(code)]
    changed = True
    while changed:
        changed = False
        for period in periods:
            for rule in period.rules:
                if rule.kind != "derive" or (rule.fact, rule.value) not in found:
                    continue
                for leaf in _tests(rb, period, rule):
                    for value in satisfying(leaf, rb.domain(leaf.fact)):
                        if (leaf.fact, value) not in found:
                            found.add((leaf.fact, value))
                            changed = True
    return found


def _tests(rb: RuleBase, period: Period, rule: Any) -> Iterator[Leaf]:
    yield from leaves(rb.normal(rule, period.earlier(rule)))


def unverified_decides(rb: RuleBase) -> list[Finding]:
    found = support(rb)
    out: list[Finding] = []
    seen: set[str] = set()
    for rule in rb.rules:
        if rule.kind != "derive" or (rule.fact, rule.value) not in found or rule.id in seen:
            continue
        if _unverified(rule.citations):
            seen.add(rule.id)
            out.append(
                finding(
                    "lint.unverified-decides",
                    [rule.id],
                    at(rule),
                    f"{rule.id} rests only on unverified sources "
                    f"({', '.join(c.ref for c in rule.citations)}) and its conclusion "
                    f"{rule.fact} = {rule.value} can lead to a pathway without premarket review: "
                    "verify a source, or make the rule unable to lighten the answer",
                )
            )
    out += _vocabulary_values(rb, found)
    return out


def _vocabulary_values(rb: RuleBase, found: Support) -> list[Finding]:
    out: list[Finding] = []
    for vocab in rb.vocabularies.values():
        for field in vocab.fields:
            for attr in vocab.attributes.values():
                fact = f"{field}.{attr.name}"
                wanted = {v for f, v in found if f == fact}
                if not wanted:
                    continue
                for term, entries in attr.terms.items():
                    for entry in entries:
                        if _gives(entry, wanted) and _unverified(entry.basis(attr)):
                            out.append(
                                _value_finding(
                                    fact, f"the value of {term}", entry.basis(attr), entry.source
                                )
                            )
                if attr.default in wanted and _unverified(attr.citations):
                    out.append(_value_finding(fact, "the default", attr.citations, attr.source))
    return out


def _value_finding(
    fact: str, what: str, basis: tuple[Citation, ...], where: Source | None
) -> Finding:
    return finding(
        "lint.unverified-decides",
        [],
        Location(where.file, where.line) if where else None,
        f"{fact}: {what} rests only on unverified sources ({', '.join(c.ref for c in basis)}) "
        "and can lead to a pathway without premarket review",
    )


def _gives(entry: AttributeValue, wanted: set[Any]) -> bool:
    """Whether the value (any of its refinements) is one of ``wanted``."""
    raw = entry.value
    if isinstance(raw, dict):
        forms = [v for k, v in raw.items() if k not in ("inherit_from", "item_field")]
        return any(v in wanted for v in forms if not isinstance(v, (list, dict)))
    if isinstance(raw, list):
        return any(v in wanted for v in raw)
    return raw in wanted
