"""Fuzzing the product loader and the assessment (issue "Speed, scale and hostile input", item 5).

Whatever comes in (arbitrary JSON-like data, data shaped like a product with random values in
every field, valid products with random mutations, arbitrary bytes, text and YAML-like token
soup), ``load_product`` and ``Assessor.assess`` raise nothing but ``InputError`` (or a subclass),
its message is one line, and every example ends within ``TIME_LIMIT``; an assessment that
succeeds renders as text and JSON. Through the CLI the exit code is 0 or 2, never 3.

The default profile runs a few hundred examples per property, derandomized. ``HYPOTHESIS_PROFILE=
fuzz .venv/bin/python -m pytest tests/test_fuzz.py`` runs 100,000 per in-process property (and
300 CLI runs of 16 files each).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import gc
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from ruamel.yaml import YAML

import pathway
from pathway.contract.product import Product
from pathway.errors import InputError
from pathway.io.document import walk
from pathway.product.load import load_product
from pathway.render import json as render_json
from pathway.render import text as render_text

from .conftest import AS_OF
from .strategies import RULEBASE, products

FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
EXAMPLES = int(os.environ.get("PATHWAY_FUZZ_EXAMPLES", 100_000 if FUZZ else 300))  # per property
CLI_EXAMPLES = 300 if FUZZ else 4
TIME_LIMIT = 5.0  # seconds per example; a real one takes milliseconds

_COMMON: dict[str, Any] = {
    "derandomize": True,
    "database": None,
    "deadline": None,  # TIME_LIMIT, enforced by an alarm, also catches a hang
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
}
pytestmark = pytest.mark.slow
PROPERTY = settings(max_examples=EXAMPLES, **_COMMON)
CLI = settings(max_examples=CLI_EXAMPLES, **_COMMON)

ENGINE = pathway.Assessor(RULEBASE, "engine")


# ----------------------------------------------------------------------------- the checks


class Hang(BaseException):  # not an Exception: nothing under test may swallow it
    pass


@contextlib.contextmanager
def time_limit(seconds: float = TIME_LIMIT) -> Iterator[None]:
    def expired(signum: int, frame: Any) -> None:
        raise Hang(f"no answer within {seconds} s")

    # the collector is off meanwhile: over a long run Hypothesis's own memory grows to about a
    # gigabyte, and a full collection of it (seconds, once in a while) is not pathway's time
    previous = signal.signal(signal.SIGALRM, expired)
    collecting = gc.isenabled()
    gc.disable()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.perf_counter()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if collecting:
            gc.enable()
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"{elapsed:.1f} s"


def one_line(exc: InputError) -> None:
    text = str(exc)
    assert text and "\n" not in text and "\r" not in text, repr(text[:300])


def check(source: Any, jurisdictions: list[str] | None = None) -> pathway.Assessment | None:
    """Load and assess ``source``: an assessment, or None after an InputError; nothing else."""
    with time_limit():
        try:
            loaded = load_product(source, RULEBASE, name="fuzz.yaml")
            result = ENGINE.assess(loaded, jurisdictions, AS_OF)
        except InputError as exc:
            one_line(exc)
            return None
        render_json.render([result])
        render_text.render([result], color=False, explain=True)
    return result


# ----------------------------------------------------------------------------- the inputs


def _flatten(annotation: Any) -> Iterator[Any]:
    """The alternatives of a (union) annotation, Annotated[...] unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _flatten(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _flatten(arg)
    else:
        yield annotation


def _model_words(model: type[BaseModel], names: set[str], literals: set[Any]) -> None:
    for name, info in model.model_fields.items():
        names.add(name)
        stack = [info.annotation]
        while stack:
            annotation = stack.pop()
            for arg in _flatten(annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    _model_words(arg, names, literals)
                elif typing.get_origin(arg) is typing.Literal:
                    literals.update(typing.get_args(arg))
                elif typing.get_origin(arg) in (list, dict):
                    stack.extend(typing.get_args(arg))


FIELD_NAMES: set[str] = set()
LITERALS: set[Any] = set()
_model_words(Product, FIELD_NAMES, LITERALS)
VOCABULARY = sorted(
    {
        word
        for name in ("material.source", "material.cell_type", "processing", "use.functions")
        for vocab in [RULEBASE.vocabulary_for(name)]
        if vocab is not None
        for word in [*vocab.terms, *vocab.aliases]
    }
    | {w for v in [RULEBASE.vocabulary_for("combined_with")] if v for w in v.terms}
    | {w for v in [RULEBASE.vocabulary_for("context.member_state")] if v for w in v.terms}
)
PATHWAYS = sorted(RULEBASE.pathway_ids())
FACTS = sorted(RULEBASE.facts)
CODES = sorted(RULEBASE.jurisdictions)
WORDS = sorted(
    {str(x) for x in LITERALS}
    | set(FIELD_NAMES)
    | set(VOCABULARY)
    | set(PATHWAYS)
    | set(FACTS)
    | set(CODES)
    | {"unknown", "undetermined", "true", "false", "yes", "no", "null", "~", ""}
)

keys = st.one_of(st.sampled_from(sorted(FIELD_NAMES)), st.sampled_from(WORDS), st.text(max_size=12))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(WORDS),
    st.sampled_from(WORDS),
    st.dates(),
    st.datetimes(),
)
json_like = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=6), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=30,
)


