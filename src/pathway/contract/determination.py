"""An expert's determination in a product file (contract section 1, ``determinations:``): the
call, who made it and on what reference, and the days it is in force."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    field_validator,
    model_validator,
)

from .values import AUTHORITY_WORDS, Authority


def parse_date(value: Any) -> Any:
    if isinstance(value, str) and value != "unknown":
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date (write YYYY-MM-DD)") from None
    if isinstance(value, _dt.datetime):
        return value.date()
    return value


class Determination(BaseModel):
    """An expert's call that overrides what the rules would derive for one fact."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    fact: StrictStr
    value: StrictBool | StrictStr
    reason: StrictStr = Field(min_length=1)
    source: StrictStr | None = Field(
        default=None, description="e.g. a TRG letter, a CAT recommendation"
    )
    authority: Authority | None = Field(
        default=None,
        description="extension: who decided: fda_trg (Tissue Reference Group), fda_rfd "
        "(Request for Designation), fda_oct, fda_other, ema_cat (CAT classification "
        "recommendation), ema_other, national_competent_authority (e.g. a hospital-exemption "
        "authorisation), mhlw, pmda (a PMDA consultation), certified_committee, nmpa, nhc, "
        "court, other",
    )
    reference: StrictStr | None = Field(
        default=None,
        description="extension: the decision's reference (letter number, EMA/CAT document "
        "number, RFD number, case number) or a public URL",
    )
    date: _dt.date | None = None
    expires: _dt.date | None = None

    _dates = field_validator("date", "expires", mode="before")(lambda v: parse_date(v))

    @model_validator(mode="before")
    @classmethod
    def _nulls(cls, data: Any) -> Any:  # here null means "not given", not unknown
        return data

    def decided_by(self) -> str | None:
        """Who decided and the reference, in words (None when the file gives neither)."""
        parts = [AUTHORITY_WORDS[self.authority]] if self.authority else []
        if self.reference:
            parts.append(self.reference)
        return ", ".join(parts) or None

    def in_force(self, day: _dt.date) -> bool:
        """Whether the determination still applies on ``day`` (it has not expired)."""
        return self.expires is None or self.expires >= day
