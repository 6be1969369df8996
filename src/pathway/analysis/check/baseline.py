"""Baselines: the pathways recorded for products without ``expect:`` (``--write-baseline``), and
their input facts, so that a later change points at the line that changed."""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import Field, ValidationError

from ...assessment.assessor import Assessor
from ...contract.assessment import Assessment, Out, RulebaseRef
from ...errors import InputError
from ...product.load import LoadedProduct
from .models import UNDETERMINED


class BaselineEntry(Out):
    name: str
    sha256: str
    pathways: dict[str, str]
    facts: dict[str, Any] = Field(
        default_factory=dict,
        description="the product's input facts when recorded: a later change points at its line",
    )


class Baseline(Out):
    """Pathways recorded for products without ``expect:``; keys are product paths relative to
    the baseline file's folder, so the file works from any working directory."""

    format: Literal[1] = 1
    kind: Literal["pathway-baseline"] = "pathway-baseline"
    rulebase: RulebaseRef
    as_of: _dt.date
    products: dict[str, BaselineEntry] = Field(default_factory=dict)

    @classmethod
    def read(cls, path: str | Path) -> Baseline:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(
                f"cannot read baseline: {exc.strerror or exc}", file=str(path)
            ) from None
        try:
            return cls.model_validate(json.loads(text))
        except json.JSONDecodeError as exc:
            raise InputError(
                f"baseline is not JSON: {exc.msg}",
                file=str(path),
                line=exc.lineno,
                column=exc.colno,
            ) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InputError(
                f"not a pathway baseline: {first['msg']}", file=str(path), field=where or None
            ) from None

    def write(self, path: str | Path) -> None:
        text = json.dumps(
            self.model_dump(mode="json"), indent=2, ensure_ascii=False, sort_keys=True
        )
        try:
            Path(path).write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise InputError(
                f"cannot write baseline: {exc.strerror or exc}", file=str(path)
            ) from None


def baseline_key(product_file: str, baseline_path: str | Path) -> str:
    """The product's path relative to the baseline's folder, with forward slashes."""
    folder = Path(baseline_path).resolve().parent
    try:
        return PurePosixPath(Path(os.path.relpath(Path(product_file).resolve(), folder))).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(product_file).resolve().as_posix()


def baseline_entry(
    assessor: Assessor, loaded: LoadedProduct, assessment: Assessment, path: str | Path
) -> tuple[str, BaselineEntry] | None:
    """The baseline record of one product: today's pathways for the jurisdictions it has no
    ``expect`` for, and its facts (keyed by its path relative to the baseline file)."""
    pathways = {
        code: result.pathway or UNDETERMINED
        for code, result in assessment.jurisdictions.items()
        if code not in loaded.product.expect
    }
    if not pathways or loaded.file == "<stdin>":
        return None
    return baseline_key(loaded.file, path), BaselineEntry(
        name=loaded.product.name,
        sha256=loaded.sha256,
        pathways=pathways,
        facts=loaded.input_values(assessor.rulebase),
    )


def new_baseline(
    assessor: Assessor,
    entries: Iterable[tuple[str, BaselineEntry]],
    day: _dt.date,
) -> Baseline:
    """A baseline of the given product records."""
    rb = assessor.rulebase
    return Baseline(
        rulebase=RulebaseRef(version=rb.version, sha256=rb.sha256),
        as_of=day,
        products=dict(sorted(entries)),
    )
