"""Three-valued conditions: Kleene evaluation, and the normal forms the engine compiler relies on."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathway.rulebase.conditions import (
    UNKNOWN,
    All,
    AnyOf,
    Condition,
    Leaf,
    ListValue,
    Not,
    dnf,
    eval_leaf,
    evaluate,
    nnf,
)

DOMAINS: dict[str, tuple[Any, ...]] = {
    "b": (True, False),
    "e": ("x", "y", "z"),
    "l": ("p", "q", "r"),
}


def domain(fact: str) -> tuple[Any, ...]:
    return DOMAINS[fact]


def leaf() -> st.SearchStrategy[Leaf]:
    b = st.sampled_from(["eq", "ne"]).flatmap(
        lambda op: st.builds(Leaf, st.just("b"), st.just(op), st.booleans())
    )
    e1 = st.sampled_from(["eq", "ne"]).flatmap(
        lambda op: st.builds(Leaf, st.just("e"), st.just(op), st.sampled_from(DOMAINS["e"]))
    )
    subset = st.lists(st.sampled_from(DOMAINS["e"]), min_size=1, unique=True).map(tuple)
    e2 = st.sampled_from(["in", "not_in"]).flatmap(
        lambda op: st.builds(Leaf, st.just("e"), st.just(op), subset)
    )
    items = st.lists(st.sampled_from(DOMAINS["l"]), min_size=1, unique=True).map(tuple)
    l1 = st.sampled_from(["includes", "excludes"]).flatmap(
        lambda op: st.builds(Leaf, st.just("l"), st.just(op), st.sampled_from(DOMAINS["l"]))
    )
    l2 = st.sampled_from(["includes_any", "includes_none"]).flatmap(
        lambda op: st.builds(Leaf, st.just("l"), st.just(op), items)
    )
    proper = st.lists(st.sampled_from(DOMAINS["l"]), min_size=1, max_size=2, unique=True).map(tuple)
    l3 = st.builds(
        Leaf, st.just("l"), st.just("only"), proper
    )  # the loader refuses 'only' over the whole domain
    return st.one_of(b, e1, e2, l1, l2, l3)


conditions: st.SearchStrategy[Condition] = st.recursive(
    leaf(),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: All(tuple(xs))),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: AnyOf(tuple(xs))),
        inner.map(Not),
    ),
    max_leaves=8,
)

assignments = st.fixed_dictionaries(
    {
        "b": st.sampled_from([True, False, UNKNOWN]),
        "e": st.sampled_from(["x", "y", "z", UNKNOWN]),
        "l": st.builds(
            ListValue,
            st.frozensets(st.sampled_from(DOMAINS["l"])),
            st.booleans(),
        ),
    }
)


@pytest.mark.slow
@settings(max_examples=800, derandomize=True)
@given(conditions, assignments)
def test_definitely_true_iff_some_dnf_conjunction_is(
    cond: Condition, facts: dict[str, Any]
) -> None:
    lookup = facts.__getitem__
    value = evaluate(cond, lookup)
    some = any(
        all(eval_leaf(lf, lookup(lf.fact)) is True for lf in conj) for conj in dnf(cond, domain)
    )
    assert (value is True) == some


@pytest.mark.slow
@settings(max_examples=800, derandomize=True)
@given(conditions, assignments)
def test_nnf_keeps_three_valued_meaning(cond: Condition, facts: dict[str, Any]) -> None:
    lookup = facts.__getitem__
    assert evaluate(nnf(cond, domain), lookup) == evaluate(cond, lookup)
    assert evaluate(nnf(Not(cond), domain), lookup) == evaluate(Not(cond), lookup)


@pytest.mark.slow
@settings(max_examples=500, derandomize=True)
@given(conditions, assignments, st.sampled_from(["b", "e", "l"]))
def test_forgetting_a_fact_never_flips_a_known_result(
    cond: Condition, facts: dict[str, Any], fact: str
) -> None:
    """Monotonicity: unknown can only turn a result into unknown, never into its opposite."""
    before = evaluate(cond, facts.__getitem__)
    forgotten = dict(
        facts, **{fact: ListValue(facts["l"].items, open=True) if fact == "l" else UNKNOWN}
    )
    after = evaluate(cond, forgotten.__getitem__)
    assert after in (before, None)


def test_kleene_basics() -> None:
    def look(fact: str) -> Any:
        return {"b": UNKNOWN, "e": "x", "l": ListValue(frozenset({"p"}), open=True)}[fact]

    unknown_b = Leaf("b", "eq", True)
    assert evaluate(unknown_b, look) is None
    assert evaluate(AnyOf((unknown_b, Leaf("e", "eq", "x"))), look) is True
    assert evaluate(All((unknown_b, Leaf("e", "eq", "y"))), look) is False
    assert evaluate(Leaf("l", "includes", "p"), look) is True
    assert evaluate(Leaf("l", "excludes", "q"), look) is None  # the list is open
    assert evaluate(Leaf("l", "only", ("p",)), look) is None
    closed = ListValue(frozenset({"p"}))
    assert eval_leaf(Leaf("l", "only", ("p", "q")), closed) is True
    assert eval_leaf(Leaf("l", "only", ("q",)), closed) is False
    assert eval_leaf(Leaf("l", "only", ("q",)), ListValue(frozenset())) is True  # nothing listed
