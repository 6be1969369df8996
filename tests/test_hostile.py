"""Hostile product files through the real CLI (issue "Speed, scale and hostile input", item 4).

Every case must end with exit code 2 and one short line on stderr naming the file (and the line
and column where there is one), within one second of wall time and bounded memory, and must run
no code: the payloads that would run code aim at a marker file, which must not appear. Time and
memory are the CLI process's own (``os.wait4`` in a small wrapper): wall time from start to
exit, peak resident memory.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

WALL_LIMIT = 1.0  # seconds, interpreter start-up included
MEMORY_LIMIT_MB = 100  # peak RSS; the CLI needs about 40 MB to refuse a file
HARD_TIMEOUT = 30  # a hung child is killed and the case fails

pytestmark = pytest.mark.slow  # each test starts the CLI or worker processes


@dataclass
class Run:
    returncode: int
    stdout: bytes
    stderr: bytes
    wall: float
    maxrss_mb: float


# Measures one child from a small process: a forked child starts with its parent's peak memory,
# so forking the CLI from pytest (over 100 MB) would hide the CLI's own figure.
WRAPPER = """
import json, os, sys, time
start = time.monotonic()
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "pathway.cli", *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
wall = time.monotonic() - start
with open(sys.argv[1], "w") as out:
    json.dump({"wall": wall, "maxrss_kb": usage.ru_maxrss}, out)
