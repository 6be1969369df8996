"""Conditions as written in a rule file (``{fact: value}``, ``all``, ``any``, ``not``, and the
operators of ``conditions``) parsed into condition trees, each test checked against its fact."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ...io.document import Document, Path_
from ...text import did_you_mean, words
from ..conditions import DATE_OPS, LIST_OPS, SCALAR_OPS, TRUE, All, AnyOf, Condition, Leaf, Not
from .context import Context


def condition(ctx: Context, doc: Document, node: Any, path: Path_) -> Condition:
    if node is None:
        return TRUE
    return parse(ctx, doc, node, path)


def parse(ctx: Context, doc: Document, node: Any, path: Path_) -> Condition:
    if isinstance(node, list):
        if not node:
            raise ctx.error(doc, "an empty list of conditions", path)
        return All(tuple(parse(ctx, doc, item, (*path, i)) for i, item in enumerate(node)))
    if not isinstance(node, dict) or not node:
        raise ctx.error(doc, "a condition is a mapping {fact: value} or a list of them", path)
    parts: list[Condition] = []
    for key, value in node.items():
        kpath = (*path, key)
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise ctx.error(doc, f"'{key}' takes a non-empty list of conditions", kpath)
            items = tuple(parse(ctx, doc, item, (*kpath, i)) for i, item in enumerate(value))
            parts.append(All(items) if key == "all" else AnyOf(items))
        elif key == "not":
            parts.append(Not(parse(ctx, doc, value, kpath)))
        else:
            parts.append(leaf(ctx, doc, key, value, kpath))
    return parts[0] if len(parts) == 1 else All(tuple(parts))


def leaf(ctx: Context, doc: Document, fact_name: str, spec: Any, path: Path_) -> Leaf:
    fact = ctx.facts.get(fact_name)
    if fact is None:
        raise ctx.error(
            doc,
            f"fact {fact_name!r} is not defined" + ctx.fact_hint(fact_name),
            path,
            key=True,
        )
    if isinstance(spec, dict):
        if len(spec) != 1:
            raise ctx.error(
                doc, "write one operator per test, e.g. {includes: culture_expansion}", path
            )
        op, value = next(iter(spec.items()))
        ops = {
            "not": "ne",
            "one_of": "in",
            "none_of": "not_in",
            **{o: o for o in (*LIST_OPS, *DATE_OPS)},
        }
        if op not in ops:
            raise ctx.error(
                doc,
                f"unknown operator {op!r}"
                + did_you_mean(str(op), ops, f"; use one of {', '.join(ops)}"),
                (*path, op),
                key=True,
            )
        op = ops[op]
        if op == "ne" and isinstance(value, list):
            op = "not_in"
    else:
        op, value = ("in", spec) if isinstance(spec, list) else ("eq", spec)
    if fact.type == "list" and op not in LIST_OPS:
        raise ctx.error(
            doc,
            f"{fact_name} is a list: test it with includes, excludes, includes_any, includes_none or only",
            path,
        )
    if fact.type == "date" and op not in DATE_OPS:
        raise ctx.error(doc, f"{fact_name} is a date: test it with before or on_or_after", path)
    if fact.type not in ("list", "date") and op not in SCALAR_OPS:
        raise ctx.error(
            doc,
            f"{fact_name} is a single value: test it with a value, a list of values, or not/one_of/none_of",
            path,
        )
    multi = op in ("in", "not_in", "includes_any", "includes_none", "only")
    if multi:
        if not isinstance(value, list) or not value:
            raise ctx.error(doc, f"{op} takes a non-empty list of values", path)
        values = value
    else:
        if isinstance(value, list):
            raise ctx.error(doc, f"{op} takes one value", path)
        values = [value]
    for v in values:
        if fact.type == "date":
            if not isinstance(v, _dt.date):
                raise ctx.error(doc, f"{v!r} is not a date (YYYY-MM-DD)", path)
        elif fact.values is not None and v not in fact.values:
            raise ctx.error(
                doc,
                f"{v!r} is not a value of {fact_name}"
                + did_you_mean(str(v), [str(x) for x in fact.values], f" ({words(fact.values)})"),
                path,
            )
        elif fact.type == "text" and not isinstance(v, str):
            raise ctx.error(doc, f"{fact_name} is text: compare it with text", path)
    if op == "only" and fact.values is not None and set(fact.values) <= set(values):
        raise ctx.error(
            doc,
            f"'only' lists every value of {fact_name}: the test always holds, remove it",
            path,
        )
    return Leaf(fact_name, op, tuple(values) if multi else values[0])
