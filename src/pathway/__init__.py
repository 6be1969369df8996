"""pathway: regulatory-pathway decision support for cell, tissue, stem-cell and gene-modified-cell
products in the United States, the European Union, Japan and China.

Library use::

    import pathway
    result = pathway.assess("examples/svf-knee.yaml", jurisdictions=["us"])
    result.jurisdictions["us"].pathway        # "us.351"

Everything public is importable from here; the models are pydantic classes (typed, ``py.typed``).
"""

from __future__ import annotations

from .assessment.assessor import Assessor, assess, default_assessor
from .contract.assessment import (
    Assessment,
    CitationOut,
    Finding,
    JurisdictionResult,
    Note,
    Obligation,
    Option,
    Question,
)
from .contract.product import Product
from .errors import ContradictionError, EngineError, InputError, PathwayError, RuleBaseError
from .evaluate.durable import _c  # noqa: F401  (first: Python-version guard and engine import)
from .product.load import LoadedProduct, load_product
from .rulebase.load import default_rules_dir, load_rulebase
from .rulebase.model import RuleBase

__version__ = "0.6.0"

__all__ = [
    "Assessment",
    "Assessor",
    "CitationOut",
    "ContradictionError",
    "EngineError",
    "Finding",
    "InputError",
    "JurisdictionResult",
    "LoadedProduct",
    "Note",
    "Obligation",
    "Option",
    "PathwayError",
    "Product",
    "Question",
    "RuleBase",
    "RuleBaseError",
    "__version__",
    "assess",
    "default_assessor",
    "default_rules_dir",
    "load_product",
    "load_rulebase",
]
