"""Golden assessments: the full JSON of a handful of examples, byte for byte.

A change to the rules, the engine or the output that changes any byte of these assessments fails
``tests/test_golden.py``; when the change is meant, regenerate them and review the diff:

    .venv/bin/python -m tests.golden
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
AS_OF = dt.date(2026, 11, 25)
EXAMPLES = (
    "svf-knee",
    "car-t-autologous",
    "msc-gvhd-hospital-exemption-de",
    "jp-akuugo-conditional",
    "cn-ctr20132028",
)


def assessment_json(name: str) -> str:
    """What ``pathway assess examples/<name>.yaml --format json --as-of 2026-11-25`` prints."""
    import pathway
    from pathway.render import json as json_format

    file = f"examples/{name}.yaml"
    loaded = pathway.load_product(ROOT / file, name=file)
    return json_format.render([pathway.default_assessor().assess(loaded, None, AS_OF)])


def write() -> list[Path]:
    GOLDEN.mkdir(exist_ok=True)
    written = []
    for name in EXAMPLES:
        path = GOLDEN / f"{name}.json"
        path.write_text(assessment_json(name), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write():
        print(f"wrote {path.relative_to(ROOT)}")
