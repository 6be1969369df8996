"""The closed sets of values of the product file (contract section 1, format 1): the
enumerations a field may take, and the words for who decided a determination. Vocabulary
terms (source tissue, cell type, processing step...) are data in ``rules/``, not here."""

from __future__ import annotations

from typing import Literal

from pydantic import StrictBool

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
Action = Literal[
    "pharmacological", "immunological", "metabolic", "regenerative", "structural", "nutritional"
]
SecretedProduct = Literal[
    "extracellular_vesicles",
    "conditioned_medium",
    "milk",
    "cell_free_fluid",
    "cell_factors",
    "matrix_proteins",
    "other",
]
ApprovalStatus = Literal["in_force", "lapsed", "withdrawn", "converted"]
TimeLimitYears = Literal[1, 2, 3, 4, 5, 6, 7]
Designation = Literal[
    "us_rmat",
    "us_breakthrough",
    "us_fast_track",
    "us_orphan",
    "eu_orphan",
    "eu_prime",
    "eu_accelerated_assessment",
    "jp_orphan",
    "jp_sakigake",
    "cn_breakthrough",
    "cn_priority_review",
]
Authority = Literal[
    "fda_trg",
    "fda_rfd",
    "fda_oct",
    "fda_other",
    "ema_cat",
    "ema_other",
    "national_competent_authority",
    "mhlw",
    "pmda",
    "certified_committee",
    "nmpa",
    "nhc",
    "court",
    "other",
]
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

AUTHORITY_WORDS: dict[str, str] = {
    "fda_trg": "FDA Tissue Reference Group recommendation",
    "fda_rfd": "FDA Request for Designation (Office of Combination Products) decision",
    "fda_oct": "FDA Office of Therapeutic Products (CBER) advice",
    "fda_other": "FDA decision",
    "ema_cat": "EMA/CAT classification recommendation",
    "ema_other": "EMA decision",
    "national_competent_authority": "national competent authority decision",
    "mhlw": "MHLW decision",
    "pmda": "PMDA consultation",
    "certified_committee": "certified committee opinion",
    "nmpa": "NMPA decision",
    "nhc": "NHC decision",
    "court": "court ruling",
    "other": "decision",
}
