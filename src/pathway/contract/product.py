"""The product description (contract section 1, format 1) as strict pydantic models.

Every field except ``format`` and ``name`` may be omitted or written ``unknown``; ``null`` means
the same. Unknown keys are errors. Vocabulary terms (``material.source``, ``material.cell_type``,
``processing``, ``combined_with`` kinds, ``use.functions``) are checked against the rule base's
vocabularies and normalised from their aliases (``pathway.product.load``). No legal prose lives here:
the questions and help for each field are in ``rules/facts.yaml``.

Extensions to the contract (allowed by it: new fields, new values) are marked "extension".
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictStr,
    field_validator,
    model_validator,
)

from .determination import Determination, parse_date
from .values import (
    Action,
    ApprovalStatus,
    Designation,
    DonorRelation,
    Efficacy,
    Form,
    GeneticModification,
    IntendedUse,
    Origin,
    ProcessingSite,
    Safety,
    SecretedProduct,
    Sponsor,
    Stage,
    StandardProcedure,
    TimeLimitYears,
    Tri,
    Unknown,
    Vector,
)

FORMAT = 1


def _none_to_unknown(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: ("unknown" if v is None else v) for k, v in data.items()}
    return data


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _nulls(cls, data: Any) -> Any:
        return _none_to_unknown(data)


class CombinedItem(_Model):
    """One thing the cells or tissue are combined with (the mapping form of an item)."""

    kind: StrictStr
    integral: Tri = Field(
        default="unknown",
        description="extension: a medical device that is an integral part of the product",
    )
    new_safety_concern: Tri = Field(
        default="unknown",
        description="extension: the added water, crystalloid or sterilizing/preserving/storage "
        "agent raises new clinical safety concerns (21 CFR 1271.10(a)(3) proviso); "
        "omitted means unknown, so criterion 3 stays open until it is given",
    )


class Material(_Model):
    form: Form | Unknown = "unknown"
    origin: Origin | Unknown = "unknown"
    donor_relation: DonorRelation | Unknown = "unknown"
    source: StrictStr = "unknown"
    cell_type: StrictStr = "unknown"
    viable: Tri = "unknown"
    secreted_product: SecretedProduct | Unknown = Field(
        default="unknown",
        description="extension: for material.form secreted_or_extracted, what the product is: "
        "extracellular vesicles (exosomes), conditioned medium, milk, a cell-free body fluid "
        "(e.g. amniotic fluid), cell factors (e.g. growth factors, cytokines), matrix proteins "
        "(e.g. collagen), or other",
    )


class Use(_Model):
    indication: StrictStr = "unknown"
    serious_condition: Tri = "unknown"
    homologous: Tri = "unknown"
    systemic_effect: Tri = "unknown"
    metabolic_dependence: Tri = "unknown"
    reproductive: Tri = "unknown"
    action: Action | Unknown = "unknown"
    infectious_disease_vaccine: Tri = "unknown"
    same_surgical_procedure: Tri = "unknown"
    functions: list[StrictStr] | Unknown = Field(
        default="unknown",
        description="extension: every function the product is intended (labelled, advertised) "
        "to perform in the recipient, from the `function` vocabulary",
    )
    intended_use: IntendedUse | Unknown = Field(
        default="human_administration",
        description="extension: what the article is intended for. Omitted means administration "
        "(implantation, transplantation, infusion or transfer) to a human recipient, the scope "
        "of pathway; write `unknown` to leave it open",
        json_schema_extra={
            "when_omitted": "the product is taken to be intended for administration "
            "(implantation, transplantation, infusion or transfer) to a human recipient"
        },
    )
    standard_procedure: StandardProcedure | Unknown = Field(
        default="unknown",
        description="extension: the product is used in an established procedure that some laws "
        "exclude (blood transfusion, haematopoietic stem cell transplantation, assisted "
        "reproduction, unprocessed tissue or organ transplantation), or none",
    )
    intimate_partner: Tri = Field(
        default="unknown",
        description="extension: the reproductive cells or tissue are donated by a sexually "
        "intimate partner of the recipient (21 CFR 1271.15(e), 1271.90(a)(2)); whether they are "
        "only recovered and immediately transferred is read from processing and combined_with",
    )
    jp_homologous: Tri = Field(
        default="unknown",
        description="extension: Japan's homologous use (相同利用, MHLW notice 医政研発1031第1号): the "
        "administered cells have the same function as the cells at the target site. A different "
        "test from use.homologous (the US/EU donor-function test)",
    )
    jp_orphan_criteria: Tri = Field(
        default="unknown",
        description="extension: Japan's orphan designation criteria (PMD Act Art. 77-2): fewer "
        "than 50,000 patients in Japan and a high medical need",
    )
    no_effective_treatment: Tri = Field(
        default="unknown",
        description="extension: no effective means of preventing or treating the condition "
        "exists (in the jurisdiction assessed)",
    )
    clear_clinical_advantage: Tri = Field(
        default="unknown",
        description="extension: sufficient evidence shows a clear clinical advantage over "
        "existing treatment",
    )
    same_essential_function: Tri = Field(
        default="unknown",
        description="extension: the EU's test (Reg 1394/2007 Art 2(1)(c)): the cells or tissue "
        "are used for the same essential function(s) in the recipient as in the donor, in the "
        "same anatomical or histological environment. Narrower than use.homologous (FDA's "
        "same basic function, which accepts another site). Left out, it is taken from "
        "use.homologous, which the contract defines as the same basic (US) and essential (EU) "
        "function (reported as an assumption)",
    )
    site: StrictStr = Field(
        default="unknown",
        description="extension: where the product is administered (the `site` vocabulary: "
        "skin, joint, intravenous...); it answers the homologous-use tests that look at the "
        "target site (Japan's 相同利用, the EU's same anatomical or histological environment)",
    )
    us_orphan_criteria: Tri = Field(
        default="unknown",
        description="extension: US orphan designation criteria (21 U.S.C. 360bb): the disease "
        "affects fewer than 200,000 persons in the United States (or more, with no reasonable "
        "expectation of recovering the development cost from US sales)",
    )
    eu_orphan_criteria: Tri = Field(
        default="unknown",
        description="extension: EU orphan designation criteria (Reg (EC) 141/2000 Art 3): a "
        "life-threatening or chronically debilitating condition affecting no more than 5 in "
        "10,000 persons in the EU (or unlikely to generate a sufficient return), with no "
        "satisfactory method authorised or with significant benefit over it",
    )
    substantial_improvement: Tri = Field(
        default="unknown",
        description="extension: preliminary clinical evidence indicates that the product may "
        "demonstrate substantial improvement over available therapy on a clinically significant "
        "endpoint (US breakthrough therapy, 21 U.S.C. 356(a))",
    )
    unmet_medical_need: Tri = Field(
        default="unknown",
        description="extension: nonclinical or clinical data demonstrate the potential to "
        "address an unmet medical need for the condition (US fast track, 21 U.S.C. 356(b); EU "
        "PRIME)",
    )
    surrogate_endpoint: Tri = Field(
        default="unknown",
        description="extension: the product has an effect on a surrogate endpoint (or an "
        "intermediate clinical endpoint) reasonably likely to predict clinical benefit (US "
        "accelerated approval, 21 U.S.C. 356(c))",
    )
    major_public_health_interest: Tri = Field(
        default="unknown",
        description="extension: the product is of major interest for public health, in "
        "particular as a therapeutic innovation (EU accelerated assessment, Reg (EC) 726/2004 "
        "Art 14(9))",
    )
    sakigake_criteria: Tri = Field(
        default="unknown",
        description="extension: Japan's SAKIGAKE (pioneering product) criteria (PMD Act Art. "
        "77-2(2)): an innovative mechanism, a serious disease, prominent expected efficacy from "
        "non-clinical and early clinical data, and development and application first (or at "
        "the same time) in Japan",
    )
    effect_from_modification: Tri = Field(
        default="unknown",
        description="extension: the therapeutic, prophylactic or diagnostic effect of a "
        "genetically modified product relates directly to the recombinant nucleic acid "
        "sequence, its expression product or the edit it makes (EU gene therapy definition, "
        "Dir 2001/83/EC Annex I Part IV 2.1(b)); false when the modification is only a marker "
        "or safety switch and the effect comes from the cells themselves",
    )


class HospitalExemption(_Model):
    non_routine: Tri = "unknown"
    quality_standards: Tri = "unknown"
    same_member_state: Tri = "unknown"
    in_hospital: Tri = "unknown"
    practitioner_responsibility: Tri = "unknown"
    individual_prescription: Tri = "unknown"
    custom_made: Tri = "unknown"


class Evidence(_Model):
    efficacy: Efficacy | Unknown = "unknown"
    safety: Safety | Unknown = "unknown"
    heterogeneous: Tri = "unknown"
    preliminary_clinical: Tri = Field(
        default="unknown",
        description="extension: preliminary clinical evidence indicates the potential to address "
        "unmet medical needs (21 U.S.C. 356(g), RMAT designation)",
    )


class Context(_Model):
    stage: Stage | Unknown = "unknown"
    member_state: StrictStr = "unknown"
    hospital_exemption: HospitalExemption = HospitalExemption()
    evidence: Evidence = Evidence()
    approval_date: _dt.date | Unknown = "unknown"
    foreign_party: Tri = "unknown"
    processing_site: ProcessingSite | Unknown = Field(
        default="unknown",
        description="extension: where the cells are processed: inside the medical institution "
        "that uses them, at an external facility in the country, or abroad",
    )
    hgr_export: Tri = Field(
        default="unknown",
        description="extension: human genetic resource materials leave the country, or genetic "
        "information from them is provided to a foreign party (either; the two fields below "
        "tell them apart)",
    )
    hgr_materials_export: Tri = Field(
        default="unknown",
        description="extension: human genetic resource materials (organs, tissues, cells with "
        "genetic material) are sent, mailed or carried out of the country",
    )
    hgr_info_to_foreign: Tri = Field(
        default="unknown",
        description="extension: human genetic resource information (gene or genome data) is "
        "provided or opened to a foreign organisation or individual, or an entity it controls",
    )
    approved_use: Tri = Field(
        default=False,
        description="extension: the product is used only as a product approved (authorised) "
        "in the jurisdiction assessed, within its approval (indication, dosage and "
        "administration). Omitted means not; write `unknown` to leave it open",
        json_schema_extra={
            "when_omitted": "the product is taken not to be an approved product used within "
            "its approval"
        },
    )
    translation_approved: Tri = Field(
        default="unknown",
        description="extension: China: the NHC approved the technology's clinical translation "
        "(State Council Order No. 818) and the institution meets the conditions published with "
        "the approval",
    )
    time_limit_end: _dt.date | Unknown = Field(
        default="unknown",
        description="extension: the last day of the time limit set in a conditional and "
        "time-limited approval (Japan: PMD Act Art. 23-26(1)); an extension goes in "
        "time_limit_extended_to",
    )
    time_limit_years: TimeLimitYears | Unknown = Field(
        default="unknown",
        description="extension: the time limit, in years, set in a conditional and "
        "time-limited approval (Japan: at most seven, PMD Act Art. 23-26(1)); counted from "
        "context.approval_date when time_limit_end is not given",
    )
    time_limit_extended_to: _dt.date | Unknown = Field(
        default="unknown",
        description="extension: the last day of the time limit as the Minister extended it "
        "(Japan: by up to three years, PMD Act Art. 23-26(2))",
    )
    approval_status: ApprovalStatus | Unknown = Field(
        default="unknown",
        description="extension: the status of the approval given in context.approval_date: "
        "in force, lapsed (the time limit passed without a new application), withdrawn "
        "(cancelled or refused on re-application), or converted (a new, full approval "
        "granted on re-application)",
    )
    designations: list[Designation] | Unknown = Field(
        default="unknown",
        description="extension: the expedited-programme designations the product has been "
        "granted (e.g. us_rmat, eu_prime, jp_sakigake); an empty list for none",
    )

    _dates = field_validator(
        "approval_date", "time_limit_end", "time_limit_extended_to", mode="before"
    )(lambda v: parse_date(v))


class Product(_Model):
    """A product description, format 1."""

    format: Literal[1]
    name: StrictStr = Field(min_length=1)
    sponsor: Sponsor | Unknown = "unknown"
    jurisdictions: list[StrictStr] | None = None
    material: Material = Material()
    processing: list[StrictStr] | Unknown = "unknown"
    genetic_modification: GeneticModification | Unknown = "unknown"
    vector: Vector | Unknown = "unknown"
    combined_with: list[CombinedItem | Unknown] | Unknown = "unknown"
    use: Use = Use()
    context: Context = Context()
    determinations: list[Determination] = []
    expect: dict[StrictStr, StrictStr] = {}

    @model_validator(mode="before")
    @classmethod
    def _nulls(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {
                k: (
                    v
                    if v is not None or k in ("jurisdictions", "determinations", "expect")
                    else "unknown"
                )
                for k, v in data.items()
            }
            for key in ("determinations", "expect"):
                if data.get(key) is None and key in data:
                    data[key] = [] if key == "determinations" else {}
        return data

    @field_validator("combined_with", mode="before")
    @classmethod
    def _items(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"kind": v} if isinstance(v, str) and v != "unknown" else v for v in value]
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Product:
        from .contradictions import Contradiction, contradictions

        for path, message in contradictions(self):
            raise Contradiction(path, message)
        return self

    def determinations_on(self, day: _dt.date) -> list[Determination]:
        """The expert determinations in force on ``day``."""
        return [d for d in self.determinations if d.in_force(day)]

    def determined_on(self, day: _dt.date) -> list[tuple[str, Any]]:
        """(fact, value) of each determination in force on ``day``: what evaluators apply."""
        return [(d.fact, d.value) for d in self.determinations_on(day)]
