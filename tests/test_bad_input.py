"""Bad input: exit code 2 and one line naming file, line and field; never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CASES = {
    "unknown_key": (
        b"format: 1\nname: x\nuse:\n  homologus: true\n",
        "4:3",
        "did you mean 'homologous'",
    ),
    "wrong_type": (
        b"format: 1\nname: x\nuse:\n  homologous: yes\n",
        "4:15",
        "expected true, false or unknown",
    ),
    "wrong_enum": (b"format: 1\nname: x\nmaterial:\n  form: cels\n", "4:9", "did you mean 'cells'"),
    "contradiction": (
        b"format: 1\nname: x\nmaterial:\n  origin: autologous\n  donor_relation: unrelated\n",
        "5:19",
        "donor_relation",
    ),
    "vector_without_modification": (
        b"format: 1\nname: x\ngenetic_modification: none\nvector: plasmid\n",
        "4:9",
        "genetic_modification is none",
    ),
    "malformed_yaml": (b"format: 1\nname: [x\n", ":3:", "malformed YAML"),
    "empty": (b"", ":1:", "empty"),
    "whitespace_only": (b"\n   \n", ":1:", "empty"),
    "binary": (b"format: 1\x00\x01\x02\xff", "1:10", "NUL byte"),
    "not_utf8": (b"format: 1\nname: caf\xe9\n", "2:10", "UTF-8"),
    "unknown_term": (
        b"format: 1\nname: x\nprocessing: [culture_expanson]\n",
        "3:14",
        "nearest: culture_expansion",
    ),
    "missing_format": (b"name: x\n", "1:1", "format: 1"),
    "wrong_format": (b"format: 2\nname: x\n", "1:9", "format 2"),
    "missing_name": (b"format: 1\n", ":1:", "name"),
    "duplicate_key": (b"format: 1\nname: x\nname: y\n", ":3:", "duplicate key"),
    "python_tag": (b"format: 1\nname: !!python/object/apply:os.system ['echo hi']\n", ":2:", "tag"),
    "not_a_mapping": (b"- format\n- 1\n", ":1", "mapping"),
    "expect_unknown_pathway": (
        b"format: 1\nname: x\nexpect: {us: us.362}\n",
        "3:14",
        "did you mean 'us.361'",
    ),
    "unknown_jurisdiction": (
        b"format: 1\nname: x\njurisdictions: [uk]\n",
        "3:17",
        "unknown jurisdiction",
    ),
    "determination_unknown_fact": (
        b"format: 1\nname: x\ndeterminations:\n  - {fact: us.minimaly_manipulated, value: true, reason: r}\n",
        "4:12",
        "did you mean 'us.minimally_manipulated'",
    ),
    "homologous_contradicts_functions": (
        b"format: 1\nname: x\nmaterial: {form: tissue, origin: allogeneic, source: amniotic_membrane, cell_type: tissue}\n"
        b"processing: [cleansing]\nuse:\n  homologous: true\n  functions: [wound_healing]\n",
        "6:15",
        "contradictory facts",
    ),
    "hgr_export_false_but_materials_leave": (
        b"format: 1\nname: x\ncontext:\n  hgr_export: false\n  hgr_materials_export: true\n",
        "4:15",
        "hgr_export is false",
    ),
    "secreted_product_but_living_cells": (
        b"format: 1\nname: x\nmaterial:\n  secreted_product: extracellular_vesicles\n  viable: true\n",
        "5:11",
        "contains no living cells",
    ),
    "hgr_export_true_but_no_materials": (
        b"format: 1\nname: x\ncontext:\n  hgr_export: true\n  hgr_materials_export: false\n",
        "4:15",
        "give hgr_info_to_foreign",
    ),
}


def run(args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "pathway.cli", *args], input=stdin, capture_output=True, timeout=60
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_product_file(tmp_path: Path, name: str) -> None:
    content, where, words = CASES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    proc = run(["assess", "--as-of", "2026-11-25", str(path)])
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert proc.stdout == b""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert f"{name}.yaml" in lines[0]
    assert where in lines[0], lines[0]
    assert words in lines[0], lines[0]


def test_stdin_error_names_stdin() -> None:
    proc = run(["assess", "-"], stdin=b"format: 1\nname: x\nuse: {homologus: true}\n")
    assert proc.returncode == 2
    assert proc.stderr.decode().startswith("error: <stdin>:3:")


def test_missing_file() -> None:
    proc = run(["assess", "does/not/exist.yaml"])
    assert proc.returncode == 2
    assert "no such file" in proc.stderr.decode()


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "a_bad.yaml").write_bytes(b"format: 1\nname: x\nuse: {homologus: true}\n")
    (tmp_path / "b_good.yaml").write_bytes(
        b"format: 1\nname: good\nmaterial: {form: vascularized_organ}\n"
    )
    proc = run(["assess", "--format", "json", "-j", "us", str(tmp_path)])
    assert proc.returncode == 2
    assert b'"name": "good"' in proc.stdout
    assert "a_bad.yaml:3" in proc.stderr.decode()


@pytest.mark.parametrize(
    "args",
    [
        ["assess", "--as-of", "2026-13-40", "x.yaml"],
        ["assess", "--format", "xml", "x"],
        ["nonsense"],
        ["assess"],
        ["rules", "show", "us.nope"],
    ],
)
@pytest.mark.slow
def test_usage_errors_exit_2(args: list[str]) -> None:
    proc = run(args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr.decode()


def test_oversized_file(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"format: 1\nname: x\n" + b"# padding\n" * 200_000)
    proc = run(["assess", str(path)])
    assert proc.returncode == 2
    assert "larger than the limit" in proc.stderr.decode()
