"""Batch mode: many products through worker processes, in input order, failures contained."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import pathway
from pathway.batch import FAULT

ORGAN = "format: 1\nname: {name}\njurisdictions: [us]\nmaterial: {{form: vascularized_organ}}\n"
COUNT = 160  # ten chunks: every worker gets several

pytestmark = pytest.mark.slow  # each test starts the CLI or worker processes


def portfolio(folder: Path, broken: set[int] = frozenset()) -> list[Path]:  # type: ignore[assignment]
    folder.mkdir()
    paths = []
    for i in range(COUNT):
        path = folder / f"p{i:04d}.yaml"
        text = "format: 1\nname: [broken\n" if i in broken else ORGAN.format(name=f"product {i}")
        path.write_text(text)
        paths.append(path)
    return paths


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pathway.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


def test_broken_files_are_reported_and_the_rest_written_in_order(tmp_path: Path) -> None:
    broken = {7, 80, 151}
    portfolio(tmp_path / "in", broken)
    out = tmp_path / "out.jsonl"
    proc = run("assess", str(tmp_path / "in"), "--format", "jsonl", "-P", "2", "-o", str(out))
    assert proc.returncode == 2, proc.stderr
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 3 and all(e.startswith("error: ") for e in errors)
    assert [e.split("/")[-1].split(":")[0] for e in errors] == [
        "p0007.yaml",
        "p0080.yaml",
        "p0151.yaml",
    ]
    assert all("malformed YAML" in e and ".yaml:3:" in e for e in errors)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == COUNT - 3
    expected = [f"product {i}" for i in range(COUNT) if i not in broken]
    assert [r["product"]["name"] for r in rows] == expected
    assert {r["jurisdictions"]["us"]["pathway"] for r in rows} == {"us.not_hctp"}


def test_parallel_and_sequential_outputs_are_identical(tmp_path: Path) -> None:
    portfolio(tmp_path / "in")
    one = run(
        "assess", str(tmp_path / "in"), "--format", "json", "-P", "1", "--as-of", "2026-11-25"
    )
    two = run(
        "assess", str(tmp_path / "in"), "--format", "json", "-P", "2", "--as-of", "2026-11-25"
    )
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    assert len(json.loads(two.stdout)) == COUNT


def test_a_worker_crash_costs_only_its_product(tmp_path: Path) -> None:
    portfolio(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    proc = run(
        "assess",
        str(tmp_path / "in"),
        "--format",
        "jsonl",
        "-P",
        "2",
        "-o",
        str(out),
        env={FAULT: "p0042.yaml"},
    )
    assert proc.returncode == 3, proc.stderr
    (line,) = [e for e in proc.stderr.splitlines() if e.startswith("internal error")]
    assert "p0042.yaml" in line and "rule engine crashed" in line
    names = [json.loads(row)["product"]["name"] for row in out.read_text().splitlines()]
    assert names == [f"product {i}" for i in range(COUNT) if i != 42]


def test_check_batches_too(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    portfolio(folder)
    (folder / "p0003.yaml").write_text(ORGAN.format(name="product 3") + "expect: {us: us.351}\n")
    proc = run("check", str(folder), "-P", "2", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["summary"]["products"] == COUNT and data["summary"]["failed"] == 1
    (failed,) = [r for r in data["results"] if r["failed"]]
    assert failed["file"].endswith("p0003.yaml") and failed["actual"] == "us.not_hctp"


def test_jsonl_input_names_the_line(tmp_path: Path) -> None:
    stream = tmp_path / "products.jsonl"
    good = json.dumps({"format": 1, "name": "organ", "material": {"form": "vascularized_organ"}})
    bad = json.dumps({"format": 1, "name": "x", "use": {"homologus": True}})
    stream.write_text(f"{good}\n\n{bad}\n{good}\n")
    proc = run("assess", str(stream), "-j", "us", "--format", "jsonl")
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: {stream}:3:")
    assert len(proc.stdout.splitlines()) == 2


def test_the_benchmark_portfolio_holds_only_valid_products(tmp_path: Path) -> None:
    """The benchmarks measure assessments, not error messages: every generated file is valid."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    try:
        from portfolio import generate
    finally:
        sys.path.pop(0)
    paths = generate(tmp_path, 400, seed=7)
    pathways = set()
    for path in paths:
        assessment = pathway.assess(pathway.load_product(path), as_of=dt.date(2026, 11, 25))
        pathways.update(r.pathway or r.status for r in assessment.jurisdictions.values())
    assert len(pathways) >= 8  # and it covers many pathways, undetermined among them
    assert "undetermined" in pathways
