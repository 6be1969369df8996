"""How a value is written in messages and reports: ``true``/``false`` as YAML writes them,
lists in brackets, dates as ISO dates, anything else as text."""

from __future__ import annotations

import datetime as _dt
from typing import Any


def word(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(word(v) for v in value) + "]"
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)