code = os.waitstatus_to_exitcode(status)
os._exit(code if code >= 0 else 128 - code)
"""


def run_cli(args: list[str], cwd: Path, stdin: Path | None = None) -> Run:
    """Run ``python -m pathway.cli ARGS``; wall time from start to exit, peak resident memory."""
    env = {k: v for k, v in os.environ.items() if k != "PATHWAY_DEBUG"}
    env["NO_COLOR"] = "1"
    with (
        tempfile.TemporaryDirectory() as scratch,
        open(stdin or os.devnull, "rb") as given,
    ):
        figures = Path(scratch) / "figures.json"
        proc = subprocess.Popen(
            [sys.executable, "-c", WRAPPER, str(figures), *args],
            stdin=given,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=HARD_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"no answer within {HARD_TIMEOUT} s: {args}")
        measured = json.loads(figures.read_text())
    return Run(proc.returncode, out, err, measured["wall"], measured["maxrss_kb"] / 1024)


def assess(path: Path, cwd: Path, *, stdin: bool = False) -> Run:
    """The best of up to three runs for wall time: a slow case is slow every time, while a
    machine shared with other work can stall one run."""
    args = ["assess", "--as-of", "2026-11-25", "-" if stdin else str(path)]
    best: Run | None = None
    for _ in range(3):
        result = run_cli(args, cwd, stdin=path if stdin else None)
        if best is None or result.wall < best.wall:
            best = result
        if best.wall < WALL_LIMIT:
            break
    assert best is not None
    return best


# ----------------------------------------------------------------------------- the inputs

H = b"format: 1\nname: hostile\n"


def lol(levels: int = 9) -> bytes:
    """Billion laughs: each anchor is a list of nine aliases of the one before."""
    lines = [b'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        refs = b",".join([b"*l%d" % (i - 1)] * 9)
        lines.append(b"l%d: &l%d [%s]" % (i, i, refs))
    return H + b"\n".join(lines) + b"\n"


def garbage(seed: int, size: int = 4096) -> bytes:
    return random.Random(seed).randbytes(size)


def block_nesting(levels: int) -> bytes:
    return H + b"".join(b"  " * i + b"k%d:\n" % i for i in range(levels)) + b"  " * levels + b"x\n"


Content = bytes | Callable[[bytes], bytes]  # a callable gets the marker path

# name: (suffix, content, location in the message, words in the message)
CASES: dict[str, tuple[str, Content, str, str]] = {
    # --- alias bombs
    "billion_laughs": (".yaml", lol(9), ":3:", "aliases expand the document to more than 5,000"),
    "billion_laughs_json_flow": (
        ".yaml",
        b'{"format": 1, "name": "x", "a": &a ["x","x","x","x","x","x","x","x","x","x"], '
        b'"b": &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a], "c": &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b], '
        b'"d": [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]}\n',
        ":1:",
        "aliases expand",
    ),
    "alias_cycle_list": (".yaml", H + b"processing: &a [rinsing, *a]\n", "3:", "contains it"),
    "alias_cycle_map": (".yaml", H + b"use: &a {x: *a}\n", "3:", "contains it"),
    "undefined_alias": (".yaml", H + b"sponsor: *nowhere\n", "3:10", "undefined alias"),
    "reused_anchor": (
        ".yaml",
        H + b"sponsor: &a company\nmaterial: &a {form: cels}\n",
        "4:",
        "did you mean 'cells'",
    ),
    "merge_key": (
        ".yaml",
        H + b"base: &b {form: cells}\nmaterial:\n  <<: *b\n",
        "5:3",
        "merge keys",
    ),
    # --- deep nesting
    "deep_flow_sequence": (".yaml", b"[" * 20_000 + b"]" * 20_000, "1:52", "deeper than 50"),
    "deep_flow_mapping": (
        ".yaml",
        b"{format: 1, name: x, use: " + b"{a: " * 10_000 + b"1" + b"}" * 10_001 + b"\n",
        "1:",
        "deeper than 50",
    ),
    "deep_json": (
        ".json",
        b'{"format": 1, "name": "x", "use": ' + b'{"a": ' * 5_000 + b"1" + b"}" * 5_001,
        "1:",
        "deeper than 50",
    ),
    "deep_block_mapping": (".yaml", block_nesting(200), ":53:", "deeper than 50"),
    "deep_block_sequence": (
        ".yaml",
        H + b"processing:\n" + b"".join(b"  " * i + b"-\n" for i in range(200)),
        ":54:",
        "deeper than 50",
    ),
    "deep_compact_sequence": (
        ".yaml",
        H + b"processing:\n  " + b"- " * 5_000 + b"x\n",
        "4:",
        "deeper than 50",
    ),
    # --- size
    "fifty_megabytes": (
        ".yaml",
        H + b"# padding padding padding padding padding padding padding padding\n" * 800_000,
        "fifty_megabytes.yaml:",
        "larger than the limit of 100,000 bytes",
    ),
    "just_over_the_limit": (
        ".yaml",
        H + b"#" * 100_000 + b"\n",
        "just_over_the_limit.yaml:",
        "100,025 bytes, larger than the limit",
    ),
    # --- encodings and bytes
    "latin1": (".yaml", H + b"use: {indication: caf\xe9}\n", "3:22", "not valid UTF-8 (byte 0xe9)"),
    "latin1_after_multibyte": (
        ".yaml",
        H + "use: {indication: é ".encode() + b"\xff}\n",
        "3:21",
        "not valid UTF-8 (byte 0xff)",
    ),
    "overlong_utf8": (".yaml", H + b"sponsor: \xc0\xaf\n", "3:10", "not valid UTF-8"),
    "utf8_surrogate": (".yaml", H + b"sponsor: \xed\xa0\x80\n", "3:10", "not valid UTF-8"),
    "escaped_surrogate": (".yaml", H + b'sponsor: "\\ud800"\n', "3:10", "surrogate"),
    "escaped_surrogate_json": (
        ".json",
        b'{"format": 1, "name": "\\udfff"}',
        "1:23",
        "surrogate",
    ),
    "nul_byte": (".yaml", H + b"sponsor: com\x00pany\n", "3:13", "NUL byte"),
    "utf16_with_bom": (
        ".yaml",
        "\ufeffformat: 1\nname: x\n".encode("utf-16-le"),
        "1:",
        "NUL byte",
    ),
    "utf32": (".yaml", "format: 1\nname: x\n".encode("utf-32-be"), "1:1", "NUL byte"),
    "control_character": (".yaml", H + b"sponsor: com\x07pany\n", "3:13", "U+0007"),
    "escape_character": (".yaml", H + b"sponsor: \x1b[31mred\n", "3:10", "U+001B"),
    "garbage_1": (".yaml", garbage(1), "garbage_1.yaml:1:", "NUL byte"),
    "garbage_2": (".yaml", garbage(2).replace(b"\x00", b"\x01"), "garbage_2.yaml:1:", "UTF-8"),
    "gzip": (".yaml", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + garbage(3, 64), ":1:", "NUL"),
    "png": (".yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "3:1", "NUL byte"),
    # --- several documents
    "two_documents": (".yaml", H + b"---\n" + H, "3:1", "one YAML document"),
    "document_end_then_more": (".yaml", H + b"...\n" + H, "4:1", "one YAML document"),
    "empty_documents": (".yaml", b"---\n" * 1000, "2:1", "one YAML document"),
    "document_end_markers": (".yaml", H + b"...\n" * 20_000, ":4:1", "one YAML document"),
    # --- byte order mark, line ends
    "bom_then_error": (
        ".yaml",
        b"\xef\xbb\xbfformt: 1\nname: x\n",
        "1:1",
        "starts with 'format: 1'",
    ),
    "bom_then_latin1": (".yaml", b"\xef\xbb\xbfformat: 1\nname: caf\xe9\n", "2:10", "UTF-8"),
    "bom_then_bad_value": (".yaml", b"\xef\xbb\xbfformat: 2\nname: x\n", "1:9", "format 2"),
    "cr_line_ends": (
        ".yaml",
        b"format: 1\rname: x\ruse: {homologus: true}\r",
        "3:7",
        "did you mean 'homologous'",
    ),
    "crlf_line_ends": (
        ".yaml",
        b"format: 1\r\nname: x\r\nuse:\r\n  homologus: true\r\n",
        "4:3",
        "did you mean 'homologous'",
    ),
    "mixed_line_ends": (
        ".yaml",
        b"format: 1\rname: x\r\nsponsor: firm\n",
        "3:10",
        "expected company, hospital, academic, clinic or unknown",
    ),
    # --- duplicate keys
    "duplicate_key": (".yaml", H + b"name: again\n", "3:1", "duplicate key 'name'"),
    "duplicate_nested_key": (
        ".yaml",
        H + b"use:\n  homologous: true\n  homologous: false\n",
        "5:3",
        "duplicate key 'homologous' (first given on line 4)",
    ),
    "duplicate_key_json": (
        ".json",
        b'{"format": 1, "name": "x", "format": 1}',
        "1:28",
        "duplicate key 'format'",
    ),
    "duplicate_key_spelled_differently": (
        ".yaml",
        H + b'"sponsor": company\nsponsor: clinic\n',
        "4:1",
        "duplicate key 'sponsor'",
    ),
    # --- tags that would build Python objects or run code
    "python_object_apply": (
        ".yaml",
        lambda m: H + b'sponsor: !!python/object/apply:os.system ["touch %s"]\n' % m,
        "3:10",
        "YAML tag !!python/object/apply:os.system is not allowed",
    ),
    "python_object_apply_root": (
        ".yaml",
        lambda m: b'!!python/object/apply:os.system ["touch %s"]\n' % m,
        "1:1",
        "YAML tag !!python/object/apply:os.system",
    ),
    "python_object_apply_mapping": (
        ".yaml",
        lambda m: (
            H + b"use: !!python/object/apply:subprocess.check_call {args: [[touch, %s]]}\n" % m
        ),
        "3:6",
        "YAML tag !!python/object/apply:subprocess.check_call",
    ),
    "python_object_new": (
        ".yaml",
        lambda m: H + b'processing: !!python/object/new:os.system ["touch %s"]\n' % m,
        "3:13",
        "YAML tag !!python/object/new:os.system",
    ),
    "python_object": (
        ".yaml",
        H + b"use: !!python/object:pathway.product.Product {name: x}\n",
        "3:6",
        "YAML tag !!python/object:pathway.product.Product",
    ),
    "python_name": (
        ".yaml",
        H + b"sponsor: !!python/name:os.system\n",
        "3:10",
        "YAML tag !!python/name:os.system",
    ),
    "python_module": (".yaml", H + b"sponsor: !!python/module:os\n", "3:10", "!!python/module:os"),
    "verbatim_tag": (
        ".yaml",
        lambda m: (
            H + b'sponsor: !<tag:yaml.org,2002:python/object/apply:os.system> ["touch %s"]\n' % m
        ),
        "3:10",
        "!!python/object/apply:os.system",
    ),
    "tag_directive_alias": (
        ".yaml",
        lambda m: (
            b"%%TAG !p! tag:yaml.org,2002:python/object/apply:\n---\n"
            b'format: 1\nname: x\nsponsor: !p!os.system ["touch %s"]\n' % m
        ),
        "5:10",
        "!!python/object/apply:os.system",
    ),
    "custom_tag_scalar": (".yaml", H + b"sponsor: !Company acme\n", "3:10", "YAML tag !Company"),
    "custom_tag_mapping": (".yaml", H + b"material: !cells {form: cells}\n", "3:11", "!cells"),
    "custom_tag_sequence": (".yaml", H + b"processing: !steps [rinsing]\n", "3:13", "!steps"),
    "local_tag_on_root": (".yaml", b"--- !product\n" + H, "1:5", "YAML tag !product"),
    "binary_tag": (".yaml", H + b"sponsor: !!binary Y29tcGFueQ==\n", "3:10", "!!binary"),
    "set_tag": (".yaml", H + b"processing: !!set {rinsing, washing}\n", "3:13", "!!set"),
    "omap_tag": (".yaml", H + b"use: !!omap [{homologous: true}]\n", "3:6", "!!omap"),
    "str_tag_on_mapping": (".yaml", H + b"use: !!str {homologous: true}\n", "3:6", "!!str cannot"),
    "map_tag_on_sequence": (
        ".yaml",
        H + b"use: !!map [homologous]\n",
        "3:6",
        "!!map cannot be put on a list",
    ),
    "bad_int_tag": (
        ".yaml",
        b"format: !!int one\nname: x\n",
        "1:9",
        "'one' is not a valid integer",
    ),
    "bad_bool_tag": (
        ".yaml",
        H + b"use: {homologous: !!bool maybe}\n",
        "3:19",
        "'maybe' is not a valid true or false",
    ),
    "bad_float_tag": (".yaml", b"format: !!float one\nname: x\n", "1:9", "not a valid number"),
    "bad_null_tag": (".yaml", H + b"sponsor: !!null company\n", "3:10", "not a valid null"),
    "bad_timestamp_tag": (
        ".yaml",
        H + b"context: {approval_date: !!timestamp soon}\n",
        "3:26",
        "'soon' is not a valid date",
    ),
    # --- numbers where strings belong, and the reverse
    "number_as_name": (".yaml", b"format: 1\nname: 12\n", "2:7", "got 12; expected a text string"),
    "float_as_term": (
        ".yaml",
        H + b"material: {source: 1.5}\n",
        "3:20",
        "got 1.5; expected a text string",
    ),
    "numbers_as_terms": (".yaml", H + b"processing: [1, 2, 3]\n", "3:14", "expected a text string"),
    "number_as_pathway": (".yaml", H + b"expect: {us: 351}\n", "3:14", "got 351"),
    "bool_as_name": (".yaml", b"format: 1\nname: true\n", "2:7", "got true"),
    "date_as_name": (".yaml", b"format: 1\nname: 2026-01-01\n", "2:7", "got 2026-01-01"),
    "string_as_format": (
        ".yaml",
        b"format: one\nname: x\n",
        "1:9",
        "format 'one' is not supported",
    ),
    "quoted_number_format": (".yaml", b'format: "1"\nname: x\n', "1:9", "format '1'"),
    "float_format": (".yaml", b"format: 1.5\nname: x\n", "1:9", "format 1.5"),
    "infinite_format": (".json", b'{"format": 1e999, "name": "x"}', "1:12", "format inf"),
    "string_as_date": (
        ".yaml",
        H + b"context: {approval_date: yesterday}\n",
        "3:26",
        "not a date",
    ),
    "number_as_date": (
        ".yaml",
        H + b"determinations:\n  - {fact: us.minimally_manipulated, value: true, reason: r, "
        b"date: 20260101}\n",
        "4:",
        "expected a date",
    ),
    "impossible_date": (".yaml", H + b"context: {approval_date: 2026-02-30}\n", "3:26", "date"),
    "impossible_time": (
        ".yaml",
        H + b"context: {approval_date: 2026-02-03T25:61:61Z}\n",
        "3:26",
        "not a valid date",
    ),
    "huge_integer": (
        ".yaml",
        H + b"use: {homologous: " + b"9" * 5_000 + b"}\n",
        "3:19",
        "(5,000 characters) is not a valid integer",
    ),
    "huge_integer_json": (
        ".json",
        b'{"format": ' + b"1" * 5_000 + b', "name": "x"}',
        "1:12",
        "is not a valid integer",
    ),
    "string_list_as_string": (".yaml", H + b"jurisdictions: us\n", "3:16", "expected a list"),
    "mapping_as_list": (".yaml", H + b"processing: {rinsing: true}\n", "3:13", "processing"),
    # --- non-string keys
    "integer_key": (".yaml", H + b"1: one\n", "3:1", "key 1 is not a string"),
    "null_key": (".yaml", H + b"~: nothing\n", "3:1", "key null is not a string"),
    "list_key": (".yaml", H + b"? [a, b]\n: x\n", "3:3", "key is a list"),
    "mapping_key": (".yaml", H + b"{a: 1}: x\n", "3:1", "key is a mapping"),
    # --- long strings and keys
    "long_string": (
        ".yaml",
        H + b"use: {indication: " + b"x" * 50_000 + b"}\n",
        "3:19",
        "string of 50,000 characters is longer than the limit of 10,000",
    ),
    "long_quoted_string": (
        ".yaml",
        H + b'sponsor: "' + b"\\t" * 20_000 + b'"\n',
        "3:10",
        "string of 20,000 characters",
    ),
    "long_folded_string": (
        ".yaml",
        H + b"use:\n  indication: >\n" + b"    many words here\n" * 4_000,
        "4:15",
        "longer than the limit",
    ),
    "long_term": (
        ".yaml",
        H + b"material: {source: " + b"s" * 9_000 + b"}\n",
        "3:20",
        "(9,000 characters) is not a term",
    ),
    "long_simple_key": (".yaml", H + b"k" * 5_000 + b": 1\n", "3:", "could not find expected ':'"),
    "long_explicit_key": (
        ".yaml",
        H + b"? " + b"k" * 9_000 + b"\n: 1\n",
        "3:3",
        "unknown key 'kkkk",
    ),
    "longer_explicit_key": (
        ".yaml",
        H + b"? " + b"k" * 50_000 + b"\n: 1\n",
        "3:3",
        "string of 50,000 characters",
    ),
    "long_json_key": (
        ".json",
        b'{"format": 1, "name": "x", "' + b"k" * 20_000 + b'": 1}',
        "1:",
        "expected ',' or '}'",
    ),
    "long_tag": (".yaml", H + b"sponsor: !" + b"t" * 50_000 + b" x\n", "3:10", "is not allowed"),
    "long_anchor": (
        ".yaml",
        H + b"sponsor: &" + b"a" * 50_000 + b" firm\n",
        "3:",
        "expected company",
    ),
    # --- huge lists, many keys
    "huge_flow_list": (
        ".yaml",
        H + b"processing: [" + b"rinsing, " * 10_000 + b"]\n",
        "3:",
        "more than 5,000 values",
    ),
    "huge_block_list": (
        ".yaml",
        H + b"combined_with:\n" + b"  - scaffold\n" * 7_000,
        ":4997:",
        "more than 5,000 values",
    ),
    "huge_list_of_empties": (
        ".yaml",
        H + b"processing: [" + b"[]," * 30_000 + b"]\n",
        "3:",
        "more than 5,000 values",
    ),
    "many_keys": (
        ".yaml",
        H + b"use:\n" + b"".join(b"  k%d: 1\n" % i for i in range(6_000)),
        ":2500:",
        "more than 5,000 values",
    ),
    "many_top_level_keys": (
        ".yaml",
        H + b"".join(b"k%d: 1\n" % i for i in range(6_000)),
        ":2500:",
        "more than 5,000 values",
    ),
    "key_with_line_break": (
        ".json",
        b'{"format": 1, "name": "x", "use": {"homo\\nlogous": true}}',
        "1:36",
        "use.homo logous: unknown key 'homo\\nlogous'",
    ),
    "thousands_of_unknown_keys": (
        ".yaml",
        H + b"use:\n" + b"".join(b"  k%d: 1\n" % i for i in range(2_400)),
        "4:3",
        "unknown key 'k0'",
    ),
    "worst_case_blank_lines_then_values": (  # the costliest bytes, then the costliest values
        ".yaml",
        H + b"\n" * 85_000 + b"processing:\n" + b"- - - - - - - - - - - - - - - - - - - -\n" * 300,
        ":85253:29",
        "more than 5,000 values",
    ),
    "worst_case_text_then_values": (
        ".yaml",
        H
        + b"use:\n  indication: a\n"
        + b"   a\n" * 3_300
        + b"processing:\n"
        + b"- - - - - - - - - - - - - - - - - - - -\n" * 300,
        ":3555:21",
        "more than 5,000 values",
    ),
    "many_unknown_keys": (".yaml", H + b"colour: red\nsize: 3\n", "3:1", "and 1 more problem"),
    "many_aliases": (
        ".yaml",
        H + b"a: &a x\nprocessing: [" + b"*a, " * 20_000 + b"]\n",
        "4:",
        "more than 5,000 values",
    ),
    "many_null_entries": (".yaml", H + b"processing:\n" + b"-\n" * 40_000, ":", "5,000 values"),
    # --- JSON
    "json_unknown_key": (
        ".json",
        b'{\n  "format": 1,\n  "name": "x",\n  "use": {"homologus": true}\n}\n',
        "4:11",
        "did you mean 'homologous'",
    ),
    "json_array": (".json", b'[{"format": 1, "name": "x"}]', ":1", "a product file is a mapping"),
    "json_string": (".json", b'"format: 1"', ":1", "a product file is a mapping"),
    "json_null": (".json", b"null", ":1", "a product file is a mapping"),
    "json_trailing_garbage": (
        ".json",
        b'{"format": 1, "name": "x"} {"format": 1}',
        "1:28",
        "more follows its end",
    ),
    "json_unterminated": (".json", b'{"format": 1, "name": "x"', "1:", "malformed YAML"),
    "json_nan": (".json", b'{"format": NaN, "name": "x"}', "1:12", "format 'NaN'"),
    "json_single_quotes_wrong_type": (
        ".json",
        b"{'format': 1, 'name': 'x', 'use': {'homologous': 'true'}}",
        "1:50",
        "got 'true'; expected true, false or unknown (write true or false without quotes)",
    ),
    "json_with_bom": (
        ".json",
        b'\xef\xbb\xbf{"format": 1, "name": "x", "sponsor": 7}',
        "1:39",
        "got 7",
    ),
    "json_lines_as_file": (
        ".json",
        b'{"format": 1, "name": "a"}\n{"format": 1, "name": "b"}\n',
        "2:1",
        "more follows its end",
    ),
    # --- nothing there
    "empty": (".yaml", b"", ":1", "empty"),
    "comments_only": (".yaml", b"# nothing\n# here\n", ":1", "empty"),
    "tab_indentation": (".yaml", H + b"use:\n\thomologous: true\n", "4:1", "malformed YAML"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file(tmp_path: Path, name: str) -> None:
    suffix, content, where, words = CASES[name]
    marker = tmp_path / "executed"
    data = content(str(marker).encode()) if callable(content) else content
    path = tmp_path / f"{name}{suffix}"
    path.write_bytes(data)
    result = assess(path, tmp_path)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, err
    assert result.stdout == b""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err[:2000]
    line = lines[0]
    assert line.startswith(f"error: {path}"), line[:300]
    assert where in line, line[:300]
    assert words in line, line[:300]
    assert len(line) < 600 + len(str(path)), f"message of {len(line):,} characters"
    assert result.wall < WALL_LIMIT, f"{result.wall:.2f} s"
    assert result.maxrss_mb < MEMORY_LIMIT_MB, f"{result.maxrss_mb:.0f} MB"
    assert not marker.exists(), "a YAML tag ran code"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name], "the CLI wrote a file"


STDIN_CASES = ["billion_laughs", "deep_flow_sequence", "python_object_apply", "latin1", "nul_byte"]


@pytest.mark.parametrize("name", STDIN_CASES)
def test_hostile_stdin(tmp_path: Path, name: str) -> None:
    suffix, content, where, words = CASES[name]
    marker = tmp_path / "executed"
    path = tmp_path / f"{name}{suffix}"
    path.write_bytes(content(str(marker).encode()) if callable(content) else content)
    result = assess(path, tmp_path, stdin=True)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, err
    assert err.startswith("error: <stdin>:") and len(err.splitlines()) == 1, err[:2000]
    assert where in err and words in err, err
    assert result.wall < WALL_LIMIT, f"{result.wall:.2f} s"
    assert result.maxrss_mb < MEMORY_LIMIT_MB, f"{result.maxrss_mb:.0f} MB"
    assert not marker.exists()


def test_a_device_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    """/dev/zero has no size to check first: reading stops at the limit."""
    result = assess(Path("/dev/zero"), tmp_path)
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert (
        err
        == "error: /dev/zero: file is larger than the limit of 100,000 bytes (raise it with --max-bytes)\n"
    )
    assert result.wall < WALL_LIMIT and result.maxrss_mb < MEMORY_LIMIT_MB


def test_max_bytes_option_is_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(H + b"sponsor: firm\n")
    result = run_cli(["assess", "--max-bytes", "20", str(path)], tmp_path)
    assert result.returncode == 2
    assert b"file is 38 bytes, larger than the limit of 20 bytes" in result.stderr


@pytest.mark.parametrize(
    "name",
    ["python_object_apply", "python_object_apply_root", "python_object_new", "verbatim_tag"],
)
def test_the_payloads_are_live(tmp_path: Path, name: str) -> None:
    """The code-running payloads above do run code under an unsafe YAML loader (so the marker
    check in test_hostile_file can fail): pathway must be what stops them."""
    marker = tmp_path / "executed"
    content = CASES[name][1]
    assert callable(content)
    path = tmp_path / "payload.yaml"
    path.write_bytes(content(str(marker).encode()))
    code = (
        "import sys, warnings; warnings.simplefilter('ignore'); from ruamel.yaml import YAML; "
        "YAML(typ='unsafe', pure=True).load(open(sys.argv[1], encoding='utf-8'))"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, timeout=60)
    assert marker.exists()
