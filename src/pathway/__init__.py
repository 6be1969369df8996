"""pathway: regulatory-pathway decision support for cell, tissue, stem-cell and gene-modified-cell
products in the United States, the European Union, Japan and China.

Library use::

    import pathway
    result = pathway.assess("examples/svf-knee.yaml", jurisdictions=["us"])
    result.jurisdictions["us"].pathway        # "us.351"

Everything public is importable from here; the models are pydantic classes (typed, ``py.typed``).
A name is imported on first use (``import pathway`` itself loads nothing else), so that a command
that needs only part of the package, or a cached answer, does not pay for the rest.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

if sys.version_info[:2] < (3, 11) or sys.version_info[:2] > (3, 14):
    from .evaluate.durable import _c  # noqa: F401  (refuses this Python, with the reason)

if TYPE_CHECKING:
    from .analysis.horizon import look_ahead
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
        Transition,
    )
    from .contract.product import Product
    from .errors import ContradictionError, EngineError, InputError, PathwayError, RuleBaseError
    from .product.load import LoadedProduct, load_product
    from .rulebase.load import default_rules_dir, load_rulebase
    from .rulebase.model import RuleBase

__version__ = "0.8.0"

_WHERE = {
    "Assessor": "assessment.assessor",
    "assess": "assessment.assessor",
    "default_assessor": "assessment.assessor",
    "Assessment": "contract.assessment",
    "CitationOut": "contract.assessment",
    "Finding": "contract.assessment",
    "JurisdictionResult": "contract.assessment",
    "Note": "contract.assessment",
    "Obligation": "contract.assessment",
    "Option": "contract.assessment",
    "Question": "contract.assessment",
    "Transition": "contract.assessment",
    "look_ahead": "analysis.horizon",
    "Product": "contract.product",
    "ContradictionError": "errors",
    "EngineError": "errors",
    "InputError": "errors",
    "PathwayError": "errors",
    "RuleBaseError": "errors",
    "LoadedProduct": "product.load",
    "load_product": "product.load",
    "default_rules_dir": "rulebase.load",
    "load_rulebase": "rulebase.load",
    "RuleBase": "rulebase.model",
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:  # a subpackage or module (pathway.errors, pathway.rulebase...)
        try:
            return importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module 'pathway' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f".{where}", __name__), name)
    globals()[name] = value  # once: later lookups do not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})


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
    "Transition",
    "__version__",
    "assess",
    "default_assessor",
    "default_rules_dir",
    "load_product",
    "load_rulebase",
    "look_ahead",
]
