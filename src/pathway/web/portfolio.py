"""The portfolio table: every product file in the folder, assessed once per content and day
(the same file unchanged is not assessed again)."""

from __future__ import annotations

import datetime as _dt
import hashlib
from pathlib import Path
from typing import Any

from ..contract.assessment import Assessment
from ..errors import InputError, PathwayError
from ..io.document import Limits
from ..io.walk import files_under
from ..product.load import load_product
from . import guards

MEMO = 2_000


def products(root: Path) -> list[Any]:
    """The product files under ``root`` (hidden folders and files left out), sorted."""
    found = []
    for suffix in guards.SUFFIXES:
        found += [f for f in files_under(root, suffix) if not any(p.startswith(".") for p in f[0])]
    return sorted(found, key=lambda f: f[0])


def row(
    assessor: Any, limits: Limits, memo: dict[Any, Any], rel: str, path: Path, day: _dt.date
) -> dict[str, Any]:
    """One product's row: its name and each jurisdiction's pathway, or why it cannot be read."""
    data = path.read_bytes()[: limits.max_bytes + 1]
    key = (rel, hashlib.sha256(data).hexdigest(), day)
    found = memo.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    out: dict[str, Any] = {
        "file": rel,
        "name": rel,
        "pathways": {},
        "statuses": set(),
        "error": None,
    }
    try:
        if len(data) > limits.max_bytes:
            raise InputError(f"larger than {limits.max_bytes:,} bytes", file=rel)
        loaded = load_product(data, assessor.rulebase, limits=limits, name=rel)
        assessment: Assessment = assessor.assess(loaded, None, day)
        out["name"] = loaded.product.name
        for code, r in assessment.jurisdictions.items():
            out["pathways"][code] = r.pathway
            out["statuses"].add(r.status)
    except PathwayError as exc:
        out["error"] = str(exc)
        out["statuses"].add("error")
    if len(memo) > MEMO:
        memo.clear()
    memo[key] = out
    return out
