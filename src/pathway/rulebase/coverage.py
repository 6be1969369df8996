"""Which test vectors exercise which rules: each vector evaluated with the engine.

Vector files are the data of ``tests/test_vectors.py`` (``tests/vectors/<jurisdiction>/*.yaml``):
a ``base`` product, optional ``jurisdiction`` and ``as_of``, and ``vectors``, each with its
``product`` changes, optional ``as_of`` and the ``expect``-ed results. A vector is evaluated for
the jurisdictions its expectations name (the file's ``jurisdiction`` when they name none); every
rule that fired is exercised by it. A vector the contract refuses exercises nothing.
"""

from __future__ import annotations

import copy
import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from ..errors import InputError, RuleBaseError
from .model import RuleBase

EXPECT_KEYS = {
    "pathway",
    "classification",
    "premarket_review",
    "facts",
    "obligations",
    "no_obligations",
    "options",
    "questions",
    "notes",
    "due",
}


@dataclass(frozen=True)
class Vector:
    file: Path  # the vector file
    name: str  # <file relative to the vectors directory, without .yaml>:<vector id>
    description: str


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


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = copy.deepcopy(base)
        for key, value in over.items():
            out[key] = _merge(out[key], value) if key in out else copy.deepcopy(value)
        return out
    return copy.deepcopy(over)


def _day(value: Any, default: _dt.date) -> _dt.date:
    if value is None:
        return default
    return value if isinstance(value, _dt.date) else _dt.date.fromisoformat(str(value))


def exercised(
    rb: RuleBase, vectors_dir: Path, as_of: _dt.date | None = None
) -> dict[str, list[Vector]]:
    """Rule id -> the vectors that fired it (``as_of``: the day for vectors that give none)."""
    from ..assess import Assessor
    from ..facts import build_facts
    from ..loading import load_product

    assessor = Assessor(rb, "engine")
    default_day = as_of or _dt.date.today()
    out: dict[str, list[Vector]] = {}
    yaml = YAML(typ="safe")
    for path in sorted(vectors_dir.rglob("*.yaml")):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"))
        except Exception as exc:  # a broken vector file: say which
            raise RuleBaseError(f"cannot read the vector file: {exc}", file=str(path)) from None
        if not isinstance(data, dict) or not isinstance(data.get("vectors"), list):
            raise RuleBaseError("not a vector file (base, vectors)", file=str(path))
        label = path.relative_to(vectors_dir).with_suffix("").as_posix()
        for entry in data["vectors"]:
            vector = Vector(path, f"{label}:{entry.get('id')}", str(entry.get("description", "")))
            expect = entry.get("expect") or {}
            if set(expect) <= EXPECT_KEYS:
                codes = (
                    [data["jurisdiction"]] if data.get("jurisdiction") else list(rb.jurisdictions)
                )
            else:
                codes = [c for c in expect if c in rb.jurisdictions]
            day = _day(entry.get("as_of"), _day(data.get("as_of"), default_day))
            try:
                loaded = load_product(
                    _merge(data.get("base") or {}, entry.get("product") or {}), rb
                )
            except InputError:
                continue
            facts = build_facts(loaded.product, rb)
            dets = [
                (d.fact, d.value)
                for d in loaded.product.determinations
                if d.expires is None or d.expires >= day
            ]
            for code in codes:
                try:
                    evaluation = assessor.evaluator.evaluate(code, facts, day, dets)
                except InputError:
                    continue
                for rule_id in evaluation.fired:
                    out.setdefault(rule_id, []).append(vector)
    return out
