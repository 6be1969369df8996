"""pathway's performance figures, measured and printed (no assertion: a benchmark, not a test).

    python benchmarks/run.py                     # the full run (an hour: 100,000 assessments)
    python benchmarks/run.py --quick             # smaller counts
    python benchmarks/run.py --only cold,loop    # some sections

1. cold start: ``pathway assess examples/svf-knee.yaml`` (four jurisdictions) in a new process,
   median of 10 runs, as a ratio to ``python -c "import pydantic, click"`` measured in the same
   run: the same product again (its answer replayed), a product never assessed (warm disk
   cache), the first run with an empty cache;
2. batch throughput: products per second over a generated portfolio of 10,000 product files,
   ``pathway assess DIR --format jsonl`` (full output), in one process and with every core,
   against the oracle-only evaluation of the same products and durable_rules alone (the four
   evaluations of each product, no report) in the same run; then run again with no file
   changed (each product's answer kept from the first run);
3. ``pathway.assess()`` in a loop: assessments per second in one process;
4. engine overhead: median time per assessment (and per jurisdiction evaluation) through
   durable_rules divided by the pure-Python oracle's, on the same products in the same run;
5. memory: resident memory after 1,000 and after 100,000 assessments in one process.

Targets (2-core machine, issue 15): cold start <= 1.5x the floor with a warm cache, < 3x with
an empty one; >= 2,000 products/s on 2 cores; >= 1,000 assessments/s in a loop; flat memory.
"""

from __future__ import annotations

import argparse
import contextlib
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


def serve_start(runs: int) -> None:
    """``pathway serve`` from the command to the first answer of its page (a GET of /health,
    polled every 5 ms), medians of ``runs`` starts, against the same floor."""
    import socket
    import urllib.request

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    floor = _median_run([sys.executable, "-c", "import pydantic, click"], runs, env)
    times = []
    for _ in range(runs):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*pathway_command(), "serve", "--port", str(port), str(ROOT / "examples")],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    if proc.poll() is not None or time.perf_counter() - start > 30:
                        raise RuntimeError("pathway serve did not start") from None
                    time.sleep(0.005)
            times.append(time.perf_counter() - start)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    started = statistics.median(times)
    print(
        f"6. pathway serve, from the command to the first page answered, median of {runs} starts: "
        f"{started * 1e3:.0f} ms (target: under 1 s) = {started / floor:.2f}x the floor "
        f"({floor * 1e3:.0f} ms)"
    )


def oracle_only(paths: list[Path]) -> float:
    """Products per second, one process, for the bare evaluation of the same product files:
    read and validated, facts built, every jurisdiction evaluated by the pure-Python oracle; no
    report (no findings, obligations, candidates or questions) and no output."""
    from pathway.evaluate.oracle import Oracle

    rb = pathway.load_rulebase()
    oracle = Oracle(rb)
    start = time.perf_counter()
    for path in paths:
        try:
            loaded = pathway.load_product(path, rb)
        except pathway.InputError:
            continue
        facts = build_facts(loaded.product, rb, DAY)
        for code in rb.jurisdictions:
            try:
                oracle.evaluate(code, facts, DAY, loaded.product.determined_on(DAY))
            except pathway.PathwayError:
                break
    return len(paths) / (time.perf_counter() - start)


def engine_floor(paths: list[Path]) -> float:
    """Products per second, one process, for durable_rules alone: each product's four
    jurisdictions evaluated once by the C engine (no memo), read and facts built beforehand (not
    timed); no relevance re-evaluation, no report, no output. No assessment through
    durable_rules of products never seen before can be faster than this."""
    from pathway.evaluate.durable.session import Engine

    rb = pathway.load_rulebase()
    engine = Engine(rb, memo=0)
    prepared = []
    for path in paths:
        try:
            product = pathway.load_product(path, rb).product
        except pathway.InputError:
            continue
        prepared.append((build_facts(product, rb, DAY), product.determined_on(DAY)))

    def evaluate_all(some: list[Any]) -> None:
        for facts, determined in some:
            for code in rb.jurisdictions:
                with contextlib.suppress(pathway.PathwayError):
                    engine.evaluate(code, facts, DAY, determined)

    evaluate_all(prepared[:20])  # warm up: rulesets registered
    start = time.perf_counter()
    evaluate_all(prepared)
    return len(prepared) / (time.perf_counter() - start)


def _batch_run(folder: Path, count: int, parallel: int, env: dict[str, str]) -> tuple[float, str]:
    """Products per second of one batch run, and the figure as printed."""
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
    proc = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    refused = proc.stderr.count("error:")
    figure = (
        f"{count / wall:,.0f} products/s ({wall:.1f} s; exit {proc.returncode}, {refused} refused)"
    )
    return count / wall, figure


