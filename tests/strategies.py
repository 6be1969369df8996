"""Hypothesis strategies: valid product descriptions drawn from the whole contract.

Every field is omitted, ``unknown`` or a valid value (vocabulary terms come from the shipped rule
base), combinations the contract calls contradictory are never drawn, and known values are
favoured so that most products reach a pathway.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any

from hypothesis import strategies as st

import pathway
from pathway.contract.product import (
    Action,
    ApprovalStatus,
    Designation,
    Efficacy,
    Form,
    GeneticModification,
    IntendedUse,
    Origin,
    Safety,
    SecretedProduct,
    Sponsor,
    Stage,
    TimeLimitYears,
    Vector,
)

OMIT = object()

HE_CONDITIONS = [
    "non_routine",
    "quality_standards",
    "same_member_state",
    "in_hospital",
    "practitioner_responsibility",
    "individual_prescription",
    "custom_made",
]

RULEBASE = pathway.load_rulebase()


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set the dotted ``path`` of a product mapping, creating the parents."""
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def values(literal: Any) -> list[Any]:
    return list(typing.get_args(literal))


def maybe(strategy: st.SearchStrategy[Any], known: int = 6) -> st.SearchStrategy[Any]:
    """Mostly a known value; sometimes ``unknown``; sometimes omitted."""
    return st.one_of(*[strategy] * known, st.just("unknown"), st.just(OMIT))


def tri(known: int = 6) -> st.SearchStrategy[Any]:
    return maybe(st.booleans(), known)


def terms(field: str) -> list[str]:
    vocab = RULEBASE.vocabulary_for(field)
    assert vocab is not None
    return list(vocab.terms)


def eea_states(day: Any) -> list[str]:
    """The states where EU medicinal-product law applies on ``day`` (the hospital exemption is
    available there): the member-state terms whose ``eu_status`` is not third_country."""
    vocab = RULEBASE.vocabulary_for("context.member_state")
    assert vocab is not None
    status = vocab.attributes["eu_status"]
    return [
        t
        for t in vocab.terms
        if (v := status.value_on(t, day)) is not None and v.value != "third_country"
    ]


HE_DAY = dt.date(2026, 11, 25)  # the day the properties assess on (conftest.AS_OF)


def term_list(field: str, max_size: int = 4) -> st.SearchStrategy[Any]:
    items = st.lists(st.sampled_from(terms(field)), max_size=max_size, unique=True)
    open_list = items.map(lambda xs: [*xs, "unknown"])
    return st.one_of(items, items, items, open_list, st.just("unknown"), st.just(OMIT))


def combined_item() -> st.SearchStrategy[Any]:
    kinds = st.sampled_from(terms("combined_with"))
    mapping = st.fixed_dictionaries(
        {"kind": kinds},
        optional={
            "integral": st.sampled_from([True, False, "unknown"]),
            "new_safety_concern": st.sampled_from([True, False, "unknown"]),
        },
    )
    return st.one_of(kinds, kinds, mapping)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in data.items():
        if value is OMIT:
            continue
        if isinstance(value, dict):
            value = _clean(value)
            if not value:
                continue
        out[key] = value
    return out