def _values(annotation: Any, path: str, junk: bool) -> st.SearchStrategy[Any]:
    """Values of the field's own type (for a vocabulary field, mostly its own words); with
    ``junk``, now and then anything at all."""
    options: list[st.SearchStrategy[Any]] = []
    for arg in _flatten(annotation):
        origin = typing.get_origin(arg)
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            options.append(shaped(arg, path, junk))
        elif origin is typing.Literal:
            options.append(st.sampled_from(typing.get_args(arg)))
        elif origin is list:
            options.append(st.lists(_values(typing.get_args(arg)[0], path, junk), max_size=4))
        elif origin is dict:
            options.append(
                st.dictionaries(
                    st.sampled_from(CODES if not junk else [*CODES, *WORDS]),
                    st.sampled_from(PATHWAYS if not junk else [*PATHWAYS, *WORDS]),
                    max_size=3,
                )
            )
        elif arg is bool:
            options.append(st.booleans())
        elif arg is str:
            vocab = RULEBASE.vocabulary_for(path.removesuffix(".kind"))  # combined_with.kind
            own = st.sampled_from(sorted(vocab.terms)) if vocab else st.just("some text")
            options.append(st.one_of(own, own, own, st.sampled_from(WORDS)) if junk else own)
        elif arg is dt.date:
            options.append(st.one_of(st.dates(), st.dates().map(str)))
        elif arg is type(None):
            options.append(st.none())
    return st.one_of(*options, *options, *options, json_like) if junk else st.one_of(*options)


def shaped(model: type[BaseModel], path: str = "", junk: bool = True) -> st.SearchStrategy[Any]:
    """A mapping with the model's own keys (each optional); with ``junk``, now and then an
    unknown key too."""
    fields = {
        name: _values(info.annotation, f"{path}.{name}" if path else name, junk)
        for name, info in model.model_fields.items()
        if name != "determinations" or junk  # a determination overrides the rules: rarely
    }
    base = st.fixed_dictionaries({}, optional=fields)  # type: ignore[arg-type]
    if not junk:
        return base
    extra = st.dictionaries(keys, json_like, max_size=2)
    return st.one_of(base, base, base, st.tuples(base, extra).map(lambda t: {**t[1], **t[0]}))


@st.composite
def shaped_products(draw: st.DrawFn) -> dict[str, Any]:
    """Shaped like a product: every field of its own type (and often valid together), or with
    junk anywhere."""
    valid, junk = shaped(Product, junk=False), shaped(Product, junk=True)
    data = dict(draw(st.one_of(valid, valid, junk)))
    data["format"] = draw(st.sampled_from([1] * 12 + [2, "1", 1.5, True, None]))
    if draw(st.integers(0, 9)):
        fuzzed = st.just("fuzzed")
        data["name"] = draw(st.one_of(fuzzed, fuzzed, fuzzed, st.text(max_size=20), json_like))
    return data


@st.composite
def json_like_products(draw: st.DrawFn) -> Any:
    data = draw(json_like)
    if isinstance(data, dict) and draw(st.integers(0, 3)):
        data = {**data, "format": 1, "name": "fuzzed"}
    return data


# a mutation: replace, retype, delete, add a key, nest, unwrap, duplicate
OPERATIONS = ["replace", "word", "retype", "delete", "add_key", "nest", "unwrap", "duplicate"]


