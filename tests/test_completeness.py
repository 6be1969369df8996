"""Completeness and asymmetric caution, per jurisdiction, over its deciding input facts.

For each jurisdiction, products are drawn from every combination of the input facts its
deciding rules read, and the fields behind the vocabulary projections they read, each with
``unknown`` as one more value (``deciding_space``: values every deciding test treats alike are
one class). The space is enumerated where it is small enough (``HYPOTHESIS_PROFILE=thorough``:
up to 250,000 combinations), otherwise sampled with hypothesis, derandomized: 300 examples by
default, 10,000 with the thorough profile, each on a day drawn from the periods of its law.

Each product yields exactly one pathway of the jurisdiction, or ``undetermined`` with at least
one question; the only exception allowed is a refused contradictory product (``InputError``),
which is then tried again without the field the refusal names. A pathway without premarket
review (``us.361``, ``us.exempt``, ``us.not_hctp``, ``eu.not_atmp``, ``jp.outside``,
``cn.outside``) is never concluded while a fact its deciding rules read is unknown: the rules
that derived it must hold, and the earlier cases of their decisions must be ruled out, on the
known facts alone, and so on down through the derived facts they read. A test inside an
``any`` that already holds by another part does not decide (``us.intimate_partner.
not_reproductive_material`` holds for non-reproductive material whatever
``use.intimate_partner`` is), nor does a test inside an ``all`` that already fails by another.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pathway
from pathway.assessment.assessor import Assessor
from pathway.authoring.vectors import all_vectors
from pathway.errors import InputError
from pathway.evaluate.result import Evaluation
from pathway.facts import FactView, build_facts
from pathway.product.load import LoadedProduct, load_product
from pathway.rulebase.conditions import (
    UNKNOWN,
    All,
    AnyOf,
    Condition,
    Leaf,
    ListValue,
    Not,
    evaluate,
    facts_of,
)
from pathway.rulebase.model import decision_order

from .conftest import AS_OF, EXAMPLES, VECTORS, read_yaml
from .deciding_space import Space, deciding_space, drop_path, near

RB = pathway.load_rulebase()
ENGINE = Assessor(RB, "engine")
LIGHT = {
    pid
    for jur in RB.jurisdictions.values()
    for pid, p in jur.pathways.items()
    if p.premarket_review is not True
}
SPACES = {code: deciding_space(RB, code) for code in RB.jurisdictions}
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
SAMPLES = 10_000 if PROFILE == "thorough" else 300
ENUMERATE_UP_TO = 250_000 if PROFILE == "thorough" else 0
SAMPLING = settings(
    max_examples=SAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_the_pathways_without_premarket_review() -> None:
    assert {
        "us.361",
        "us.exempt",
        "us.not_hctp",
        "eu.not_atmp",
        "jp.outside",
        "cn.outside",
    } == LIGHT


def days(code: str) -> list[dt.date]:
    return sorted({p.start for p in RB.periods(code)} | {AS_OF})


def settle(code: str, data: dict[str, Any], day: dt.date, counts: Counter[str]) -> None:
    """Assess ``data`` for ``code`` on ``day`` and check both properties; count the outcome."""
    data = copy.deepcopy(data)
    for _ in range(10):
        try:
            loaded = load_product(data, RB)
            result = ENGINE.assess(loaded, [code], day).jurisdictions[code]
        except InputError as err:  # a contradictory product, refused: try it without the field
            counts["refused"] += 1
            if not err.field or not drop_path(data, err.field):
                return
            continue
        check_decides(code, result)
        if result.pathway in LIGHT:
            check_caution(code, loaded, day, result.pathway)
        counts[result.pathway or "undetermined"] += 1
        counts["assessed"] += 1
        return


def check_decides(code: str, result: pathway.JurisdictionResult) -> None:
    jur = RB.jurisdictions[code]
    concluded = [f for f in result.findings if f.fact == jur.pathway_fact]
    if result.pathway is None:
        assert result.status == "undetermined" and not concluded
        assert result.questions, "undetermined without a question"
    else:
        assert result.status == "determined" and result.pathway in jur.pathways
        assert [f.value for f in concluded] == [result.pathway]


def check_caution(code: str, loaded: LoadedProduct, day: dt.date, pathway_id: str) -> None:
    facts = build_facts(loaded.product, RB, day)
    dets = [(d.fact, d.value) for d in loaded.product.determinations]
    gaps = caution_gaps(code, facts, ENGINE.evaluator.evaluate(code, facts, day, dets), day)
    assert not gaps, (
        f"{pathway_id} concluded, but these deciding rules rest on unknown facts: {gaps}"
    )


def caution_gaps(
    code: str, facts: FactView, ev: Evaluation, day: dt.date
) -> list[tuple[str, str, list[str]]]:
    """The deciding rules of the concluded pathway that do not hold (or, for earlier decision
    cases, are not ruled out) on the known facts alone: (rule, what it should, unknown facts)."""

    def lookup(name: str) -> Any:
        if RB.facts[name].origin == "derived":
            return ev.derived.get(name, UNKNOWN)
        return facts.get(name)

    cases = decision_order(RB.active_rules(code, day))
    todo, seen, gaps = [RB.jurisdictions[code].pathway_fact], set(), []
    while todo:
        fact = todo.pop()
        if fact in seen:
            continue
        seen.add(fact)
        for rule_id in ev.support.get(fact, ()):
            rule = RB.rule(rule_id)
            earlier = [
                c for c in cases.get(rule.decision or "", []) if (c.case or 0) < (rule.case or 0)
            ]
            for deciding, want in ((rule, True), *((c, False) for c in earlier)):
                leaves = deciding_leaves(deciding.when, lookup, want)
                if leaves is None:
                    unknown = sorted(
                        name for name in facts_of(deciding.when) if _unknown(lookup(name))
                    )
                    gaps.append((deciding.id, "holds" if want else "is ruled out", unknown))
                    continue
                todo += [leaf.fact for leaf in leaves if RB.facts[leaf.fact].origin == "derived"]
    return gaps


def _unknown(value: Any) -> bool:
    return value is UNKNOWN or (isinstance(value, ListValue) and value.open)


def deciding_leaves(cond: Condition, lookup: Any, want: bool) -> list[Leaf] | None:
    """The tests that make ``cond`` definitely ``want`` on what is known (a true ``any`` needs
    only its true parts, a false ``all`` only its false parts); None when it is not definite."""
    if evaluate(cond, lookup) is not want:
        return None
    if isinstance(cond, Leaf):
        return [cond]
    if isinstance(cond, Not):
        return deciding_leaves(cond.item, lookup, not want)
    out: list[Leaf] = []
    every = isinstance(cond, All) == want  # all true / any false: every part decides
    for item in cond.items:
        if every or evaluate(item, lookup) is want:
            out += deciding_leaves(item, lookup, want) or []
    return out


def sampled(code: str, strategy: st.SearchStrategy[dict[str, Any]]) -> Counter[str]:
    counts: Counter[str] = Counter()

    @SAMPLING
    @given(strategy, st.sampled_from(days(code)))
    def run(data: dict[str, Any], day: dt.date) -> None:
        settle(code, data, day, counts)

    run()
    return counts


@pytest.mark.slow
@pytest.mark.parametrize("code", list(RB.jurisdictions))
def test_every_deciding_combination_decides_or_asks(code: str) -> None:
    space: Space = SPACES[code]
    if space.size <= ENUMERATE_UP_TO:
        counts: Counter[str] = Counter()
        for data in space.combinations():
            settle(code, data, AS_OF, counts)
        assert counts["assessed"] + counts["refused"] >= space.size
    else:
        counts = sampled(code, space.strategy())
    assert counts["undetermined"] and counts["assessed"] - counts["undetermined"], counts


def light_seeds(code: str) -> list[dict[str, Any]]:
    """Vector and example products that reach a pathway without premarket review."""
    products = [read_yaml(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    products += [v.product for v in all_vectors(VECTORS, AS_OF)]
    seeds = []
    for data in products:
        data = {k: v for k, v in data.items() if k not in ("expect", "jurisdictions")}
        try:
            result = ENGINE.assess(data, [code], AS_OF).jurisdictions[code]
        except InputError:
            continue
        if result.pathway in LIGHT:
            seeds.append(data)
    return seeds


@pytest.mark.slow
@pytest.mark.parametrize("code", list(RB.jurisdictions))
def test_no_light_pathway_with_an_unknown_deciding_fact(code: str) -> None:
    """Sampled near the products that reach a pathway without premarket review, where caution
    matters: each deciding field kept or drawn anew (``unknown`` among its values)."""
    seeds = light_seeds(code)
    assert seeds, f"no vector or example reaches a {code} pathway without premarket review"
    counts = sampled(code, st.sampled_from(seeds).flatmap(lambda s: near(s, SPACES[code])))
    assert sum(counts[p] for p in LIGHT) and counts["undetermined"], counts


@pytest.mark.slow
def test_caution_finds_a_conclusion_resting_on_an_unknown_fact() -> None:
    """The check itself: an evaluation that concluded us.361 meets the facts of the same product
    with its intended use unknown (what an engine treating unknown as "not nonclinical" would
    do), and the first case of the decision list is not ruled out."""
    seed = next(
        s
        for s in light_seeds("us")
        if pathway.assess(s, ["us"], AS_OF).jurisdictions["us"].pathway == "us.361"
    )
    known = load_product(seed, RB).product
    ev = ENGINE.evaluator.evaluate("us", build_facts(known, RB, AS_OF), AS_OF, [])
    assert caution_gaps("us", build_facts(known, RB, AS_OF), ev, AS_OF) == []
    blind = load_product({**seed, "use": {**seed.get("use", {}), "intended_use": "unknown"}}, RB)
    gaps = caution_gaps("us", build_facts(blind.product, RB, AS_OF), ev, AS_OF)
    assert ("us.pathway.nonclinical", "is ruled out", ["use.intended_use"]) in gaps


def test_deciding_tests_skip_parts_that_do_not_decide() -> None:
    a, b = Leaf("use.homologous", "eq", True), Leaf("use.reproductive", "eq", True)
    known = {"use.homologous": True, "use.reproductive": UNKNOWN}.get
    assert deciding_leaves(AnyOf((a, b)), known, True) == [a]  # b is unknown, a decides
    assert deciding_leaves(All((a, b)), known, True) is None  # b is needed and unknown
    refuted = {"use.homologous": False, "use.reproductive": UNKNOWN}.get
    assert deciding_leaves(All((a, b)), refuted, False) == [a]
    assert deciding_leaves(AnyOf((a, b)), refuted, False) is None
