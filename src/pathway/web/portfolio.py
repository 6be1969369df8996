"""The portfolio table: every product file in the folder, assessed once per content and day
(the same file unchanged is not assessed again)."""

from __future__ import annotations

import collections
import datetime as _dt
import os
from pathlib import Path
from typing import Any

from ..contract.assessment import Assessment
from ..errors import InputError, PathwayError
from ..io.document import Limits
from ..io.walk import files_under
from ..product.load import load_product
from . import guards

MEMO = 4_096
MAX_FILES = 5_000


def products(root: Path) -> list[Any]:
    """The product files under ``root`` (hidden folders and files left out), sorted; at most
    MAX_FILES of them."""
    found = []
    for suffix in guards.SUFFIXES:
        found += [f for f in files_under(root, suffix) if not any(p.startswith(".") for p in f[0])]
    return sorted(found, key=lambda f: f[0])[:MAX_FILES]


def read_bounded(path: Path, limits: Limits, rel: str) -> bytes:
    """At most ``max_bytes`` of a product file, its size checked before it is read."""
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > limits.max_bytes:
                raise InputError(f"larger than {limits.max_bytes:,} bytes", file=rel)
            data = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=rel) from None
    if len(data) > limits.max_bytes:
        raise InputError(f"larger than {limits.max_bytes:,} bytes", file=rel)
    return data


def row(
    assessor: Any,
    limits: Limits,
    memo: collections.OrderedDict[Any, Any],
    root: Path,
    rel: str,
    day: _dt.date,
) -> dict[str, Any]:
    """One product's row: its name and each jurisdiction's pathway, or why it cannot be read.
    Kept per file, size, modification time and day, the oldest rows dropped first."""
    out: dict[str, Any] = {
        "file": rel,
        "name": rel,
        "pathways": {},
        "statuses": set(),
        "error": None,
    }
    path = guards.product_path(root, rel)
    if path is None:
        out["error"] = "not read: a link out of the folder, or not a product file"
        out["statuses"].add("error")
        return out
    try:
        info = path.stat()
    except OSError as exc:
        out["error"] = f"cannot read: {exc.strerror or exc}"
        out["statuses"].add("error")
        return out
    key = (rel, info.st_mtime_ns, info.st_size, day)
    found = memo.get(key)
    if found is not None:
        memo.move_to_end(key)
        return found  # type: ignore[no-any-return]
    try:
        data = read_bounded(path, limits, rel)
        loaded = load_product(data, assessor.rulebase, limits=limits, name=rel)
        assessment: Assessment = assessor.assess(loaded, None, day)
        out["name"] = loaded.product.name
        for code, r in assessment.jurisdictions.items():
            out["pathways"][code] = r.pathway
            out["statuses"].add(r.status)
    except PathwayError as exc:
        out["error"] = str(exc)
        out["statuses"].add("error")
    memo[key] = out
    while len(memo) > MEMO:
        memo.popitem(last=False)
    return out
