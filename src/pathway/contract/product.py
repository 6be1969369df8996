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
    StrictBool,
    StrictStr,
    field_validator,
    model_validator,
)

Unknown = Literal["unknown"]
Tri = StrictBool | Unknown

Sponsor = Literal["company", "hospital", "academic", "clinic"]
Form = Literal[
    "cells",
    "tissue",
    "vascularized_organ",
    "blood_component",
    "secreted_or_extracted",
    "gametes_or_embryo",
    "nucleic_acid_only",
]
Origin = Literal["autologous", "allogeneic", "xenogeneic", "autologous_and_allogeneic"]
DonorRelation = Literal["first_degree", "second_degree", "unrelated"]
GeneticModification = Literal["none", "ex_vivo", "in_vivo"]
Vector = Literal[
    "integrating_viral",
    "non_integrating_viral",
    "plasmid",
    "mrna",
    "genome_editing",
    "transposon",
]
Action = Literal["pharmacological", "immunological", "metabolic", "regenerative", "structural"]
Stage = Literal["research", "clinical_trial", "marketing", "individual_patient"]
IntendedUse = Literal[
    "human_administration",
    "ancillary_manufacturing",
    "in_vitro_diagnostic",
    "organ_transplant_vessel",
    "nonclinical_research",
]
StandardProcedure = Literal[
    "none",
    "blood_transfusion",
    "hsc_transplantation",
    "assisted_reproduction",
    "tissue_transplantation",
    "organ_transplantation",
]
ProcessingSite = Literal["in_house", "external", "abroad"]
Efficacy = Literal["none", "presumed", "confirmed"]
Safety = Literal["none", "confirmed"]

FORMAT = 1


def _none_to_unknown(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: ("unknown" if v is None else v) for k, v in data.items()}
    return data


def _parse_date(value: Any) -> Any:
    if isinstance(value, str) and value != "unknown":
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date (write YYYY-MM-DD)") from None
    if isinstance(value, _dt.datetime):
        return value.date()
    return value


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
        "time-limited approval, as extended (Japan: PMD Act Art. 23-26(1), (2))",
    )

    _dates = field_validator("approval_date", "time_limit_end", mode="before")(
        lambda v: _parse_date(v)
    )


class Determination(_Model):
    """An expert's call that overrides what the rules would derive for one fact."""

    fact: StrictStr
    value: StrictBool | StrictStr
    reason: StrictStr = Field(min_length=1)
    source: StrictStr | None = Field(
        default=None, description="e.g. a TRG letter, a CAT recommendation"
    )
    date: _dt.date | None = None
    expires: _dt.date | None = None

    _dates = field_validator("date", "expires", mode="before")(lambda v: _parse_date(v))

    @model_validator(mode="before")
    @classmethod
    def _nulls(cls, data: Any) -> Any:  # here null means "not given", not unknown
        return data

    def in_force(self, day: _dt.date) -> bool:
        """Whether the determination still applies on ``day`` (it has not expired)."""
        return self.expires is None or self.expires >= day


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
