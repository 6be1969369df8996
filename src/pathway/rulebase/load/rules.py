"""Rules files: derive, obligation, option and note rules, and decision lists (ordered cases),
each with its citations, dates and condition."""

from __future__ import annotations

from typing import Any

from ...io.document import Document, Path_
from ...text import words
from .. import schema
from ..model import TEMPLATE, Decision, Due, Rule
from . import condition_parser
from .context import Context


def load_rules(ctx: Context, doc: Document, spec: schema.RulesFile) -> None:
    code = ctx.jurisdiction_of(doc)
    if code not in ctx.jurisdictions and code != "common":
        raise ctx.error(
            doc,
            f"rules must sit in a jurisdiction folder (one of {', '.join(ctx.jurisdictions)}) or common/",
        )
    for index, raw in enumerate(spec.rules):
        path: Path_ = ("rules", index)
        if "decide" in raw:
            load_decision(ctx, doc, spec, code, raw, path)
        else:
            load_rule(ctx, doc, spec, code, raw, path)


def check_rule_id(ctx: Context, doc: Document, code: str, ident: str, path: Path_) -> None:
    if not ident.startswith(f"{code}."):
        raise ctx.error(doc, f"rule ids in {code}/ start with '{code}.'", (*path, "id"))
    ctx.claim_id(ident, doc, path)


def load_rule(
    ctx: Context, doc: Document, spec: schema.RulesFile, code: str, raw: dict[str, Any], path: Path_
) -> None:
    rs: schema.RuleSpec = ctx.validate(doc, schema.RuleSpec, raw, path)
    check_rule_id(ctx, doc, code, rs.id, path)
    when = condition_parser.condition(ctx, doc, rs.when, (*path, "when"))
    fact = value = None
    if rs.kind == "derive":
        if not rs.then or len(rs.then) != 1:
            raise ctx.error(
                doc,
                "a derive rule sets exactly one fact: then: {fact: value}",
                (*path, "then") if rs.then else path,
            )
        fact, value = next(iter(rs.then.items()))
        check_derived_value(ctx, doc, code, fact, value, (*path, "then", fact))
    elif rs.then is not None:
        raise ctx.error(doc, f"a {rs.kind} rule has no 'then'", (*path, "then"), key=True)
    if rs.timing is not None and rs.kind != "obligation":
        raise ctx.error(doc, "only obligations have a timing", (*path, "timing"), key=True)
    if rs.kind == "obligation" and not rs.timing:
        raise ctx.error(doc, "an obligation says when it applies (timing)", path)
    due: tuple[Due, ...] = ()
    if rs.due is not None:
        if rs.kind != "obligation":
            raise ctx.error(doc, "only obligations have a due date", (*path, "due"), key=True)
        options = rs.due if isinstance(rs.due, list) else [rs.due]
        for i, option in enumerate(options):
            where = (
                (*path, "due", i, "from") if isinstance(rs.due, list) else (*path, "due", "from")
            )
            fact_def = ctx.facts.get(option.date_fact)
            if fact_def is None or fact_def.type != "date":
                raise ctx.error(doc, f"due from {option.date_fact!r}: not a date fact", where)
            if option.years_from is not None:
                years_def = ctx.facts.get(option.years_from)
                if years_def is None or not all(
                    isinstance(v, int) and not isinstance(v, bool)
                    for v in years_def.values or ("",)
                ):
                    raise ctx.error(
                        doc,
                        f"due years_from {option.years_from!r}: not a fact whose values are "
                        "numbers of years",
                        (*where[:-1], "years_from"),
                    )
            due += (
                Due(
                    option.date_fact,
                    option.years,
                    option.months,
                    option.days,
                    option.latest,
                    option.years_from,
                ),
            )
    if rs.eligible_when is not None and rs.kind != "option":
        raise ctx.error(doc, "only options have eligible_when", (*path, "eligible_when"), key=True)
    eligible = (
        condition_parser.condition(ctx, doc, rs.eligible_when, (*path, "eligible_when"))
        if rs.eligible_when is not None
        else None
    )
    citations = ctx.resolve_citations(doc, rs.citations, (*path, "citations"))
    if not citations:
        raise ctx.error(
            doc,
            "every rule cites at least one legal source",
            path,
            check="lint.no-citation",
            rules=(rs.id,),
        )
    for name in TEMPLATE.findall(rs.title):
        if name not in ctx.facts or ctx.facts[name].origin == "derived":
            raise ctx.error(doc, f"{{{name}}} in the title is not a product fact", (*path, "title"))
    ctx.rules.append(
        Rule(
            id=rs.id,
            title=rs.title,
            kind=rs.kind,
            jurisdiction=code,
            when=when,
            citations=citations,
            effective=ctx.effective(doc, spec, rs.effective, None, path),
            source=ctx.source(doc, path),
            index=len(ctx.rules),
            fact=fact,
            value=value,
            description=rs.description,
            law=rs.law,
            supersedes=rs.supersedes,
            timing=rs.timing,
            eligible_when=eligible,
            due=due,
        )
    )


