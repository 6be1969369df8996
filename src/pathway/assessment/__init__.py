"""The contract's Assessment: orchestration (``assessor``), per-period plans, findings, reports,
open questions and product-file locations."""