def _retype(value: Any) -> Any:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return len(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return list(value.values())
    return "unknown"


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return data


def _delete(data: Any, path: tuple[Any, ...]) -> Any:
    if not path:
        return data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    del parent[path[-1]]
    return data


@st.composite
def mutated_products(draw: st.DrawFn) -> Any:
    data: Any = copy.deepcopy(draw(products()))
    for _ in range(draw(st.integers(1, 4))):
        places = list(walk(data))
        path, value = draw(st.sampled_from(places))
        operation = draw(st.sampled_from(OPERATIONS))
        if operation == "replace":
            data = _set(data, path, draw(json_like))
        elif operation == "word":
            data = _set(data, path, draw(st.sampled_from(WORDS)))
        elif operation == "retype":
            data = _set(data, path, _retype(value))
        elif operation == "delete":
            data = _delete(data, path)
        elif operation == "add_key" and isinstance(value, dict):
            value[draw(keys)] = draw(json_like)
        elif operation == "nest":
            wrapped = [value] if draw(st.booleans()) else {draw(keys): value}
            data = _set(data, path, wrapped)
        elif operation == "unwrap" and isinstance(value, list | dict) and value:
            first = value[0] if isinstance(value, list) else next(iter(value.values()))
            data = _set(data, path, first)
        elif operation == "duplicate" and isinstance(value, list):
            data = _set(data, path, value + value)
    return data


def _yaml_text(data: Any) -> str:
    out = YAML(typ="safe", pure=True)
    out.default_flow_style = None
    stream = io.StringIO()
    out.dump(data, stream)
    return stream.getvalue()


@st.composite
def serialized(draw: st.DrawFn) -> bytes:
    """A (mutated) product written as YAML or JSON, then edited byte by byte."""
    data = draw(st.one_of(mutated_products(), products()))
    if draw(st.booleans()):
        text = _yaml_text(data)
    else:
        text = json.dumps(data, default=str, indent=draw(st.sampled_from([None, 2])))
    raw = bytearray(text.encode())
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(raw)))
        edit = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.one_of(st.binary(min_size=1, max_size=4), st.sampled_from(TOKENS_B)))
        if edit == "insert":
            raw[at:at] = piece
        elif edit == "delete":
            raw[at : at + len(piece)] = b""
        else:
            raw[at : at + len(piece)] = piece
    return bytes(raw)


TOKENS = [
    "format: 1\n",
    "name: x\n",
    "format",
    "name",
    ": ",
    ":",
    "- ",
    "-",
    "\n",
    "  ",
    "    ",
    "\t",
    "\r\n",
    "\r",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "? ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!str ",
    "!!int ",
    "!!map ",
    "!!seq ",
    "!!binary ",
    "!!python/object/apply:os.system ",
    "!local ",
    "!<tag:yaml.org,2002:str> ",
    "<<: ",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "%YAML 1.1\n",
    "%TAG !e! tag:e,2000:\n",
    "# c\n",
    "'",
    '"',
    "\\",
    "\\u",
    "|",
    ">",
    "|-\n",
    "~",
    "null",
    "true",
    "yes",
    "2026-02-30",
    "2026-01-01",
    "2026-01-01T10:00:00+05:00",
    "0x1F",
    "0o17",
    ".inf",
    ".nan",
    "1e999",
    "9" * 40,
    "1_000",
    "\ufeff",
    "\x85",
    "\u2028",
    "é",
    "日本",
    "\U0001f600",
    "material",
    "use",
    "context",
    "processing",
    "combined_with",
    "determinations",
    "expect",
    "jurisdictions",
    "unknown",
]
TOKENS_B = [t.encode() for t in TOKENS]

token_soup = st.lists(st.one_of(st.sampled_from(TOKENS), st.sampled_from(WORDS)), max_size=80).map(
    lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
)
raw_inputs = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    token_soup,
    token_soup.map(lambda b: b"format: 1\nname: x\n" + b),
    serialized(),
)


# ----------------------------------------------------------------------------- properties


@PROPERTY
@given(json_like_products(), st.one_of(st.none(), st.lists(st.sampled_from([*CODES, "uk"]))))
def test_json_like_data(data: Any, jurisdictions: list[str] | None) -> None:
    check(data, jurisdictions or None)


@PROPERTY
@given(shaped_products())
def test_products_shaped_at_random(data: dict[str, Any]) -> None:
    check(data)


@PROPERTY
@given(mutated_products())
def test_mutated_products(data: Any) -> None:
    check(data)


@PROPERTY
@given(raw_inputs)
def test_bytes_and_text(raw: bytes) -> None:
    check(raw)


@pytest.mark.parametrize("kind", ["shaped", "mutated", "serialized"])
def test_the_generators_reach_assessments(kind: str) -> None:
    """The fuzzers are not all refused at the door: some of each kind is assessed."""
    strategy = {"shaped": shaped_products(), "mutated": mutated_products()}.get(kind, serialized())
    reached = []

    @settings(max_examples=50, **_COMMON)
    @given(strategy)
    def probe(data: Any) -> None:
        if check(data) is not None:
            reached.append(data)

    probe()
    assert reached


@CLI
@given(st.lists(st.one_of(raw_inputs, mutated_products()), min_size=16, max_size=16))
def test_cli_exit_codes(inputs: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for i, item in enumerate(inputs):
            if isinstance(item, bytes):
                (folder / f"{i:02d}.yaml").write_bytes(item)
            else:
                (folder / f"{i:02d}.json").write_text(json.dumps(item, default=str))
        env = {k: v for k, v in os.environ.items() if k != "PATHWAY_DEBUG"}
        proc = subprocess.run(
            [sys.executable, "-m", "pathway.cli", "assess", "--as-of", "2026-11-25", scratch],
            capture_output=True,
            timeout=120,
            env={**env, "NO_COLOR": "1"},
        )
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err, err
    for line in err.splitlines():
        assert line.startswith(f"error: {scratch}/"), line
