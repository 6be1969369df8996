"""Which test vectors exercise which rules: each vector (``vectors``) evaluated with the engine.

A vector is evaluated for the jurisdictions its expectations name (every jurisdiction when they
name none); every rule that fired is exercised by it. A vector the contract refuses exercises
nothing.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ..errors import InputError
from ..rulebase.model import RuleBase
from .vectors import Vector, all_vectors


def default_vectors_dir() -> Path | None:
    """The repository's ``tests/vectors``: beside the sources when pathway runs from a checkout,
    else in the working directory (an installed pathway run from the repository)."""
    for found in (
        Path(__file__).resolve().parents[3] / "tests" / "vectors",
        Path.cwd() / "tests" / "vectors",
    ):
        if found.is_dir():
            return found
    return None


def exercised(
    rb: RuleBase, vectors_dir: Path, as_of: _dt.date | None = None
) -> dict[str, list[Vector]]:
    """Rule id -> the vectors that fired it (``as_of``: the day for vectors that give none)."""
    from ..assessment.assessor import Assessor
    from ..facts import build_facts
    from ..product.load import load_product

    assessor = Assessor(rb, "engine")
    out: dict[str, list[Vector]] = {}
    for vector in all_vectors(vectors_dir, as_of or _dt.date.today()):
        try:
            loaded = load_product(vector.product, rb)
        except InputError:
            continue
        facts = build_facts(loaded.product, rb, vector.as_of)
        dets = loaded.product.determined_on(vector.as_of)
        for code in [c for c in vector.expect if c in rb.jurisdictions] or list(rb.jurisdictions):
            try:
                evaluation = assessor.evaluator.evaluate(code, facts, vector.as_of, dets)
            except InputError:
                continue
            for rule_id in evaluation.fired:
                out.setdefault(rule_id, []).append(vector)
    return out
