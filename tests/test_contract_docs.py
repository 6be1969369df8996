"""The product file's documentation is complete: every field that is a fact (contract section 1
or an extension) is named in README's section on the product file, with the question pathway
asks for it in rules/facts.yaml; and every field a rule reads is one the contract defines."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathway.contract.fields import input_fields
from pathway.contract.product import Determination

from .strategies import RULEBASE

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## The product file") : README.index("## The rule base")]
FIELDS = [path for path, _, _ in input_fields()]


@pytest.mark.parametrize("field", FIELDS)
def test_every_product_field_is_documented(field: str) -> None:
    assert f"`{field}`" in SECTION or f"`{field}:" in SECTION, (
        f"{field} is not described in README's section on the product file"
    )


@pytest.mark.parametrize("field", FIELDS)
def test_every_product_field_has_its_question(field: str) -> None:
    definition = RULEBASE.facts[field]
    assert definition.question, f"{field} has no question in rules/facts.yaml"


def test_determination_extensions_are_documented() -> None:
    added = set(Determination.model_fields) - {
        "fact",
        "value",
        "reason",
        "source",
        "date",
        "expires",
    }
    for name in added:
        assert f"`determinations[].{name}`" in SECTION, name


def test_the_rules_read_only_contract_facts() -> None:
    """An input fact a rule reads is a field of the product contract (the loader derives the
    input facts from it); projections read a vocabulary attribute of such a field."""
    for name, fact in RULEBASE.facts.items():
        if fact.origin == "input":
            assert name in FIELDS, name
        if fact.origin == "projection":
            assert any(name.startswith(f"{field}.") for field in FIELDS), name
