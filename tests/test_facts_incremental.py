"""Facts built from a neighbouring product's facts (an answered question, ``previous``) are the
facts built from scratch: every projection reused is one whose inputs did not change."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pathway.errors import InputError
from pathway.facts import build_facts
from pathway.product.load import load_product

from .conftest import AS_OF
from .strategies import RULEBASE, set_path, wide_products

INPUTS = sorted(name for name, f in RULEBASE.facts.items() if f.origin == "input")


def loaded(data: dict[str, Any]) -> Any:
    try:
        return load_product(data, RULEBASE).product
    except InputError:
        assume(False)
        raise


@st.composite
def answered(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A product and the same product with one fact answered (or made unknown)."""
    data = draw(wide_products())
    field = draw(st.sampled_from(INPUTS))
    definition = RULEBASE.facts[field]
    choices: list[Any] = ["unknown", *(definition.values or ())]
    if definition.is_list:
        choices = ["unknown", [], *([v] for v in definition.values or ())]
    changed = copy.deepcopy(data)
    set_path(changed, field, draw(st.sampled_from(choices)))
    return data, changed


@settings(max_examples=60)
@given(answered())
def test_incremental_facts_equal_facts_from_scratch(pair: tuple[Any, Any]) -> None:
    before, after = (loaded(d) for d in pair)
    base = build_facts(before, RULEBASE, AS_OF)
    assert build_facts(after, RULEBASE, AS_OF, base) == build_facts(after, RULEBASE, AS_OF)


@settings(max_examples=30)
@given(wide_products(), wide_products())
def test_facts_from_an_unrelated_product_equal_facts_from_scratch(a: Any, b: Any) -> None:
    base = build_facts(loaded(a), RULEBASE, AS_OF)
    product = loaded(b)
    assert build_facts(product, RULEBASE, AS_OF, base) == build_facts(product, RULEBASE, AS_OF)


@settings(max_examples=40)
@given(wide_products(), st.data())
def test_facts_of_each_answer_relevance_tries_equal_facts_from_scratch(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    """The products relevance builds (``model_copy``: the parts not answered are the very
    objects of the product) give the same facts, defaulted fields and assumptions built from
    the product's facts as from scratch."""
    from pathway.assessment.relevance import answers
    from pathway.contract.assessment import Question

    product = loaded(data)
    base = build_facts(product, RULEBASE, AS_OF)
    fact = draw.draw(st.sampled_from(INPUTS))
    question = Question(fact=fact, question="?", why="?", rules=[])
    for answered, _, _ in answers(RULEBASE, product, question, AS_OF) or ():
        incremental = build_facts(answered, RULEBASE, AS_OF, base)
        scratch = build_facts(answered, RULEBASE, AS_OF)
        assert incremental == scratch
        assert incremental.defaulted == scratch.defaulted
