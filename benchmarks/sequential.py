"""Sequential assessments: throughput and memory over many evaluations (prints figures).

    python benchmarks/sequential.py [COUNT]        (default 100,000)

Cycles through the shipped examples (loaded once), assessing each for every jurisdiction of the
rule base with the durable_rules engine (a fresh C-engine session for every evaluation: the
evaluation memo is off, or it would answer every repeat), and reports wall time, the median and 99th percentile
per assessment, and resident memory (RSS) after 1,000 assessments and at the end. Memory that
stays flat shows that sessions are deleted and nothing accumulates.
"""

from __future__ import annotations

import datetime as dt
import resource
import statistics
import sys
import time
from array import array
from pathlib import Path

import pathway

ROOT = Path(__file__).resolve().parent.parent


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(count: int) -> None:
    from pathway.evaluate.durable.session import Engine

    rulebase = pathway.load_rulebase()
    assessor = pathway.Assessor(rulebase, Engine(rulebase, memo=0))
    products = [
        pathway.load_product(p, rulebase) for p in sorted((ROOT / "examples").glob("*.yaml"))
    ]
    day = dt.date(2026, 11, 25)
    for product in products:  # warm up: compile rulesets
        assessor.assess(product, as_of=day)
    marks = {1_000, 10_000, 50_000, count}
    times = array("d", bytes(8 * count))  # preallocated: the timings must not show as growth
    rss_1k = rss_end = None
    start = time.perf_counter()
    for i in range(1, count + 1):
        t0 = time.perf_counter()
        assessor.assess(products[i % len(products)], as_of=day)
        times[i - 1] = time.perf_counter() - t0
        if i in marks:
            rss = rss_mib()
            rss_1k = rss if i == 1_000 else rss_1k
            rss_end = rss
            print(
                f"{i:>8,} assessments  {time.perf_counter() - start:8.1f} s  RSS {rss:7.1f} MiB",
                flush=True,
            )
    total = time.perf_counter() - start
    times = array("d", sorted(times))
    print(
        f"jurisdictions per assessment: {len(rulebase.jurisdictions)} ({', '.join(rulebase.jurisdictions)})"
    )
    print(
        f"assessments: {count:,} in {total:.1f} s = {count / total:,.0f} per second (one process)"
    )
    print(
        f"per assessment: median {statistics.median(times) * 1e3:.3f} ms, p99 {times[int(len(times) * 0.99)] * 1e3:.3f} ms"
    )
    if rss_1k is not None and rss_end is not None:
        print(f"RSS growth from 1,000 to {count:,} assessments: {rss_end - rss_1k:+.1f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