@st.composite
def wide_products(draw: st.DrawFn, determinations: bool = True) -> dict[str, Any]:
    """Anything the contract allows."""
    origin = draw(maybe(st.sampled_from(values(Origin))))
    relation: Any = OMIT
    if origin in ("allogeneic", "unknown", OMIT):
        relation = draw(maybe(st.sampled_from(["first_degree", "second_degree", "unrelated"])))
    gm = draw(maybe(st.sampled_from(values(GeneticModification)), known=8))
    form = draw(maybe(st.sampled_from(values(Form)), known=8))
    if gm == "ex_vivo" and form == "nucleic_acid_only":
        form = "cells"
    vector: Any = OMIT
    if gm not in ("none",):
        vector = draw(maybe(st.sampled_from(values(Vector)), known=3))
    processing = draw(term_list("processing"))
    if gm == "none" and isinstance(processing, list) and "genetic_modification" in processing:
        processing = [p for p in processing if p != "genetic_modification"]
    viable = draw(tri())
    if viable is True and form in ("secreted_or_extracted", "nucleic_acid_only"):
        viable = False
    same_surgery = draw(tri())
    if same_surgery is True and origin in ("allogeneic", "xenogeneic"):
        same_surgery = False
    secreted: Any = OMIT
    if form in ("secreted_or_extracted", "unknown", OMIT):
        secreted = draw(maybe(st.sampled_from(values(SecretedProduct)), known=3))
    reproductive = draw(tri())
    intimate = draw(tri(known=3))
    if intimate is True and reproductive is False:
        intimate = False
    product = {
        "format": 1,
        "name": "generated product",
        "sponsor": draw(maybe(st.sampled_from(values(Sponsor)))),
        "material": {
            "form": form,
            "origin": origin,
            "donor_relation": relation,
            "source": draw(maybe(st.sampled_from(terms("material.source")), known=8)),
            "cell_type": draw(maybe(st.sampled_from(terms("material.cell_type")), known=8)),
            "viable": viable,
            "secreted_product": secreted,
        },
        "processing": processing,
        "genetic_modification": gm,
        "vector": vector,
        "combined_with": draw(
            st.one_of(
                st.lists(combined_item(), max_size=3),
                st.lists(combined_item(), max_size=3),
                st.just([]),
                st.just("unknown"),
                st.just(OMIT),
            )
        ),
        "use": {
            "indication": draw(maybe(st.just("some disease"), known=2)),
            "serious_condition": draw(tri()),
            "homologous": draw(tri(known=2)),
            "systemic_effect": draw(tri()),
            "metabolic_dependence": draw(tri()),
            "reproductive": reproductive,
            "action": draw(maybe(st.sampled_from(values(Action)))),
            "infectious_disease_vaccine": draw(tri()),
            "same_surgical_procedure": same_surgery,
            "functions": draw(term_list("use.functions", max_size=3)),
            "intended_use": draw(
                st.one_of(*[st.just(OMIT)] * 4, st.sampled_from([*values(IntendedUse), "unknown"]))
            ),
            "intimate_partner": intimate,
            "same_essential_function": draw(tri(known=2)),
            "effect_from_modification": draw(tri(known=2)) if gm == "ex_vivo" else OMIT,
            "site": draw(maybe(st.sampled_from(terms("use.site")), known=2)),
            **{
                name: draw(tri(known=1))
                for name in (
                    "us_orphan_criteria",
                    "eu_orphan_criteria",
                    "jp_orphan_criteria",
                    "substantial_improvement",
                    "unmet_medical_need",
                    "surrogate_endpoint",
                    "major_public_health_interest",
                    "sakigake_criteria",
                    "no_effective_treatment",
                    "clear_clinical_advantage",
                )
            },
        },
        "context": {
            "stage": draw(maybe(st.sampled_from(values(Stage)))),
            "member_state": draw(maybe(st.sampled_from(terms("context.member_state")), known=3)),
            "hospital_exemption": {name: draw(tri(known=8)) for name in HE_CONDITIONS},
            "evidence": {
                "efficacy": draw(maybe(st.sampled_from(values(Efficacy)))),
                "safety": draw(maybe(st.sampled_from(values(Safety)))),
                "heterogeneous": draw(tri()),
                "preliminary_clinical": draw(tri()),
            },
            "foreign_party": draw(tri(known=2)),
            "approval_date": draw(maybe(st.dates(dt.date(2014, 11, 25), HE_DAY), known=1)),
            "time_limit_years": draw(maybe(st.sampled_from(values(TimeLimitYears)), known=1)),
            "approval_status": draw(maybe(st.sampled_from(values(ApprovalStatus)), known=1)),
            "designations": draw(
                st.one_of(
                    st.just(OMIT),
                    st.just(OMIT),
                    st.just([]),
                    st.lists(st.sampled_from(values(Designation)), max_size=2, unique=True),
                )
            ),
        },
    }
    # a function list and a contrary declaration would be refused as contradictory: keep one
    if product["use"]["homologous"] in (True, False) and draw(st.booleans()):
        product["use"]["functions"] = OMIT
    if determinations and draw(st.integers(0, 9)) == 0:
        derived = [f for f in RULEBASE.facts.values() if f.origin == "derived" and f.type == "bool"]
        fact = draw(st.sampled_from(derived))
        product["determinations"] = [
            {
                "fact": fact.name,
                "value": draw(st.booleans()),
                "reason": "generated expert call",
                "authority": draw(st.sampled_from(["ema_cat", "fda_trg", "pmda", OMIT])),
            }
        ]
        product["determinations"] = [
            {k: v for k, v in d.items() if v is not OMIT} for d in product["determinations"]
        ]
    return _clean(product)


MINIMAL_STEPS = [
    "rinsing",
    "cleansing",
    "washing",
    "sizing",
    "shaping",
    "cutting",
    "cryopreservation",
    "freezing",
    "refrigerated_storage",
    "concentration",
    "cell_selection",
    "dehydration",
]