def load_decision(
    ctx: Context, doc: Document, spec: schema.RulesFile, code: str, raw: dict[str, Any], path: Path_
) -> None:
    ds: schema.DecisionSpec = ctx.validate(doc, schema.DecisionSpec, raw, path)
    check_rule_id(ctx, doc, code, ds.id, path)
    fact_def = ctx.facts.get(ds.decide)
    if fact_def is None or fact_def.origin != "derived":
        raise ctx.error(
            doc,
            f"decide: {ds.decide!r} is not a derived fact" + ctx.fact_hint(ds.decide),
            (*path, "decide"),
        )
    shared = ctx.resolve_citations(doc, ds.citations, (*path, "citations"))
    case_ids = []
    for index, case in enumerate(ds.first_match):
        cpath = (*path, "first_match", index)
        check_rule_id(ctx, doc, code, case.id, cpath)
        check_derived_value(ctx, doc, code, ds.decide, case.value, (*cpath, "value"))
        citations = ctx.resolve_citations(doc, case.citations, (*cpath, "citations")) or shared
        if not citations:
            raise ctx.error(
                doc,
                "every case cites at least one legal source (or the decision does)",
                cpath,
                check="lint.no-citation",
                rules=(case.id,),
            )
        ctx.rules.append(
            Rule(
                id=case.id,
                title=case.title,
                kind="derive",
                jurisdiction=code,
                when=condition_parser.condition(ctx, doc, case.when, (*cpath, "when")),
                citations=citations,
                effective=ctx.effective(doc, spec, case.effective, ds.effective, cpath),
                source=ctx.source(doc, cpath),
                index=len(ctx.rules),
                fact=ds.decide,
                value=case.value,
                description=case.description,
                law=case.law,
                supersedes=case.supersedes,
                decision=ds.id,
                case=index,
            )
        )
        case_ids.append(case.id)
    ctx.decisions[ds.id] = Decision(
        id=ds.id,
        title=ds.title,
        fact=ds.decide,
        jurisdiction=code,
        cases=tuple(case_ids),
        source=ctx.source(doc, path),
    )


def check_derived_value(
    ctx: Context, doc: Document, code: str, fact: str, value: Any, path: Path_
) -> None:
    definition = ctx.facts.get(fact)
    if definition is None:
        raise ctx.error(doc, f"fact {fact!r} is not defined" + ctx.fact_hint(fact), path, key=True)
    if definition.origin != "derived":
        raise ctx.error(
            doc, f"{fact!r} is an input fact: rules can only set derived facts", path, key=True
        )
    if definition.jurisdiction not in (code, "common") and code != "common":
        raise ctx.error(doc, f"rules in {code}/ cannot set {fact!r}", path, key=True)
    if value not in (definition.values or ()):
        raise ctx.error(
            doc, f"{value!r} is not a value of {fact} ({words(definition.values or ())})", path
        )
