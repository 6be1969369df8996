"""Facts of a product that cannot all be true: each is an input error naming the field to fix
(contract section 1: ``donor_relation`` with ``origin: autologous``, ``vector`` with
``genetic_modification: none``...)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .product import Product


class Contradiction(ValueError):
    """Two facts of a product contradict each other. ``path`` names the field to fix."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def contradictions(p: Product) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Facts that cannot all be true. Yields (path of the field to fix, message)."""
    m, u = p.material, p.use
    if m.donor_relation != "unknown" and m.origin in ("autologous", "xenogeneic"):
        yield (
            ("material", "donor_relation"),
            f"donor_relation applies to allogeneic (human donor) material, but origin is {m.origin}",
        )
    if p.vector != "unknown" and p.genetic_modification == "none":
        yield (("vector",), f"vector {p.vector} given, but genetic_modification is none")
    if u.effect_from_modification is True and p.genetic_modification == "none":
        yield (
            ("use", "effect_from_modification"),
            "effect_from_modification is true, but genetic_modification is none",
        )
    if (
        p.genetic_modification == "none"
        and isinstance(p.processing, list)
        and "genetic_modification" in p.processing
    ):
        yield (
            ("processing",),
            "processing includes genetic_modification, but genetic_modification is none",
        )
    if p.genetic_modification == "ex_vivo" and m.form == "nucleic_acid_only":
        yield (
            ("genetic_modification",),
            "ex_vivo modification is of cells outside the body, but material.form is "
            "nucleic_acid_only (that is in_vivo gene transfer)",
        )
    if u.same_surgical_procedure is True and m.origin in ("allogeneic", "xenogeneic"):
        yield (
            ("use", "same_surgical_procedure"),
            "a same-surgical-procedure use removes and re-implants cells or tissue in one "
            f"individual, but origin is {m.origin}",
        )
    if u.intimate_partner is True and u.reproductive is False:
        yield (
            ("use", "intimate_partner"),
            "intimate_partner transfer is a reproductive use, but reproductive is false",
        )
    c = p.context
    finer = (c.hgr_materials_export, c.hgr_info_to_foreign)
    if c.hgr_export is False and True in finer:
        yield (
            ("context", "hgr_export"),
            "hgr_export is false (nothing leaves the country), but hgr_materials_export or "
            "hgr_info_to_foreign is true",
        )
    if c.hgr_export is True and c.hgr_materials_export is False:
        yield (
            ("context", "hgr_export"),
            "hgr_export (materials or information) is true and hgr_materials_export is false: "
            "leave hgr_export out and give hgr_info_to_foreign",
        )
    # a secreted_product given says the form is secreted_or_extracted when the form is unknown
    form = m.form
    if form == "unknown" and m.secreted_product != "unknown":
        form = "secreted_or_extracted"
    if m.viable is True and form in ("secreted_or_extracted", "nucleic_acid_only"):
        yield (
            ("material", "viable"),
            f"a {form} product contains no living cells, but viable is true"
            + (" (secreted_product is given)" if form != m.form else ""),
        )
    if m.secreted_product != "unknown" and m.form not in ("unknown", "secreted_or_extracted"):
        yield (
            ("material", "secreted_product"),
            f"secreted_product describes a secreted or extracted product, but form is {m.form}",
        )
    if (
        isinstance(c.time_limit_end, _dt.date)
        and isinstance(c.time_limit_extended_to, _dt.date)
        and c.time_limit_extended_to < c.time_limit_end
    ):
        yield (
            ("context", "time_limit_extended_to"),
            "the extended time limit ends before the time limit set in the approval "
            f"({c.time_limit_extended_to.isoformat()} < {c.time_limit_end.isoformat()})",
        )
    for field_name, values in (("processing", p.processing), ("use.functions", u.functions)):
        if isinstance(values, list):
            seen: set[str] = set()
            for index, term in enumerate(values):
                if term in seen and term != "unknown":
                    yield ((*field_name.split("."), index), f"{term} is listed twice")
                seen.add(term)
    fact_seen: set[str] = set()
    for index, det in enumerate(p.determinations):
        if det.fact in fact_seen:
            yield (("determinations", index, "fact"), f"two determinations for {det.fact}")
        fact_seen.add(det.fact)