@st.composite
def hctp_products(draw: st.DrawFn) -> dict[str, Any]:
    """Human cells or tissue for a human recipient: the part of the space where 361 and 351 meet."""
    data = draw(wide_products(determinations=True))
    data.setdefault("material", {})
    data.setdefault("use", {})
    data["material"]["form"] = draw(
        st.sampled_from(["cells", "tissue", "cells", "tissue", "gametes_or_embryo"])
    )
    origin = draw(st.sampled_from(["autologous", "allogeneic", "allogeneic"]))
    data["material"]["origin"] = origin
    if origin == "autologous":
        data["material"].pop("donor_relation", None)
    else:
        data["material"]["donor_relation"] = draw(
            maybe(st.sampled_from(["first_degree", "second_degree", "unrelated"]), 8)
        )
        if data["use"].get("same_surgical_procedure") is True:
            data["use"]["same_surgical_procedure"] = False
    data["use"].pop("intended_use", None)
    steps = st.one_of(st.sampled_from(MINIMAL_STEPS), st.sampled_from(terms("processing")))
    processing = draw(st.lists(steps, max_size=3, unique=True))
    if draw(st.booleans()):  # an explicit homologous use, so that 361 is reachable
        data["use"]["homologous"] = True
        data["use"].pop("functions", None)
    if data.get("genetic_modification") == "none" and "genetic_modification" in processing:
        processing.remove("genetic_modification")
    data["processing"] = draw(
        st.sampled_from([processing, processing, processing, [*processing, "unknown"], "unknown"])
    )
    data["combined_with"] = draw(
        st.sampled_from([[], [], ["preserving_agent"], ["crystalloid"], ["scaffold"], "unknown"])
    )
    return _clean(data)


@st.composite
def products_361(draw: st.DrawFn) -> dict[str, Any]:
    """Products that meet all four criteria: minimally manipulated structural or HPC products."""
    kind = draw(st.sampled_from(["amnion", "bone", "cord_blood", "skin"]))
    base: dict[str, Any] = {
        "format": 1,
        "name": "361 candidate",
        "genetic_modification": "none",
        "use": {
            "systemic_effect": False,
            "metabolic_dependence": False,
            "reproductive": False,
            "same_surgical_procedure": False,
        },
        "context": {"stage": draw(st.sampled_from(["clinical_trial", "marketing"]))},
    }
    if kind == "cord_blood":
        base["material"] = {
            "form": "cells",
            "origin": "allogeneic",
            "source": "cord_blood",
            "cell_type": "hematopoietic_progenitor",
            "donor_relation": draw(st.sampled_from(["first_degree", "second_degree"])),
        }
        base["processing"] = draw(
            st.lists(
                st.sampled_from(["concentration", "cryopreservation", "cell_selection"]),
                max_size=3,
                unique=True,
            )
        )
        base["use"].update(systemic_effect=True, metabolic_dependence=True)
        functions = ["hematopoietic_reconstitution"]
    else:
        source = {"amnion": "amniotic_membrane", "bone": "bone", "skin": "skin"}[kind]
        base["material"] = {
            "form": "tissue",
            "origin": "allogeneic",
            "donor_relation": "unrelated",
            "source": source,
            "cell_type": "tissue",
        }
        steps = {
            "amnion": ["cleansing", "dehydration", "sterilization"],
            "bone": ["grinding", "shaping", "freezing", "sterilization"],
            "skin": ["cutting", "cryopreservation"],
        }[kind]
        base["processing"] = draw(st.lists(st.sampled_from(steps), max_size=3, unique=True))
        functions = {
            "amnion": ["cover"],
            "bone": ["bone_void_filling"],
            "skin": ["cover", "barrier"],
        }[kind]
    if draw(st.booleans()):
        base["use"]["functions"] = functions
    else:
        base["use"]["homologous"] = True
    # 21 CFR 1271.10(a)(3): the agents are allowed only if they raise no new clinical safety
    # concern, which the product must say (omitted, new_safety_concern is unknown)
    agents = draw(st.sampled_from([[], ["preserving_agent"], ["crystalloid", "storage_agent"]]))
    base["combined_with"] = [{"kind": k, "new_safety_concern": False} for k in agents]
    return base


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


@st.composite
def near_361(draw: st.DrawFn) -> dict[str, Any]:
    """A 361 product with one or two facts made unknown or changed."""
    data = draw(products_361())
    fields = [
        "processing",
        "combined_with",
        "use.homologous",
        "use.systemic_effect",
        "use.metabolic_dependence",
        "material.donor_relation",
        "material.source",
        "material.cell_type",
        "use.same_surgical_procedure",
        "use.reproductive",
        "genetic_modification",
        "context.stage",
    ]
    for field in draw(st.lists(st.sampled_from(fields), min_size=1, max_size=2, unique=True)):
        _set(data, field, "unknown")
    return data


