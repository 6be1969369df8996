"""pathway's four performance figures, measured and printed (no assertion: a benchmark, not a test).

    python benchmarks/run.py            # the full run (a few minutes)
    python benchmarks/run.py --quick    # smaller counts, for a quick look

1. cold start: ``pathway assess examples/svf-knee.yaml`` (four jurisdictions) in a new process,
   median wall time of 10 runs (and the first run with an empty cache, for reference);
2. batch throughput: products per second over a generated portfolio of 10,000 product files,
   ``pathway assess DIR --format jsonl``, in one process and with every core;
3. engine overhead: median time per assessment (and per jurisdiction evaluation) through
   durable_rules divided by the pure-Python oracle's, on the same products in the same run;
4. memory: resident memory after 1,000 and after 100,000 assessments in one process.

Targets (2-core machine): cold start <= 200 ms; >= 2,000 products/s on 2 cores; engine
overhead <= 20x the oracle; flat memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pathway
from pathway.batch import default_parallel
from pathway.facts import build_facts

sys.path.insert(0, str(Path(__file__).resolve().parent))
from portfolio import generate

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 11, 25)


def pathway_command() -> list[str]:
    script = Path(sys.executable).with_name("pathway")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pathway.cli"]


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _median_run(command: list[str], runs: int, env: dict[str, str], before: Any = None) -> float:
    """Median wall time of ``runs`` runs of ``command`` (``before(i)`` runs untimed first)."""
    times = []
    for i in range(runs):
        if before is not None:
            before(i)
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold_start(runs: int) -> None:
    """A new process for one assessment (four jurisdictions), against the floor measured in the
    same run: ``python -c "import pydantic, click"``. Three cases: the same product file again
    (the answer replayed from the disk cache, as in a CI loop over unchanged files); a product
    file never assessed before (the rule base and compiled rulesets from the disk cache); and
    the first run with an empty cache. Bytecode is written once first (an installed package has
    it; ``PYTHONDONTWRITEBYTECODE`` would make every run compile pathway's sources)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    example = ROOT / "examples" / "svf-knee.yaml"
    command = [*pathway_command(), "assess"]
    floor_command = [sys.executable, "-c", "import pydantic, click"]
    with tempfile.TemporaryDirectory() as tmp:
        variant = Path(tmp) / "variant.yaml"
        original = example.read_text(encoding="utf-8")

        def new_product(i: int) -> None:  # a product this cache has never seen
            variant.write_text(original + f"\n# variant {time.time_ns()} {i}\n", "utf-8")

        new_product(0)
        subprocess.run([*command, str(variant)], env=env, check=True, capture_output=True)
        empty = Path(tmp) / "empty"
        empty_env = dict(env, PATHWAY_CACHE_DIR=str(empty))

        def clear(i: int) -> None:
            shutil.rmtree(empty, ignore_errors=True)

        floor = _median_run(floor_command, runs, env)
        again = _median_run([*command, str(example)], runs, env)
        fresh = _median_run([*command, str(variant)], runs, env, new_product)
        first = _median_run([*command, str(example)], max(1, runs // 4), empty_env, clear)
    print(
        f"1. cold start, pathway assess of one example (4 jurisdictions), medians of {runs} runs "
        f"against the floor, python -c 'import pydantic, click', {floor * 1e3:.0f} ms:\n"
        f"   the same product again (answer replayed)   {again * 1e3:6.0f} ms = "
        f"{again / floor:.2f}x the floor\n"
        f"   a product never assessed (warm disk cache) {fresh * 1e3:6.0f} ms = "
        f"{fresh / floor:.2f}x\n"
        f"   first run with an empty cache              {first * 1e3:6.0f} ms = "
        f"{first / floor:.2f}x"
    )


def batch(folder: Path, count: int) -> None:
    cores = default_parallel()
    for parallel in sorted({1, cores}):
        command = [
            *pathway_command(),
            "assess",
            str(folder),
            "--format",
            "jsonl",
            "-o",
            os.devnull,
            "-P",
            str(parallel),
            "--as-of",
            DAY.isoformat(),
        ]
        start = time.perf_counter()
        proc = subprocess.run(command, capture_output=True, text=True)
        wall = time.perf_counter() - start
        bad = proc.stderr.count("error:")
        print(
            f"2. batch throughput, {count:,} product files, {parallel} process(es): "
            f"{count / wall:,.0f} products/s ({wall:.1f} s; exit {proc.returncode}, "
            f"{bad} products refused as contradictory or invalid)"
        )


def overhead(products: list[pathway.LoadedProduct]) -> None:
    """durable_rules against the oracle on the same products. The engine runs the C engine on
    every evaluation (``memo=0``), as the target means; the figure with its evaluation memo
    (the default, which skips the C engine for fact sets it has seen) follows."""
    from pathway.evaluate.durable.session import Engine

    rb = pathway.load_rulebase()
    assessors = {
        "engine": pathway.Assessor(rb, Engine(rb, memo=0)),
        "memo": pathway.Assessor(rb, "engine"),
        "oracle": pathway.Assessor(rb, "oracle"),
    }
    assessments: dict[str, list[float]] = {name: [] for name in assessors}
    evaluations: dict[str, list[float]] = {name: [] for name in assessors}
    for p in products:  # warm up: compiles rulesets
        assessors["engine"].assess(p, as_of=DAY)
    for p in products:
        for name, assessor in assessors.items():
            start = time.perf_counter()
            assessor.assess(p, as_of=DAY)
            assessments[name].append(time.perf_counter() - start)
        facts = build_facts(p.product, rb, DAY)
        for code in rb.jurisdictions:
            for name, assessor in assessors.items():
                start = time.perf_counter()
                assessor.evaluator.evaluate(code, facts, DAY)
                evaluations[name].append(time.perf_counter() - start)
    med = {k: statistics.median(v) for k, v in assessments.items()}
    ev = {k: statistics.median(v) for k, v in evaluations.items()}
    print(
        f"3. engine overhead on {len(products):,} products (C engine on every evaluation): "
        f"assessment median {med['engine'] * 1e3:.2f} ms (durable_rules) / "
        f"{med['oracle'] * 1e3:.2f} ms (oracle) = {med['engine'] / med['oracle']:.1f}x; "
        f"rule evaluation alone, per jurisdiction {ev['engine'] * 1e6:.0f} us / "
        f"{ev['oracle'] * 1e6:.0f} us = {ev['engine'] / ev['oracle']:.1f}x; with the evaluation "
        f"memo (default, products seen once before): {med['memo'] / med['oracle']:.1f}x and "
        f"{ev['memo'] / ev['oracle']:.1f}x"
    )


def memory(products: list[pathway.LoadedProduct], count: int) -> None:
    """RSS over ``count`` assessments with a fresh durable_rules session for every evaluation
    (``memo=0``: a remembered evaluation would hide a leak in the C engine)."""
    from pathway.evaluate.durable.session import Engine

    rb = pathway.load_rulebase()
    assessor = pathway.Assessor(rb, Engine(rb, memo=0))
    usable = list(products)
    for p in usable:  # warm up
        assessor.assess(p, as_of=DAY)
    rss_1k = None
    start = time.perf_counter()
    for i in range(1, count + 1):
        assessor.assess(usable[i % len(usable)], as_of=DAY)
        if i == 1_000:
            rss_1k = rss_mib()
    wall = time.perf_counter() - start
    rss_end = rss_mib()
    print(
        f"4. memory: RSS {rss_1k:.1f} MiB after 1,000 assessments, {rss_end:.1f} MiB after "
        f"{count:,} ({rss_end - (rss_1k or 0):+.1f} MiB); {count / wall:,.0f} assessments/s in "
        "one process, the C engine on every evaluation"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts")
    args = parser.parse_args()
    count = 2_000 if args.quick else 10_000
    assessments = 10_000 if args.quick else 100_000
    print(
        f"pathway {pathway.__version__}, rule base {pathway.load_rulebase().version}, "
        f"Python {sys.version.split()[0]}, {default_parallel()} CPU core(s)"
    )
    cold_start(10)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "portfolio"
        paths = generate(folder, count)
        batch(folder, count)
        sample = [pathway.load_product(path) for path in paths[:1_000]]  # every one is valid
    overhead(sample[:500])
    memory(sample, assessments)


if __name__ == "__main__":
    main()
