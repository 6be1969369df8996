"""How much pathway decides, and whether what it asks matters (printed figures, no assertion).

    python benchmarks/determinacy.py            # the examples and a portfolio of 200 products
    python benchmarks/determinacy.py --count 0  # the examples only
    python benchmarks/determinacy.py DIR...     # these product files or folders

For every product (the shipped examples, then a generated portfolio) and every input fact the
assessment rests on, the product is assessed again with that fact removed (made unknown). Over
all (product, removed fact, jurisdiction) answers it prints:

* determined: the share whose pathway is still determined;
* classified: the share whose classification is determined;
* premarket settled: the share where whether premarket review is needed is determined (by the
  pathway, or across the pathways still possible);
* relevant questions: the share of listed questions at least one of whose answers changes that
  jurisdiction's pathway or classification (or the pathways and classifications still possible),
  found by re-evaluating the product with each answer (must be 100%).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pathway
from pathway.analysis.whatif import WhatIf
from pathway.errors import EngineError, InputError

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from portfolio import generate

from tests.answering import relevant, unknown

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 11, 25)


def written_inputs(assessment: Any) -> list[str]:
    """The product fields the assessment's findings used, as written in the file."""
    out: list[str] = []
    for result in assessment.jurisdictions.values():
        for finding in result.findings:
            for use in finding.uses:
                name = use.input if use.origin == "vocabulary" else use.fact
                if use.origin in ("product", "vocabulary") and name and name not in out:
                    out.append(name)
    return out


def measure(paths: list[Path], label: str) -> None:
    assessor = pathway.Assessor()
    whatif = WhatIf(assessor)
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    for path in paths:
        try:
            loaded = pathway.load_product(path)
            full = assessor.assess(loaded, None, DAY)
        except (InputError, EngineError):  # a product the contract refuses: not measured
            continue
        for field in written_inputs(full):
            try:
                changed = whatif.changed(loaded, [unknown(field)])
                partial = assessor.assess(changed, None, DAY)
            except (InputError, EngineError):
                continue
            for code, result in partial.jurisdictions.items():
                counts["answers"] += 1
                counts["determined"] += result.status == "determined"
                counts["classified"] += result.classification is not None
                counts["premarket"] += result.premarket_review is not None
                for question in result.questions:
                    counts["questions"] += 1
                    counts["relevant"] += relevant(whatif, changed, code, result, question, DAY)
    seconds = time.perf_counter() - started
    n, q = counts["answers"] or 1, counts["questions"] or 1
    print(
        f"{label}: {len(paths)} products, {counts['answers']} answers with one fact removed "
        f"({seconds:.0f} s)\n"
        f"  determined          {counts['determined'] / n:6.1%}\n"
        f"  classified          {counts['classified'] / n:6.1%}\n"
        f"  premarket settled   {counts['premarket'] / n:6.1%}\n"
        f"  relevant questions  {counts['relevant'] / q:6.1%}  ({counts['relevant']} of "
        f"{counts['questions']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="generated products (default 200)")
    parser.add_argument(
        "products", nargs="*", type=Path, help="measure these product files (or folders) instead"
    )
    args = parser.parse_args()
    if args.products:
        files = [
            p for arg in args.products for p in (sorted(arg.glob("*.*")) if arg.is_dir() else [arg])
        ]
        measure(files, "products")
        return
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    measure(examples, "examples")
    if args.count:
        with tempfile.TemporaryDirectory() as folder:
            measure(generate(Path(folder), args.count, seed=7), "portfolio")


if __name__ == "__main__":
    main()
