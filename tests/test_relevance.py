"""Properties of what pathway decides and asks (issue 13), over generated products.

* every question listed for a jurisdiction is relevant: some answer changes that jurisdiction's
  pathway, classification, or the pathways and classifications still possible (checked by
  answering it in the product file, independently of the assessment's own filter);
* no question about manufacturing, viability or combinations for a product without cells or
  tissue, and none about intimate partners or reproduction for material that is not
  reproductive;
* with a fact removed, the pathway and classification the full facts give are among the
  candidates, and premarket review, when settled across them, is never lighter than with the
  full facts;
* the classification is reported (and shown in every format) whenever the evaluation decides it.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import pathway
from pathway.analysis.whatif import WhatIf
from pathway.errors import ContradictionError, InputError
from pathway.product.load import load_product
from pathway.render import markdown as render_markdown
from pathway.render import text as render_text

from .answering import relevant
from .conftest import AS_OF, scaled
from .strategies import RULEBASE, set_path, wide_products

pytestmark = pytest.mark.slow

ASSESSOR = pathway.Assessor(RULEBASE)
WHATIF = WhatIf(ASSESSOR)
INPUTS = [name for name, f in RULEBASE.facts.items() if f.origin == "input"]
CELL_FACTS = {"processing", "material.viable", "combined_with", "use.same_surgical_procedure"}
REPRODUCTIVE_FACTS = {"use.intimate_partner", "use.reproductive"}
REPRODUCTIVE_SOURCES = {"semen", "oocyte", "embryo"}


def loaded(data: dict[str, Any]) -> pathway.LoadedProduct:
    try:
        return load_product(data, RULEBASE)
    except InputError:  # contradictions the generator could not avoid
        assume(False)
        raise


def assessed(product: pathway.LoadedProduct) -> pathway.Assessment:
    try:
        return ASSESSOR.assess(product, as_of=AS_OF)
    except ContradictionError:
        assume(False)
        raise


@scaled(12)
@given(wide_products(determinations=False))
def test_every_listed_question_is_relevant(data: dict[str, Any]) -> None:
    product = loaded(data)
    for code, result in assessed(product).jurisdictions.items():
        for question in result.questions:
            assert relevant(WHATIF, product, code, result, question, AS_OF), (
                f"{code}: no answer to {question.fact} changes anything"
            )


@scaled(100)
@given(wide_products(), st.sampled_from(["nucleic_acid_only", "secreted_or_extracted"]))
def test_no_cell_questions_for_a_product_without_cells(data: dict[str, Any], form: str) -> None:
    """A product that contains no cells or tissue: nucleic acids only, or a secreted or extracted
    product whose cell type is none (one whose cells are unknown may be an HCT/P, e.g. cells
    recovered from a body fluid, 21 CFR 1271.3(d)(3), and is asked about)."""
    data = copy.deepcopy(data)
    data.setdefault("material", {})["form"] = form
    data["material"]["cell_type"] = "none"
    if data["material"].get("viable") is True:
        data["material"]["viable"] = False
    if form == "nucleic_acid_only":
        data["genetic_modification"] = "in_vivo"
        data.get("material", {}).pop("secreted_product", None)
    for code, result in assessed(loaded(data)).jurisdictions.items():
        asked = {q.fact for q in result.questions} & CELL_FACTS
        assert not asked, f"{code} asks {asked} of a {form} product"


@scaled(60)
@given(wide_products())
def test_no_reproductive_questions_for_other_material(data: dict[str, Any]) -> None:
    material = data.setdefault("material", {})
    assume(material.get("form") not in ("gametes_or_embryo", "unknown", None))
    assume(material.get("source") not in (*REPRODUCTIVE_SOURCES, "unknown", None))
    assume(material.get("cell_type") not in ("gametes", "unknown", None))
    for code, result in assessed(loaded(data)).jurisdictions.items():
        asked = {q.fact for q in result.questions} & REPRODUCTIVE_FACTS
        assert not asked, f"{code} asks {asked} of non-reproductive material"


@scaled(100)
@given(wide_products(), st.sampled_from(INPUTS))
def test_candidates_hold_the_full_answer_and_premarket_is_never_lighter(
    data: dict[str, Any], field: str
) -> None:
    full = assessed(loaded(data))
    partial_data = copy.deepcopy(data)
    set_path(partial_data, field, "unknown")
    if field == "material.origin":  # keep the contract's consistency rules
        partial_data.get("material", {}).pop("donor_relation", None)
    partial = assessed(loaded(partial_data))
    for code, whole in full.jurisdictions.items():
        now = partial.jurisdictions[code]
        if whole.pathway is not None:
            assert now.pathway in (whole.pathway, None), (code, field)
            assert whole.pathway in now.candidates, (code, field, now.candidates)
        if whole.classification is not None:
            assert now.classification in (whole.classification, None), (code, field)
            assert whole.classification in now.classification_candidates, (code, field)
        if whole.premarket_review is True:
            assert now.premarket_review is not False, f"{code}: lighter without {field}"
        if now.status == "undetermined" and now.premarket_review is not None:
            reviews = {
                RULEBASE.jurisdictions[code].pathways[p].premarket_review for p in now.candidates
            }
            assert not reviews - {now.premarket_review, None}, (code, now.candidates)


@scaled(100)
@given(wide_products())
def test_classification_is_reported_whenever_decided(data: dict[str, Any]) -> None:
    product = loaded(data)
    assessment = assessed(product)
    text = render_text.render([assessment])
    markdown = render_markdown.render([assessment])
    for code, result in assessment.jurisdictions.items():
        jur = RULEBASE.jurisdictions[code]
        ev = ASSESSOR.evaluate(product, code, AS_OF)
        decided = ev.derived.get(jur.classification_fact) if jur.classification_fact else None
        assert result.classification == decided, code
        if decided is not None:
            assert decided in text and decided in markdown, code
            assert result.classification_candidates == [decided], code
