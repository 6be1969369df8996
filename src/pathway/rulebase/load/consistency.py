"""Checks that need the whole rule base: rules read only their own jurisdiction's derived facts,
conditions stay within the normal-form limit, and superseding rules chain without gaps."""

from __future__ import annotations

import datetime as _dt

from ...errors import RuleBaseError
from ..conditions import Leaf, dnf, leaves
from ..model import Rule
from .context import Context


def check_whole(ctx: Context) -> None:
    for rule in ctx.rules:
        check_conditions(ctx, rule)
    check_supersedes(ctx)


def check_conditions(ctx: Context, rule: Rule) -> None:
    """A rule reads only its own jurisdiction's derived facts, and each of its conditions has a
    disjunctive normal form within the engine's limit."""
    for leaf in leaves(rule.when):
        check_leaf_scope(ctx, rule, leaf)
    for cond in (rule.when, rule.eligible_when):
        if cond is None:
            continue
        try:
            dnf(cond, ctx.domain)
        except ValueError as exc:
            raise RuleBaseError(
                f"{rule.id}: {exc}", file=rule.source.file, line=rule.source.line
            ) from None


def check_supersedes(ctx: Context) -> None:
    """A superseding rule starts the day after the rule it replaces ends, concludes the same
    thing, and each rule is superseded at most once."""
    by_id = {r.id: r for r in ctx.rules}
    successors: dict[str, str] = {}
    for rule in ctx.rules:
        if not rule.supersedes:
            continue
        old = by_id.get(rule.supersedes)
        if old is None:
            raise RuleBaseError(
                f"{rule.id} supersedes unknown rule {rule.supersedes!r}",
                file=rule.source.file,
                line=rule.source.line,
            )
        if old.effective.end is None:
            raise RuleBaseError(
                f"{rule.id} supersedes {old.id}, which has no end date: give it 'to: "
                f"{(rule.effective.start - _dt.timedelta(days=1)).isoformat()}'",
                check="lint.supersedes-dates",
                rules=(rule.id, old.id),
                file=old.source.file,
                line=old.source.line,
            )
        expected = old.effective.end + _dt.timedelta(days=1)
        if rule.effective.start != expected:
            gap = "overlaps" if rule.effective.start < expected else "leaves a gap after"
            raise RuleBaseError(
                f"{rule.id} (from {rule.effective.start}) {gap} {old.id} (to {old.effective.end}): "
                f"a superseding rule starts the day after the rule it replaces ends ({expected})",
                check="lint.supersedes-dates",
                rules=(rule.id, old.id),
                file=rule.source.file,
                line=rule.source.line,
            )
        if old.kind != rule.kind or old.fact != rule.fact:
            raise RuleBaseError(
                f"{rule.id} supersedes {old.id}, which concludes something else",
                file=rule.source.file,
                line=rule.source.line,
            )
        if rule.supersedes in successors:
            raise RuleBaseError(
                f"{rule.supersedes} is superseded twice ({successors[rule.supersedes]}, {rule.id})",
                check="lint.supersedes-dates",
                rules=(rule.supersedes, successors[rule.supersedes], rule.id),
                file=rule.source.file,
                line=rule.source.line,
            )
        successors[rule.supersedes] = rule.id


def check_leaf_scope(ctx: Context, rule: Rule, leaf: Leaf) -> None:
    fact = ctx.facts[leaf.fact]
    if fact.origin == "derived" and fact.jurisdiction not in (rule.jurisdiction, "common"):
        raise RuleBaseError(
            f"{rule.id} reads {leaf.fact}, a fact of another jurisdiction ({fact.jurisdiction})",
            file=rule.source.file,
            line=rule.source.line,
        )