@st.composite
def hospital_exemption_products(draw: st.DrawFn) -> dict[str, Any]:
    """Engineered cells prepared in a hospital for one patient, all seven Art 3(7) conditions true."""
    data = draw(hctp_products())
    data["genetic_modification"] = draw(st.sampled_from(["none", "ex_vivo"]))
    data.pop("vector", None)
    data["processing"] = ["culture_expansion"] + (
        ["genetic_modification"] if data["genetic_modification"] == "ex_vivo" else []
    )
    data["material"].update(form="cells", viable=True)
    anucleate = _attribute_terms("material.cell_type", "eu_nucleated", False)
    if data["material"].get("cell_type") in (None, "unknown", "none", *anucleate):
        data["material"]["cell_type"] = "msc"  # cells in the EU's ATMP sense: nucleated, known
    data.setdefault("use", {})["action"] = draw(
        st.sampled_from(["immunological", "regenerative", "metabolic"])
    )
    data["use"]["infectious_disease_vaccine"] = False
    data["context"] = {
        "stage": "individual_patient",
        "member_state": draw(st.sampled_from(eea_states(HE_DAY))),
        "hospital_exemption": dict.fromkeys(HE_CONDITIONS, True),
    }
    data["combined_with"] = []
    data.pop("determinations", None)  # an expert's call would override the rules under test
    return data


def products() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        wide_products(),
        hctp_products(),
        hctp_products(),
        products_361(),
        near_361(),
        hospital_exemption_products(),
    )


def _attribute_terms(field: str, attribute: str, value: Any) -> list[str]:
    vocab = RULEBASE.vocabulary_for(field)
    assert vocab is not None
    attr = vocab.attributes[attribute]
    return [
        name
        for name in vocab.terms
        if (v := attr.value_on(name, HE_DAY)) is not None and v.value == value
    ]


# The ASRM risk-class order (rules/jp/asrm/risk_class.yaml, MHLW Figure 2), as the product fields
# each question asks about. The product drawn for a question reaches that question with every
# earlier answer a determinate "no", and the field is one whose answer decides the class.
ASRM_QUESTIONS = {
    "in vivo gene therapy (nucleic acids)": "material.form",
    "pluripotent (ES/iPS)-derived": "material.source",
    "gene introduced": "genetic_modification",
    "genome edited": "vector",
    "xenogeneic": "material.origin",
    "allogeneic": "material.origin",
    "cultured somatic stem cells (culture)": "processing",
    "cultured somatic stem cells (cell type)": "material.cell_type",
    "cultured cells for reconstruction": "use.action",
    "non-homologous use": "use.jp_homologous",
}


@st.composite
def asrm_products(draw: st.DrawFn, question: str) -> dict[str, Any]:
    """Care or clinical research by a medical institution, on the ASRM track, at ``question``."""
    uncultured = _attribute_terms("processing", "jp_culture", False)
    stem = _attribute_terms("material.cell_type", "jp_somatic_stem_cell", True)
    not_stem = _attribute_terms("material.cell_type", "jp_somatic_stem_cell", False)
    not_stem = [t for t in not_stem if t not in ("none", "gametes", "platelets")]
    data: dict[str, Any] = {
        "format": 1,
        "name": "ASRM product",
        "sponsor": draw(st.sampled_from(["clinic", "hospital", "academic"])),
        "material": {
            "form": draw(st.sampled_from(["cells", "tissue"])),
            "origin": "autologous",
            "source": draw(st.sampled_from(["adipose", "bone_marrow", "peripheral_blood", "skin"])),
            "cell_type": draw(st.sampled_from(stem + not_stem)),
            "viable": True,
        },
        "processing": draw(st.lists(st.sampled_from(uncultured), max_size=3, unique=True)),
        "genetic_modification": "none",
        "combined_with": [],
        "use": {
            "homologous": True,
            "jp_homologous": True,
            "action": draw(st.sampled_from(["regenerative", "structural", "immunological"])),
            "standard_procedure": "none",
        },
        "context": {"stage": draw(st.sampled_from(["individual_patient", "research"]))},
    }
    if question == "genome edited":
        data["genetic_modification"] = "ex_vivo"
        data["processing"] = [*data["processing"], "genetic_modification"]
    if question == "cultured somatic stem cells (culture)":
        data["material"]["cell_type"] = draw(st.sampled_from(stem))
    if question in ("cultured somatic stem cells (cell type)", "cultured cells for reconstruction"):
        data["processing"] = [*data["processing"], "culture_expansion"]
    if question == "cultured somatic stem cells (cell type)":
        data["use"]["action"] = draw(st.sampled_from(["immunological", "metabolic"]))
    if question == "cultured cells for reconstruction":
        data["material"]["cell_type"] = draw(st.sampled_from(not_stem))
    _set(data, ASRM_QUESTIONS[question], "unknown")
    return data