def batch(folder: Path, paths: list[Path]) -> None:
    """``pathway assess DIR --format jsonl`` (every finding, use, citation and question kept)
    with one process and with every core, against the oracle-only evaluation of the same
    products in one process and durable_rules alone, measured in the same run. First every
    product assessed (``PATHWAY_NO_REPLAY=1``); then, in a cache of its own, a run that keeps
    each product's answer, and the same command again (the CI case: no file changed)."""
    count = len(paths)
    bare = oracle_only(paths)
    floor = engine_floor(paths)
    print(
        f"2. the same {count:,} products, one process, no report: oracle-only evaluation "
        f"{bare:,.0f} products/s; durable_rules alone, four evaluations each, "
        f"{floor:,.0f} products/s"
    )
    cores = default_parallel()
    fresh = {**os.environ, "PATHWAY_NO_REPLAY": "1"}
    for parallel in sorted({1, cores}):
        rate, figure = _batch_run(folder, count, parallel, fresh)
        print(
            f"2. batch throughput, {count:,} product files, {parallel} process(es), every "
            f"product assessed: {figure} = {rate / bare:.2f}x the oracle-only figure, "
            f"{rate / floor:.2f}x durable_rules alone"
        )
    with tempfile.TemporaryDirectory() as cache:
        kept = {**os.environ, "PATHWAY_CACHE_DIR": cache}
        kept.pop("PATHWAY_NO_REPLAY", None)
        kept.pop("PATHWAY_NO_CACHE", None)
        _, figure = _batch_run(folder, count, cores, kept)
        print(f"2. batch, {cores} process(es), each product's answer kept (empty cache): {figure}")
        for parallel in sorted({1, cores}):
            rate, figure = _batch_run(folder, count, parallel, kept)
            print(
                f"2. batch again, no file changed, {parallel} process(es): {figure} = "
                f"{rate / bare:.2f}x the oracle-only figure"
            )


def loop(products: list[pathway.LoadedProduct]) -> None:
    """``pathway.assess()`` in a loop in one process, each product once (loaded beforehand),
    with the default assessor (the evaluation memo on, as a library user gets it)."""
    pathway.assess(products[0], as_of=DAY)  # warm up: rulesets registered
    start = time.perf_counter()
    for p in products:
        # a product the rules refuse as contradictory is part of the work all the same
        with contextlib.suppress(pathway.ContradictionError):
            pathway.assess(p, as_of=DAY)
    wall = time.perf_counter() - start
    print(
        f"3. pathway.assess() in a loop, one process, {len(products):,} products each once: "
        f"{len(products) / wall:,.0f} assessments/s ({wall / len(products) * 1e3:.1f} ms each)"
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
        f"4. engine overhead on {len(products):,} products (C engine on every evaluation): "
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
        f"5. memory: RSS {rss_1k:.1f} MiB after 1,000 assessments, {rss_end:.1f} MiB after "
        f"{count:,} ({rss_end - (rss_1k or 0):+.1f} MiB); {count / wall:,.0f} assessments/s in "
        "one process, the C engine on every evaluation"
    )


def assessable(products: list[pathway.LoadedProduct]) -> list[pathway.LoadedProduct]:
    """The products the rules do not refuse as contradictory (each assessed once)."""
    out = []
    for p in products:
        try:
            pathway.assess(p, as_of=DAY)
        except pathway.ContradictionError:
            continue
        out.append(p)
    return out


SECTIONS = ("cold", "batch", "loop", "overhead", "memory", "serve")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts")
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma-separated: {', '.join(SECTIONS)}"
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    count = 2_000 if args.quick else 10_000
    assessments = 10_000 if args.quick else 100_000
    print(
        f"pathway {pathway.__version__}, rule base {pathway.load_rulebase().version}, "
        f"Python {sys.version.split()[0]}, {default_parallel()} CPU core(s)"
    )
    if "cold" in only:
        cold_start(10)
    if "serve" in only:
        serve_start(10)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "portfolio"
        paths = generate(folder, count)
        if "batch" in only:
            batch(folder, paths)
        sample = []
        for path in paths[:1_000]:
            try:
                sample.append(pathway.load_product(path))
            except pathway.InputError:
                continue  # a generated product the contract refuses as contradictory
    if "loop" in only:
        loop(sample)
    if only & {"overhead", "memory"}:
        sample = assessable(sample)
    if "overhead" in only:
        overhead(sample[:500])
    if "memory" in only:
        memory(sample, assessments)


if __name__ == "__main__":
    main()
